package reconcile_test

import (
	"archive/zip"
	"bytes"
	"errors"
	"fmt"
	"io"
	"strings"
	"testing"
	"testing/iotest"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/goacp/unionpay/reconcile"
)

// corruptMember returns the reader of the first member of a settlement zip whose compressed
// data is corrupt in its middle, and the member's name.
func corruptMember(t *testing.T) (io.Reader, string) {
	t.Helper()
	b := errtextZip(t)
	zr, err := zip.NewReader(bytes.NewReader(b), int64(len(b)))
	require.NoError(t, err)
	off, err := zr.File[0].DataOffset()
	require.NoError(t, err)
	for i := off + 20; i < off+60; i++ {
		b[i] ^= 0xff
	}
	a, err := reconcile.Open(b)
	require.NoError(t, err)
	m := a.Members()[0]
	rc, err := m.Open()
	require.NoError(t, err)
	t.Cleanup(func() { _ = rc.Close() })
	return rc, m.Name
}

// firstErr returns the first error of a parse of r, by ZM or ZME.
func firstErr(kind string, r io.Reader) error {
	day := time.Date(2025, 12, 31, 0, 0, 0, 0, reconcile.Beijing())
	switch kind {
	case "ZM":
		for _, err := range reconcile.ZM(r, day) {
			if err != nil {
				return err
			}
		}
	case "ZME":
		for _, err := range reconcile.ZME(r, day) {
			if err != nil {
				return err
			}
		}
	}
	return nil
}

// TestErrorPrefixReadingLine pins the error of a reader that fails under ZM and ZME:
// "reconcile: " said once, the line named, the reader's error wrapped.
func TestErrorPrefixReadingLine(t *testing.T) {
	t.Parallel()
	boom := errors.New("disk on fire")
	for _, kind := range []string{"ZM", "ZME"} {
		for _, tt := range []struct {
			name   string
			reader func(t *testing.T) (io.Reader, string)
			want   string // %s: the member's name
			is     []error
		}{
			{"reader fails", func(*testing.T) (io.Reader, string) {
				return io.MultiReader(strings.NewReader("x"), iotest.ErrReader(boom)), ""
			}, "reconcile: reading line 1: disk on fire", []error{boom}},
			{"a corrupt member's reader", corruptMember,
				"reconcile: malformed settlement file: member %q: flate: corrupt input before offset 52 (reading line 1)",
				[]error{reconcile.ErrMalformed}},
			{"a corrupt member's reader, wrapped by the caller's", func(t *testing.T) (io.Reader, string) {
				r, name := corruptMember(t)
				return wrapReader{r}, name
			}, "reconcile: reading line 1: mine: reconcile: malformed settlement file: member %q: flate: corrupt input before offset 52",
				[]error{reconcile.ErrMalformed}},
			// The reader's own text begins with "reconcile: ": it is not this package's error, so
			// the line is named before it as for any other reader's (it read "reconcile: quota
			// exceeded (reading line 1)", the format of the package's own member errors, chosen
			// from the text).
			{"reader fails saying reconcile:", func(*testing.T) (io.Reader, string) {
				return iotest.ErrReader(errQuota), ""
			}, "reconcile: reading line 1: reconcile: quota exceeded", []error{errQuota}},
		} {
			t.Run(kind+"/"+tt.name, func(t *testing.T) {
				r, name := tt.reader(t)
				err := firstErr(kind, r)
				require.Error(t, err)
				want := tt.want
				if name != "" {
					want = fmt.Sprintf(tt.want, name)
				}
				assert.Equal(t, want, err.Error())
				if !strings.Contains(tt.name, "wrapped") && !strings.Contains(tt.name, "saying") {
					assert.Equal(t, 1, strings.Count(err.Error(), "reconcile: "), "%q", err)
				}
				assert.Equal(t, 1, strings.Count(err.Error(), "line 1"), "%q", err)
				for _, target := range tt.is {
					assert.ErrorIs(t, err, target)
				}
				var le *reconcile.LineError
				assert.False(t, errors.As(err, &le), "a read error is not a malformed line")
			})
		}
	}
}

// errQuota is a caller's error whose text happens to begin with "reconcile: ".
var errQuota = errors.New("reconcile: quota exceeded")

// wrapReader is a caller's reader that says what it read from.
type wrapReader struct{ r io.Reader }

func (w wrapReader) Read(p []byte) (int, error) {
	n, err := w.r.Read(p)
	if err != nil && err != io.EOF {
		err = fmt.Errorf("mine: %w", err)
	}
	return n, err
}

// TestErrorPrefixReadingSummary: ParseRD's read errors say "reconcile: " once too (a corrupt
// member's read "reconcile: reading summary report: reconcile: malformed ...").
func TestErrorPrefixReadingSummary(t *testing.T) {
	t.Parallel()
	boom := errors.New("disk on fire")
	for _, tt := range []struct {
		name   string
		reader func(t *testing.T) (io.Reader, string)
		want   string // %s: the member's name
		is     error
	}{
		{"reader fails", func(*testing.T) (io.Reader, string) { return iotest.ErrReader(boom), "" },
			"reconcile: reading summary report: disk on fire", boom},
		{"a corrupt member's reader", corruptMember,
			"reconcile: malformed settlement file: member %q: flate: corrupt input before offset 52 (reading summary report)",
			reconcile.ErrMalformed},
		{"reader fails saying reconcile:", func(*testing.T) (io.Reader, string) { return iotest.ErrReader(errQuota), "" },
			"reconcile: reading summary report: reconcile: quota exceeded", errQuota},
	} {
		t.Run(tt.name, func(t *testing.T) {
			r, name := tt.reader(t)
			_, err := reconcile.ParseRD(r)
			require.Error(t, err)
			want := tt.want
			if name != "" {
				want = fmt.Sprintf(tt.want, name)
			}
			assert.Equal(t, want, err.Error())
			assert.ErrorIs(t, err, tt.is)
		})
	}
}

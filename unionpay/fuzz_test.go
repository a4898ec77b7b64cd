package unionpay_test

import (
	"bytes"
	"compress/zlib"
	"encoding/base64"
	"errors"
	"io"
	"math"
	"strings"
	"testing"

	"github.com/goacp/unionpay/unionpay"
)

// FuzzDecodeFileContent fuzzes the bytes of a file and the limit, as delta
// from the file's length (so both sides of it, and the boundary, are
// reached; math.MaxInt16 stands for a limit of math.MaxInt64). The file is
// encoded with EncodeFileContent, its base64 broken into lines as wrap
// says (0: one line; otherwise every wrap>>1+1 characters, with CR LF or,
// for odd wrap, LF); DecodeFileContent must then return exactly the bytes
// when they fit the limit, an error matching ErrFileTooLarge when they do
// not, and an error for a limit that is not positive. The same bytes are
// also decoded as a fileContent as they are: whatever they hold, the
// result must be what decodeOracle, written here with the standard library,
// makes of them, and never more than the limit.
func FuzzDecodeFileContent(f *testing.F) {
	f.Add([]byte("对账 row\n"), int16(0), byte(150))
	f.Add(bytes.Repeat([]byte{0}, 10000), int16(-1), byte(0))
	f.Add(bytes.Repeat([]byte{0}, 10000), int16(0), byte(1))
	f.Add([]byte{}, int16(0), byte(0))
	f.Add([]byte("x"), int16(-1), byte(0))
	f.Add([]byte("hello"), int16(math.MaxInt16), byte(2))
	f.Add([]byte("eJwDAAAAAAE="), int16(0), byte(0))
	f.Add([]byte("eJwDAAAA\r\nAAE=\r\n"), int16(0), byte(0))
	f.Add([]byte("@@"), int16(4), byte(0))
	f.Fuzz(func(t *testing.T, data []byte, delta int16, wrap byte) {
		limit := int64(len(data)) + int64(delta)
		if delta == math.MaxInt16 {
			limit = math.MaxInt64
		}

		encoded := wrapLines(unionpay.EncodeFileContent(data), wrap)
		out, err := unionpay.DecodeFileContent(encoded, limit)
		switch {
		case limit <= 0:
			if err == nil || out != nil {
				t.Fatalf("limit %d: %d bytes, %v; want an error", limit, len(out), err)
			}
		case int64(len(data)) > limit:
			if !errors.Is(err, unionpay.ErrFileTooLarge) || out != nil {
				t.Fatalf("%d bytes at limit %d: %d bytes, %v; want an error matching ErrFileTooLarge", len(data), limit, len(out), err)
			}
		default:
			if err != nil || !bytes.Equal(out, data) {
				t.Fatalf("%d bytes at limit %d, wrap %d: got %d bytes (equal %v), %v", len(data), limit, wrap, len(out), bytes.Equal(out, data), err)
			}
		}
		checkErrorShape(t, err)

		// The input as a fileContent itself.
		out, err = unionpay.DecodeFileContent(string(data), limit)
		checkErrorShape(t, err)
		if err != nil {
			if out != nil {
				t.Fatalf("%d bytes returned with the error %v", len(out), err)
			}
		} else if int64(len(out)) > limit {
			t.Fatalf("decoded %d bytes past the %d limit", len(out), limit)
		}
		if limit <= 0 {
			if err == nil {
				t.Fatalf("limit %d accepted", limit)
			}
			return
		}
		want, tooLarge, wantErr := decodeOracle(string(data), limit)
		switch {
		case tooLarge:
			if !errors.Is(err, unionpay.ErrFileTooLarge) {
				t.Fatalf("DecodeFileContent(%q, %d) = %d bytes, %v; it inflates past the limit", data, limit, len(out), err)
			}
		case wantErr != nil:
			if err == nil || errors.Is(err, unionpay.ErrFileTooLarge) {
				t.Fatalf("DecodeFileContent(%q, %d) = %d bytes, %v; want an error like %v", data, limit, len(out), err, wantErr)
			}
		case err != nil || !bytes.Equal(out, want):
			t.Fatalf("DecodeFileContent(%q, %d) = %q, %v; want %q", data, limit, out, err, want)
		}
	})
}

// checkErrorShape fails for an error that is not the package's.
func checkErrorShape(t *testing.T, err error) {
	t.Helper()
	if err != nil && !strings.HasPrefix(err.Error(), "unionpay: ") {
		t.Fatalf("error %q does not start with the package name", err)
	}
}

// wrapLines breaks s into lines as FuzzDecodeFileContent's wrap says.
func wrapLines(s string, wrap byte) string {
	if wrap == 0 {
		return s
	}
	n, eol := int(wrap>>1)+1, "\r\n"
	if wrap&1 == 1 {
		eol = "\n"
	}
	var sb strings.Builder
	for len(s) > n {
		sb.WriteString(s[:n] + eol)
		s = s[n:]
	}
	sb.WriteString(s + eol)
	return sb.String()
}

// decodeOracle decodes a fileContent as UnionPay describes it: base64 with
// its line breaks ignored, then a zlib stream. It reads at most limit+1
// bytes and reports whether there were more than limit (tooLarge), or
// else the error that stopped it, if any.
func decodeOracle(s string, limit int64) (out []byte, tooLarge bool, err error) {
	s = strings.ReplaceAll(strings.ReplaceAll(s, "\r", ""), "\n", "")
	if s == "" {
		return nil, false, errors.New("empty")
	}
	z, err := base64.StdEncoding.DecodeString(s)
	if err != nil {
		return nil, false, err
	}
	zr, err := zlib.NewReader(bytes.NewReader(z))
	if err != nil {
		return nil, false, err
	}
	read := limit
	if read < math.MaxInt64 {
		read++
	}
	var buf bytes.Buffer
	n, err := io.CopyN(&buf, zr, read)
	if n > limit {
		return nil, true, nil
	}
	if err != io.EOF {
		return nil, false, err
	}
	return buf.Bytes(), false, nil
}

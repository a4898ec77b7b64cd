package reconcile

import (
	"archive/zip"
	"bytes"
	"errors"
	"fmt"
	"math"
	"runtime"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestMalformedLineFlood: a stream of short malformed lines yields MaxMalformedLines *LineErrors,
// then one error matching ErrMalformed that is not a *LineError, and nothing more: a flood of them
// cost far more time and report than its size (found by a penetration test).
func TestMalformedLineFlood(t *testing.T) {
	t.Parallel()
	settle := time.Date(2025, 12, 31, 0, 0, 0, 0, Beijing())
	flood := strings.Repeat("x\n", MaxMalformedLines+500) + strings.Repeat("y\n", 10)
	count := func(errs []error) (lines int, last error) {
		for _, err := range errs {
			if _, ok := errors.AsType[*LineError](err); ok {
				lines++
			} else {
				last = err
			}
		}
		return lines, last
	}
	var zm, zme []error
	for _, err := range ZM(strings.NewReader(flood), settle) {
		require.Error(t, err)
		zm = append(zm, err)
	}
	for _, err := range ZME(strings.NewReader(flood), settle) {
		require.Error(t, err)
		zme = append(zme, err)
	}
	for name, errs := range map[string][]error{"ZM": zm, "ZME": zme} {
		lines, last := count(errs)
		assert.Equal(t, MaxMalformedLines, lines, name)
		require.ErrorIs(t, last, ErrMalformed, name)
		assert.Len(t, errs, MaxMalformedLines+1, name)
		assert.Contains(t, last.Error(), "more than 1000 malformed (or blank) lines", name)
	}
	// Overlong lines (read in no part) count too.
	long := strings.Repeat(strings.Repeat("z", 700)+"\n", MaxMalformedLines+1)
	var n int
	var last error
	for _, err := range ZM(strings.NewReader(long), settle) {
		n, last = n+1, err
	}
	assert.Equal(t, MaxMalformedLines+1, n)
	var le *LineError
	assert.False(t, errors.As(last, &le))

	// The report stops too, and lists only the first 100 of the line errors.
	var buf bytes.Buffer
	rep, err := WriteCSV(&buf, Match(ZM(strings.NewReader(flood), settle), noOrders))
	require.ErrorIs(t, err, ErrMalformed)
	assert.Equal(t, MaxMalformedLines, rep.ErrorCount)
	assert.Equal(t, maxReportErrors, strings.Count(buf.String(), "\nerror,"), "the first 100 listed; the report ends in the error")
}

// noOrders is a merchant without orders.
func noOrders(func(Order, error) bool) {}

// TestReportListsFirstErrors: WriteCSV lists the first 100 data errors and says how many more
// there were; the Report counts them all.
func TestReportListsFirstErrors(t *testing.T) {
	t.Parallel()
	results := func(yield func(Result, error) bool) {
		for i := range 150 {
			if !yield(Result{}, &LineError{Line: i + 1, Err: errDigits}) {
				return
			}
		}
	}
	var buf bytes.Buffer
	rep, err := WriteCSV(&buf, results)
	require.NoError(t, err)
	assert.Equal(t, 150, rep.ErrorCount)
	assert.Equal(t, maxReportErrors+1, strings.Count(buf.String(), "\nerror,"))
	assert.Contains(t, buf.String(), "reconcile: 50 more data errors, not listed")
	assert.Contains(t, buf.String(), "\ntotal,matched,")
}

// TestOpenManyCentralHeaders: a zip whose central directory holds far more entries than
// WithMaxMembers allows is refused before zip.NewReader builds an entry for each (a 1 MB
// download holding millions of them took gigabytes; found by a penetration test).
func TestOpenManyCentralHeaders(t *testing.T) {
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	for i := range 100_000 {
		_, err := zw.CreateHeader(&zip.FileHeader{Name: fmt.Sprintf("m%d", i), Method: zip.Store})
		require.NoError(t, err)
	}
	require.NoError(t, zw.Close())
	var before, after runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&before)
	_, err := Open(buf.Bytes())
	runtime.ReadMemStats(&after)
	require.ErrorIs(t, err, ErrTooLarge)
	assert.Contains(t, err.Error(), "100000 central-directory headers")
	assert.Less(t, after.TotalAlloc-before.TotalAlloc, uint64(1<<20), "refused before the entries were built")

	// Within the limit, the signature's bytes in a member's data do not count against it.
	buf.Reset()
	zw = zip.NewWriter(&buf)
	w, err := zw.CreateHeader(&zip.FileHeader{Name: "INN25123188ZM_777290058110097", Method: zip.Store})
	require.NoError(t, err)
	_, err = w.Write(bytes.Repeat([]byte("PK\x01\x02"), 100))
	require.NoError(t, err)
	require.NoError(t, zw.Close())
	_, err = Open(buf.Bytes())
	require.NoError(t, err, "100 signatures in one member's data are within the bound's slack")
}

// TestMalformedLongAndBlankFlood: lines longer than the line reader takes (read in no part) and
// blank lines (skipped) count against MaxMalformedLines too, in ZM and ZME (the read branch was
// uncapped, and a member of bare line feeds was read to its end at 20 times a valid byte's cost;
// found by a review).
func TestMalformedLongAndBlankFlood(t *testing.T) {
	t.Parallel()
	settle := time.Date(2025, 12, 31, 0, 0, 0, 0, Beijing())
	for name, input := range map[string]string{
		"long lines": strings.Repeat(strings.Repeat("z", 3000)+"\n", MaxMalformedLines+50),
		"blank LF":   strings.Repeat("\n", MaxMalformedLines+50) + "after\n",
		"blank CRLF": strings.Repeat("\r\n", MaxMalformedLines+50) + "after\n",
	} {
		var zm, zme []error
		for _, err := range ZM(strings.NewReader(input), settle) {
			zm = append(zm, err)
		}
		for _, err := range ZME(strings.NewReader(input), settle) {
			zme = append(zme, err)
		}
		for kind, errs := range map[string][]error{"ZM": zm, "ZME": zme} {
			require.NotEmpty(t, errs, name, kind)
			last := errs[len(errs)-1]
			var le *LineError
			assert.False(t, errors.As(last, &le), "%s %s: ends with the stream's error", name, kind)
			assert.ErrorIs(t, last, ErrMalformed, name, kind)
			if strings.HasPrefix(name, "blank") {
				assert.Len(t, errs, 1, "%s %s: nothing but the end", name, kind)
			} else {
				assert.Len(t, errs, MaxMalformedLines+1, name, kind)
			}
		}
	}
	// Blank lines up to the limit (a file's last few) are no error, in ZM or ZME.
	for _, err := range ZM(strings.NewReader(strings.Repeat("\n", MaxMalformedLines)), settle) {
		t.Fatalf("blank lines: %v", err)
	}
	for _, err := range ZME(strings.NewReader(strings.Repeat("\r\n", MaxMalformedLines)), settle) {
		t.Fatalf("blank lines: %v", err)
	}
}

// TestOpenNoMemberLimit: WithMaxMembers(math.MaxInt), no limit, does not wrap the bound on the
// central directory's headers into a small one that refused any zip of more than 14 members
// (found by a review).
func TestOpenNoMemberLimit(t *testing.T) {
	t.Parallel()
	day := time.Date(2025, 12, 31, 0, 0, 0, 0, Beijing())
	var ms [][2]string
	for i := range 20 {
		ms = append(ms, [2]string{fmt.Sprintf("INN251231%02dZM_777290058110097", i), zmText(t, day, "ORDER0001")})
	}
	b := zipOf(t, ms...)
	_, err := Open(b, WithMaxMembers(100))
	require.NoError(t, err)
	for _, n := range []int{math.MaxInt, math.MaxInt - 7, math.MaxInt / 2} {
		_, err = Open(b, WithMaxMembers(n))
		assert.NoError(t, err, "WithMaxMembers(%d)", n)
	}
}

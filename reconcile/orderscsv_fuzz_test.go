package reconcile

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"strings"
	"testing"
)

// FuzzOrdersCSV: whatever the orders file, its reader never panics; a header it refuses is
// an error matching ErrOrdersHeader; it yields only orders Match keeps; every malformed row is
// an *OrderError counting the elements as Match does and naming a line of the file (and a
// column within the header's); only a row past the limit ends the sequence early, with a
// *CSVError naming a line; no orderId yielded, and no row's error, holds a control, format or
// space character other than the ASCII space, or a byte that is not UTF-8 (nor an OrderID
// longer than 64 bytes and "..."); and Match with the report writer passes every error of a row
// on, stopping at none but that one.
func FuzzOrdersCSV(f *testing.F) {
	for _, s := range []string{
		ordersHead + orderRow1 + orderRow2,
		"\ufeff" + strings.ReplaceAll(ordersHead+orderRow1+orderRow2, "\n", "\r\n"),
		"state,note,amount,orderId,txnType,txnTime\nsucceeded,\"a\nb\",1,A,01,20261125100000\n",
		ordersHead + "A,20261125100000,1,1,succeeded\nB,20261125100000,1.00,01,succeeded\n",
		ordersHead + "\"A\nB,x,y,z\n",
		ordersHead + orderRow1 + orderRow1 + "SHOP0003,20261125120000,500,01\n",
		ordersHead + "SHOP0003" + strings.Repeat("9", 30) + ",20261125120000,500,01,failed\n",
		ordersHead + "\x1b\u202e,20261125120000,500,01,pending\n",
		ordersHead + "X,-0261125100000,1,01,succeeded\n\n\r\n" + orderRow2,
		ordersHead + "\"" + strings.Repeat("\n", 100),
		"",
		"orderId,orderId\n",
		ordersHead + "SHOP\x000003,20261125120000,500,01,pending\n" + orderRow2,
		ordersHead + "\"SHOP\r0003\",20261125120000,500,01,pending\n\"\nSHOP4\",20261125120000,500,01,failed\n",
		ordersHead + "SHOP\x7f3,20261125120000,500,01,pending\nSHOP\u00853,20261125120000,500,01,pending\n",
		ordersHead + "\ufeffSHOP3 ,20261125120000,500,01,pending\nSHOP\u30003,20261125120000,500,01,pending\n",
		ordersHead + "\xb5\xa5SHOP3,20261125120000,500,01,pending\n\xef\xbf\xbdSHOP4,20261125120000,500,01,pending\n",
		ordersHead + strings.Repeat("\x01", 100) + ",x,y,z,w\n" + strings.Repeat("9", 40) + "\t,20261125120000,500,01,failed\n",
		"note,orderId,txnTime,amount,txnType,state\n\"a\nb\",SHOP\t3,20261125100000,1,01,paid\n",
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		lines := bytes.Count(data, []byte("\n")) + 1
		or, err := NewOrdersCSVReader(bytes.NewReader(data))
		if err != nil {
			if !errors.Is(err, ErrOrdersHeader) {
				t.Fatalf("header error %q does not match ErrOrdersHeader", err)
			}
			return
		}
		index, prev := 0, 2
		var ended error
		for o, err := range or.Orders() {
			if ended != nil {
				t.Fatalf("element after the sequence's end %v", ended)
			}
			if or.Line() < prev || or.Line() > lines {
				t.Fatalf("element %d: line %d after %d, of %d", index, or.Line(), prev, lines)
			}
			prev = or.Line()
			switch oe, isOrder := errors.AsType[*OrderError](err); {
			case err == nil:
				if e := orderError(&o, index, nil); e != nil || badOrderIDChar(o.OrderID) >= 0 || o.Amount <= 0 || len(o.TxnType) != 2 || o.TxnTime.IsZero() ||
					o.TxnTime.Location() != Beijing() {
					t.Fatalf("unusable order %+v (%v)", o, e)
				}
			case isOrder:
				if oe.Index != index {
					t.Fatalf("error of element %d says index %d", index, oe.Index)
				}
				if len(oe.OrderID) > maxShownCell+len("...") || badOrderIDChar(strings.ReplaceAll(err.Error(), " ", "")) >= 0 {
					t.Fatalf("the error carries the cell (orderId %q): %q", oe.OrderID, err)
				}
				checkCSVError(t, err, or.Line(), lines)
				if ce, _ := errors.AsType[*CSVError](err); ce.Column > or.width {
					t.Fatalf("column %d of a header of %d: %v", ce.Column, or.width, err)
				}
			default:
				checkCSVError(t, err, or.Line(), lines)
				ended = err
			}
			index++
		}

		rep, err := WriteCSV(io.Discard, Match(recordsOf(), OrdersCSV(bytes.NewReader(data))))
		if (err != nil) != (ended != nil) {
			t.Fatalf("report error %v, the orders' %v", err, ended)
		}
		for _, err := range rep.Errors {
			if _, ok := errors.AsType[*OrderError](err); !ok {
				t.Fatalf("not an order error: %v", err)
			}
		}
	})
}

// checkCSVError fails unless err wraps a *CSVError naming a line of the file (of lines lines)
// at or after from, in its message too.
func checkCSVError(t *testing.T, err error, from, lines int) {
	t.Helper()
	ce, ok := errors.AsType[*CSVError](err)
	if !ok {
		t.Fatalf("no *CSVError in %v", err)
	}
	if ce.Line < from || ce.Line > lines {
		t.Fatalf("line %d, not in %d..%d: %v", ce.Line, from, lines, err)
	}
	if !strings.Contains(err.Error(), fmt.Sprintf("line %d", ce.Line)) {
		t.Fatalf("%q does not say its line", err)
	}
}

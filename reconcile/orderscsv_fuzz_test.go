package reconcile

import (
	"bytes"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"strconv"
	"strings"
	"testing"
)

// subMerHead is the header of an orders CSV file with a platform's subMerId column.
const subMerHead = OrdersCSVHeader + ",subMerId\n"

// FuzzOrdersCSV: whatever the orders file, its reader never panics; a header it refuses is
// an error matching ErrOrdersHeader; it yields only orders Match keeps; every malformed row is
// an *OrderError counting the elements as Match does and naming a line of the file (and a
// column within the header's); only a row past the limit ends the sequence early, with a
// *CSVError naming a line; no orderId yielded, and no row's error, holds a control, format or
// space character other than the ASCII space, or a byte that is not UTF-8 (nor an OrderID
// longer than 64 bytes and "..."); and Match with the report writer passes every error of a row
// on, stopping at none but that one. No error's text but its orderId (OrderError.OrderID, the
// order's own id, shown as the reports show it) holds 16 digits in a row the file held too, a card
// number a cell quoted would show, and none is longer than maxOrdersErrorText bytes.
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
		// A card number in the wrong column, alone, separated, run on to text, cut by the clip.
		ordersHead + "SHOP3,6216261000000000018,500,01,pending\nSHOP4,20261125120000,6216261000000000018,01,pending\n",
		ordersHead + "SHOP3,20261125120000,500,6216 2610 0000 0000 018,pending\nSHOP4,20261125120000,500,01,6216-2610-0000-0000-018\n",
		ordersHead + "SHOP3,x6216261000000000018y\x00,500,01,pending\nSHOP4,20261125120000,1.5e6216261000000000018,01,pending\n",
		ordersHead + "SHOP3," + strings.Repeat("a", 50) + "6216261000000000018,500,01,pending\n",
		ordersHead + "SHOP3,123456789012345\u00850,500,01,pending\nSHOP4,１２３４５６７８９０１２３４５６,500,01,pending\n",
		// A platform's subMerId column: kept, empty, a spreadsheet's number, too long, a card number, twice.
		subMerHead + "SHOP0001,20261125100000,10000,01,succeeded,898111148990268\nSHOP0002,20261125110000,4000,04,pending,\n",
		"subMerId,state,orderId,txnTime,amount,txnType\n8.98111E+14,failed,S1,20261125100000,1,01\nA1,failed,S2,20261125100000,1,01\n",
		subMerHead + "SHOP0001,20261125100000,10000,01,succeeded,6216261000000000018\nSHOP0002,20261125100000,1,01,failed, A1\n",
		subMerHead + "\"SHOP,\"\"1\",20261125100000,0010000,01,succeeded,a1B2\nSHOP2,20261125100000,1,01,failed\n",
		"orderId,txnTime,amount,txnType,state,subMerId,subMerId\n",
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
		var orders []Order
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
				if or.Column("subMerId") == 0 && o.SubMerID != "" || !validSubMerID(o.SubMerID) {
					t.Fatalf("order %+v: subMerId %q, from a column %d", o, o.SubMerID, or.Column("subMerId"))
				}
				orders = append(orders, o)
			case isOrder:
				if oe.Index != index {
					t.Fatalf("error of element %d says index %d", index, oe.Index)
				}
				if len(oe.OrderID) > maxShownCell+len("...") || badOrderIDChar(strings.ReplaceAll(err.Error(), " ", "")) >= 0 {
					t.Fatalf("the error carries the cell (orderId %q): %q", oe.OrderID, err)
				}
				checkCSVError(t, err, or.Line(), lines)
				checkNoCardRun(t, data, oe.Err.Error())
				if ce, _ := errors.AsType[*CSVError](err); ce.Column > or.width {
					t.Fatalf("column %d of a header of %d: %v", ce.Column, or.width, err)
				}
			default:
				checkCSVError(t, err, or.Line(), lines)
				checkNoCardRun(t, data, err.Error())
				ended = err
			}
			index++
		}

		checkOrdersRoundTrip(t, orders)

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

// maxOrdersErrorText bounds the text of an orders file's error, its orderId left out: a cell is
// quoted cut to 64 bytes, each of which %q writes in at most 4.
const maxOrdersErrorText = 512

// checkNoCardRun fails if msg is longer than maxOrdersErrorText bytes, or holds a run of 16 or more
// ASCII digits 16 of which, in a row, are in data: a card number of the file shown unmasked. (A
// run %q made longer, \x00 before 15 digits, shows no card number.)
func checkNoCardRun(t *testing.T, data []byte, msg string) {
	t.Helper()
	if len(msg) > maxOrdersErrorText {
		t.Fatalf("an error of %d bytes: %q", len(msg), msg)
	}
	for i := 0; i < len(msg); {
		j := i
		for j < len(msg) && msg[j] >= '0' && msg[j] <= '9' {
			j++
		}
		for k := i; k+16 <= j; k++ {
			if bytes.Contains(data, []byte(msg[k:k+16])) {
				t.Fatalf("%q shows %s of the file", msg, msg[k:k+16])
			}
		}
		i = j + 1
	}
}

// validSubMerID reports whether s is a subMerId an orders CSV file may give: "" (not checked) or
// 1 to 15 ASCII letters or digits.
func validSubMerID(s string) bool {
	if len(s) > 15 {
		return false
	}
	for i := range len(s) {
		if c := s[i] | 0x20; !('0' <= s[i] && s[i] <= '9' || 'a' <= c && c <= 'z') {
			return false
		}
	}
	return true
}

// checkOrdersRoundTrip fails unless orders, those an orders CSV file yielded, written back as an
// orders CSV file with a subMerId column (by encoding/csv, as a merchant's export would), read
// back as themselves, in order.
func checkOrdersRoundTrip(t *testing.T, orders []Order) {
	t.Helper()
	var buf bytes.Buffer
	w := csv.NewWriter(&buf)
	_ = w.Write(strings.Split(strings.TrimSuffix(subMerHead, "\n"), ","))
	for _, o := range orders {
		_ = w.Write([]string{o.OrderID, o.TxnTime.Format("20060102150405"), strconv.FormatInt(o.Amount, 10), o.TxnType,
			o.State.String(), o.SubMerID})
	}
	w.Flush()
	var back []Order
	for o, err := range OrdersCSV(bytes.NewReader(buf.Bytes())) {
		if err != nil {
			t.Fatalf("orders %+v written back as %q: %v", orders, buf.Bytes(), err)
		}
		back = append(back, o)
	}
	if len(back) != len(orders) {
		t.Fatalf("orders %+v written back as %q read as %+v", orders, buf.Bytes(), back)
	}
	for i := range back {
		if back[i] != orders[i] {
			t.Fatalf("order %+v written back as %q read as %+v", orders[i], buf.Bytes(), back[i])
		}
	}
}

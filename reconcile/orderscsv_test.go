package reconcile

import (
	"errors"
	"fmt"
	"io"
	"strings"
	"testing"
	"testing/iotest"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

const (
	ordersHead = OrdersCSVHeader + "\n"
	orderRow1  = "SHOP0001,20261125100000,10000,01,succeeded\n"
	orderRow2  = "SHOP0002,20261125110000,4000,04,pending\n"
)

// csvOrder is an order of the tests' rows, at hour h of 2026-11-25, Beijing time.
func csvOrder(id string, h int, amount int64, typ string, st State) Order {
	return Order{OrderID: id, TxnTime: time.Date(2026, 11, 25, h, 0, 0, 0, Beijing()), Amount: amount, TxnType: typ, State: st}
}

// readOrdersCSV ranges over OrdersCSV(r), returning the orders and the errors apart, and the
// line OrdersCSVReader.Line gave each element.
func readOrdersCSV(t *testing.T, in string) (orders []Order, errs []error, lines []int) {
	t.Helper()
	or, err := NewOrdersCSVReader(strings.NewReader(in))
	require.NoError(t, err)
	for o, err := range or.Orders() {
		lines = append(lines, or.Line())
		if err != nil {
			assert.Zero(t, o, "the order of an error")
			errs = append(errs, err)
			continue
		}
		orders = append(orders, o)
	}
	return orders, errs, lines
}

// TestOrdersCSVReads: the file's forms that must read as plain rows do: CRLF, a byte-order
// mark, columns in any order with others among them, quoted cells (a comma, a quote, a line
// end in one), blank lines; the line of each order is where its row begins.
func TestOrdersCSVReads(t *testing.T) {
	t.Parallel()
	both := []Order{csvOrder("SHOP0001", 10, 10000, "01", StateSucceeded), csvOrder("SHOP0002", 11, 4000, "04", StatePending)}
	cases := []struct {
		name  string
		in    string
		want  []Order
		lines []int
	}{
		{"LF", ordersHead + orderRow1 + orderRow2, both, []int{2, 3}},
		{"CRLF", strings.ReplaceAll(ordersHead+orderRow1+orderRow2, "\n", "\r\n"), both, []int{2, 3}},
		{"byte-order mark", "\ufeff" + ordersHead + orderRow1 + orderRow2, both, []int{2, 3}},
		{"byte-order mark on a moved column", "\ufeffstate,amount,orderId,txnType,txnTime\n" +
			"succeeded,10000,SHOP0001,01,20261125100000\n", both[:1], []int{2}},
		{"no final line end", ordersHead + orderRow1 + strings.TrimSuffix(orderRow2, "\n"), both, []int{2, 3}},
		{"columns in any order, others ignored", "note,state,amount,orderId,txnType,txnTime,orderid\n" +
			"x,succeeded,10000,SHOP0001,01,20261125100000,y\n\"a, b\",pending,4000,SHOP0002,04,20261125110000,\n",
			both, []int{2, 3}},
		{"quoted cells", ordersHead + `"SHOP""1",20261125100000,"10000",01,"succeeded"` + "\n" +
			`"SHOP,2","20261125110000",4000,"04",pending` + "\n",
			[]Order{csvOrder(`SHOP"1`, 10, 10000, "01", StateSucceeded), csvOrder("SHOP,2", 11, 4000, "04", StatePending)},
			[]int{2, 3}},
		{"line ends in a quoted cell", "orderId,txnTime,amount,txnType,state,note\n" +
			"SHOP0001,20261125100000,10000,01,succeeded,\"two\r\nlines\"\nSHOP0002,20261125110000,4000,04,pending,\"\n\n\"\n" +
			"SHOP0003,20261125120000,1,31,failed,\n",
			append(both[:2:2], csvOrder("SHOP0003", 12, 1, "31", StateFailed)), []int{2, 4, 7}},
		{"blank lines", ordersHead + "\n" + orderRow1 + "\r\n\n" + orderRow2, both, []int{3, 6}},
		{"header only", ordersHead, nil, nil},
		{"leading zeros, longest amount, Chinese orderId of 32 GBK bytes", ordersHead +
			strings.Repeat("单", 16) + ",20261125100000,000000000000000001,01,succeeded\n" +
			"SHOP0002,20261125110000,999999999999999999,04,pending\n",
			[]Order{csvOrder(strings.Repeat("单", 16), 10, 1, "01", StateSucceeded),
				csvOrder("SHOP0002", 11, 999999999999999999, "04", StatePending)}, []int{2, 3}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			orders, errs, lines := readOrdersCSV(t, c.in)
			require.Empty(t, errs)
			require.Len(t, orders, len(c.want))
			for i := range orders {
				assert.True(t, orders[i].TxnTime.Equal(c.want[i].TxnTime), "txnTime %v", orders[i].TxnTime)
				assert.Equal(t, Beijing(), orders[i].TxnTime.Location())
				orders[i].TxnTime = c.want[i].TxnTime
			}
			assert.Equal(t, c.want, orders)
			assert.Equal(t, c.lines, lines)
		})
	}
}

// TestOrdersCSVRowErrors: each malformed row is an *OrderError (its Index the element's
// position, its OrderID the row's) wrapping a *CSVError that names the line and the column of
// the first bad cell, or the line alone for the row as a whole; the rows after it are read.
func TestOrdersCSVRowErrors(t *testing.T) {
	t.Parallel()
	long := "SHOP" + strings.Repeat("9", 29) // 33 bytes
	cases := []struct {
		name   string
		row    string // the third row, between orderRow1 and orderRow2
		line   int
		column int    // 0: the row as a whole
		id     string // the OrderError's OrderID
		want   string // the message after "reconcile: order 2 (ID): "
		is     error  // a sentinel it matches, or nil
	}{
		{"empty orderId", ",20261125100000,1,01,succeeded", 3, 1, "", "line 3, column 1 (orderId): empty orderId", ErrNoOrderID},
		{"orderId of 33 bytes", long + ",20261125100000,1,01,succeeded", 3, 1, long,
			"line 3, column 1 (orderId): orderId longer than the settlement file's 32 bytes: 33 bytes", ErrOrderIDTooLong},
		{"orderId of 17 Chinese characters", strings.Repeat("单", 17) + ",20261125100000,1,01,succeeded", 3, 1,
			strings.Repeat("单", 17), "line 3, column 1 (orderId): orderId longer than the settlement file's 32 bytes: 34 bytes",
			ErrOrderIDTooLong},
		{"txnTime with dashes", "X,2026-11-25 10:00,1,01,succeeded", 3, 2, "X",
			`line 3, column 2 (txnTime): "2026-11-25 10:00": want YYYYMMDDhhmmss, Beijing time`, nil},
		{"txnTime with a fraction", "X,20261125100000.5,1,01,succeeded", 3, 2, "X",
			`line 3, column 2 (txnTime): "20261125100000.5": want YYYYMMDDhhmmss`, nil},
		{"txnTime of 13 digits", "X,2026112510000,1,01,succeeded", 3, 2, "X", `(txnTime): "2026112510000"`, nil},
		{"txnTime with a signed year", "X,-0261125100000,1,01,succeeded", 3, 2, "X", `(txnTime): "-0261125100000"`, nil},
		{"txnTime not a day", "X,20261131100000,1,01,succeeded", 3, 2, "X", `(txnTime): "20261131100000"`, nil},
		{"txnTime empty", "X,,1,01,succeeded", 3, 2, "X", `(txnTime): ""`, nil},
		{"amount in yuan", "X,20261125100000,12.34,01,succeeded", 3, 3, "X",
			`line 3, column 3 (amount): "12.34": want a whole number of fen (12800 for 128.00 yuan)`, nil},
		{"amount negative", "X,20261125100000,-1,01,succeeded", 3, 3, "X", `(amount): "-1": want a whole number of fen`, nil},
		{"amount with a sign", "X,20261125100000,+1,01,succeeded", 3, 3, "X", `(amount): "+1": want a whole number of fen`, nil},
		{"amount with a space", "X,20261125100000,1 000,01,succeeded", 3, 3, "X", `(amount): "1 000"`, nil},
		{"amount empty", "X,20261125100000,,01,succeeded", 3, 3, "X", `(amount): "": want a whole number of fen`, nil},
		{"amount zero", "X,20261125100000,000,01,succeeded", 3, 3, "X", "(amount): zero: want a positive number of fen", nil},
		{"amount of 19 digits, masked as a card number", "X,20261125100000,1000000000000000000,01,succeeded", 3, 3, "X",
			`(amount): "100000******0000": want a whole number of fen`, nil},
		{"a card number in the amount column", "X,20261125100000,6216261000000000018,01,succeeded", 3, 3, "X",
			`(amount): "621626******0018": want a whole number of fen`, nil},
		{"a card number of 13 digits inside the state column", "X,20261125100000,1,01,card 6216261000018", 3, 5, "X",
			`(state): "card ******0018": want succeeded`, nil},
		{"a card number of 13 digits in the amount column, in yuan", "X,20261125100000,6216261000018.00,01,succeeded", 3, 3, "X",
			`(amount): "******1800": want a whole number of fen`, nil},
		{"a card number in groups in the txnTime column", "X,6216 2610 0000 0018,1,01,succeeded", 3, 2, "X",
			`(txnTime): "621626******0018": want YYYYMMDDhhmmss`, nil},
		{"a card number inside the state column", "X,20261125100000,1,01,card 6216261000000000018", 3, 5, "X",
			`(state): "card 621626******0018": want succeeded`, nil},
		{"a card number in full-width digits inside the state column", "X,20261125100000,1,01,card ６２１６２６１０００００００００１８", 3, 5, "X",
			`(state): "card 621626******0018": want succeeded`, nil},
		{"a card number at a long cell's cut, masked before the cut", "X,20261125100000,1,01," + strings.Repeat("x", 54) + "6216261000000000018", 3, 5, "X",
			`(state): "` + strings.Repeat("x", 54) + `621626****"...: want`, nil},
		{"a txnTime of 15 digits shown", "X,202611251000001,1,01,succeeded", 3, 2, "X",
			`(txnTime): "202611251000001": want YYYYMMDDhhmmss`, nil},
		{"txnType lost its zero", "X,20261125100000,1,4,succeeded", 3, 4, "X",
			`line 3, column 4 (txnType): "4": want two digits, 04 (a spreadsheet drops the leading zero unless the column is text)`, nil},
		{"txnType empty", "X,20261125100000,1,,succeeded", 3, 4, "X", `(txnType): "": want UnionPay's two digits`, nil},
		{"txnType of three digits", "X,20261125100000,1,001,succeeded", 3, 4, "X", `(txnType): "001": want UnionPay's two digits`, nil},
		{"txnType not digits", "X,20261125100000,1,0:,succeeded", 3, 4, "X", `(txnType): "0:": want UnionPay's two digits`, nil},
		{"state unknown", "X,20261125100000,1,01,paid", 3, 5, "X", `line 3, column 5 (state): "paid": want succeeded, pending or failed`, nil},
		{"state capitalised", "X,20261125100000,1,01,Succeeded", 3, 5, "X", `(state): "Succeeded"`, nil},
		{"state empty", "X,20261125100000,1,01,", 3, 5, "X", `(state): ""`, nil},
		{"the first bad cell", "X,yesterday,1.5,1,paid", 3, 2, "X", `(txnTime): "yesterday"`, nil},
		{"a field short", "X,20261125100000,1,01", 3, 0, "", "line 3: 4 fields, the header has 5", nil},
		{"a field more", "X,20261125100000,1,01,succeeded,", 3, 0, "", "line 3: 6 fields, the header has 5", nil},
		{"bare quote", `SHOP"3,20261125100000,1,01,succeeded`, 3, 0, "", `line 3: byte 5: bare " in non-quoted-field`, nil},
		{"text after a quoted cell", `"SHOP"3,20261125100000,1,01,succeeded`, 3, 0, "",
			`line 3: byte 6: extraneous or missing " in quoted-field`, nil},
		{"a long cell quoted in part", "X,20261125100000,1,01," + strings.Repeat("\x00", 100), 3, 5, "X",
			`(state): "` + strings.Repeat(`\x00`, maxShownCell) + `"...: want`, nil},
		{"a long orderId named in part", strings.Repeat("9", 100) + ",20261125100000,1,01,succeeded", 3, 1,
			strings.Repeat("9", maxShownCell) + "...", "(orderId): orderId longer", ErrOrderIDTooLong},
		{"text after a quoted cell on the row's second line", "\"SHOP\n3\"x,20261125100000,1,01,succeeded", 4, 0, "",
			`line 4: byte 2: extraneous or missing " in quoted-field`, nil},
		{"a long Chinese orderId named in part", strings.Repeat("单", 30) + ",20261125100000,1,01,succeeded", 3, 1,
			strings.Repeat("单", 21) + "...", "(orderId): orderId longer", ErrOrderIDTooLong},
		{"a line end in the orderId", "\"SHOP\n3\",20261125100000,1,01,paid", 3, 1, `SHOP\n3`,
			"line 3, column 1 (orderId): orderId with a control, format, space or non-UTF-8 character: U+000A at byte 5",
			ErrOrderIDChar},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			orders, errs, lines := readOrdersCSV(t, ordersHead+orderRow1+c.row+"\n"+orderRow2)
			require.Len(t, errs, 1)
			assert.Len(t, orders, 2, "the rows around it are read")
			wantLines := []int{2, 3, 4}
			if strings.Contains(c.row, "\n") {
				wantLines[2] = 5
			}
			assert.Equal(t, wantLines, lines)
			oe, ok := errors.AsType[*OrderError](errs[0])
			require.True(t, ok, "%T %v", errs[0], errs[0])
			assert.Equal(t, 1, oe.Index)
			assert.Equal(t, c.id, oe.OrderID)
			ce, ok := errors.AsType[*CSVError](errs[0])
			require.True(t, ok)
			assert.Equal(t, c.line, ce.Line)
			assert.Equal(t, c.column, ce.Column)
			if c.column > 0 {
				assert.Equal(t, orderColumn(c.column-1), ce.Name)
			} else {
				assert.Empty(t, ce.Name)
			}
			prefix := fmt.Sprintf("reconcile: order 2 (%s): line %d", c.id, c.line) // the second row, Index 1
			assert.True(t, strings.HasPrefix(errs[0].Error(), prefix), "%q does not start with %q", errs[0], prefix)
			assert.Contains(t, errs[0].Error(), c.want)
			assert.Equal(t, 1, strings.Count(errs[0].Error(), "reconcile: "), errs[0].Error())
			if c.is != nil {
				assert.ErrorIs(t, errs[0], c.is)
			}
		})
	}
}

// TestOrdersCSVHeaderErrors: a header that does not name each column once is an error matching
// ErrOrdersHeader and saying what it wants, before any row is read; OrdersCSV yields it alone.
func TestOrdersCSVHeaderErrors(t *testing.T) {
	t.Parallel()
	cases := []struct{ name, in, want string }{
		{"empty", "", "reconcile: orders CSV header: empty: want a header row " + OrdersCSVHeader},
		{"only blank lines", "\n\r\n", "empty"},
		{"no state column", "orderId,txnTime,amount,txnType\n" + "X,20261125100000,1,01\n",
			"reconcile: orders CSV header: no column state: want a header row naming " + OrdersCSVHeader},
		{"a name in another case", "orderID,txnTime,amount,txnType,state\n",
			`no column orderId: want a header row naming ` + OrdersCSVHeader +
				` (column 1 is "orderID": the names are case-sensitive, without spaces)`},
		{"a name with a space", "orderId, txnTime,amount,txnType,state\n",
			`no column txnTime: want a header row naming ` + OrdersCSVHeader +
				` (column 2 is " txnTime": the names are case-sensitive, without spaces)`},
		{"semicolons", "orderId;txnTime;amount;txnType;state\n", "no column orderId: want a header row naming " +
			OrdersCSVHeader + " (the header is one column with ';' in it: separate the columns with commas)"},
		{"tabs", "\ufefforderId\ttxnTime\tamount\ttxnType\tstate\n", "no column orderId: want a header row naming " +
			OrdersCSVHeader + " (the header is one column with tabs in it: separate the columns with commas)"},
		{"a name in another case after a byte-order mark", "\ufefforderID,txnTime,amount,txnType,state\n",
			` (column 1 is "orderID": the names are case-sensitive, without spaces)`},
		{"a semicolon in one of several columns", "orderId;note,txnTime,amount,txnType,state\n", "no column orderId"},
		{"a byte-order mark not at the start", "x,\ufefforderId,txnTime,amount,txnType,state\n", "no column orderId"},
		{"two byte-order marks", "\ufeff\ufeff" + ordersHead, "no column orderId"},
		{"column twice", "orderId,txnTime,amount,txnType,state,amount\n", "reconcile: orders CSV header: column amount appears twice"},
		{"bare quote", "order\"Id,txnTime,amount,txnType,state\n", `bare " in non-quoted-field`},
		{"longer than the limit", strings.Repeat("x", maxOrdersRow+1), "longer than 65536 bytes"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			_, err := NewOrdersCSVReader(strings.NewReader(c.in))
			require.ErrorIs(t, err, ErrOrdersHeader)
			assert.Contains(t, err.Error(), c.want)
			if !strings.Contains(c.want, " (") {
				assert.NotContains(t, err.Error(), " (", "a hint where none applies")
			}
			assert.Equal(t, 1, strings.Count(err.Error(), "reconcile: "), err.Error())
			errs := errorsOf(OrdersCSV(strings.NewReader(c.in)))
			require.Len(t, errs, 1)
			assert.Equal(t, err.Error(), errs[0].Error())
			_, isOrder := errors.AsType[*OrderError](errs[0])
			assert.False(t, isOrder, "no order's: a report stops at it")
		})
	}
}

// TestOrdersCSVLimit: a row longer than 64 KiB (line ends included) ends the sequence with a
// *CSVError naming the line after the last row read, no *OrderError (the rest of the file is
// unknown: a report stops at it), whatever makes it long; one of 64 KiB is read.
func TestOrdersCSVLimit(t *testing.T) {
	t.Parallel()
	pad := func(n int) string { // orderRow1 with a note making it n bytes with its LF
		return strings.TrimSuffix(orderRow1, "\n") + "," + strings.Repeat("n", n-len(orderRow1)-1) + "\n"
	}
	head := OrdersCSVHeader + ",note\n"
	cases := []struct {
		name   string
		in     string
		orders int
		line   int // of the error; 0 none
	}{
		{"a row of 64 KiB", head + pad(maxOrdersRow) + pad(maxOrdersRow), 2, 0},
		{"a row one byte longer", head + pad(maxOrdersRow) + pad(maxOrdersRow+1) + pad(100), 1, 3},
		{"no line end", head + strings.Repeat("x", 10*maxOrdersRow), 0, 2},
		{"a quote never closed", head + orderRow1[:len(orderRow1)-1] + ",\"" + strings.Repeat("\n", 10*maxOrdersRow), 0, 2},
		{"after a short row", head + "S1,20261125100000\n" + strings.Repeat("y", maxOrdersRow+1), 0, 3},
		{"after a bad quote", head + `S"1,20261125100000,1,01,succeeded,` + "\n" + strings.Repeat("y", maxOrdersRow+1), 0, 3},
		{"a bare quote in the long row", head + `"x"` + strings.Repeat("x", 2*maxOrdersRow) + "\n" + pad(100), 0, 2},
		{"after a multi-line cell", head + strings.TrimSuffix(orderRow1, "\n") + ",\"a\nb\"\n" + strings.Repeat("y", maxOrdersRow+1), 1, 4},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			or, err := NewOrdersCSVReader(iotest.HalfReader(strings.NewReader(c.in)))
			require.NoError(t, err)
			var orders int
			var errs []error
			for _, err := range or.Orders() {
				if err != nil {
					errs = append(errs, err)
					continue
				}
				orders++
			}
			assert.Equal(t, c.orders, orders)
			if c.line == 0 {
				assert.Empty(t, errs)
				return
			}
			require.NotEmpty(t, errs)
			last := errs[len(errs)-1]
			ce, ok := errors.AsType[*CSVError](last)
			require.True(t, ok, "%v", last)
			assert.Equal(t, c.line, ce.Line)
			assert.Equal(t, c.line, or.Line())
			assert.EqualError(t, last, fmt.Sprintf("reconcile: line %d: a row longer than 65536 bytes: the rest of the file is not read", c.line))
			_, isOrder := errors.AsType[*OrderError](last)
			assert.False(t, isOrder)
		})
	}
	t.Run("the report stops at it", func(t *testing.T) {
		in := ordersHead + orderRow1 + strings.Repeat("x", maxOrdersRow+1)
		_, err := WriteCSV(io.Discard, Match(recordsOf(), OrdersCSV(strings.NewReader(in))))
		require.Error(t, err)
		assert.Contains(t, err.Error(), "line 3: a row longer than")
	})
}

// TestOrdersCSVReadError: an error reading the file ends the sequence, wrapped with the line
// reading stopped at, and is no *OrderError (a report stops at it).
func TestOrdersCSVReadError(t *testing.T) {
	t.Parallel()
	boom := errors.New("disk on fire")
	r := io.MultiReader(strings.NewReader(ordersHead+orderRow1+orderRow2), iotest.ErrReader(boom))
	or, err := NewOrdersCSVReader(r)
	require.NoError(t, err)
	var errs []error
	for _, err := range or.Orders() {
		errs = append(errs, err)
	}
	assert.Equal(t, 4, or.Line(), "the line reading stopped at")
	require.Len(t, errs, 3)
	require.NoError(t, errs[0])
	require.NoError(t, errs[1])
	require.ErrorIs(t, errs[2], boom)
	assert.EqualError(t, errs[2], "reconcile: reading orders line 4: disk on fire")
	_, isOrder := errors.AsType[*OrderError](errs[2])
	assert.False(t, isOrder)

	_, err = NewOrdersCSVReader(iotest.ErrReader(boom))
	require.ErrorIs(t, err, boom)
	assert.NotErrorIs(t, err, ErrOrdersHeader)
	assert.EqualError(t, err, "reconcile: reading orders header: disk on fire")
}

// TestOrdersCSVNil: a nil reader is an error naming it, not a panic.
func TestOrdersCSVNil(t *testing.T) {
	t.Parallel()
	_, err := NewOrdersCSVReader(nil)
	require.ErrorIs(t, err, ErrNilArgument)
	assert.EqualError(t, err, "reconcile: nil argument r to NewOrdersCSVReader")
	errs := errorsOf(OrdersCSV(nil))
	require.Len(t, errs, 1)
	assert.EqualError(t, errs[0], "reconcile: nil argument r to OrdersCSV")
}

// TestOrdersCSVMatch: the orders go to Match as they are; the Index of an error Match makes (a
// duplicate) and of a malformed row count the same elements, so OrdersCSVReader.Line of that
// element names the duplicate's line; Column gives the orderId's column to name too.
func TestOrdersCSVMatch(t *testing.T) {
	t.Parallel()
	in := "note,state,amount,orderId,txnType,txnTime\n" +
		"a,succeeded,10000,A,01,20261125100000\n" +
		"b,paid,1,B,01,20261125100000\n" +
		"c,succeeded,10000,A,01,20261125100000\n"
	or, err := NewOrdersCSVReader(strings.NewReader(in))
	require.NoError(t, err)
	assert.Equal(t, 4, or.Column("orderId"))
	assert.Equal(t, 2, or.Column("state"))
	assert.Equal(t, 0, or.Column("note"))
	var lines []int
	orders := func(yield func(Order, error) bool) {
		for o, err := range or.Orders() {
			lines = append(lines, or.Line())
			if !yield(o, err) {
				return
			}
		}
	}
	records := recordsOf(Record{Line: 1, OrderID: "A", TxnType: "01", TxnAmt: 10000})
	var classes []Class
	var errs []*OrderError
	for res, err := range Match(records, orders) {
		if err != nil {
			oe, ok := errors.AsType[*OrderError](err)
			require.True(t, ok, "%v", err)
			errs = append(errs, oe)
			continue
		}
		classes = append(classes, res.Class)
	}
	assert.Equal(t, []Class{Matched}, classes)
	require.Len(t, errs, 2)
	assert.Equal(t, 1, errs[0].Index)
	assert.ErrorAs(t, errs[0], new(*CSVError))
	assert.Equal(t, 2, errs[1].Index)
	assert.ErrorIs(t, errs[1], ErrDuplicateOrder)
	assert.Equal(t, 4, lines[errs[1].Index], "the duplicate's line")
}

// TestCSVErrorMessage: a CSVError gives the package prefix once, the column only when it has one.
func TestCSVErrorMessage(t *testing.T) {
	t.Parallel()
	assert.EqualError(t, &CSVError{Line: 3, Column: 2, Name: "txnTime", Err: errors.New("bad")}, "reconcile: line 3, column 2 (txnTime): bad")
	assert.EqualError(t, &CSVError{Line: 3, Err: ErrNoOrderID}, "reconcile: line 3: empty orderId")
	assert.ErrorIs(t, &CSVError{Line: 3, Err: ErrNoOrderID}, ErrNoOrderID)
}

// The orders an OrdersCSVReader yields keep nothing of their row's text (a note column may be
// long), and reading one allocates a few objects, not one per cell.
func TestOrdersCSVAllocs(t *testing.T) {
	in := ordersHead + strings.Repeat(orderRow1, 1000)
	allocs := testing.AllocsPerRun(5, func() {
		for _, err := range OrdersCSV(strings.NewReader(in)) {
			if err != nil {
				t.Fatal(err)
			}
		}
	})
	assert.Less(t, allocs/1000, 4.0, "allocations per row")
}

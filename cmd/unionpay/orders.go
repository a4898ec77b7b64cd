package main

import (
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"iter"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/goacp/unionpay/reconcile"
)

// ordersColumns are the columns an orders file's header row must name, in the order
// examples/reconcile writes them (any order is read).
var ordersColumns = []string{"orderId", "txnTime", "amount", "txnType", "state"}

// Indexes of ordersColumns.
const (
	colOrderID = iota
	colTxnTime
	colAmount
	colTxnType
	colState
)

// maxAmountDigits bounds the amount column: 18 digits always fit in an int64 of fen.
const maxAmountDigits = 18

// orderCellError is a malformed order row: its line (1-based, the header being line 1) and,
// when one cell is wrong, that cell's column (1-based) and name.
type orderCellError struct {
	file   string
	line   int
	col    int    // 0: the row as a whole
	column string // the column's name in the header
	err    error
}

// Error returns "FILE line L, column C (NAME): cause", the cause without a "reconcile: " prefix.
func (e *orderCellError) Error() string {
	cause := strings.TrimPrefix(e.err.Error(), "reconcile: ")
	if e.col == 0 {
		return fmt.Sprintf("%s line %d: %s", e.file, e.line, cause)
	}
	return fmt.Sprintf("%s line %d, column %d (%s): %s", e.file, e.line, e.col, e.column, cause)
}

// Unwrap returns the cause.
func (e *orderCellError) Unwrap() error { return e.err }

// ordersReader reads an orders file: the header row, then one order a row. It remembers the
// line each order (or malformed row) started on, by its index in the sequence, so that the
// errors Match finds itself (a duplicate orderId) can name it too.
type ordersReader struct {
	file   string      // the file's name, in error messages
	cr     *csv.Reader // positioned after the header row
	header int         // the number of columns of the header row
	cols   [5]int      // index in a row of each of ordersColumns
	lines  []int32     // the line of each element the sequence yielded
}

// newOrdersReader reads the header row of r, an orders file (file names it in errors), and
// returns a reader of its orders: an error if the header does not name every one of
// ordersColumns.
func newOrdersReader(file string, r io.Reader) (*ordersReader, error) {
	o := &ordersReader{file: file, cr: csv.NewReader(r)}
	header, err := o.cr.Read()
	if err == nil {
		err = o.readHeader(header)
	} else if errors.Is(err, io.EOF) {
		err = errors.New("empty: want a header row " + strings.Join(ordersColumns, ","))
	}
	if err != nil {
		return nil, fmt.Errorf("orders file %s: header: %w", file, err)
	}
	o.cr.ReuseRecord = true
	return o, nil
}

// orders returns the orders after the header row. A malformed row is yielded as a
// *reconcile.OrderError naming its line and column, and reading goes on; a read error (the
// file past its limit, say) is yielded as another error and ends the sequence.
func (o *ordersReader) orders() iter.Seq2[reconcile.Order, error] {
	return func(yield func(reconcile.Order, error) bool) {
		cr := o.cr
		for {
			row, err := cr.Read()
			if errors.Is(err, io.EOF) {
				return
			}
			var order reconcile.Order
			var pe *csv.ParseError
			switch {
			case errors.As(err, &pe) && errors.Is(err, csv.ErrFieldCount):
				err = &orderCellError{file: o.file, line: pe.StartLine,
					err: fmt.Errorf("%d fields, the header has %d", len(row), o.header)}
			case errors.As(err, &pe):
				err = &orderCellError{file: o.file, line: pe.Line, err: fmt.Errorf("byte %d: %w", pe.Column, pe.Err)}
			case err != nil: // reading failed: the rest of the file is unknown
				yield(reconcile.Order{}, fmt.Errorf("orders file %s: %w", o.file, err))
				return
			default:
				order, err = o.parse(row)
			}
			line := 0
			if cell := (*orderCellError)(nil); errors.As(err, &cell) {
				line = cell.line
			} else {
				line, _ = cr.FieldPos(0)
			}
			o.lines = append(o.lines, int32(min(line, 1<<31-1)))
			if err != nil {
				err = &reconcile.OrderError{Index: len(o.lines) - 1, OrderID: shortID(order.OrderID), Err: err}
			}
			if !yield(order, err) {
				return
			}
		}
	}
}

// readHeader finds the columns of ordersColumns in the header row; other columns are ignored.
func (o *ordersReader) readHeader(row []string) error {
	o.header = len(row)
	found := [5]bool{}
	for i, name := range row {
		if i == 0 { // Excel's "CSV UTF-8" starts with a byte-order mark
			name = strings.TrimPrefix(name, "\ufeff")
		}
		for c, want := range ordersColumns {
			if name != want {
				continue
			}
			if found[c] {
				return fmt.Errorf("column %s appears twice", want)
			}
			found[c], o.cols[c] = true, i
		}
	}
	for c, want := range ordersColumns {
		if !found[c] {
			return fmt.Errorf("no column %s: want a header row naming %s", want, strings.Join(ordersColumns, ","))
		}
	}
	return nil
}

// parse reads one data row. The first malformed cell is the error; the orderId is returned
// with it when there is one, so the error can name it.
func (o *ordersReader) parse(row []string) (reconcile.Order, error) {
	cell := func(c int) string { return row[o.cols[c]] }
	bad := func(c int, format string, args ...any) error {
		line, _ := o.cr.FieldPos(o.cols[c])
		return &orderCellError{file: o.file, line: line, col: o.cols[c] + 1, column: ordersColumns[c],
			err: fmt.Errorf(format, args...)}
	}
	order := reconcile.Order{OrderID: cell(colOrderID)}
	if order.OrderID == "" {
		return order, bad(colOrderID, "empty")
	}
	t, err := time.ParseInLocation("20060102150405", cell(colTxnTime), reconcile.Beijing())
	if err != nil || len(cell(colTxnTime)) != 14 {
		return order, bad(colTxnTime, "%q: want YYYYMMDDhhmmss, Beijing time", cell(colTxnTime))
	}
	order.TxnTime = t
	amount := cell(colAmount)
	if !allDigits(amount) || len(amount) > maxAmountDigits {
		return order, bad(colAmount, "%q: want a whole number of fen (12800 for 128.00 yuan)", amount)
	}
	if order.Amount, _ = strconv.ParseInt(amount, 10, 64); order.Amount == 0 {
		return order, bad(colAmount, "zero: want a positive number of fen")
	}
	switch typ := cell(colTxnType); {
	case len(typ) == 2 && allDigits(typ):
		order.TxnType = typ
	case len(typ) == 1 && allDigits(typ):
		return order, bad(colTxnType, "%q: want two digits, 0%s (a spreadsheet drops the leading zero unless the column is text)", typ, typ)
	default:
		return order, bad(colTxnType, "%q: want UnionPay's two digits (01 consume, 04 refund, 31 consume cancel, ...)", typ)
	}
	s := cell(colState)
	st, err := reconcile.ParseState(s)
	if err != nil {
		return order, bad(colState, "%q: want succeeded, pending or failed", s)
	}
	order.State = st
	return order, nil
}

// allDigits reports whether s is one or more ASCII digits.
func allDigits(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return s != ""
}

// lineOf gives an *reconcile.OrderError that Match made itself (a duplicate or too long
// orderId: it knows the order's index, not its line) the line of the order in the file, and
// its orderId made printable. Other errors are returned as they are.
func (o *ordersReader) lineOf(err error) error {
	oe, ok := errors.AsType[*reconcile.OrderError](err)
	if !ok || oe.Index < 0 || oe.Index >= len(o.lines) {
		return err
	}
	if _, ours := errors.AsType[*orderCellError](oe.Err); ours {
		return err
	}
	return &reconcile.OrderError{Index: oe.Index, OrderID: shortID(oe.OrderID), Err: &orderCellError{file: o.file,
		line: int(o.lines[oe.Index]), col: o.cols[colOrderID] + 1, column: ordersColumns[colOrderID], err: oe.Err}}
}

// maxShownID bounds an orderId quoted in an error: a cell may be megabytes long.
const maxShownID = 64

// shortID returns id for an error message: printable, and cut after maxShownID bytes.
func shortID(id string) string {
	if len(id) > maxShownID {
		n := maxShownID
		for n > 0 && !utf8.RuneStart(id[n]) { // not in the middle of a character
			n--
		}
		return printable(id[:n]) + "..."
	}
	return printable(id)
}

// limitedReader reads r, failing once more than limit bytes come: an orders file named on the
// command line may be anything, /dev/zero included, and a silent cut would drop orders.
type limitedReader struct {
	r     io.Reader
	name  string
	limit int64
	n     int64 // bytes read so far
}

// Read reads from r, and fails past the limit.
func (l *limitedReader) Read(p []byte) (int, error) {
	if int64(len(p)) > l.limit+1-l.n {
		p = p[:l.limit+1-l.n]
	}
	n, err := l.r.Read(p)
	l.n += int64(n)
	if l.n > l.limit {
		return 0, fmt.Errorf("%s exceeds %d bytes", l.name, l.limit)
	}
	return n, err
}

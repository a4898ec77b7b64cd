package main

import (
	"errors"
	"fmt"
	"io"
	"iter"
	"strings"
	"unicode/utf8"

	"github.com/goacp/unionpay/reconcile"
)

// ordersFile reads an orders file, package reconcile's orders CSV, for reconcile -orders: its
// errors name the file, and it remembers the line each order (or malformed row) started on, by
// its index in the sequence, so that the errors Match finds itself (a duplicate orderId) can
// name it too.
type ordersFile struct {
	name  string                     // the file's name, in error messages
	r     *reconcile.OrdersCSVReader // positioned after the header row
	lines []int32                    // the line of each element the sequence yielded
}

// openOrders reads the header row of r, an orders file (name names it in errors), and returns
// a reader of its orders: an error if the header does not name every column.
func openOrders(name string, r io.Reader) (*ordersFile, error) {
	or, err := reconcile.NewOrdersCSVReader(r)
	if errors.Is(err, reconcile.ErrOrdersHeader) {
		return nil, &inFile{prefix: "orders file " + name + ": header: ", err: err}
	}
	if err != nil {
		return nil, &inFile{prefix: "orders file " + name + ": ", err: err}
	}
	return &ordersFile{name: name, r: or}, nil
}

// orders returns the orders after the header row. A malformed row is yielded as a
// *reconcile.OrderError naming the file, its line and column, and reading goes on; a read error
// (the file past its limit, say) or a row past reconcile's limit is yielded as another error
// and ends the sequence.
func (o *ordersFile) orders() iter.Seq2[reconcile.Order, error] {
	return func(yield func(reconcile.Order, error) bool) {
		for order, err := range o.r.Orders() {
			o.lines = append(o.lines, int32(min(o.r.Line(), 1<<31-1)))
			switch oe, ok := errors.AsType[*reconcile.OrderError](err); {
			case ok:
				err = &reconcile.OrderError{Index: oe.Index, OrderID: shortID(oe.OrderID),
					Err: &inFile{prefix: o.name + " ", err: oe.Err}}
			case errors.As(err, new(*reconcile.CSVError)):
				err = &inFile{prefix: o.name + " ", err: err}
			case err != nil:
				err = &inFile{prefix: "orders file " + o.name + ": ", err: err}
			}
			if !yield(order, err) {
				return
			}
		}
	}
}

// inFile is an error of package reconcile about an orders file, told after prefix (which names
// the file) without the package's prefix, nor that of a header error.
type inFile struct {
	prefix string
	err    error
}

// Error returns the prefix and the message.
func (e *inFile) Error() string {
	msg := strings.TrimPrefix(e.err.Error(), reconcile.ErrOrdersHeader.Error()+": ")
	return e.prefix + strings.TrimPrefix(msg, "reconcile: ")
}

// Unwrap returns the error.
func (e *inFile) Unwrap() error { return e.err }

// lineOf gives an *reconcile.OrderError that Match made itself (a duplicate orderId: it knows
// the order's index, not its line) the line of the order in the file, and its orderId made
// printable. Other errors are returned as they are.
func (o *ordersFile) lineOf(err error) error {
	oe, ok := errors.AsType[*reconcile.OrderError](err)
	if !ok || oe.Index < 0 || oe.Index >= len(o.lines) {
		return err
	}
	if _, ours := errors.AsType[*reconcile.CSVError](oe.Err); ours {
		return err
	}
	return &reconcile.OrderError{Index: oe.Index, OrderID: shortID(oe.OrderID), Err: &inFile{prefix: o.name + " ",
		err: &reconcile.CSVError{Line: int(o.lines[oe.Index]), Column: o.r.Column("orderId"), Name: "orderId", Err: oe.Err}}}
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

package reconcile

import (
	"errors"
	"fmt"
	"strings"
)

// ErrMalformed is matched (with errors.Is) by every error about the content of a
// settlement file: a bad record line, an unreadable summary report, a broken zip.
var ErrMalformed = errors.New("reconcile: malformed settlement file")

// ErrTooLarge is matched by errors about an archive or member that exceeds the
// limits given to [Open] (member count, sizes, compression ratio).
var ErrTooLarge = errors.New("reconcile: settlement archive exceeds limits")

// ErrMismatch is matched by a [*MismatchError]: the ZM records do not add up to
// the totals of the RD summary report.
var ErrMismatch = errors.New("reconcile: totals do not match the summary report")

// ErrOverflow is matched by [Tally.Err] (and [Summary.Check]) when the
// counted records' totals are wrong: a sum overflowed int64 fen, or a record
// had a negative TxnAmt. [Report.Err] (and [WriteCSV] and [WriteJSON]) return
// it when a match's totals overflowed.
var ErrOverflow = errors.New("reconcile: totals overflow")

// ErrNilArgument is matched by the error a function returns or yields for a
// nil argument it cannot do without (a reader, a writer, a sequence, a
// summary); the message names the argument and the function, as in
// "reconcile: nil argument r to ZM".
var ErrNilArgument = errors.New("reconcile: nil argument")

// nilArgument returns the error for a nil argument arg of function fn.
func nilArgument(arg, fn string) error {
	return fmt.Errorf("%w %s to %s", ErrNilArgument, arg, fn)
}

// LineError reports a malformed record line. Line is 1-based; Field is the wire
// name of the offending field ("txnAmt", "settleAmt", ...) or "line" when the
// line as a whole is wrong; Offset is the field's 0-based byte offset. The
// message never quotes the field's bytes, so no card number can leak into logs.
//
// A LineError matches [ErrMalformed] with errors.Is.
type LineError struct {
	Line   int
	Field  string
	Offset int
	Err    error
}

// Error returns "reconcile: line N, field F (offset O): cause".
func (e *LineError) Error() string {
	if e.Field == "line" {
		return fmt.Sprintf("reconcile: line %d: %v", e.Line, e.Err)
	}
	return fmt.Sprintf("reconcile: line %d, field %s (offset %d): %v", e.Line, e.Field, e.Offset, e.Err)
}

// Unwrap returns the underlying cause.
func (e *LineError) Unwrap() error { return e.Err }

// Is reports whether target is [ErrMalformed].
func (e *LineError) Is(target error) bool { return target == ErrMalformed }

// OrderError reports a problem with one of the merchant's orders given to
// [Match], for example a duplicate orderId. Index is the 0-based position of the
// order in the input sequence (orders[Index] of a slice); the message counts
// from 1, as a person and a file's lines do: Index 0 is "order 1", the first
// data row of an orders CSV file (its line 2, after the header, when no row
// before it spans lines). OrderID is not masked, as no error or log form of
// the module masks an orderId (unionpay.Error, notify.Notification, the
// reports): it is the merchant's own identifier, which the error exists to
// name, and a numeric one (a date and a sequence) is as long as a card
// number; card numbers are masked in the fields that carry them (accNo), in
// free text (respMsg) and in a CSV cell quoted for its mistake, not in
// identifiers.
type OrderError struct {
	Index   int
	OrderID string
	Err     error
}

// Error names the order by its 1-based position (Index+1) and orderId, then
// gives the cause without its own "reconcile: " prefix (that of
// [ErrDuplicateOrder], say): "reconcile: order 1 (SHOP0001): duplicate orderId".
func (e *OrderError) Error() string {
	return fmt.Sprintf("reconcile: order %d (%s): %s", e.Index+1, e.OrderID,
		strings.TrimPrefix(fmt.Sprint(e.Err), "reconcile: "))
}

// Unwrap returns the underlying cause.
func (e *OrderError) Unwrap() error { return e.Err }

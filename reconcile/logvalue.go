package reconcile

import (
	"fmt"
	"log/slog"
	"strings"

	"github.com/goacp/unionpay/internal/pan"
)

// The record types as slog sees them, without their LogValue methods (which would otherwise be
// called again on the values they return).
type (
	recordLog      Record
	errorRecordLog ErrorRecord
	resultLog      Result
)

// LogValue is the record as slog logs it: every field as it is, but AccNo masked as a card number
// is (621626******0018) in case a file carries it in full. UnionPay's files mask it already, and
// masking twice changes nothing.
func (r Record) LogValue() slog.Value {
	r.AccNo = pan.Mask(r.AccNo)
	return slog.AnyValue(recordLog(r))
}

// LogValue is the record as slog logs it, AccNo masked as [Record.LogValue] masks it.
func (r ErrorRecord) LogValue() slog.Value {
	r.AccNo = pan.Mask(r.AccNo)
	return slog.AnyValue(errorRecordLog(r))
}

// LogValue is the result as slog logs it, its Record's AccNo masked as [Record.LogValue] masks it.
func (r Result) LogValue() slog.Value {
	r.Record.AccNo = pan.Mask(r.Record.AccNo)
	return slog.AnyValue(resultLog(r))
}

// String is the record as fmt's %v and %+v (and %s, %q) show it: every field named, as %+v shows
// a struct, with AccNo masked as [Record.LogValue] masks it, in case a file carries it in full.
// A struct holding a record (a [Result], a [Settlement]'s Records) shows it so too.
func (r Record) String() string {
	r.AccNo = pan.Mask(r.AccNo)
	return fmt.Sprintf("%+v", recordLog(r))
}

// GoString is the record as %#v shows it, AccNo masked as [Record.String] masks it.
func (r Record) GoString() string {
	r.AccNo = pan.Mask(r.AccNo)
	return "reconcile.Record" + strings.TrimPrefix(fmt.Sprintf("%#v", recordLog(r)), "reconcile.recordLog")
}

// String is the error record as fmt's %v and %+v (and %s, %q) show it, AccNo masked as
// [Record.String] masks it.
func (r ErrorRecord) String() string {
	r.AccNo = pan.Mask(r.AccNo)
	return fmt.Sprintf("%+v", errorRecordLog(r))
}

// GoString is the error record as %#v shows it, AccNo masked as [Record.String] masks it.
func (r ErrorRecord) GoString() string {
	r.AccNo = pan.Mask(r.AccNo)
	return "reconcile.ErrorRecord" + strings.TrimPrefix(fmt.Sprintf("%#v", errorRecordLog(r)), "reconcile.errorRecordLog")
}

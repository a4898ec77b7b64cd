package reconcile

import (
	"log/slog"

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

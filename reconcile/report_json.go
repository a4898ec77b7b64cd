package reconcile

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"strconv"
	"strings"
)

// reportJSON is a Report as JSON: the totals, error_count and errors that end [WriteJSON]'s
// object, and "err" once a total has overflowed (WriteJSON writes no totals then).
type reportJSON struct {
	Totals     []jsonTotals `json:"totals"`
	ErrorCount int          `json:"error_count"`
	Errors     []jsonError  `json:"errors"`
	Err        string       `json:"err,omitempty"`
}

// jsonForm is r as WriteJSON writes its totals and errors, and MarshalJSON writes r: each class's
// totals under its word, in report order, and each error's text escaped as the reports escape
// text ([CSVText], without the apostrophe).
func (r *Report) jsonForm() reportJSON {
	j := reportJSON{ErrorCount: r.ErrorCount, Totals: make([]jsonTotals, 0, numClasses),
		Errors: make([]jsonError, 0, len(r.Errors))}
	for _, c := range Classes() {
		t := r.Totals[c]
		j.Totals = append(j.Totals, jsonTotals{c.String(), t.Count, t.Amount, t.Fees, t.Net, t.OrderAmount})
	}
	for _, e := range r.Errors {
		line, _ := strconv.Atoi(lineOf(e))
		j.Errors = append(j.Errors, jsonError{Line: line, Message: errorText(e)})
	}
	if err := r.Err(); err != nil {
		j.Err = err.Error()
	}
	return j
}

// errorText is e's message as the reports write it: escaped by reportText; "<nil>" for a nil
// error (which a caller's AddError may have counted), as fmt shows one.
func errorText(e error) string {
	if e == nil {
		return "<nil>"
	}
	return reportText(e.Error())
}

// MarshalJSON encodes the report in the words of [WriteJSON], whose object ends with the same
// keys: {"totals":[{"class":"matched","count":2,"amount_fen":1800,"fee_fen":-8,"net_fen":1792,
// "order_amount_fen":1800},...],"error_count":1,"errors":[{"line":7,"message":"..."}]}, every
// class listed, in report order; an error's line (a [*LineError]'s) left out when it has none,
// and its message escaped as WriteJSON escapes it (see [CSVText]), for it may quote UnionPay's
// file or the merchant's orders. Once a total has overflowed, "err" holds [Report.Err]'s text
// after the errors: the totals, written still, are wrong. json.Marshal of a Report or a *Report,
// and slog's JSON handler given a Report value, write it; a nil *Report is null.
func (r Report) MarshalJSON() ([]byte, error) { return json.Marshal(r.jsonForm()) }

// reportedError is a data error read back from a report's JSON: its text, as the report wrote
// it, and its line, if it gave one.
type reportedError struct {
	line int
	msg  string
}

// Error returns the text the report gave.
func (e *reportedError) Error() string { return e.msg }

// UnmarshalJSON sets r to the report data holds, in the form MarshalJSON writes; the totals,
// error_count and errors of a report [WriteJSON] wrote are read alike (its other keys are
// ignored), so a day's report stored by either can be read back, and added to a month's with
// [Report.Merge]. A class absent from "totals" has zero totals. The errors come back as their
// text (escaped as the report wrote it; text that is not, a control character say, escaped so)
// and line, the first 100 kept as [Report.AddError] keeps them, and MarshalJSON writes them again
// as they were; errors.Is and errors.As find nothing in them, not even [ErrMalformed]. An "err"
// of MarshalJSON's makes [Report.Err] report the totals wrong again. A class word that names no
// class (an error matching [ErrUnknownClass]), a class listed twice, a negative count or line,
// fewer errors counted than listed, or an "err" that is not Err's text is an error, and leaves r
// unchanged; so does JSON that is not an object. JSON null changes nothing.
func (r *Report) UnmarshalJSON(data []byte) error {
	if string(bytes.TrimSpace(data)) == "null" { // as json.Unmarshal hands it, and as a caller might
		return nil
	}
	var j reportJSON
	if err := json.Unmarshal(data, &j); err != nil {
		return fmt.Errorf("reconcile: Report: %w", err)
	}
	var rep Report
	var seen [numClasses]bool
	for i, t := range j.Totals {
		c, err := ParseClass(t.Class)
		if err != nil {
			return fmt.Errorf("reconcile: Report: totals[%d].class: %w", i, err)
		}
		if seen[c] {
			return fmt.Errorf("reconcile: Report: totals[%d].class: %s listed twice", i, c)
		}
		if t.Count < 0 {
			return fmt.Errorf("reconcile: Report: totals[%d].count: %d is negative", i, t.Count)
		}
		seen[c] = true
		rep.Totals[c] = Totals{Count: t.Count, Amount: t.Amount, Fees: t.Fees, Net: t.Net, OrderAmount: t.OrderAmount}
	}
	if j.ErrorCount < len(j.Errors) {
		return fmt.Errorf("reconcile: Report: error_count: %d, fewer than the %d errors listed", j.ErrorCount, len(j.Errors))
	}
	rep.ErrorCount = j.ErrorCount
	for i, e := range j.Errors {
		if e.Line < 0 {
			return fmt.Errorf("reconcile: Report: errors[%d].line: %d is negative", i, e.Line)
		}
		// Escaped as MarshalJSON would write it (a report's own text already is): a control
		// character of JSON written otherwise neither reaches Error's text nor changes on the
		// next round trip.
		if len(rep.Errors) < maxReportErrors { // as AddError keeps them; ErrorCount counts them all
			rep.Errors = append(rep.Errors, &reportedError{line: e.Line, msg: reportText(e.Message)})
		}
	}
	if j.Err != "" {
		n, ok := overflowFrom(j.Err)
		if !ok {
			return fmt.Errorf("reconcile: Report: err: %q is not the text of Report.Err", j.Err)
		}
		rep.overflow = n
	}
	*r = rep
	return nil
}

// The text of Report.Err, around the number of the result whose total overflowed.
const (
	overflowBefore = ": Report: the totals are wrong from result "
	overflowAfter  = " on (a sum past int64 fen)"
)

// overflowFrom returns the number of the result Report.Err's text s names, and whether s is that
// text.
func overflowFrom(s string) (int64, bool) {
	s, ok := strings.CutPrefix(s, ErrOverflow.Error()+overflowBefore)
	if !ok {
		return 0, false
	}
	if s, ok = strings.CutSuffix(s, overflowAfter); !ok {
		return 0, false
	}
	n, err := strconv.ParseInt(s, 10, 64)
	if err != nil || n <= 0 || strconv.FormatInt(n, 10) != s {
		return 0, false
	}
	return n, true
}

// maxLogErrors bounds the errors [Report.LogValue] shows (ErrorCount counts them all).
const maxLogErrors = 3

// LogValue implements slog.LogValuer: the report as a group under the words of MarshalJSON,
// compact: "totals", a group of each class's totals under its word (count, amount_fen, fee_fen,
// net_fen, order_amount_fen), every class listed, in report order; "error_count"; "errors", the
// text of the first 3 errors, escaped as MarshalJSON escapes it, left out when there is none
// (error_count says how many there were: a flood of malformed lines makes no flood of log); and
// "err", [Report.Err]'s text, once a total has overflowed. With the text handler:
// report.totals.matched.count=2 report.totals.matched.amount_fen=1800 ... report.error_count=1
// report.errors="[reconcile: line 7: ...]". LogValue is on the pointer, as WriteCSV and WriteJSON
// return a report (null for a nil one, such as theirs for a nil argument); a Report value logged
// shows as MarshalJSON (the JSON handler) or String (the text handler) shows it.
func (r *Report) LogValue() slog.Value {
	if r == nil {
		return slog.AnyValue(nil)
	}
	totals := make([]slog.Attr, 0, numClasses)
	for _, c := range Classes() {
		t := r.Totals[c]
		totals = append(totals, slog.Group(c.String(), slog.Int64("count", t.Count), slog.Int64("amount_fen", t.Amount),
			slog.Int64("fee_fen", t.Fees), slog.Int64("net_fen", t.Net), slog.Int64("order_amount_fen", t.OrderAmount)))
	}
	attrs := []slog.Attr{{Key: "totals", Value: slog.GroupValue(totals...)}, slog.Int("error_count", r.ErrorCount)}
	if len(r.Errors) > 0 {
		msgs := make([]string, min(len(r.Errors), maxLogErrors))
		for i := range msgs {
			msgs[i] = errorText(r.Errors[i])
		}
		attrs = append(attrs, slog.Any("errors", msgs))
	}
	if err := r.Err(); err != nil {
		attrs = append(attrs, slog.String("err", err.Error()))
	}
	return slog.GroupValue(attrs...)
}

// reportedLine is the line of a data error read back from a report's JSON ([Report.UnmarshalJSON]),
// and whether err is one that has a line.
func reportedLine(err error) (int, bool) {
	if re, ok := errors.AsType[*reportedError](err); ok && re.line > 0 {
		return re.line, true
	}
	return 0, false
}

package reconcile

import (
	"bytes"
	"encoding/json"
	"errors"
	"flag"
	"iter"
	"log/slog"
	"math"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

var updateReportJSON = flag.Bool("update", false, "rewrite testdata/report.json, the golden JSON of a Report")

// jsonTestReport is a day's report: results of three classes, a malformed line, an order whose
// orderId holds ESC and a bidirectional override (untrusted text), and a result of no class.
func jsonTestReport() *Report {
	var rep Report
	rep.Add(Result{Class: Matched, Record: Record{Line: 1, OrderID: "A1", TxnAmt: 1000, MerchantFee: -6, SettleAmt: 994},
		Order: Order{OrderID: "A1", Amount: 1000}})
	rep.Add(Result{Class: Matched, Record: Record{Line: 2, OrderID: "A2", TxnAmt: 800, MerchantFee: -2, SettleAmt: 798},
		Order: Order{OrderID: "A2", Amount: 800}})
	rep.Add(Result{Class: UnknownToMerchant, Record: Record{Line: 3, OrderID: "B1", TxnAmt: 1800, MerchantFee: -8, SettleAmt: 1792}})
	rep.Add(Result{Class: AmountMismatch, Record: Record{Line: 4, OrderID: "C1", TxnAmt: 500, SettleAmt: 500},
		Order: Order{OrderID: "C1", Amount: 600}})
	rep.AddError(&LineError{Line: 7, Field: "txnAmt", Offset: 64, Err: errors.New("not a number")})
	rep.AddError(&OrderError{Index: 2, OrderID: "D1\x1b[2J\u202eevil", Err: ErrDuplicateOrder})
	rep.Add(Result{Class: Class(6), Record: Record{Line: 9, OrderID: "E1"}})
	return &rep
}

// TestReportJSONGolden: json.Marshal of a Report names each class's totals by its word, with
// WriteJSON's keys, and writes each data error's line and text, escaped as the reports escape
// text; the JSON reads back into the same report, and writes again byte for byte.
func TestReportJSONGolden(t *testing.T) {
	t.Parallel()
	rep := jsonTestReport()
	got, err := json.MarshalIndent(rep, "", "  ")
	require.NoError(t, err)
	golden := filepath.Join("testdata", "report.json")
	if *updateReportJSON {
		require.NoError(t, os.WriteFile(golden, append(got, '\n'), 0o644))
	}
	want, err := os.ReadFile(golden)
	require.NoError(t, err)
	assert.Equal(t, strings.TrimSuffix(string(want), "\n"), string(got), "go test ./reconcile -run TestReportJSONGolden -update rewrites it")
	assert.NotContains(t, string(got), "\x1b", "ESC from an orderId reached the JSON")
	assert.NotContains(t, string(got), "\u202e", "a bidi override from an orderId reached the JSON")
	assert.NotContains(t, string(got), "{}", "an error written as {}")

	var back Report
	require.NoError(t, json.Unmarshal(want, &back))
	assert.Equal(t, rep.Totals, back.Totals)
	assert.Equal(t, rep.ErrorCount, back.ErrorCount)
	require.Len(t, back.Errors, len(rep.Errors))
	for i, e := range back.Errors {
		assert.Equal(t, reportText(rep.Errors[i].Error()), e.Error())
		assert.Equal(t, lineOf(rep.Errors[i]), lineOf(e), "line of error %d", i)
	}
	assert.NoError(t, back.Err())
	again, err := json.MarshalIndent(back, "", "  ")
	require.NoError(t, err)
	assert.Equal(t, string(got), string(again))
}

// TestReportJSONForms: a Report, a *Report and a nil *Report marshal as MarshalJSON says, the zero
// Report included, errors without a line or nil, and overflowed totals with "err"; each reads back
// into a Report that marshals the same.
func TestReportJSONForms(t *testing.T) {
	t.Parallel()
	const zeroTotals = `{"totals":[` +
		`{"class":"matched","count":0,"amount_fen":0,"fee_fen":0,"net_fen":0,"order_amount_fen":0},` +
		`{"class":"unknown_to_merchant","count":0,"amount_fen":0,"fee_fen":0,"net_fen":0,"order_amount_fen":0},` +
		`{"class":"missing_at_unionpay","count":0,"amount_fen":0,"fee_fen":0,"net_fen":0,"order_amount_fen":0},` +
		`{"class":"amount_mismatch","count":0,"amount_fen":0,"fee_fen":0,"net_fen":0,"order_amount_fen":0},` +
		`{"class":"state_mismatch","count":0,"amount_fen":0,"fee_fen":0,"net_fen":0,"order_amount_fen":0},` +
		`{"class":"duplicate","count":0,"amount_fen":0,"fee_fen":0,"net_fen":0,"order_amount_fen":0}]`
	var noLine, nilErr Report
	noLine.AddError(errors.New("orders: row \x1b unreadable"))
	nilErr.AddError(nil)
	var over Report
	over.Add(Result{Class: StateMismatch, Record: Record{TxnAmt: math.MaxInt64}})
	over.Add(Result{Class: StateMismatch, Record: Record{TxnAmt: 1}})
	overTotals := strings.Replace(zeroTotals,
		`{"class":"state_mismatch","count":0,"amount_fen":0,`, `{"class":"state_mismatch","count":2,"amount_fen":-9223372036854775808,`, 1)
	tests := []struct {
		name string
		v    any
		want string
	}{
		{"zero", Report{}, zeroTotals + `,"error_count":0,"errors":[]}`},
		{"zero pointer", &Report{}, zeroTotals + `,"error_count":0,"errors":[]}`},
		{"nil pointer", (*Report)(nil), `null`},
		{"error without a line", noLine, zeroTotals + `,"error_count":1,"errors":[{"message":"orders: row \\x1b unreadable"}]}`},
		{"nil error", &nilErr, zeroTotals + `,"error_count":1,"errors":[{"message":"\u003cnil\u003e"}]}`},
		{"overflow", &over, overTotals + `,"error_count":0,"errors":[],"err":` + jsonString(t, over.Err().Error()) + `}`},
		{"in a struct", struct{ Day *Report }{&Report{}}, `{"Day":` + zeroTotals + `,"error_count":0,"errors":[]}}`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			got, err := json.Marshal(tt.v)
			require.NoError(t, err)
			assert.Equal(t, tt.want, string(got))
			if _, ok := tt.v.(struct{ Day *Report }); ok {
				return
			}
			back := &Report{}
			require.NoError(t, json.Unmarshal(got, &back))
			if tt.want == "null" {
				assert.Nil(t, back)
				return
			}
			again, err := json.Marshal(back)
			require.NoError(t, err)
			assert.Equal(t, tt.want, string(again))
		})
	}

	// Overflowed totals stay wrong once read back: Err says so, from the same result.
	var back Report
	b, err := json.Marshal(&over)
	require.NoError(t, err)
	require.NoError(t, json.Unmarshal(b, &back))
	require.ErrorIs(t, back.Err(), ErrOverflow)
	assert.Equal(t, over.Err().Error(), back.Err().Error())
}

func jsonString(t *testing.T, s string) string {
	t.Helper()
	b, err := json.Marshal(s)
	require.NoError(t, err)
	return string(b)
}

// TestReportJSONIsWriteJSONs: the JSON of the Report WriteJSON returns is, key for key, the
// totals, error_count and errors that end WriteJSON's object (one vocabulary), and WriteJSON's
// whole object reads back into that report.
func TestReportJSONIsWriteJSONs(t *testing.T) {
	t.Parallel()
	results := func(yield func(Result, error) bool) {
		for _, r := range []struct {
			res Result
			err error
		}{
			{res: Result{Class: Matched, Record: Record{Line: 1, OrderID: "A1", TxnAmt: 1000, MerchantFee: -6, SettleAmt: 994}, Order: Order{OrderID: "A1", Amount: 1000}}},
			{res: Result{Class: MissingAtUnionPay, Order: Order{OrderID: "M1", Amount: 300}}},
			{err: &LineError{Line: 5, Field: "line", Err: errors.New("too short")}},
			{err: &OrderError{Index: 0, OrderID: "=cmd|\x1b", Err: ErrDuplicateOrder}},
			{res: Result{Class: Duplicate, Record: Record{Line: 6, OrderID: "A1", TxnAmt: 1000, SettleAmt: 1000}, Order: Order{OrderID: "A1", Amount: 1000}}},
		} {
			if !yield(r.res, r.err) {
				return
			}
		}
	}
	var out bytes.Buffer
	rep, err := WriteJSON(&out, iter.Seq2[Result, error](results), Covering(time.Date(2026, 11, 25, 0, 0, 0, 0, time.UTC), "802310048993424"))
	require.NoError(t, err)
	var written map[string]json.RawMessage
	require.NoError(t, json.Unmarshal(out.Bytes(), &written))
	b, err := json.Marshal(rep)
	require.NoError(t, err)
	var marshalled map[string]json.RawMessage
	require.NoError(t, json.Unmarshal(b, &marshalled))
	assert.Len(t, marshalled, 3)
	for key, v := range marshalled {
		assert.JSONEq(t, string(written[key]), string(v), key)
	}

	var back Report
	require.NoError(t, json.Unmarshal(out.Bytes(), &back))
	assert.Equal(t, rep.Totals, back.Totals)
	assert.Equal(t, rep.ErrorCount, back.ErrorCount)
	again, err := json.Marshal(&back)
	require.NoError(t, err)
	assert.Equal(t, string(b), string(again))
}

// TestReportUnmarshalJSONRefuses: JSON that is no report's is an error naming the key, and
// leaves the Report as it was.
func TestReportUnmarshalJSONRefuses(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name, in, msg string
		is            error
	}{
		{"unknown class", `{"totals":[{"class":"Matched","count":1}]}`, `totals[0].class`, ErrUnknownClass},
		{"no class", `{"totals":[{"count":1}]}`, `totals[0].class`, ErrUnknownClass},
		{"Go field names", `{"Totals":[{"Count":1,"Amount":100}],"ErrorCount":0,"Errors":null}`, `totals[0].class`, ErrUnknownClass},
		{"class twice", `{"totals":[{"class":"duplicate"},{"class":"duplicate","count":1}]}`, `totals[1].class: duplicate listed twice`, nil},
		{"negative count", `{"totals":[{"class":"matched","count":-1}]}`, `totals[0].count`, nil},
		{"fewer errors counted", `{"error_count":0,"errors":[{"message":"x"}]}`, `error_count`, nil},
		{"err not Err's", `{"err":"reconcile: totals overflow: something else"}`, `err:`, nil},
		{"err of result 0", `{"err":"reconcile: totals overflow: Report: the totals are wrong from result 0 on (a sum past int64 fen)"}`, `err:`, nil},
		{"err of result 05", `{"err":"reconcile: totals overflow: Report: the totals are wrong from result 05 on (a sum past int64 fen)"}`, `err:`, nil},
		{"err of result +5", `{"err":"reconcile: totals overflow: Report: the totals are wrong from result +5 on (a sum past int64 fen)"}`, `err:`, nil},
		{"err without its end", `{"err":"reconcile: totals overflow: Report: the totals are wrong from result 5"}`, `err:`, nil},
		{"array", `[]`, `reconcile: Report:`, nil},
		{"amount not a number", `{"totals":[{"class":"matched","amount_fen":"1"}]}`, `reconcile: Report:`, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			rep := jsonTestReport()
			before, err := json.Marshal(rep)
			require.NoError(t, err)
			err = json.Unmarshal([]byte(tt.in), rep)
			require.Error(t, err)
			assert.Contains(t, err.Error(), tt.msg)
			if tt.is != nil {
				assert.ErrorIs(t, err, tt.is)
			}
			after, merr := json.Marshal(rep)
			require.NoError(t, merr)
			assert.Equal(t, string(before), string(after), "the report changed")
		})
	}

	// null changes nothing; a class left out has zero totals.
	rep := jsonTestReport()
	want := *rep
	require.NoError(t, json.Unmarshal([]byte(`null`), rep))
	assert.Equal(t, want, *rep)
	require.NoError(t, json.Unmarshal([]byte(`{"totals":[{"class":"duplicate","count":2,"net_fen":-5}],"error_count":101}`), rep))
	assert.Equal(t, Report{Totals: [numClasses]Totals{Duplicate: {Count: 2, Net: -5}}, ErrorCount: 101}, *rep)
}

// TestReportLogValue: a *Report logged through slog's JSON and text handlers is a compact group
// in MarshalJSON's words: each class's totals under its word, error_count, at most 3 error
// texts (escaped), and err once a total has overflowed; a nil *Report is null, and a Report value
// shows as MarshalJSON (JSON) or String (text) shows it.
func TestReportLogValue(t *testing.T) {
	t.Parallel()
	rep := jsonTestReport()
	for i := range 5 {
		rep.AddError(&LineError{Line: 20 + i, Field: "line", Err: errors.New("too short")})
	}
	var over Report
	over.Add(Result{Class: Matched, Record: Record{TxnAmt: math.MaxInt64}})
	over.Add(Result{Class: Matched, Record: Record{TxnAmt: 1}})

	logged := func(t *testing.T, jsonHandler bool, v any) string {
		var buf bytes.Buffer
		var h slog.Handler = slog.NewTextHandler(&buf, nil)
		if jsonHandler {
			h = slog.NewJSONHandler(&buf, nil)
		}
		slog.New(h).Info("reconciled", "report", v)
		return buf.String()
	}

	t.Run("JSON", func(t *testing.T) {
		t.Parallel()
		var rec struct {
			Report map[string]json.RawMessage `json:"report"`
		}
		require.NoError(t, json.Unmarshal([]byte(logged(t, true, rep)), &rec))
		assert.JSONEq(t, `{
			"matched":{"count":2,"amount_fen":1800,"fee_fen":-8,"net_fen":1792,"order_amount_fen":1800},
			"unknown_to_merchant":{"count":1,"amount_fen":1800,"fee_fen":-8,"net_fen":1792,"order_amount_fen":0},
			"missing_at_unionpay":{"count":0,"amount_fen":0,"fee_fen":0,"net_fen":0,"order_amount_fen":0},
			"amount_mismatch":{"count":1,"amount_fen":500,"fee_fen":0,"net_fen":500,"order_amount_fen":600},
			"state_mismatch":{"count":0,"amount_fen":0,"fee_fen":0,"net_fen":0,"order_amount_fen":0},
			"duplicate":{"count":0,"amount_fen":0,"fee_fen":0,"net_fen":0,"order_amount_fen":0}}`, string(rec.Report["totals"]))
		assert.JSONEq(t, `8`, string(rec.Report["error_count"]))
		var msgs []string
		require.NoError(t, json.Unmarshal(rec.Report["errors"], &msgs))
		assert.Equal(t, []string{reportText(rep.Errors[0].Error()), reportText(rep.Errors[1].Error()), reportText(rep.Errors[2].Error())}, msgs)
		assert.NotContains(t, string(rec.Report["errors"]), `\u001b`, "ESC reached the log")
		assert.NotContains(t, rec.Report, "err")
		assert.Len(t, rec.Report, 3)
	})
	t.Run("text", func(t *testing.T) {
		t.Parallel()
		out := logged(t, false, rep)
		for _, want := range []string{
			" report.totals.matched.count=2 report.totals.matched.amount_fen=1800 report.totals.matched.fee_fen=-8 " +
				"report.totals.matched.net_fen=1792 report.totals.matched.order_amount_fen=1800 report.totals.unknown_to_merchant.count=1 ",
			" report.totals.duplicate.order_amount_fen=0 report.error_count=8 report.errors=",
			"reconcile: line 7, field txnAmt (offset 64): not a number",
		} {
			assert.Contains(t, out, want)
		}
		assert.NotContains(t, out, "\x1b")
		assert.NotContains(t, out, "line 20", "more errors than 3 logged")
		assert.NotContains(t, out, "report.err=")
		assert.Equal(t, 1, strings.Count(out, "\n"), out)
	})
	t.Run("overflow", func(t *testing.T) {
		t.Parallel()
		for _, j := range []bool{false, true} {
			out := logged(t, j, &over)
			assert.Contains(t, out, "the totals are wrong from result 2 on", "JSON handler %v", j)
			assert.NotContains(t, out, "errors", "JSON handler %v", j)
		}
	})
	t.Run("nil", func(t *testing.T) {
		t.Parallel()
		assert.Contains(t, logged(t, true, (*Report)(nil)), `"report":null`)
		assert.Contains(t, logged(t, false, (*Report)(nil)), `report=<nil>`)
	})
	t.Run("value", func(t *testing.T) {
		t.Parallel()
		want, err := json.Marshal(rep)
		require.NoError(t, err)
		assert.Contains(t, logged(t, true, *rep), `"report":`+string(want))
		assert.Contains(t, logged(t, false, *rep), `report="`+strings.ReplaceAll(rep.String(), `"`, `\"`)[:40])
	})
}

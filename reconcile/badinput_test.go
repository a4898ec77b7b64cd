package reconcile

import (
	"bytes"
	"encoding/csv"
	"encoding/json"
	"io"
	"iter"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
)

// TestReportUnknownClass: a Result whose Class is none of Classes is counted as a data error
// naming its class, not indexed past the end of Totals (it panicked), and the reports write it
// as they write a malformed line. Found in the hostile-input review (section 8).
func TestReportUnknownClass(t *testing.T) {
	bad := Result{Class: Class(6), Record: Record{Line: 3, OrderID: "ORD00001", TxnAmt: 100}}
	tests := []struct {
		name  string
		class Class
	}{
		{"one past the last", numClasses},
		{"far past", Class(1 << 20)},
		{"negative", Class(-1)},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			res := bad
			res.Class = tt.class
			var r Report
			require.NotPanics(t, func() { r.Add(res) })
			require.Equal(t, 1, r.ErrorCount)
			require.Len(t, r.Errors, 1)
			require.ErrorIs(t, r.Errors[0], errUnknownClass)
			require.Contains(t, r.Errors[0].Error(), tt.class.String())
			require.Contains(t, r.Errors[0].Error(), "ORD00001")
			require.Equal(t, [numClasses]Totals{}, r.Totals, "counted in no class")
		})
	}
	results := func(yield func(Result, error) bool) {
		_ = yield(Result{Class: Matched, Record: Record{Line: 1, OrderID: "ORD00000", TxnAmt: 5}}, nil) &&
			yield(bad, nil)
	}
	t.Run("WriteCSV", func(t *testing.T) {
		var out bytes.Buffer
		rep, err := WriteCSV(&out, results)
		require.NoError(t, err)
		require.Equal(t, 1, rep.ErrorCount)
		require.Equal(t, int64(1), rep.Totals[Matched].Count)
		rows, err := csv.NewReader(&out).ReadAll()
		require.NoError(t, err)
		require.Equal(t, "error", rows[1][0])
		require.Contains(t, rows[1][14], "Class(6)")
	})
	t.Run("WriteJSON", func(t *testing.T) {
		var out bytes.Buffer
		rep, err := WriteJSON(&out, results)
		require.NoError(t, err)
		require.Equal(t, 1, rep.ErrorCount)
		var doc struct {
			Results []json.RawMessage `json:"results"`
			Errors  []struct{ Message string }
		}
		require.NoError(t, json.Unmarshal(out.Bytes(), &doc))
		require.Empty(t, doc.Results)
		require.Len(t, doc.Errors, 1)
		require.Contains(t, doc.Errors[0].Message, "Class(6)")
	})
}

// TestNilSequences: a nil reader or sequence given to a function that yields errors is its only
// element's error, naming the argument and the function; they panicked on the first iteration.
// Found in the hostile-input review (section 8).
func TestNilSequences(t *testing.T) {
	day := time.Date(2015, 9, 5, 0, 0, 0, 0, Beijing())
	records, orders := matchFixture()
	tests := []struct {
		name string
		seq  func() []error // ranges over the sequence, returning every error
		want string
	}{
		{"ZM", func() []error { return errorsOf(ZM(nil, day)) }, "reconcile: nil argument r to ZM"},
		{"ZME", func() []error { return errorsOf(ZME(nil, day)) }, "reconcile: nil argument r to ZME"},
		{"Match records", func() []error { return errorsOf(Match(nil, orders)) }, "reconcile: nil argument records to Match"},
		{"Match orders", func() []error { return errorsOf(Match(records, nil)) }, "reconcile: nil argument orders to Match"},
		{"ParseRD", func() []error { _, err := ParseRD(nil); return []error{err} }, "reconcile: nil argument r to ParseRD"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var errs []error
			require.NotPanics(t, func() { errs = tt.seq() })
			require.Len(t, errs, 1)
			require.ErrorIs(t, errs[0], ErrNilArgument)
			require.EqualError(t, errs[0], tt.want)
		})
	}
	t.Run("WriteCSV stops at it", func(t *testing.T) {
		_, err := WriteCSV(io.Discard, Match(nil, orders))
		require.ErrorIs(t, err, ErrNilArgument)
	})
}

// errorsOf ranges over seq and returns the error of each element (nil for a value).
func errorsOf[T any](seq iter.Seq2[T, error]) []error {
	var errs []error
	for _, err := range seq {
		errs = append(errs, err)
	}
	return errs
}

package reconcile

import (
	"bytes"
	"encoding/csv"
	"encoding/json"
	"testing"

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

package reconcile

import (
	"bytes"
	"iter"
	"math"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestReportOverflow: a total past int64 fen, in any of the four sums and either
// direction, makes Err match ErrOverflow, naming the first result from which the
// totals are wrong; sums that reach the limit exactly do not.
func TestReportOverflow(t *testing.T) {
	t.Parallel()
	matched := func(rec Record, amount int64) Result {
		return Result{Class: AmountMismatch, Record: rec, Order: Order{OrderID: "o", Amount: amount}}
	}
	tests := []struct {
		name    string
		results []Result
		from    int // 0: no overflow
	}{
		{"at the limit", []Result{matched(Record{TxnAmt: math.MaxInt64 - 1}, 0), matched(Record{TxnAmt: 1}, 0)}, 0},
		{"amount", []Result{matched(Record{TxnAmt: 1}, 0), matched(Record{TxnAmt: math.MaxInt64}, 0), matched(Record{TxnAmt: 1}, 0)}, 2},
		{"fees", []Result{matched(Record{MerchantFee: math.MinInt64}, 0), matched(Record{MerchantFee: -1}, 0)}, 2},
		{"net", []Result{matched(Record{SettleAmt: math.MaxInt64}, 0), matched(Record{SettleAmt: 1}, 0)}, 2},
		{"order amount", []Result{matched(Record{}, math.MaxInt64), matched(Record{}, 2)}, 2},
		{"negative order amounts", []Result{matched(Record{}, math.MinInt64+1), matched(Record{}, -2)}, 2},
		// A Duplicate's order is not counted again (it was with its first record).
		{"duplicates' orders", []Result{{Class: Duplicate, Order: Order{OrderID: "o", Amount: math.MaxInt64}},
			{Class: Duplicate, Order: Order{OrderID: "o", Amount: math.MaxInt64}}}, 0},
		// The first result from which the totals are wrong is named, not a later one.
		{"twice", []Result{matched(Record{TxnAmt: math.MaxInt64}, 0), matched(Record{TxnAmt: 1}, 0),
			matched(Record{TxnAmt: math.MinInt64}, 0)}, 2}, // the third wraps the wrapped sum back
		{"other classes apart", []Result{matched(Record{TxnAmt: math.MaxInt64}, 0),
			{Class: UnknownToMerchant, Record: Record{TxnAmt: math.MaxInt64}}}, 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			var rep Report
			for _, res := range tt.results {
				rep.Add(res)
			}
			if tt.from == 0 {
				require.NoError(t, rep.Err())
				return
			}
			require.ErrorIs(t, rep.Err(), ErrOverflow)
			assert.Contains(t, rep.Err().Error(), "from result "+i64(int64(tt.from))+" on")
		})
	}
}

// TestReportWritersRefuseOverflowedTotals: WriteCSV and WriteJSON write no totals
// that overflowed and return the error.
func TestReportWritersRefuseOverflowedTotals(t *testing.T) {
	t.Parallel()
	results := iter.Seq2[Result, error](func(yield func(Result, error) bool) {
		for range 2 {
			if !yield(Result{Class: MissingAtUnionPay, Order: Order{OrderID: "o", Amount: math.MaxInt64}}, nil) {
				return
			}
		}
	})
	var buf bytes.Buffer
	rep, err := WriteCSV(&buf, results)
	require.ErrorIs(t, err, ErrOverflow)
	require.NotNil(t, rep)
	assert.NotContains(t, buf.String(), "total,")
	assert.Contains(t, buf.String(), "result,missing_at_unionpay")

	buf.Reset()
	_, err = WriteJSON(&buf, results)
	require.ErrorIs(t, err, ErrOverflow)
	assert.NotContains(t, buf.String(), `"totals"`)
}

// TestReview14MergeKeepsFirstOverflow: r overflowed already; merging an o that overflowed too
// must keep r's (earlier) position, as Add keeps the first.
func TestReview14MergeKeepsFirstOverflow(t *testing.T) {
	t.Parallel()
	big := Result{Class: Matched, Record: Record{TxnAmt: math.MaxInt64 / 2}}
	var r, o Report
	for range 3 {
		r.Add(big) // overflows at result 3
		o.Add(big)
	}
	require.Contains(t, r.Err().Error(), "from result 3 on")
	r.Merge(&o)
	assert.Contains(t, r.Err().Error(), "from result 3 on")

	var tt, to Tally
	rec := Record{TxnType: "01", TxnAmt: math.MaxInt64 / 2}
	for range 3 {
		tt.Add(&rec)
		to.Add(&rec)
	}
	require.Contains(t, tt.Err().Error(), "from record 3 on")
	tt.Merge(&to)
	assert.Contains(t, tt.Err().Error(), "from record 3 on")
}

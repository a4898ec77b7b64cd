package reconcile

import (
	"fmt"
	"math"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestReview14MergeCountsErrorsNotKept: o counted more data errors than it kept; Merge must add
// its ErrorCount, not the errors it holds.
func TestReview14MergeCountsErrorsNotKept(t *testing.T) {
	t.Parallel()
	var r, o Report
	for i := range 150 {
		o.AddError(fmt.Errorf("error %d", i))
	}
	r.AddError(fmt.Errorf("r's"))
	r.Merge(&o)
	assert.Equal(t, 151, r.ErrorCount)
	assert.Len(t, r.Errors, 100)
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

package reconcile

import (
	"errors"
	"fmt"
	"maps"
	"math"
	"math/rand/v2"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// A month's Tally merged from its days' equals one that counted every record (a month-end trial
// had to add the RD rows up by hand).
func TestTallyMerge(t *testing.T) {
	t.Parallel()
	r := rand.New(rand.NewPCG(5, 6))
	var month, day1, day2, empty Tally
	for i := range 300 {
		rec := randomRecord(r, i)
		if i%5 == 0 {
			rec.TxnType = []string{"31", "03", "33", "99"}[i%4]
		}
		month.Add(&rec)
		if i < 120 {
			day1.Add(&rec)
		} else {
			day2.Add(&rec)
		}
	}
	var merged Tally
	merged.Merge(&day1)
	merged.Merge(&empty)
	merged.Merge(nil)
	merged.Merge(&day2)
	day := time.Date(2026, 11, 30, 0, 0, 0, 0, Beijing())
	assert.Equal(t, month.Summary("777290058110097", "", "", day, day), merged.Summary("777290058110097", "", "", day, day))
	require.NoError(t, merged.Err())
	require.NoError(t, month.Summary("777290058110097", "", "", day, day).Check(&merged))

	// o is not changed, and merging a Tally into itself doubles it.
	before := day1.Summary("777290058110097", "", "", day, day)
	var twice Tally
	twice.Merge(&day1)
	twice.Merge(&day1)
	assert.Equal(t, before, day1.Summary("777290058110097", "", "", day, day))
	self := day1
	self.byType = map[string]SummaryRow{}
	maps.Copy(self.byType, day1.byType)
	self.types = append([]string(nil), day1.types...)
	self.Merge(&self)
	assert.Equal(t, twice.Summary("M", "", "", day, day), self.Summary("M", "", "", day, day))
}

func TestTallyMergeOverflow(t *testing.T) {
	t.Parallel()
	big := Record{TxnType: "01", TxnAmt: math.MaxInt64 / 2, SettleAmt: 1}
	var a, b Tally
	a.Add(&Record{TxnType: "01", TxnAmt: 1})
	a.Add(&big)
	b.Add(&big)
	b.Add(&big)
	a.Merge(&b)
	require.ErrorIs(t, a.Err(), ErrOverflow)
	assert.Contains(t, a.Err().Error(), "from record 3 on", "somewhere among b's records")

	// An overflow inside o carries over, numbered in t.
	var c, d Tally
	c.Add(&Record{TxnType: "01", TxnAmt: 5})
	d.Add(&Record{TxnType: "01", TxnAmt: 5})
	d.Add(&Record{TxnType: "01", TxnAmt: -1}) // a negative txnAmt: d's second record
	c.Merge(&d)
	require.ErrorIs(t, c.Err(), ErrOverflow)
	assert.Contains(t, c.Err().Error(), "from record 3 on")
}

// A month's Report merged from its days' equals one that counted every result.
func TestReportMerge(t *testing.T) {
	t.Parallel()
	r := rand.New(rand.NewPCG(7, 8))
	var month, day1, day2 Report
	for i := range 400 {
		res := Result{Class: Class(r.IntN(int(numClasses))), Record: randomRecord(r, i),
			Order: Order{OrderID: fmt.Sprint(i), Amount: r.Int64N(1e9)}}
		month.Add(res)
		if i < 150 {
			day1.Add(res)
		} else {
			day2.Add(res)
		}
	}
	for i := range 70 {
		err := fmt.Errorf("error %d", i)
		month.AddError(err)
		if i < 40 {
			day1.AddError(err)
		} else {
			day2.AddError(err)
		}
	}
	var merged Report
	merged.Merge(&day1)
	merged.Merge(nil)
	merged.Merge(&Report{})
	merged.Merge(&day2)
	assert.Equal(t, month.Totals, merged.Totals)
	assert.Equal(t, 70, merged.ErrorCount)
	require.Len(t, merged.Errors, 70)
	assert.Equal(t, month.Errors, merged.Errors)
	require.NoError(t, merged.Err())
	assert.Equal(t, month.Discrepancies(), merged.Discrepancies())

	// Errors kept stop at 100; all are counted.
	merged.Merge(&merged)
	assert.Equal(t, 140, merged.ErrorCount)
	assert.Len(t, merged.Errors, 100)
	assert.Equal(t, 2*month.Totals[Matched].Count, merged.Totals[Matched].Count)
}

func TestReportMergeOverflow(t *testing.T) {
	t.Parallel()
	res := Result{Class: Matched, Record: Record{TxnAmt: math.MaxInt64 / 2}}
	var a, b Report
	a.Add(Result{Class: MissingAtUnionPay})
	a.Add(res)
	b.Add(res)
	b.Add(res)
	require.NoError(t, b.Err(), "each alone is within int64")
	a.Merge(&b)
	require.ErrorIs(t, a.Err(), ErrOverflow)
	assert.Contains(t, a.Err().Error(), "from result 3 on")

	var c, d Report
	c.Add(Result{Class: Matched})
	d.Add(Result{Class: UnknownToMerchant, Record: Record{SettleAmt: math.MaxInt64}})
	d.Add(Result{Class: UnknownToMerchant, Record: Record{SettleAmt: 1}})
	require.True(t, errors.Is(d.Err(), ErrOverflow))
	c.Merge(&d)
	require.ErrorIs(t, c.Err(), ErrOverflow)
	assert.Contains(t, c.Err().Error(), "from result 3 on", "d's second result, counted after c's one")
}

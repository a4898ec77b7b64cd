package reconcile

import (
	"fmt"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestMatchSubMerchantNotCarriedOver: an order without SubMerID is not checked, even when Match
// looked it up in the place where it held an order kept whole (in odd) that had one: here the
// only orders with a sub-merchant are kept whole, so no side table exists, and the records come
// out of the orders' order, through Match's batch, whose results are reused.
func TestMatchSubMerchantNotCarriedOver(t *testing.T) {
	t.Parallel()
	const n = 3 * matchBatch
	orders := make([]Order, n)
	for i := range orders {
		orders[i] = Order{OrderID: fmt.Sprintf("O%04d", i), Amount: 100, State: StateSucceeded}
	}
	odd := []int{n / 2, n/2 + 1}
	for _, i := range odd {
		orders[i].TxnTime = time.Now() // a monotonic reading: kept whole in odd
		orders[i].SubMerID = "SHOPODD"
	}
	// The odd orders' records first (each in the batch's first places), then the others from
	// the last: every record waits in the batch, and the odd orders' places are taken again.
	var recs []any
	add := func(i int) {
		r := rec(len(recs)+1, orders[i].OrderID, 100, 0, "01")
		r.SubMerID = orders[i].SubMerID
		recs = append(recs, r)
	}
	for _, i := range odd {
		add(i)
	}
	for i := n - 1; i >= 0; i-- {
		if i != odd[0] && i != odd[1] {
			add(i)
		}
	}
	seen := 0
	for r, err := range Match(recordsOf(recs...), Orders(orders)) {
		require.NoError(t, err)
		assert.Equal(t, Matched, r.Class, "%s: %s", r.Order.OrderID, r.Detail)
		var i int
		_, err = fmt.Sscanf(r.Order.OrderID, "O%04d", &i)
		require.NoError(t, err)
		assert.Equal(t, orders[i].SubMerID, r.Order.SubMerID, "%s", r.Order.OrderID)
		seen++
	}
	assert.Equal(t, n, seen)
}

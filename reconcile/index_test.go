package reconcile

import (
	"fmt"
	"math"
	"strings"
	"testing"
	"time"
	"unsafe"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestOrderIndexCollisionsAndGrowth(t *testing.T) {
	m := newOrderIndex()
	// Two orderIds with the same 64-bit hash stay distinct.
	require.True(t, m.addHashed(&Order{OrderID: "A", Amount: 1}, 42))
	require.True(t, m.addHashed(&Order{OrderID: "B", Amount: 2}, 42))
	assert.False(t, m.addHashed(&Order{OrderID: "B", Amount: 3}, 42), "duplicate")
	assert.Equal(t, int64(1), m.order(m.findHashed("A", 42)).Amount)
	assert.Equal(t, int64(2), m.order(m.findHashed("B", 42)).Amount)
	assert.Equal(t, -1, m.findHashed("C", 42))

	for i := range 10000 { // several growths and blocks
		require.True(t, m.add(Order{OrderID: fmt.Sprint("O", i), Amount: int64(i)}))
	}
	for i := range 10000 {
		j := m.find(fmt.Sprint("O", i))
		require.GreaterOrEqual(t, j, 0)
		require.Equal(t, int64(i), m.order(j).Amount)
	}
	assert.Equal(t, int64(2), m.order(m.findHashed("B", 42)).Amount, "found after growth")
	for j := 3; j < m.n; j++ { // after A, B and the duplicate B
		require.Equal(t, int64(j-3), m.order(j).Amount, "input order")
	}
	assert.Equal(t, 10003, m.n)
	assert.Equal(t, 1, m.seen, "the duplicate counts as seen")
}

// TestOrderIndexKeepsOrders checks that every order comes back identical
// (== on every field, times included) from the pointer-free entries, or from
// odd for those that cannot be stored so.
func TestOrderIndexKeepsOrders(t *testing.T) {
	shanghai := Beijing()
	fixed := time.FixedZone("X", 3600)
	orders := []Order{
		{OrderID: "plain"},
		{OrderID: "full", TxnTime: time.Date(2025, 12, 31, 23, 59, 59, 123456789, shanghai), Amount: -5, TxnType: "04", State: StatePending},
		{OrderID: "utc", TxnTime: time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC), TxnType: "01"},
		{OrderID: "local", TxnTime: time.Date(2025, 1, 1, 0, 0, 0, 0, time.Local), State: State(9)},
		{OrderID: "fixed", TxnTime: time.Date(1, 1, 1, 0, 0, 0, 1, fixed)},
		{OrderID: "zero-in-zone", TxnTime: time.Time{}.In(shanghai)},
		{OrderID: "monotonic", TxnTime: time.Now()},
		{OrderID: "中文订单", TxnType: "类型"},
		{OrderID: "far", TxnTime: time.Date(9999, 12, 31, 0, 0, 0, 0, fixed)},
		{OrderID: "shop", TxnType: "01", SubMerID: "898111148990268"},
		{OrderID: "shop-monotonic", TxnTime: time.Now(), SubMerID: "898111148990268"},
	}
	orders = append(orders,
		Order{OrderID: strings.Repeat("3", maxEntryID), TxnType: "01"},
		Order{OrderID: strings.Repeat("4", maxEntryID+1), TxnType: "01"},
		Order{OrderID: "big-state", State: State(math.MaxInt)},
		Order{OrderID: "negative-state", State: -1})
	for i := range maxTypes + 3 { // more txnTypes than the table holds
		orders = append(orders, Order{OrderID: fmt.Sprint("type", i), TxnType: fmt.Sprint("t", i)})
	}
	for i := range maxLocs + 3 { // more locations than the table holds
		orders = append(orders, Order{OrderID: fmt.Sprint("zone", i), TxnTime: time.Date(2025, 1, 1, 0, 0, 0, 0, time.FixedZone(fmt.Sprint(i), i))})
	}
	m := newOrderIndex()
	for _, o := range orders {
		require.True(t, m.add(o))
	}
	require.GreaterOrEqual(t, len(m.odd), 1+1+1+3+3, "the monotonic reading, the long orderId, the big state and the extra types and zones")
	require.Equal(t, 32, int(unsafe.Sizeof(orderEntry{})), "two entries a cache line")
	for j, o := range orders {
		got := m.order(m.find(o.OrderID))
		assert.True(t, got == o, "%d: %#v\n%#v", j, got, o)
		assert.Equal(t, j, m.find(o.OrderID))
	}
}

// TestOrderIndexIDBlocks: orderIds of every length from 1 to maxEntryID, enough to fill several
// ids blocks, come back whole and are found, none straddling two blocks, and the strings handed
// out before more orders were added stay as they were.
func TestOrderIndexIDBlocks(t *testing.T) {
	m := newOrderIndex()
	var ids []string
	for i := 0; len(ids) == 0 || m.idEnd < 3*idBlock+idBlock/2; i++ {
		n := 1 + i%maxEntryID
		id := fmt.Sprintf("%0*d", n, i%int(math.Pow10(min(n, 18))))
		if i%maxEntryID >= 18 {
			id = fmt.Sprintf("%s-%0*d", strings.Repeat("x", n-13), 12, i)
		}
		if m.find(id) >= 0 {
			continue
		}
		ids = append(ids, id)
		require.True(t, m.add(Order{OrderID: id, Amount: int64(i)}), id)
	}
	first := m.id(0)
	require.Greater(t, len(m.ids), 3, "several blocks")
	require.Empty(t, m.odd, "every orderId kept in the blocks")
	for j, id := range ids {
		e := m.entry(j)
		require.LessOrEqual(t, int(e.idOff%idBlock)+int(e.idLen), idBlock, "%d straddles two blocks", j)
		require.Equal(t, id, m.id(j))
		require.Equal(t, j, m.find(id), id)
	}
	assert.Equal(t, ids[0], first)
}

package reconcile

import (
	"fmt"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestOrderIndexCollisionsAndGrowth(t *testing.T) {
	m := newOrderIndex()
	// Two orderIds with the same 64-bit hash stay distinct.
	require.True(t, m.addHashed(&Order{OrderID: "A", Amount: 1}, 42))
	require.True(t, m.addHashed(&Order{OrderID: "B", Amount: 2}, 42))
	assert.False(t, m.addHashed(&Order{OrderID: "B", Amount: 3}, 42), "duplicate")
	assert.Equal(t, int64(1), m.findHashed("A", 42).order.Amount)
	assert.Equal(t, int64(2), m.findHashed("B", 42).order.Amount)
	assert.Nil(t, m.findHashed("C", 42))

	for i := range 10000 { // several growths and blocks
		require.True(t, m.add(Order{OrderID: fmt.Sprint("O", i), Amount: int64(i)}))
	}
	for i := range 10000 {
		e := m.find(fmt.Sprint("O", i))
		require.NotNil(t, e)
		require.Equal(t, int64(i), e.order.Amount)
	}
	assert.Equal(t, int64(2), m.findHashed("B", 42).order.Amount, "found after growth")
	n := 0
	for e := range m.entries() {
		if n >= 2 {
			require.Equal(t, int64(n-2), e.order.Amount, "input order")
		}
		n++
	}
	assert.Equal(t, 10002, n)
}

package main

import (
	"bytes"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/goacp/unionpay/reconcile"
)

// The orders file the demo writes is one reconcile.OrdersCSV reads back as it was written.
func TestOrdersRoundTrip(t *testing.T) {
	t.Parallel()
	at := time.Date(2026, 11, 25, 10, 5, 12, 0, reconcile.Beijing())
	orders := []reconcile.Order{
		{OrderID: "SHOP20261125000001", TxnTime: at, Amount: 12800, TxnType: "01", State: reconcile.StateSucceeded},
		{OrderID: "SHOP,\"2\"", TxnTime: at.Add(time.Hour), Amount: 3000, TxnType: "04", State: reconcile.StatePending},
		{OrderID: "SHOP20261125000003", TxnTime: at.UTC(), Amount: 1, TxnType: "31", State: reconcile.StateFailed},
	}
	var b bytes.Buffer
	require.NoError(t, writeOrders(&b, orders))
	assert.True(t, bytes.HasPrefix(b.Bytes(), []byte(reconcile.OrdersCSVHeader+"\n")))
	var back []reconcile.Order
	for o, err := range reconcile.OrdersCSV(&b) {
		require.NoError(t, err)
		back = append(back, o)
	}
	require.Len(t, back, len(orders))
	for i := range orders {
		assert.True(t, back[i].TxnTime.Equal(orders[i].TxnTime))
		back[i].TxnTime = orders[i].TxnTime
	}
	assert.Equal(t, orders, back)
}

package main

import (
	"context"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/goacp/unionpay/notify"
	"github.com/goacp/unionpay/reconcile"
	"github.com/goacp/unionpay/sign"
)

// TestOnNotifyOtherTransaction: a verified success under an order's orderId but of another
// txnType or another txnTime is not that order's outcome: the order stays pending and the shop
// raises an alert (the handler checked merId, orderId and amount only; found by a review).
func TestOnNotifyOtherTransaction(t *testing.T) {
	t.Parallel()
	at := time.Date(2026, 11, 25, 10, 0, 0, 0, time.FixedZone("CST", 8*3600))
	for _, tt := range []struct {
		name    string
		txnType string
		txnTime time.Time
		applied bool
	}{
		{"the order's", "01", at, true},
		{"a refund's", "04", at, false},
		{"another txnTime's", "01", at.Add(-time.Minute), false},
	} {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			s := newShop("777290058110048", nil)
			s.add(&order{ID: "QS0001", TxnTime: at, Amount: 1999, TxnType: "01", State: reconcile.StatePending})
			n := &notify.Notification{MerchantID: "777290058110048", OrderID: "QS0001", TxnTime: tt.txnTime,
				TxnType: tt.txnType, TxnAmt: 1999, RespCode: "00", QueryID: "Q1", SettleDate: "1125",
				Raw: sign.Fields{"txnTime": tt.txnTime.Format("20060102150405"), "queryId": "Q1", "settleDate": "1125"}}
			require.NoError(t, s.onNotify(context.Background(), n))
			state := s.orders["QS0001"].State
			if tt.applied {
				assert.Equal(t, reconcile.StateSucceeded, state)
				assert.Empty(t, s.alerts)
				return
			}
			assert.Equal(t, reconcile.StatePending, state)
			assert.Len(t, s.alerts, 1)
		})
	}
}

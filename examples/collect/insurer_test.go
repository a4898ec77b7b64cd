package main

import (
	"context"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/goacp/unionpay/notify"
	"github.com/goacp/unionpay/sign"
	"github.com/goacp/unionpay/unionpay"
)

// The insurer applies a verified notification only to the transaction it stored, as it stored
// it, and once: another amount, transaction type, merchant or orderId is set aside for a person,
// a payout's 01 leaves it pending for a query, and a later notification changes nothing.
func TestOnNotify(t *testing.T) {
	t.Parallel()
	at := time.Date(2026, 11, 25, 10, 0, 0, 0, time.FixedZone("CST", 8*3600))
	const merID = "777290058110048"
	notification := func(orderID, txnType string, amount int64, respCode string) *notify.Notification {
		return &notify.Notification{MerchantID: merID, OrderID: orderID, TxnTime: at, TxnType: txnType,
			TxnAmt: amount, RespCode: respCode, QueryID: "Q1", SettleDate: "1125",
			Raw: sign.Fields{"txnTime": at.Format("20060102150405"), "queryId": "Q1", "settleDate": "1125"}}
	}
	for _, tt := range []struct {
		name    string
		n       *notify.Notification
		state   unionpay.State
		aside   bool
		applied bool
	}{
		{"the collection's success", notification("INS0001", "11", 12000, "00"), unionpay.Succeeded, false, true},
		{"the collection's failure", notification("INS0001", "11", 12000, "64"), unionpay.Failed, false, true},
		{"a payout's 01, not final", notification("INS0002", "12", 5000, "01"), unionpay.Pending, false, true},
		{"another amount", notification("INS0001", "11", 12001, "00"), unionpay.Pending, true, false},
		{"another txnType", notification("INS0001", "12", 12000, "00"), unionpay.Pending, true, false},
		{"an orderId not ours", notification("OTHER0001", "11", 12000, "00"), unionpay.Pending, true, false},
	} {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			in := newInsurer(merID)
			in.store(txn{OrderID: "INS0001", TxnTime: at, TxnType: "11", Amount: 12000})
			in.store(txn{OrderID: "INS0002", TxnTime: at, TxnType: "12", Amount: 5000})
			require.NoError(t, in.onNotify(context.Background(), tt.n), "acknowledged: an error only brings it again")
			got := in.get(tt.n.OrderID, at)
			if tt.n.OrderID == "OTHER0001" {
				got = in.get("INS0001", at)
			}
			assert.Equal(t, tt.state, got.State)
			assert.Equal(t, tt.applied, got.Notified)
			assert.Equal(t, tt.aside, len(in.alertList()) == 1, in.alertList())

			// A later notification of another outcome changes no final state.
			require.NoError(t, in.onNotify(context.Background(), notification("INS0001", "11", 12000, "30")))
			if tt.state != unionpay.Pending {
				assert.Equal(t, tt.state, in.get(tt.n.OrderID, at).State)
			}
		})
	}
}

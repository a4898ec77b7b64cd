package unionpaytest_test

import (
	"context"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/goacp/unionpay/unionpay"
	"github.com/goacp/unionpay/unionpay/unionpaytest"
)

// TestCashierTxnTimeNotCurrentMessage: a front form is not checked by the client (nothing is
// sent), so a txnTime that is not current is first refused at the cashier; the refusal says which
// way it is off and how to read a stored txnTime, since the usual cause is a Beijing wall-clock
// string read with time.Parse (UTC, eight hours ahead). It said "is -8h0m0s away from gateway
// time" before.
func TestCashierTxnTimeNotCurrentMessage(t *testing.T) {
	t.Parallel()
	now := time.Date(2026, 11, 25, 10, 0, 0, 0, time.FixedZone("CST", 8*3600))
	srv := unionpaytest.NewServer(unionpaytest.WithClock(func() time.Time { return now }))
	t.Cleanup(srv.Close)
	client, err := unionpay.NewClient(srv.Config())
	require.NoError(t, err)
	asUTC, err := time.Parse("20060102150405", "20261125100000")
	require.NoError(t, err)
	for _, tt := range []struct {
		name    string
		orderID string
		txnTime time.Time
		want    string
	}{
		{"read as UTC", "TXNTIMEMSG01", asUTC, "txnTime 20261125180000 is 8h0m0s ahead of gateway time 20261125100000"},
		{"stale", "TXNTIMEMSG02", now.Add(-20 * time.Minute), "txnTime 20261125094000 is 20m0s behind gateway time 20261125100000"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			form, err := client.FrontConsume(&unionpay.ConsumeRequest{OrderID: tt.orderID, Amount: 100,
				TxnTime: tt.txnTime, FrontURL: "https://shop.example/return", BackURL: "https://shop.example/notify"})
			require.NoError(t, err, "a form is not checked by the client")
			_, err = srv.Pay(context.Background(), form.Fields, "")
			require.ErrorIs(t, err, unionpaytest.ErrCashier)
			assert.Contains(t, err.Error(), tt.want)
			assert.Contains(t, err.Error(), "more than the 15m0s the gateway accepts")
			assert.Contains(t, err.Error(), "unionpay.ParseTxnTime")
		})
	}
}

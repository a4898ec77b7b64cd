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

// TestCashierTxnTimeNotCurrentMessage: the client bounds a front form's txnTime only ahead of its
// own clock, so a txnTime that is not current at the gateway is first refused at the cashier: a
// stale one, or one from a merchant clock running ahead of the gateway's. The refusal says which
// way it is off and how to read a stored txnTime (it said "is -8h0m0s away from gateway time").
func TestCashierTxnTimeNotCurrentMessage(t *testing.T) {
	t.Parallel()
	now := time.Date(2026, 11, 25, 10, 0, 0, 0, time.FixedZone("CST", 8*3600))
	srv := unionpaytest.NewServer(unionpaytest.WithClock(func() time.Time { return now }))
	t.Cleanup(srv.Close)
	for _, tt := range []struct {
		name    string
		orderID string
		clock   time.Duration // the merchant's clock against the gateway's
		txnTime time.Time
		want    string
	}{
		{"merchant clock ahead", "TXNTIMEMSG01", 20 * time.Minute, time.Time{},
			"txnTime 20261125102000 is 20m0s ahead of gateway time 20261125100000"},
		{"stale", "TXNTIMEMSG02", 0, now.Add(-20 * time.Minute),
			"txnTime 20261125094000 is 20m0s behind gateway time 20261125100000"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			cfg := srv.Config()
			cfg.Now = func() time.Time { return now.Add(tt.clock) }
			client, err := unionpay.NewClient(cfg)
			require.NoError(t, err)
			form, err := client.FrontConsume(&unionpay.ConsumeRequest{OrderID: tt.orderID, Amount: 100,
				TxnTime: tt.txnTime, FrontURL: "https://shop.example/return", BackURL: "https://shop.example/notify"})
			require.NoError(t, err, "within the client's bound")
			_, err = srv.Pay(context.Background(), form.Fields, "")
			require.ErrorIs(t, err, unionpaytest.ErrCashier)
			assert.Contains(t, err.Error(), tt.want)
			assert.Contains(t, err.Error(), "more than the 15m0s the gateway accepts")
			assert.Contains(t, err.Error(), "unionpay.ParseTxnTime")
		})
	}
}

package unionpay_test

import (
	"context"
	"fmt"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/goacp/unionpay/unionpay"
	"github.com/goacp/unionpay/unionpay/unionpaytest"
)

// TestFormQueryRequest: a form says how to query its transaction: orderId, txnTime, txnType,
// amount and currency (156 for a Currency left ""), on FrontBackoff with the form's payTimeout.
func TestFormQueryRequest(t *testing.T) {
	t.Parallel()
	srv := unionpaytest.NewServer(withSharedKeys(t), unionpaytest.WithReporter(t))
	t.Cleanup(srv.Close)
	c, err := unionpay.NewClient(srv.Config())
	require.NoError(t, err)
	txnTime := time.Now().Add(-time.Minute)
	for _, tt := range []struct {
		name       string
		form       func(*unionpay.ConsumeRequest) (*unionpay.Form, error)
		payTimeout time.Duration // after txnTime; 0: none
		wantType   string
	}{
		{"consume", c.FrontConsume, 15 * time.Minute, "01"},
		{"pre-auth, no payTimeout", c.FrontPreAuth, 0, "02"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			r := &unionpay.ConsumeRequest{OrderID: "FORMQUERY" + tt.wantType, TxnTime: txnTime, Amount: 1234,
				FrontURL: "https://shop.example/r", BackURL: "https://shop.example/n"}
			if tt.payTimeout > 0 {
				r.PayTimeout = txnTime.Add(tt.payTimeout)
			}
			form, err := tt.form(r)
			require.NoError(t, err)
			q := form.QueryRequest()
			assert.Equal(t, "FORMQUERY"+tt.wantType, q.OrderID)
			assert.True(t, q.TxnTime.Equal(form.TxnTime), "txnTime %s, the form's %s", q.TxnTime, form.TxnTime)
			assert.Equal(t, tt.wantType, q.TxnType)
			assert.Equal(t, int64(1234), q.Amount)
			assert.Equal(t, "156", q.Currency)
			b := form.Backoff()
			assert.Equal(t, unionpay.FrontBackoff().Delays, b.Delays)
			assert.True(t, b.FromTxnTime)
			assert.True(t, b.PayTimeout.Equal(form.PayTimeout), "PayTimeout %s, the form's %s", b.PayTimeout, form.PayTimeout)
		})
	}
}

// TestFormBackoffDeclinedIsNotFinal: a card declined on the cashier page is not the order's end:
// on the form's schedule the query stays pending until payTimeout has passed, and the shopper's
// second card pays it; a back schedule would have ended on the decline (the misuse Form.Backoff
// is there to avoid). Without a payTimeout the pending error says why it never ends.
func TestFormBackoffDeclinedIsNotFinal(t *testing.T) {
	t.Parallel()
	start := time.Date(2026, 3, 2, 10, 0, 0, 0, time.FixedZone("CST", 8*3600))
	var clock atomic.Int64
	clock.Store(start.UnixNano())
	now := func() time.Time { return time.Unix(0, clock.Load()) }
	srv := unionpaytest.NewServer(withSharedKeys(t), unionpaytest.WithReporter(t), unionpaytest.WithClock(now))
	t.Cleanup(srv.Close)
	cfg := srv.Config()
	cfg.Now = now
	var paySecond func()
	cfg.Sleep = func(_ context.Context, d time.Duration) error { // virtual time; the shopper pays before the second query
		if clock.Add(int64(d)); now().Sub(start) > 7*time.Minute && paySecond != nil {
			paySecond()
			paySecond = nil
		}
		return nil
	}
	c, err := unionpay.NewClient(cfg)
	require.NoError(t, err)

	for i, tt := range []struct {
		name       string
		payTimeout bool
		second     bool // the shopper pays with another card after the decline
		back       bool // queried on BackBackoff
		wantState  unionpay.State
		wantErr    string // "" for final
	}{
		{"declined, then paid", true, true, false, unionpay.Succeeded, ""},
		{"declined, abandoned", true, false, false, unionpay.Failed, ""},
		{"declined, no payTimeout", false, false, false, unionpay.Failed, "Backoff.PayTimeout is not set"},
		{"declined, back schedule", true, false, true, unionpay.Failed, ""},
	} {
		clock.Store(start.UnixNano())
		r := &unionpay.ConsumeRequest{OrderID: fmt.Sprintf("DECLINED%d", i), TxnTime: start,
			Amount: 500, FrontURL: "https://shop.example/r", BackURL: "https://shop.example/n"}
		if tt.payTimeout {
			r.PayTimeout = start.Add(15 * time.Minute)
		}
		form, err := c.FrontConsume(r)
		require.NoError(t, err, tt.name)
		_, err = srv.Pay(context.Background(), form.Fields, unionpaytest.DeclinedCard)
		require.NoError(t, err, tt.name)
		if tt.second {
			paySecond = func() {
				code, err := srv.Complete(form.OrderID, "")
				assert.NoError(t, err, tt.name)
				assert.Equal(t, "00", code, tt.name)
			}
		}
		b := form.Backoff()
		if tt.back {
			b = unionpay.BackBackoff()
		}
		tx, err := c.QueryUntilFinal(context.Background(), form.QueryRequest(), b)
		paySecond = nil
		require.NotNil(t, tx, tt.name)
		assert.Equal(t, tt.wantState, tx.State, tt.name)
		if tt.wantErr == "" {
			assert.NoError(t, err, tt.name)
			continue
		}
		require.ErrorIs(t, err, unionpay.ErrPending, tt.name)
		assert.Contains(t, err.Error(), tt.wantErr, tt.name)
	}
}

package unionpay_test

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/goacp/unionpay/sign"
	"github.com/goacp/unionpay/unionpay"
)

// TestAppPreAuthRequest: AppPreAuth sends what UnionPay's app-control pre-authorisation sample
// sends (txnType 02, txnSubType 01, bizType 000201, channelType 08, to appTransReq.do) and checks
// the request as AppConsume does, refusing before sending what it refuses, and Installments
// (consume only) besides.
func TestAppPreAuthRequest(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name  string
		edit  func(*unionpay.ConsumeRequest)
		field string // the *RequestError's Field; "" = sent
	}{
		{"defaults", func(*unionpay.ConsumeRequest) {}, ""},
		{"mobile channel given", func(r *unionpay.ConsumeRequest) { r.Channel = unionpay.ChannelMobile }, ""},
		{"PC channel", func(r *unionpay.ConsumeRequest) { r.Channel = unionpay.ChannelPC }, "Channel"},
		{"installments", func(r *unionpay.ConsumeRequest) { r.Installments = true }, "Installments"},
		{"instalment count alone", func(r *unionpay.ConsumeRequest) { r.InstallmentCount = 3 }, "InstallmentCount"},
		{"bad FrontURL", func(r *unionpay.ConsumeRequest) { r.FrontURL = "javascript:alert(1)" }, "FrontURL"},
		{"no BackURL", func(r *unionpay.ConsumeRequest) { r.BackURL = "" }, "BackURL"},
		{"no amount", func(r *unionpay.ConsumeRequest) { r.Amount = 0 }, "Amount"},
		{"bad orderId", func(r *unionpay.ConsumeRequest) { r.OrderID = "A-1" }, "OrderID"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			g := newGateway(t, accept(sign.Fields{"tn": "782401051030000000013"}))
			r := &unionpay.ConsumeRequest{OrderID: testOrder, Amount: 1000, BackURL: testNotify,
				PayTimeout: testNow.Add(15 * time.Minute)}
			tt.edit(r)
			res, err := newTestClient(t, g).AppPreAuth(context.Background(), r)
			if tt.field != "" {
				re, ok := errors.AsType[*unionpay.RequestError](err)
				require.True(t, ok, "want *RequestError, got %v", err)
				assert.Equal(t, tt.field, re.Field)
				assert.Equal(t, "app pre-auth", re.Op)
				assert.Zero(t, g.count(), "nothing sent")
				return
			}
			require.NoError(t, err)
			sent := g.last()
			assert.Equal(t, "/gateway/api/appTransReq.do", g.paths[0])
			for k, v := range map[string]string{"txnType": "02", "txnSubType": "01", "bizType": "000201",
				"channelType": "08", "currencyCode": "156", "txnAmt": "1000"} {
				assert.Equal(t, v, sent[k], k)
			}
			assert.NotContains(t, sent, "frontUrl")
			assert.Equal(t, "782401051030000000013", res.TN)
			assert.Equal(t, "02", res.TxnType)
			q := res.QueryRequest()
			assert.Equal(t, "02", q.TxnType, "the query names a pre-authorisation")
			assert.Equal(t, int64(1000), q.Amount)
			assert.True(t, res.Backoff().PayTimeout.Equal(testNow.Add(15*time.Minute)))
		})
	}
}

// TestAppPreAuthUnknownOutcomes: AppPreAuth's answer creates an order the cardholder can
// authorise, as AppConsume's does: 12 (an order under this orderId already) and 00 without a
// tn are pending, and the pending error's query names the pre-authorisation (txnType 02); a
// stale TxnTime is refused before sending.
func TestAppPreAuthUnknownOutcomes(t *testing.T) {
	t.Parallel()
	for _, tt := range []struct {
		name   string
		answer func(sign.Fields) reply
	}{
		{"duplicate", func(r sign.Fields) reply { return reply{fields: answerTo(r, "12", nil)} }},
		{"no tn", accept(nil)},
	} {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			g := newGateway(t, tt.answer)
			_, err := newTestClient(t, g).AppPreAuth(context.Background(),
				&unionpay.ConsumeRequest{OrderID: testOrder, Amount: 1000, BackURL: testNotify})
			var pe *unionpay.PendingError
			require.ErrorAs(t, err, &pe)
			assert.Equal(t, testOrder, pe.OrderID)
			assert.Equal(t, "02", pe.QueryRequest().TxnType)
		})
	}
	t.Run("stale txnTime", func(t *testing.T) {
		t.Parallel()
		g := newGateway(t, accept(sign.Fields{"tn": "1"}))
		_, err := newTestClient(t, g).AppPreAuth(context.Background(), &unionpay.ConsumeRequest{OrderID: testOrder,
			Amount: 1000, BackURL: testNotify, TxnTime: testNow.Add(-20 * time.Minute)})
		require.ErrorIs(t, err, unionpay.ErrTxnTimeNotCurrent)
		assert.Zero(t, g.count(), "nothing sent")
	})
}

// TestAppPreAuthOnFakeGateway: an app pre-authorisation on the fake gateway: the tn, the
// cardholder's authorisation in the control (Server.Complete), its notification (txnType 02),
// the query its AppResult gives (which must name txnType 02, or the hold reads as another
// transaction's and never as succeeded), the query of an AppResult rebuilt from what was stored,
// then the completion of one hold and the cancel of another, by their queryId.
func TestAppPreAuthOnFakeGateway(t *testing.T) {
	t.Parallel()
	e := newE2E(t)
	cfg := gatewayConfig(t, e.srv)
	cfg.Sleep = func(ctx context.Context, _ time.Duration) error { return ctx.Err() }
	c, err := unionpay.NewClient(cfg)
	require.NoError(t, err)
	ctx := context.Background()

	hold := func(amount int64) *unionpay.Transaction {
		t.Helper()
		r := e.consumeReq(e.order("APPAUTH"), amount)
		r.FrontURL = ""
		r.PayTimeout = cfg.Now().Add(15 * time.Minute)
		app, err := c.AppPreAuth(ctx, r)
		require.NoError(t, err)
		require.NotEmpty(t, app.TN)
		code, err := e.srv.Complete(app.OrderID, "")
		require.NoError(t, err)
		require.Equal(t, "00", code)
		n := e.inbox.wait(t, app.OrderID)
		assert.Equal(t, "02", n["txnType"], "a pre-authorisation's notification")

		tx, err := c.QueryUntilFinal(ctx, app.QueryRequest(), app.Backoff())
		require.NoError(t, err)
		require.Equal(t, unionpay.Succeeded, tx.State, "other: %v", tx.Other)
		assert.Equal(t, "02", tx.TxnType)
		assert.Equal(t, amount, tx.Amount)
		assert.Equal(t, n["queryId"], tx.QueryID)

		stored := &unionpay.AppResult{Result: unionpay.Result{OrderID: app.OrderID, TxnTime: app.TxnTime},
			PayTimeout: app.PayTimeout, Amount: app.Amount, Currency: app.Currency, TxnType: "02"}
		again, err := c.QueryUntilFinal(ctx, stored.QueryRequest(), stored.Backoff())
		require.NoError(t, err)
		assert.Equal(t, unionpay.Succeeded, again.State, "rebuilt after a restart")
		return tx
	}

	auth := hold(1000)
	comp, err := c.CompletePreAuth(ctx, e.followUp(e.order("APPCOMP"), auth.QueryID, 1150))
	require.NoError(t, err, "completion up to 115%%")
	done, err := c.QueryUntilFinal(ctx, comp.QueryRequest(), unionpay.BackBackoff())
	require.NoError(t, err)
	assert.Equal(t, unionpay.Succeeded, done.State)
	assert.Equal(t, "03", done.TxnType)

	auth2 := hold(500)
	cxl, err := c.CancelPreAuth(ctx, e.followUp(e.order("APPACXL"), auth2.QueryID, 500))
	require.NoError(t, err)
	released, err := c.QueryUntilFinal(ctx, cxl.QueryRequest(), unionpay.BackBackoff())
	require.NoError(t, err)
	assert.Equal(t, unionpay.Succeeded, released.State)
	assert.Equal(t, "32", released.TxnType)
}

// TestAppResultQueryTxnType: an AppResult's query names the txnType it was sent with, and one
// built from stored fields without TxnType (as AppResult's doc showed before AppPreAuth) still
// asks for a consume.
func TestAppResultQueryTxnType(t *testing.T) {
	t.Parallel()
	for _, tt := range []struct{ set, want string }{{"", "01"}, {"01", "01"}, {"02", "02"}} {
		app := &unionpay.AppResult{Result: unionpay.Result{OrderID: testOrder, TxnTime: testNow}, Amount: 100,
			Currency: "156", TxnType: tt.set}
		assert.Equal(t, tt.want, app.QueryRequest().TxnType, "TxnType %q", tt.set)
	}
}

package unionpay_test

import (
	"context"
	"errors"
	"net/http"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/goacp/unionpay/sign"
	"github.com/goacp/unionpay/unionpay"
)

// TestResultQueryRequest: the outcome of every back-end call, accepted (Result) or pending
// (PendingError, whatever made it so: a pending respCode, none, an HTTP status, an answer that
// does not verify), hands back the query of its transaction with every cross-check field the
// request sent: its orderId and txnTime, txnType, txnAmt, currencyCode (none for a refund,
// cancel or completion, which sends none; "156" for a Currency left "") and, for a refund,
// cancel or completion, origQryId; a payout's is asked with BizTypePayout. Each call returns a
// new copy.
func TestResultQueryRequest(t *testing.T) {
	t.Parallel()
	const orig = "782401051030000000011"
	type call = func(context.Context, *unionpay.Client) (*unionpay.Result, error)
	fu := func(m func(*unionpay.Client, context.Context, *unionpay.FollowUpRequest) (*unionpay.Result, error)) call {
		return func(ctx context.Context, c *unionpay.Client) (*unionpay.Result, error) { return m(c, ctx, followUp()) }
	}
	cd := func(m func(*unionpay.Client, context.Context, *unionpay.CardRequest) (*unionpay.Result, error)) call {
		return func(ctx context.Context, c *unionpay.Client) (*unionpay.Result, error) { return m(c, ctx, cardReq()) }
	}
	qrApplied := func(ctx context.Context, c *unionpay.Client) (*unionpay.Result, error) {
		res, err := c.ApplyQRCode(ctx, qrApplyReq())
		if err != nil {
			return nil, err
		}
		return &res.Result, nil
	}
	followUpWant := func(txnType string) unionpay.QueryRequest {
		return unionpay.QueryRequest{OrderID: "REFUND20240105001", TxnType: txnType, Amount: 150, OrigQueryID: orig}
	}
	ops := []struct {
		name string
		do   call
		want unionpay.QueryRequest // but TxnTime, the Result's
	}{
		{"consume cancel", fu((*unionpay.Client).CancelConsume), followUpWant("31")},
		{"refund", fu((*unionpay.Client).Refund), followUpWant("04")},
		{"pre-auth completion", fu((*unionpay.Client).CompletePreAuth), followUpWant("03")},
		{"pre-auth cancel", fu((*unionpay.Client).CancelPreAuth), followUpWant("32")},
		{"completion cancel", fu((*unionpay.Client).CancelPreAuthCompletion), followUpWant("33")},
		{"back consume", cd((*unionpay.Client).BackConsume), unionpay.QueryRequest{OrderID: testOrder, TxnType: "01", Amount: 1000,
			Currency: "156"}},
		{"back consume in yen", func(ctx context.Context, c *unionpay.Client) (*unionpay.Result, error) {
			r := cardReq()
			r.Currency = "392"
			return c.BackConsume(ctx, r)
		}, unionpay.QueryRequest{OrderID: testOrder, TxnType: "01", Amount: 1000, Currency: "392"}},
		{"collection", cd((*unionpay.Client).Collect), unionpay.QueryRequest{OrderID: testOrder, TxnType: "11", Amount: 1000,
			Currency: "156"}},
		{"payout", cd((*unionpay.Client).Payout), unionpay.QueryRequest{OrderID: testOrder, TxnType: "12", Amount: 1000,
			Currency: "156", BizType: unionpay.BizTypePayout}},
		{"qr consume", func(ctx context.Context, c *unionpay.Client) (*unionpay.Result, error) {
			return c.QRConsume(ctx, qrConsumeReq())
		}, unionpay.QueryRequest{OrderID: testOrder, TxnType: "01", Amount: 1000, Currency: "156"}},
		{"qr apply", qrApplied, unionpay.QueryRequest{OrderID: testOrder, TxnType: "01", Amount: 1000, Currency: "156"}},
	}
	answers := []struct {
		name    string
		answer  func(sign.Fields) reply
		pending bool
	}{
		{"accepted", func(r sign.Fields) reply {
			return reply{fields: answerTo(r, "00", sign.Fields{"qrCode": "https://qr.95516.com/00010000/1"})}
		}, false},
		{"05", func(r sign.Fields) reply { return reply{fields: answerTo(r, "05", nil)} }, true},
		{"12", func(r sign.Fields) reply { return reply{fields: answerTo(r, "12", nil)} }, true},
		{"no respCode", func(r sign.Fields) reply {
			f := answerTo(r, "00", nil)
			delete(f, "respCode")
			return reply{fields: f}
		}, true},
		{"HTTP 502", func(sign.Fields) reply { return reply{status: http.StatusBadGateway} }, true},
		{"unverified", func(r sign.Fields) reply { return reply{fields: answerTo(r, "00", nil), tamper: true} }, true},
	}
	for _, op := range ops {
		for _, a := range answers {
			t.Run(op.name+"/"+a.name, func(t *testing.T) {
				t.Parallel()
				c := newTestClient(t, newGateway(t, a.answer))
				res, err := op.do(context.Background(), c)
				var q *unionpay.QueryRequest
				var at time.Time
				if a.pending {
					var pe *unionpay.PendingError
					require.ErrorAs(t, err, &pe)
					q, at = pe.QueryRequest(), pe.TxnTime
					require.NotNil(t, q)
					q.TxnType = "99" // a copy: the next call is unchanged
					q = pe.QueryRequest()
				} else {
					require.NoError(t, err)
					q, at = res.QueryRequest(), res.TxnTime
					require.NotNil(t, q)
					q.Amount = 1 // a copy: the next call is unchanged
					q = res.QueryRequest()
				}
				assert.True(t, q.TxnTime.Equal(at) && !at.IsZero(), "TxnTime %s, sent %s", q.TxnTime, at)
				want := op.want
				want.TxnTime = q.TxnTime
				assert.Equal(t, &want, q)
			})
		}
	}
}

// TestQueryRequestNone: a Result or PendingError this package did not make, and a batch's
// (queried with QueryBatch), give no query: nil, which QueryUntilFinal refuses, rather than one
// without the fields that tell another transaction from this one.
func TestQueryRequestNone(t *testing.T) {
	t.Parallel()
	assert.Nil(t, (&unionpay.Result{OrderID: testOrder, TxnTime: testNow}).QueryRequest())
	assert.Nil(t, (&unionpay.PendingError{Op: "refund", OrderID: testOrder, TxnTime: testNow}).QueryRequest())
	// The nil *Result of a call that failed, and a nil *PendingError, give nil (which
	// QueryUntilFinal refuses, below) instead of panicking after the request left.
	assert.NotPanics(t, func() { assert.Nil(t, (*unionpay.Result)(nil).QueryRequest()) })
	assert.NotPanics(t, func() { assert.Nil(t, (*unionpay.PendingError)(nil).QueryRequest()) })
	assert.NotPanics(t, func() { assert.Nil(t, (*unionpay.AppResult)(nil).QueryRequest()) })
	assert.NotPanics(t, func() { assert.Nil(t, (*unionpay.Form)(nil).QueryRequest()) })
	// client.QueryUntilFinal(ctx, app.QueryRequest(), app.Backoff()) with a nil app is refused,
	// not a panic in the arguments.
	assert.NotPanics(t, func() { _ = (*unionpay.AppResult)(nil).Backoff() })
	assert.NotPanics(t, func() { _ = (*unionpay.Form)(nil).Backoff() })
	for _, code := range []string{"00", "05"} {
		g := newGateway(t, func(r sign.Fields) reply { return reply{fields: answerTo(r, code, nil)} })
		res, err := newTestClient(t, g).SubmitBatch(context.Background(), &unionpay.BatchRequest{
			Type: unionpay.BatchCollect, BatchNo: "0009", Records: batchRecords()})
		if code == "00" {
			require.NoError(t, err)
			assert.Nil(t, res.QueryRequest(), "a batch is queried with QueryBatch")
			continue
		}
		var pe *unionpay.PendingError
		require.ErrorAs(t, err, &pe)
		assert.Nil(t, pe.QueryRequest(), "a batch is queried with QueryBatch")
	}
	c := newTestClient(t, newGateway(t, accept(nil)))
	_, err := c.QueryUntilFinal(context.Background(), (&unionpay.PendingError{}).QueryRequest(), unionpay.BackBackoff())
	var re *unionpay.RequestError
	require.ErrorAs(t, err, &re)
	assert.Equal(t, "request", re.Field)
}

// TestQueryUntilFinalPendingQueryRequest: the PendingError that QueryUntilFinal ends with gives
// back the QueryRequest it was asked, cross-check fields and all (a copy), to ask again later.
func TestQueryUntilFinalPendingQueryRequest(t *testing.T) {
	t.Parallel()
	for _, tt := range []struct {
		name   string
		answer func(sign.Fields) reply
	}{
		{"still processing", func(r sign.Fields) reply {
			return reply{fields: answerTo(r, "00", sign.Fields{"txnType": "04", "txnAmt": "300", "origRespCode": "05"})}
		}},
		{"another transaction", func(r sign.Fields) reply {
			return reply{fields: answerTo(r, "00", sign.Fields{"txnType": "04", "txnAmt": "300", "origRespCode": "00",
				"origQryId": "782401051030000000012"})}
		}},
		{"query rejected", func(r sign.Fields) reply { return reply{fields: answerTo(r, "10", nil)} }},
	} {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			c := newTestClient(t, newGateway(t, tt.answer), func(cfg *unionpay.Config) {
				cfg.Sleep = func(context.Context, time.Duration) error { return nil }
			})
			asked := &unionpay.QueryRequest{OrderID: "REFUND20240105001", TxnTime: testNow, TxnType: "04", Amount: 300,
				OrigQueryID: "782401051030000000011", Extra: sign.Fields{"reserved": "{a=1}"}}
			_, err := c.QueryUntilFinal(context.Background(), asked, unionpay.BackBackoff())
			var pe *unionpay.PendingError
			require.ErrorAs(t, err, &pe)
			q := pe.QueryRequest()
			assert.Equal(t, asked, q)
			q.Extra["reserved"] = "{b=2}"
			assert.Equal(t, "{a=1}", asked.Extra["reserved"], "a copy")
			want := pe.QueryRequest()
			asked.OrderID, asked.Extra["reserved"] = "REFUND20240105002", "{c=3}"
			assert.Equal(t, want, pe.QueryRequest(), "the query asked, not the caller's later changes to it")
			assert.False(t, errors.Is(err, unionpay.ErrNotSent))
		})
	}
}

// TestPendingQueryOfReusedOrderID: a refund sent under an orderId and txnTime another refund (of
// another payment, for the same amount) already holds is answered 12: pending. Its
// PendingError's query finds the earlier refund, and reads it as another transaction (NotFound,
// with it in Other), where a query rebuilt from the orderId, txnTime, type and amount alone
// reads its success as this refund's, and the shopper it was meant for is never refunded.
func TestPendingQueryOfReusedOrderID(t *testing.T) {
	t.Parallel()
	e := newE2E(t)
	ctx := context.Background()
	first, second := e.paidOrder(t, false, 1000), e.paidOrder(t, false, 1000)
	at := e.srv.Now()
	r := e.followUp("REUSED"+e.order("R"), first.QueryID, 300)
	r.TxnTime = at
	res, err := e.c.Refund(ctx, r)
	require.NoError(t, err)
	done, err := e.c.Query(ctx, res.QueryRequest())
	require.NoError(t, err)
	require.Equal(t, unionpay.Succeeded, done.State, "the first refund, queried with its own query")

	r = e.followUp(r.OrderID, second.QueryID, 300) // the orderId and txnTime reused
	r.TxnTime = at
	_, err = e.c.Refund(ctx, r)
	var pe *unionpay.PendingError
	require.ErrorAs(t, err, &pe)
	require.Equal(t, "12", pe.RespCode)

	tx, err := e.c.Query(ctx, pe.QueryRequest())
	require.NoError(t, err)
	assert.Equal(t, unionpay.NotFound, tx.State, "the earlier refund is not this one")
	require.NotNil(t, tx.Other)
	assert.Equal(t, first.QueryID, tx.Other.OrigQueryID)

	byHand, err := e.c.Query(ctx, &unionpay.QueryRequest{OrderID: pe.OrderID, TxnTime: pe.TxnTime, TxnType: "04", Amount: 300})
	require.NoError(t, err)
	assert.Equal(t, unionpay.Succeeded, byHand.State, "without origQryId, the earlier refund reads as this one")
}

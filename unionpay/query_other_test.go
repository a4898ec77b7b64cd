package unionpay_test

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/goacp/unionpay/unionpay"
	"github.com/goacp/unionpay/unionpay/unionpaytest"
)

// TestQueryAnotherTransaction: a payout sent under the orderId and txnTime of a collection made
// before is answered 12; a query of that key finds the collection. With QueryRequest.TxnType or
// Amount set, the answer is read as NotFound of the payout (which is not there), never as its
// success, and QueryUntilFinal ends pending, saying another transaction holds the key.
func TestQueryAnotherTransaction(t *testing.T) {
	t.Parallel()
	e := newE2E(t)
	ctx := context.Background()
	collect := e.card(e.order("DUP"), 12345)
	res, err := e.c.Collect(ctx, collect)
	require.NoError(t, err)
	payout := e.card(res.OrderID, 500000)
	payout.TxnTime = res.TxnTime
	_, err = e.c.Payout(ctx, payout)
	var pe *unionpay.PendingError
	require.ErrorAs(t, err, &pe)
	require.Equal(t, "12", pe.RespCode)

	base := unionpay.QueryRequest{OrderID: res.OrderID, TxnTime: res.TxnTime, BizType: unionpay.BizTypePayout}
	tests := []struct {
		name    string
		txnType string
		amount  int64
		found   bool // the collection is read as the transaction asked about
	}{
		{"unchecked", "", 0, true},
		{"collection's type and amount", "11", 12345, true},
		{"collection's type", "11", 0, true},
		{"payout's type", "12", 0, false},
		{"payout's amount", "", 500000, false},
		{"payout's type and amount", "12", 500000, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := base
			r.TxnType, r.Amount = tt.txnType, tt.amount
			tx, err := e.c.Query(ctx, &r)
			require.NoError(t, err)
			if tt.found {
				assert.Equal(t, unionpay.Succeeded, tx.State)
				assert.Equal(t, "11", tx.TxnType)
				assert.Nil(t, tx.Other)
				return
			}
			assert.Equal(t, unionpay.NotFound, tx.State)
			require.NotNil(t, tx.Other)
			assert.Equal(t, res.QueryID, tx.Other.QueryID)
			assert.Empty(t, tx.TxnType)
			assert.Empty(t, tx.QueryID, "the other transaction's queryId must not be taken for this one's")
			assert.Zero(t, tx.Amount)
			assert.Equal(t, "11", tx.Raw["txnType"], "Raw keeps the answer")

			tx, err = e.c.QueryUntilFinal(ctx, &r, unionpay.Backoff{Delays: []time.Duration{0, 0}})
			require.ErrorIs(t, err, unionpay.ErrPending)
			assert.Equal(t, unionpay.NotFound, tx.State)
			assert.Contains(t, err.Error(), "name another transaction")
			assert.Contains(t, err.Error(), res.QueryID)
			var rejected *unionpay.Error
			assert.False(t, errors.As(err, &rejected))
		})
	}
}

// TestQueryExpectationsChecked: QueryRequest.TxnType must be two digits and Amount not negative.
func TestQueryExpectationsChecked(t *testing.T) {
	t.Parallel()
	e := newE2E(t)
	for _, tt := range []struct {
		field   string
		txnType string
		amount  int64
	}{{"TxnType", "1", 0}, {"TxnType", "0a", 0}, {"TxnType", "012", 0}, {"Amount", "", -1}} {
		_, err := e.c.Query(context.Background(), &unionpay.QueryRequest{OrderID: "ORDER00000001", TxnTime: e.srv.Config().Now(),
			TxnType: tt.txnType, Amount: tt.amount})
		var re *unionpay.RequestError
		require.ErrorAs(t, err, &re, "%+v", tt)
		assert.Equal(t, tt.field, re.Field)
	}
}

// heldKey makes a collection, then a payout under its orderId and txnTime (answered 12).
func heldKey(t *testing.T, e *e2e) *unionpay.Result {
	t.Helper()
	ctx := context.Background()
	res, err := e.c.Collect(ctx, e.card(e.order("HELD"), 12345))
	require.NoError(t, err)
	payout := e.card(res.OrderID, 500000)
	payout.TxnTime = res.TxnTime
	_, err = e.c.Payout(ctx, payout)
	require.ErrorIs(t, err, unionpay.ErrPending)
	return res
}

// TestQueryAnotherTransactionNeverFinal: on a front schedule past payTimeout, where a NotFound is
// final, an answer about another transaction is not: the schedule ends pending, naming it (it
// ended final, found by a review).
func TestQueryAnotherTransactionNeverFinal(t *testing.T) {
	t.Parallel()
	e := newE2E(t)
	res := heldKey(t, e)
	r := &unionpay.QueryRequest{OrderID: res.OrderID, TxnTime: res.TxnTime, TxnType: "01", Amount: 500000}
	b := unionpay.Backoff{Delays: []time.Duration{0}, FromTxnTime: true, PayTimeout: res.TxnTime.Add(-time.Hour)}
	tx, err := e.c.QueryUntilFinal(context.Background(), r, b)
	require.NotNil(t, tx)
	assert.Equal(t, unionpay.NotFound, tx.State)
	require.NotNil(t, tx.Other)
	assert.Equal(t, "11", tx.Other.TxnType)
	assert.Equal(t, int64(12345), tx.Other.Amount)
	assert.Equal(t, unionpay.Succeeded, tx.Other.State)
	require.ErrorIs(t, err, unionpay.ErrPending)
	assert.Contains(t, err.Error(), "name another transaction (txnType 11, 12345 fen, succeeded")
}

// TestQueryAnotherTransactionThenQueryFails: a first answer about another transaction, then failed
// queries: the PendingError carries no code of the other's (its query's 00, "success", read as
// this one's) and says both what was found and how the last query failed (found by a review).
func TestQueryAnotherTransactionThenQueryFails(t *testing.T) {
	t.Parallel()
	e := newE2E(t)
	res := heldKey(t, e)
	r := &unionpay.QueryRequest{OrderID: res.OrderID, TxnTime: res.TxnTime, TxnType: "12", Amount: 500000,
		BizType: unionpay.BizTypePayout}
	e.srv.FailOrder(res.OrderID, unionpaytest.FaultNone, unionpaytest.Fault5xx, unionpaytest.Fault5xx)
	tx, err := e.c.QueryUntilFinal(context.Background(), r, unionpay.Backoff{Delays: []time.Duration{0, 0, 0}})
	require.NotNil(t, tx)
	var pe *unionpay.PendingError
	require.ErrorAs(t, err, &pe)
	assert.Empty(t, pe.RespCode, "no code of the other transaction's")
	assert.Empty(t, pe.RespMsg)
	assert.Contains(t, err.Error(), "name another transaction")
	assert.Contains(t, err.Error(), "the last query")
	assert.NotContains(t, err.Error(), "\n")
}

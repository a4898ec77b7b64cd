package unionpaytest_test

import (
	"context"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/goacp/unionpay/unionpay/unionpaytest"
)

// TestLedgerLimitRepayForgotten: a front order whose declined attempt, kept when the order is
// paid again, makes the ledger forget the order itself (it was the oldest) is not paid after
// all: paying it would put it back under a new queryId, answered and in the settlement file
// but outside the ledger, never forgotten again and not counted.
func TestLedgerLimitRepayForgotten(t *testing.T) {
	t.Parallel()
	m := newMerchant(t, unionpaytest.WithLedgerLimit(2))
	result, err := m.srv.Pay(context.Background(), m.frontForm("LEDGREPA1", "2500", noBackURL), unionpaytest.DeclinedCard)
	require.NoError(t, err)
	require.Equal(t, "64", result["respCode"])
	m.call(unionpaytest.EndpointBack, m.consumeByCard("LEDGREPA2", "300")) // the ledger full: the order oldest
	code, err := m.srv.Complete("LEDGREPA1", unionpaytest.TestCard)        // its attempt makes it forgotten
	assert.Equal(t, unionpaytest.CodeNotFound, code)
	assert.ErrorContains(t, err, "forgotten under WithLedgerLimit(2)")
	assert.ErrorIs(t, err, unionpaytest.ErrForgotten)
	assert.NotErrorIs(t, err, context.Canceled, "no attempt cut short: the order was forgotten before it was paid")
	_, found := m.srv.Transaction("LEDGREPA1")
	assert.False(t, found)
	m.call(unionpaytest.EndpointBack, m.consumeByCard("LEDGREPA3", "300"))
	m.call(unionpaytest.EndpointBack, m.consumeByCard("LEDGREPA4", "300"))
	for _, r := range m.srv.Records(m.clock.Now()) {
		assert.NotEqual(t, "LEDGREPA1", r.OrderID, "not in the settlement file once forgotten")
	}
	recs := 0
	for _, x := range m.srv.Transactions() {
		assert.NotEqual(t, "LEDGREPA1", x.OrderID)
		recs++
	}
	assert.Equal(t, 2, recs)
	assert.Equal(t, 3, m.srv.Dropped().Transactions, "the order, its attempt and LEDGREPA2")
}

package unionpaytest_test

import (
	"context"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/goacp/unionpay/unionpay"
	"github.com/goacp/unionpay/unionpay/unionpaytest"
)

// TestOpenQueryChecks: the fake takes the open query (78) at backTransReq.do only, with the
// sub-types UnionPay's interface page lists (00 by card, 01 by mobile number, 02 by orderId),
// accNo required by card; it names an earlier open, so its txnTime is not held to the freshness
// window; a refusal is reported as a protocol violation.
func TestOpenQueryChecks(t *testing.T) {
	t.Parallel()
	m := newMerchant(t, unionpaytest.WithReporter(new(recorder)))
	const old = "20200101120000" // long before the gateway clock
	tests := []struct {
		name     string
		ep       unionpaytest.Endpoint
		sub, biz string
		kv       []string
		want     string
	}{
		{"by order, unknown", unionpaytest.EndpointBack, "02", "000902", []string{"orderId", "OQCHECK01", "channelType", "07", "txnTime", old}, "34"},
		{"by card, none opened", unionpaytest.EndpointBack, "00", "000301", []string{"orderId", "OQCHECK02", "channelType", "07", "accNo", unionpaytest.TestCard}, "77"},
		{"by card, accNo neither a card nor encrypted", unionpaytest.EndpointBack, "00", "000301", []string{"orderId", "OQCHECK07", "channelType", "07", "accNo", "card-6216"}, "10"},
		{"by card without accNo", unionpaytest.EndpointBack, "00", "000301", []string{"orderId", "OQCHECK03", "channelType", "07"}, "13"},
		{"sub-type 03", unionpaytest.EndpointBack, "03", "000902", []string{"orderId", "OQCHECK04", "channelType", "07"}, "10"},
		{"no channelType", unionpaytest.EndpointBack, "02", "000902", []string{"orderId", "OQCHECK05"}, "13"},
		{"at queryTrans.do", unionpaytest.EndpointQuery, "02", "000902", []string{"orderId", "OQCHECK06", "channelType", "07"}, "32"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			resp := m.call(tt.ep, m.fields("78", tt.sub, tt.biz, tt.kv...))
			assert.Equal(t, tt.want, resp["respCode"], resp["respMsg"])
		})
	}
}

// TestOpenQueryPendingFault: FaultPending on an open query, which creates no transaction, is
// answered as usual and leaves no Script behind for its orderId (Close would report it).
func TestOpenQueryPendingFault(t *testing.T) {
	t.Parallel()
	rep := new(lines)
	srv := unionpaytest.NewServer(keys(t), unionpaytest.WithReporter(rep))
	c, err := unionpay.NewClient(srv.Config())
	require.NoError(t, err)
	srv.FailOrder("OQFAULT01", unionpaytest.FaultPending)
	st, err := c.QueryOpen(context.Background(), &unionpay.OpenQueryRequest{OrderID: "OQFAULT01", TxnTime: srv.Now()})
	require.NoError(t, err)
	assert.Equal(t, unionpay.OpenNotFound, st.State)
	srv.Close()
	assert.Empty(t, rep.all())
}

// TestOpenQueryOtherTransaction: an open query by the orderId and txnTime of a transaction that
// is not an open (a consume, paid) is answered 34, no open found, as for an orderId the gateway has not
// got: never opened, nor a token.
func TestOpenQueryOtherTransaction(t *testing.T) {
	t.Parallel()
	srv := unionpaytest.NewServer(keys(t), unionpaytest.WithReporter(new(lines)))
	t.Cleanup(srv.Close)
	c, err := unionpay.NewClient(srv.Config())
	require.NoError(t, err)
	ctx := context.Background()
	app, err := c.AppConsume(ctx, &unionpay.ConsumeRequest{OrderID: "OQCONSUME01", Amount: 100,
		BackURL: "https://merchant.example/notify"})
	require.NoError(t, err)
	_, err = srv.Complete(app.OrderID, "")
	require.NoError(t, err)
	st, err := c.QueryOpen(ctx, &unionpay.OpenQueryRequest{OrderID: app.OrderID, TxnTime: app.TxnTime})
	require.NoError(t, err)
	assert.Equal(t, unionpay.OpenNotFound, st.State)
	assert.Empty(t, st.Token)
}

// TestOpenQueryByCardDeclinedOpen: by card, a card the cashier declined on the open's page is
// not opened (77); the card of an open that succeeded is.
func TestOpenQueryByCardDeclinedOpen(t *testing.T) {
	t.Parallel()
	srv := unionpaytest.NewServer(keys(t), unionpaytest.WithReporter(new(lines)))
	t.Cleanup(srv.Close)
	c, err := unionpay.NewClient(srv.Config())
	require.NoError(t, err)
	ctx := context.Background()
	for _, card := range []string{unionpaytest.DeclinedCard, unionpaytest.TestCard} {
		form, err := c.FrontOpenCard(&unionpay.FrontOpenRequest{OrderID: "OQDECL" + card[len(card)-4:], BizType: unionpay.BizTypeToken,
			TokenRequestorID: "62000000001", FrontURL: "https://merchant.example/return", BackURL: "https://merchant.example/notify"})
		require.NoError(t, err)
		_, err = srv.Pay(ctx, form.Fields, card)
		require.NoError(t, err)
	}
	for card, want := range map[string]unionpay.OpenState{unionpaytest.DeclinedCard: unionpay.CardNotOpened,
		unionpaytest.TestCard: unionpay.CardOpened} {
		st, err := c.QueryOpen(ctx, &unionpay.OpenQueryRequest{OrderID: "OQBYCARD" + card[len(card)-4:], TxnTime: srv.Now(),
			BizType: unionpay.BizTypeToken, TxnSubType: unionpay.OpenQueryByCard, AccNo: card})
		require.NoError(t, err)
		assert.Equal(t, want, st.State, card)
	}
}

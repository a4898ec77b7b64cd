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

// TestFrontConsumeB2BFields: the B2B gateway payment's form carries what UnionPay's B2B samples
// send (txnType 01, txnSubType 01, bizType 000202, channelType 07, issInsCode when given), and
// its QueryRequest queries under 000202, as those samples do.
func TestFrontConsumeB2BFields(t *testing.T) {
	srv := unionpaytest.NewServer(unionpaytest.WithClock(exampleNow))
	defer srv.Close()
	c, err := unionpay.NewClient(srv.Config())
	require.NoError(t, err)
	form, err := c.FrontConsumeB2B(&unionpay.ConsumeRequest{OrderID: "B2BORDER0001", Amount: 880000,
		FrontURL: "https://shop.example/return", BackURL: "https://shop.example/notify", IssInsCode: "ICBC",
		PayTimeout: exampleNow().Add(15 * time.Minute)})
	require.NoError(t, err)
	for k, want := range map[string]string{"txnType": "01", "txnSubType": "01", "bizType": "000202",
		"channelType": "07", "issInsCode": "ICBC", "txnAmt": "880000", "currencyCode": "156"} {
		assert.Equal(t, want, form.Fields[k], k)
	}
	q := form.QueryRequest()
	assert.Equal(t, unionpay.BizTypeB2B, q.BizType)
	assert.Equal(t, "01", q.TxnType)
	assert.Equal(t, int64(880000), q.Amount)

	b2c, err := c.FrontConsume(&unionpay.ConsumeRequest{OrderID: "B2CORDER0001", Amount: 100,
		FrontURL: "https://shop.example/return", BackURL: "https://shop.example/notify"})
	require.NoError(t, err)
	assert.Equal(t, "000201", b2c.Fields["bizType"])
	assert.Empty(t, b2c.QueryRequest().BizType, "the B2C form's query keeps the default bizType")
}

// TestFrontConsumeB2BRefused: what the B2B product does not have is refused before signing,
// naming the field.
func TestFrontConsumeB2BRefused(t *testing.T) {
	srv := unionpaytest.NewServer(unionpaytest.WithClock(exampleNow))
	defer srv.Close()
	c, err := unionpay.NewClient(srv.Config())
	require.NoError(t, err)
	base := unionpay.ConsumeRequest{OrderID: "B2BORDER0002", Amount: 100,
		FrontURL: "https://shop.example/return", BackURL: "https://shop.example/notify"}
	for _, tc := range []struct {
		name  string
		edit  func(r *unionpay.ConsumeRequest)
		field string
	}{
		{"mobile channel", func(r *unionpay.ConsumeRequest) { r.Channel = unionpay.ChannelMobile }, "Channel"},
		{"unknown channel", func(r *unionpay.ConsumeRequest) { r.Channel = "09" }, "Channel"},
		{"installments", func(r *unionpay.ConsumeRequest) { r.Installments, r.InstallmentCount = true, 6 }, "Installments"},
		{"installment count alone", func(r *unionpay.ConsumeRequest) { r.InstallmentCount = 6 }, "InstallmentCount"},
		{"no frontUrl", func(r *unionpay.ConsumeRequest) { r.FrontURL = "" }, "FrontURL"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			r := base
			tc.edit(&r)
			_, err := c.FrontConsumeB2B(&r)
			rerr, ok := errors.AsType[*unionpay.RequestError](err)
			require.True(t, ok, "%v", err)
			assert.Equal(t, tc.field, rerr.Field)
		})
	}
	_, err = c.FrontConsumeB2B(nil)
	rerr, ok := errors.AsType[*unionpay.RequestError](err)
	require.True(t, ok, "%v", err)
	assert.Equal(t, "request", rerr.Field)
	r := base
	r.Channel = " " // blank: the default, ChannelPC
	form, err := c.FrontConsumeB2B(&r)
	require.NoError(t, err)
	assert.Equal(t, "07", form.Fields["channelType"])
}

// TestB2BPaymentRefundQuery: a B2B payment is paid on the fake gateway's cashier, confirmed by
// its form's query, partly refunded under bizType 000202, and the refund confirmed by the query
// its Result hands back, which names 000202 too.
func TestB2BPaymentRefundQuery(t *testing.T) {
	srv := unionpaytest.NewServer(unionpaytest.WithClock(exampleNow))
	defer srv.Close()
	c, err := unionpay.NewClient(srv.Config())
	require.NoError(t, err)
	ctx := context.Background()
	form, err := c.FrontConsumeB2B(&unionpay.ConsumeRequest{OrderID: "B2BORDER0003", Amount: 500000,
		FrontURL: "https://shop.example/return", BackURL: "https://shop.example/notify",
		PayTimeout: exampleNow().Add(15 * time.Minute)})
	require.NoError(t, err)
	_, err = srv.Pay(ctx, form.Fields, "")
	require.NoError(t, err)
	paid, err := c.Query(ctx, form.QueryRequest())
	require.NoError(t, err)
	require.Equal(t, unionpay.Succeeded, paid.State)

	res, err := c.Refund(ctx, &unionpay.FollowUpRequest{OrderID: "B2BREFUND0003", OrigQueryID: paid.QueryID,
		Amount: 200000, BackURL: "https://shop.example/notify", BizType: unionpay.BizTypeB2B})
	require.NoError(t, err)
	q := res.QueryRequest()
	assert.Equal(t, unionpay.BizTypeB2B, q.BizType)
	refund, err := c.Query(ctx, q)
	require.NoError(t, err)
	assert.Equal(t, unionpay.Succeeded, refund.State)
	assert.Equal(t, "04", refund.TxnType)

	for _, id := range []string{"B2BORDER0003", "B2BREFUND0003"} {
		tx, ok := srv.Transaction(id)
		require.True(t, ok, id)
		assert.Equal(t, "000202", tx.BizType, id)
	}
	orig, _ := srv.Transaction("B2BORDER0003")
	assert.Equal(t, int64(200000), orig.Refunded)
}

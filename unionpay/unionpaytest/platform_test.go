package unionpaytest_test

import (
	"context"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/goacp/unionpay/unionpay"
	"github.com/goacp/unionpay/unionpay/unionpaytest"
)

// TestPlatformSubMerchantsApart: a platform's sub-merchant cannot refund or cancel another's
// payment (36: money would move between their settlements), and a query answer names the
// transaction's sub-merchant, not the one that asked (a platform's trial found both).
func TestPlatformSubMerchantsApart(t *testing.T) {
	t.Parallel()
	clock := newClock()
	srv := unionpaytest.NewServer(unionpaytest.WithClock(clock.Now), keys(t), unionpaytest.WithReporter(t))
	t.Cleanup(srv.Close)
	shop := func(id, abbr string) *unionpay.Client {
		cfg := srv.Config()
		cfg.AccessType = unionpay.AccessPlatform
		cfg.SubMerchant = unionpay.SubMerchant{ID: id, Name: abbr + "有限公司", Abbr: abbr}
		c, err := unionpay.NewClient(cfg)
		require.NoError(t, err)
		return c
	}
	a, b := shop("898111100000001", "甲店"), shop("898111100000002", "乙店")
	ctx := context.Background()
	pay, err := a.BackConsume(ctx, &unionpay.CardRequest{OrderID: "SHOPAPAY01", Amount: 10000, AccNo: unionpaytest.TestCard,
		BackURL: "http://127.0.0.1:1/n", Customer: &unionpay.Customer{Phone: "13552535506", SMSCode: "111111"}})
	require.NoError(t, err)

	_, err = b.Refund(ctx, &unionpay.FollowUpRequest{OrderID: "SHOPBREF01", OrigQueryID: pay.QueryID, Amount: 100,
		BackURL: "http://127.0.0.1:1/n"})
	var rejected *unionpay.Error
	require.ErrorAs(t, err, &rejected)
	assert.Equal(t, "36", rejected.RespCode)
	_, err = b.CancelConsume(ctx, &unionpay.FollowUpRequest{OrderID: "SHOPBCAN01", OrigQueryID: pay.QueryID, Amount: 10000,
		BackURL: "http://127.0.0.1:1/n"})
	require.ErrorAs(t, err, &rejected)
	assert.Equal(t, "36", rejected.RespCode)

	_, err = a.Refund(ctx, &unionpay.FollowUpRequest{OrderID: "SHOPAREF01", OrigQueryID: pay.QueryID, Amount: 100,
		BackURL: "http://127.0.0.1:1/n"})
	require.NoError(t, err, "the owner may")

	tx, err := b.Query(ctx, &unionpay.QueryRequest{OrderID: "SHOPAPAY01", TxnTime: pay.TxnTime})
	require.NoError(t, err)
	assert.Equal(t, "898111100000001", tx.Raw["subMerId"], "the transaction's sub-merchant")
	assert.Equal(t, "甲店", tx.Raw["subMerAbbr"])
}

package unionpaytest_test

import (
	"context"
	"fmt"
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

	// Nor across a sub-merchant and the merchant itself (accessType 0), either way.
	plain := platformShop(t, srv, "", "")
	_, err = plain.Refund(ctx, &unionpay.FollowUpRequest{OrderID: "PLAINREF01", OrigQueryID: pay.QueryID, Amount: 100,
		BackURL: "http://127.0.0.1:1/n"})
	require.ErrorAs(t, err, &rejected)
	assert.Equal(t, "36", rejected.RespCode)
	own, err := plain.BackConsume(ctx, &unionpay.CardRequest{OrderID: "PLAINPAY02", Amount: 10000, AccNo: unionpaytest.TestCard,
		BackURL: "http://127.0.0.1:1/n", Customer: &unionpay.Customer{Phone: "13552535506", SMSCode: "111111"}})
	require.NoError(t, err)
	_, err = a.Refund(ctx, &unionpay.FollowUpRequest{OrderID: "SHOPAREF02", OrigQueryID: own.QueryID, Amount: 100,
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

// platformShop is a Client of the platform's sub-merchant id, or of the merchant itself for "".
func platformShop(t *testing.T, srv *unionpaytest.Server, id, abbr string) *unionpay.Client {
	t.Helper()
	cfg := srv.Config()
	if id != "" {
		cfg.AccessType = unionpay.AccessPlatform
		cfg.SubMerchant = unionpay.SubMerchant{ID: id, Name: abbr + "有限公司", Abbr: abbr}
	}
	c, err := unionpay.NewClient(cfg)
	require.NoError(t, err)
	return c
}

// TestPlatformBatchRefundOwnPayment: a platform's batch refund of its own sub-merchant's payment
// goes through: the batch request's sub-merchant is each row's (every row was refused 36; found
// by a review).
func TestPlatformBatchRefundOwnPayment(t *testing.T) {
	t.Parallel()
	clock := newClock()
	srv := unionpaytest.NewServer(unionpaytest.WithClock(clock.Now), keys(t), unionpaytest.WithReporter(t))
	t.Cleanup(srv.Close)
	a := platformShop(t, srv, "898111100000001", "甲店")
	ctx := context.Background()
	pay, err := a.BackConsume(ctx, &unionpay.CardRequest{OrderID: "PBREFPAY01", Amount: 10000, AccNo: unionpaytest.TestCard,
		BackURL: "http://127.0.0.1:1/n", Customer: &unionpay.Customer{Phone: "13552535506", SMSCode: "111111"}})
	require.NoError(t, err)
	file := fmt.Sprintf("5.0.0|100|1||\norderId|txnAmt|origQryId\nPBREFROW01|100|%s", pay.QueryID)
	res, err := a.SubmitBatch(ctx, &unionpay.BatchRequest{Type: unionpay.BatchRefund, BatchNo: "0001", File: []byte(file),
		TotalQty: 1, TotalAmount: 100})
	require.NoError(t, err)
	st, err := a.QueryBatch(ctx, &unionpay.BatchQueryRequest{Type: unionpay.BatchRefund, BatchNo: "0001", TxnTime: res.TxnTime})
	require.NoError(t, err)
	assert.Contains(t, string(st.File), "PBREFROW01|100|", "the sub-merchant refunds its own payment")
	assert.NotContains(t, string(st.File), "|36|")
	tx, err := a.Query(ctx, &unionpay.QueryRequest{OrderID: "PBREFROW01", TxnTime: res.TxnTime})
	require.NoError(t, err)
	assert.Equal(t, unionpay.Succeeded, tx.State)
}

// TestQueryAnswerNamesNoSubMerchant: a query by a platform's sub-merchant of a transaction made
// without one: the answer does not name the asker as the transaction's sub-merchant (found by a
// review).
func TestQueryAnswerNamesNoSubMerchant(t *testing.T) {
	t.Parallel()
	clock := newClock()
	srv := unionpaytest.NewServer(unionpaytest.WithClock(clock.Now), keys(t), unionpaytest.WithReporter(t))
	t.Cleanup(srv.Close)
	plain, b := platformShop(t, srv, "", ""), platformShop(t, srv, "898111100000002", "乙店")
	ctx := context.Background()
	pay, err := plain.BackConsume(ctx, &unionpay.CardRequest{OrderID: "PLAINPAY01", Amount: 10000, AccNo: unionpaytest.TestCard,
		BackURL: "http://127.0.0.1:1/n", Customer: &unionpay.Customer{Phone: "13552535506", SMSCode: "111111"}})
	require.NoError(t, err)
	tx, err := b.Query(ctx, &unionpay.QueryRequest{OrderID: "PLAINPAY01", TxnTime: pay.TxnTime})
	require.NoError(t, err)
	assert.Empty(t, tx.Raw["subMerId"], "the transaction has no sub-merchant")
	assert.Empty(t, tx.Raw["subMerAbbr"])
	assert.Equal(t, "0", tx.Raw["accessType"])
}

// TestBatchRowsCarryTheirOwner: an acquirer's (or a platform's) batch payout rows settle under the
// acqInsCode (subMerId) the batch request sent, as its single transactions do (found by a review).
func TestBatchRowsCarryTheirOwner(t *testing.T) {
	t.Parallel()
	for _, tt := range []struct {
		name string
		edit func(*unionpay.Config)
	}{
		{"acquirer", func(c *unionpay.Config) { c.AccessType, c.AcquirerCode = unionpay.AccessAcquirer, "48021000123" }},
		{"platform", func(c *unionpay.Config) {
			c.AccessType, c.SubMerchant = unionpay.AccessPlatform, unionpay.SubMerchant{ID: "898111100000001", Name: "甲店有限公司", Abbr: "甲店"}
		}},
	} {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			clock := newClock()
			srv := unionpaytest.NewServer(unionpaytest.WithClock(clock.Now), keys(t), unionpaytest.WithReporter(t))
			t.Cleanup(srv.Close)
			cfg := srv.Config()
			tt.edit(&cfg)
			c, err := unionpay.NewClient(cfg)
			require.NoError(t, err)
			_, err = c.SubmitBatch(context.Background(), &unionpay.BatchRequest{Type: unionpay.BatchPayout, BatchNo: "0001",
				Records: []unionpay.BatchRecord{{OrderID: "BATCHOWN01", Amount: 100, AccType: "01", AccNo: "6216261000000000018",
					CustomerName: "张三"}}})
			require.NoError(t, err)
			recs := srv.Records(clock.Now())
			require.Len(t, recs, 1)
			if tt.name == "acquirer" {
				assert.Equal(t, "48021000123", recs[0].AcqInsCode)
			} else {
				assert.Equal(t, "898111100000001", recs[0].SubMerID)
			}
		})
	}
}

package unionpaytest_test

import (
	"context"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/goacp/unionpay/reconcile"
	"github.com/goacp/unionpay/unionpay"
	"github.com/goacp/unionpay/unionpay/unionpaytest"
)

// The merchant pays the fee of a payout, as of a payment to it: a payout's record is debited
// its amount and its fee (fee and settlement negative), where a refund gives the payment's fee
// back (fee positive, settlement the amount less the fee, negative).
func TestSettlementPayoutSigns(t *testing.T) {
	t.Parallel()
	srv, c, c0 := clientGateway(t)
	var err error
	_, err = c.Payout(context.Background(), &unionpay.CardRequest{OrderID: "PAYOUTFEE001", Amount: 12345,
		AccNo: unionpaytest.TestCard, BackURL: "https://shop.example/notify", Customer: &unionpay.Customer{Name: "张三"}})
	require.NoError(t, err)
	m := newMerchant(t)
	in := "http://127.0.0.1:1/n"
	q := m.appConsume("FEEPAY0001", "12345", in)
	require.Equal(t, "00", m.back("04", "FEEREF0001", q, "12345", in)["respCode"])

	byOrder := func(recs []reconcile.Record) map[string]reconcile.Record {
		out := map[string]reconcile.Record{}
		for _, r := range recs {
			out[r.OrderID] = r
		}
		return out
	}
	payout := byOrder(srv.Records(c0.Now()))["PAYOUTFEE001"]
	assert.Equal(t, "12", payout.TxnType)
	assert.Equal(t, int64(12345), payout.TxnAmt)
	assert.Equal(t, int64(-74), payout.MerchantFee, "the merchant pays the payout's fee")
	assert.Equal(t, int64(-12419), payout.SettleAmt, "amount and fee debited")
	assert.Equal(t, payout.SettleAmt, payout.NetSettleAmt)

	recs := byOrder(m.srv.Records(m.clock.Now()))
	assert.Equal(t, int64(-74), recs["FEEPAY0001"].MerchantFee)
	assert.Equal(t, int64(12271), recs["FEEPAY0001"].SettleAmt)
	assert.Equal(t, int64(74), recs["FEEREF0001"].MerchantFee, "a refund gives the fee back")
	assert.Equal(t, int64(-12271), recs["FEEREF0001"].SettleAmt)
}

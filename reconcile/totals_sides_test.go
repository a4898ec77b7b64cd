package reconcile_test

import (
	"testing"

	"github.com/stretchr/testify/assert"

	"github.com/goacp/unionpay/reconcile"
)

// TestTotalsSidesAsDocumented pins what Totals' and Record's docs tell a merchant's books: Fees is
// negative for fees charged, a refund's fee given back positive; Net, each record's SettleAmt
// (its signed txnAmt plus its fee), adds up over the classes to the RD report's net as a Tally
// counts it; and the Tally's Total splits the gross Amount into payments (TxnCredit) and refunds
// (TxnDebit), the sign of SettleAmt - MerchantFee deciding the side whatever the TxnType.
func TestTotalsSidesAsDocumented(t *testing.T) {
	t.Parallel()
	pay := reconcile.Record{OrderID: "PAY1", TxnType: "01", TxnAmt: 39900, MerchantFee: -239, SettleAmt: 39661}
	refund := reconcile.Record{OrderID: "REF1", TxnType: "04", TxnAmt: 9900, MerchantFee: 59, SettleAmt: -9841}
	undo := reconcile.Record{OrderID: "UND1", TxnType: "31", TxnAmt: 4500, MerchantFee: 27, SettleAmt: -4473}
	for _, tc := range []struct {
		name                    string
		results                 []reconcile.Result
		payments, refunds, fees int64
		net                     int64
	}{
		{"payment and refund matched", []reconcile.Result{
			{Class: reconcile.Matched, Record: pay, Order: reconcile.Order{Amount: 39900}},
			{Class: reconcile.Matched, Record: refund, Order: reconcile.Order{Amount: 9900}},
		}, 39900, 9900, -239 + 59, 39661 - 9841},
		{"an undo unknown to the merchant is a debit too", []reconcile.Result{
			{Class: reconcile.Matched, Record: pay, Order: reconcile.Order{Amount: 39900}},
			{Class: reconcile.UnknownToMerchant, Record: undo},
		}, 39900, 4500, -239 + 27, 39661 - 4473},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var rep reconcile.Report
			var tally reconcile.Tally
			for _, res := range tc.results {
				rep.Add(res)
				tally.Add(&res.Record)
				assert.Equal(t, res.Record.SettleAmt, signed(res.Record)+res.Record.MerchantFee, res.Record.OrderID)
			}
			var amount, fees, net int64
			for _, c := range reconcile.Classes() {
				amount, fees, net = amount+rep.Totals[c].Amount, fees+rep.Totals[c].Fees, net+rep.Totals[c].Net
			}
			assert.Equal(t, tc.payments+tc.refunds, amount, "Amount is gross")
			assert.Equal(t, tc.fees, fees)
			assert.Equal(t, tc.net, net)
			assert.Equal(t, tc.payments-tc.refunds+tc.fees, net, "Net is payments less refunds plus Fees")
			assert.Equal(t, tc.payments, tally.Total.TxnCredit)
			assert.Equal(t, tc.refunds, tally.Total.TxnDebit)
			assert.Equal(t, net, tally.Total.NetCredit-tally.Total.NetDebit, "the RD report's net")
		})
	}
}

// signed is a record's txnAmt with the sign of the money's direction, as Record's doc tells it.
func signed(r reconcile.Record) int64 {
	if r.SettleAmt-r.MerchantFee < 0 {
		return -r.TxnAmt
	}
	return r.TxnAmt
}

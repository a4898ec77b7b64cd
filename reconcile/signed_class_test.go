package reconcile

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestSignedTxnAmt: the unsigned TxnAmt gets the sign of the money's direction, as Tally sides
// the record; a day's signed sum is the Tally's TxnCredit less TxnDebit.
func TestSignedTxnAmt(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name string
		r    Record
		want int64
	}{
		{"payment, fee charged", Record{TxnType: "01", TxnAmt: 476800, MerchantFee: -2861, SettleAmt: 473939}, 476800},
		{"refund, fee returned", Record{TxnType: "04", TxnAmt: 1000, MerchantFee: 6, SettleAmt: -994}, -1000},
		{"refund, no fee", Record{TxnType: "04", TxnAmt: 1000, SettleAmt: -1000}, -1000},
		{"zero refund", Record{TxnType: "04"}, 0},
		{"zero payment", Record{TxnType: "01"}, 0},
		{"undo (31) by its sign", Record{TxnType: "31", TxnAmt: 500, SettleAmt: -500}, -500},
		{"completion (03)", Record{TxnType: "03", TxnAmt: 800, MerchantFee: -5, SettleAmt: 795}, 800},
		{"payment below its fee: SettleAmt negative, still a credit", Record{TxnType: "01", TxnAmt: 1, MerchantFee: -2, SettleAmt: -1}, 1},
		{"refund below the fee it returns: SettleAmt positive, still a debit", Record{TxnType: "04", TxnAmt: 1, MerchantFee: 2, SettleAmt: 1}, -1},
	}
	var tally Tally
	var sum int64
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			assert.Equal(t, tt.want, tt.r.SignedTxnAmt())
		})
		tally.Add(&tt.r)
		sum += tt.r.SignedTxnAmt()
	}
	assert.Equal(t, tally.Total.TxnCredit-tally.Total.TxnDebit, sum)
}

// TestParseClass: every class's String reads back; anything else is an error quoting it.
func TestParseClass(t *testing.T) {
	t.Parallel()
	for _, c := range Classes() {
		got, err := ParseClass(c.String())
		require.NoError(t, err)
		assert.Equal(t, c, got)
	}
	for _, s := range []string{"", "Matched", "matched ", "Class(9)"} {
		_, err := ParseClass(s)
		require.Error(t, err, "%q", s)
		assert.Contains(t, err.Error(), "reconcile: class ")
	}
}

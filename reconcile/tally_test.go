package reconcile

import (
	"testing"

	"github.com/stretchr/testify/require"
)

// TestCheckGrossAmounts: a report whose transaction amounts differ from the records by equal
// sums on both sides (300.00 paid and 100.00 refunded, against 250.00 and 50.00: same count, same
// net) is a mismatch. Check used to compare credit minus debit only. Found in the third session's
// review.
func TestCheckGrossAmounts(t *testing.T) {
	var tally Tally
	tally.Add(&Record{TxnType: "01", PayCardType: "01", TxnAmt: 25000, SettleAmt: 25000})
	tally.Add(&Record{TxnType: "04", PayCardType: "01", TxnAmt: 5000, SettleAmt: -5000})
	rd := &Summary{Total: SummaryRow{Label: "总计", Count: 2, TxnCredit: 30000, TxnDebit: 10000, NetCredit: 30000, NetDebit: 10000}}
	rd.ByTxnType = []SummaryRow{rd.Total}
	err := rd.Check(&tally)
	require.ErrorIs(t, err, ErrMismatch)
	var me *MismatchError
	require.ErrorAs(t, err, &me)
	require.Contains(t, me.Diffs, Diff{Row: rdTotal, Column: "txn-gross", Want: 40000, Got: 30000})
}

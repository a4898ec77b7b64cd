package reconcile

import (
	"math"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestTallyZeroAmount: a record with txnAmt 0 (a fee-only adjustment, say) is no error:
// only a negative txnAmt is.
func TestTallyZeroAmount(t *testing.T) {
	t.Parallel()
	var tally Tally
	tally.Add(&Record{TxnType: "01", TxnAmt: 0, MerchantFee: 3, SettleAmt: -3})
	require.NoError(t, tally.Err())
}

// TestTallyOverflowNamesTheFirstRecord: Err names the first record from which the totals
// are wrong, not the last nor the first record counted.
func TestTallyOverflowNamesTheFirstRecord(t *testing.T) {
	t.Parallel()
	var tally Tally
	tally.Add(&Record{TxnType: "01", TxnAmt: 1})
	tally.Add(&Record{TxnType: "01", TxnAmt: -1})
	tally.Add(&Record{TxnType: "01", TxnAmt: -2})
	require.ErrorIs(t, tally.Err(), ErrOverflow)
	assert.Contains(t, tally.Err().Error(), "from record 2 on")
}

// TestTallyDebitOverflow: the txnAmt debit sum (records whose settleAmt is below their fee,
// refunds) overflowing is caught too (only the credit side was tested).
func TestTallyDebitOverflow(t *testing.T) {
	t.Parallel()
	var tally Tally
	tally.Add(&Record{TxnType: "04", TxnAmt: math.MaxInt64, SettleAmt: -1})
	require.NoError(t, tally.Err())
	tally.Add(&Record{TxnType: "04", TxnAmt: 1, SettleAmt: -1})
	require.ErrorIs(t, tally.Err(), ErrOverflow)
}

// TestCSVTextCarriageReturn: a cell starting with a carriage return or a tab is made text too,
// as CSVText's doc says: the character is escaped, so the cell starts with a backslash.
func TestCSVTextCarriageReturn(t *testing.T) {
	t.Parallel()
	assert.Equal(t, `\r=1+1`, CSVText("\r=1+1"))
	assert.Equal(t, `\t=1+1`, CSVText("\t=1+1"))
	assert.Equal(t, "", CSVText(""))
	assert.Equal(t, "SHOP=1", CSVText("SHOP=1"))
}

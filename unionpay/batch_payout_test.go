package unionpay_test

import (
	"context"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/goacp/unionpay/sign"
	"github.com/goacp/unionpay/unionpay"
)

// TestSubmitBatchPayoutPendingCodes: a payout batch answered 01, 34 or 60 is pending, as a single
// payout is: UnionPay's payout product asks for a query after them, and the rows may already be
// paid (a payout merchant's trial: it was an *Error, "nothing happened", and resending the batch
// under new orderIds would pay every courier twice). A collection batch so answered is refused.
func TestSubmitBatchPayoutPendingCodes(t *testing.T) {
	t.Parallel()
	for _, code := range []string{"01", "34", "60"} {
		answer := func(r sign.Fields) reply { return reply{fields: answerTo(r, code, nil)} }
		_, err := newTestClient(t, newGateway(t, answer)).SubmitBatch(context.Background(),
			&unionpay.BatchRequest{Type: unionpay.BatchPayout, BatchNo: "0004", Records: batchRecords()})
		var pe *unionpay.PendingError
		require.ErrorAs(t, err, &pe, "payout batch %s", code)
		assert.Equal(t, code, pe.RespCode)

		_, err = newTestClient(t, newGateway(t, answer)).SubmitBatch(context.Background(),
			&unionpay.BatchRequest{Type: unionpay.BatchCollect, BatchNo: "0004", Records: batchRecords()})
		var ue *unionpay.Error
		require.ErrorAs(t, err, &ue, "collection batch %s", code)
	}
}

// TestSubmitBatchControlTotals: totals given with Records are control totals; rows that do not add
// up to them are refused before anything is sent, naming the field (they were recomputed
// silently: a trial's "100 fen, 1 row" went out as 300 fen, 2 rows). Two rows with one orderId
// are refused too.
func TestSubmitBatchControlTotals(t *testing.T) {
	t.Parallel()
	recs := batchRecords()
	var sum int64
	for _, r := range recs {
		sum += r.Amount
	}
	for _, tt := range []struct {
		name   string
		qty    int
		amount int64
		dup    bool
		field  string
	}{
		{"computed", 0, 0, false, ""},
		{"agreeing", len(recs), sum, false, ""},
		{"another count", len(recs) + 1, sum, false, "TotalQty"},
		{"another amount", len(recs), sum - 1, false, "TotalAmount"},
		{"amount alone, wrong", 0, sum + 100, false, "TotalAmount"},
		{"one orderId twice", 0, 0, true, "Records[1].OrderID"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			g := newGateway(t, accept(nil))
			rs := batchRecords()
			if tt.dup {
				rs[1].OrderID = rs[0].OrderID
			}
			res, err := newTestClient(t, g).SubmitBatch(context.Background(), &unionpay.BatchRequest{Type: unionpay.BatchPayout,
				BatchNo: "0005", Records: rs, TotalQty: tt.qty, TotalAmount: tt.amount})
			if tt.field == "" {
				require.NoError(t, err)
				assert.Equal(t, sum, res.TotalAmount)
				return
			}
			var re *unionpay.RequestError
			require.ErrorAs(t, err, &re)
			assert.Equal(t, tt.field, re.Field)
			assert.Zero(t, g.count(), "nothing sent")
		})
	}
}

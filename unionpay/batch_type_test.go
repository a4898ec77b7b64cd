package unionpay_test

import (
	"context"
	"errors"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/goacp/unionpay/sign"
	"github.com/goacp/unionpay/unionpay"
)

// TestBatchRowOfAnotherProduct: a row's BizType may only repeat the batch's. A collection row
// (000501) in a payout batch, or a payout row (000401) in a collection batch, would move money
// the other way than the batch says; it is refused before anything is sent, naming the row.
func TestBatchRowOfAnotherProduct(t *testing.T) {
	t.Parallel()
	for _, tt := range []struct {
		name   string
		typ    unionpay.BatchType
		rowBiz string
		field  string // "" accepted
	}{
		{"payout batch, collection row", unionpay.BatchPayout, "000501", "Records[1].BizType"},
		{"collection batch, payout row", unionpay.BatchCollect, "000401", "Records[1].BizType"},
		{"payout batch, the batch's own", unionpay.BatchPayout, "000401", ""},
		{"payout batch, the batch's own, spaced", unionpay.BatchPayout, " 000401 ", ""},
		{"payout batch, blank", unionpay.BatchPayout, "  ", ""},
	} {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			g := newGateway(t, accept(nil))
			rows := batchRecords()
			rows[1].BizType = tt.rowBiz
			_, err := newTestClient(t, g).SubmitBatch(context.Background(), &unionpay.BatchRequest{
				Type: tt.typ, BatchNo: "0010", Records: rows})
			if tt.field == "" {
				require.NoError(t, err)
				return
			}
			var re *unionpay.RequestError
			require.ErrorAs(t, err, &re)
			assert.Equal(t, tt.field, re.Field)
			assert.Zero(t, g.count(), "nothing sent")
		})
	}
}

// TestBatchAnswerOfAnotherType: batchNo is unique per day whatever the type, so an answer
// naming another txnSubType (the batch's type) under the same batchNo and txnTime is about another
// batch (a collection where a payout was sent): it tells nothing of this one. A submission's
// outcome stays unknown (pending, not accepted, not rejected: a rejected payout batch would be
// sent again), a batch query's answer is not read (its file would be the other batch's rows).
func TestBatchAnswerOfAnotherType(t *testing.T) {
	t.Parallel()
	for _, tt := range []struct {
		name  string
		code  string
		extra sign.Fields
		ok    bool
	}{
		{"accepted, another txnSubType", "00", sign.Fields{"txnSubType": "02"}, false},
		{"rejected, another txnSubType", "14", sign.Fields{"txnSubType": "02", "bizType": "000501"}, false},
		{"accepted, its own", "00", nil, true},
		// UnionPay's answers do not always echo bizType as sent (docs/SECURITY.md): not compared.
		{"accepted, another bizType alone", "00", sign.Fields{"bizType": "000000"}, true},
	} {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			g := newGateway(t, func(r sign.Fields) reply { return reply{fields: answerTo(r, tt.code, tt.extra)} })
			c := newTestClient(t, g)
			ctx := context.Background()
			_, err := c.SubmitBatch(ctx, &unionpay.BatchRequest{Type: unionpay.BatchPayout, BatchNo: "0011",
				TxnTime: testNow, Records: batchRecords()})
			st, qerr := c.QueryBatch(ctx, &unionpay.BatchQueryRequest{Type: unionpay.BatchPayout, BatchNo: "0011",
				TxnTime: testNow})
			if tt.ok {
				require.NoError(t, err)
				require.NoError(t, qerr)
				assert.Equal(t, "00", st.RespCode)
				return
			}
			require.ErrorIs(t, err, unionpay.ErrPending)
			var rejected *unionpay.Error
			assert.False(t, errors.As(err, &rejected), "not a rejection: %v", err)
			require.Error(t, qerr)
			assert.Nil(t, st)
			assert.False(t, errors.As(qerr, &rejected), "not the batch's answer: %v", qerr)
			assert.Contains(t, qerr.Error(), "answer is for")
		})
	}
}

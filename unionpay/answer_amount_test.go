package unionpay_test

import (
	"context"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/goacp/unionpay/sign"
	"github.com/goacp/unionpay/unionpay"
)

// TestAnswerOfAnotherAmount: a genuine, signed answer echoing this request's orderId, txnTime,
// merId and txnType but another txnAmt, currencyCode or origQryId is about another request
// under the same orderId and txnTime (the answer to a first copy sent for another amount or
// original, replayed by a proxy or cache). Taken for this one, a refund of 150 fen was
// reported accepted on the answer to a refund of 100 (or of another payment): the merchant
// books money UnionPay never moved. A call that moves money is then pending, to be settled
// by a query (which compares QueryRequest.Amount); the same values, a txnAmt with leading
// zeros, and an answer without them are accepted as before.
func TestAnswerOfAnotherAmount(t *testing.T) {
	t.Parallel()
	for _, tt := range []struct {
		name   string
		extra  sign.Fields
		refund bool   // a refund (txnAmt 150, origQryId 782401051030000000011), else a back consume (1000, 156)
		wrong  string // the error names this; "" = accepted
	}{
		{"refund answered for 100 fen", sign.Fields{"txnAmt": "100"}, true, `answer is for txnAmt "100", not "150"`},
		{"refund answered for an unreadable amount", sign.Fields{"txnAmt": "+150"}, true, `answer is for txnAmt "+150", not "150"`},
		{"refund answered for another original", sign.Fields{"txnAmt": "150", "origQryId": "782401051030000000012"}, true,
			`answer is for origQryId "782401051030000000012", not "782401051030000000011"`},
		{"back consume answered in another currency", sign.Fields{"txnAmt": "1000", "currencyCode": "840"}, false,
			`answer is for currencyCode "840", not "156"`},
		{"refund answered for the amount sent", sign.Fields{"txnAmt": "150", "origQryId": "782401051030000000011"}, true, ""},
		{"refund answered with leading zeros", sign.Fields{"txnAmt": "000000000150"}, true, ""},
		{"refund answered without them", nil, true, ""},
		{"back consume answered for the amount sent", sign.Fields{"txnAmt": "1000", "currencyCode": "156"}, false, ""},
	} {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			c := newTestClient(t, newGateway(t, accept(tt.extra)))
			var res *unionpay.Result
			var err error
			if tt.refund {
				res, err = c.Refund(context.Background(), followUp())
			} else {
				res, err = c.BackConsume(context.Background(), cardReq())
			}
			if tt.wrong == "" {
				require.NoError(t, err)
				assert.Equal(t, "00", res.RespCode)
				return
			}
			require.ErrorIs(t, err, unionpay.ErrPending)
			assert.Nil(t, res)
			assert.Contains(t, err.Error(), tt.wrong)
		})
	}
}

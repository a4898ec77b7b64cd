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

// TestQRCodeMixedUpAnswers: a verified 00 answer that names another orderId, txnTime, merId or
// txnType than the QR-code request is about another transaction (a proxy's mix-up, a replay),
// so it tells nothing of this one: both calls are pending, as the other calls that create an
// order or move money are, and the application returns no code to show. (txnAmt and
// currencyCode are compared by no synchronous answer; Query's QueryRequest.Amount and the
// notification's TxnAmt are where the amount is checked.)
func TestQRCodeMixedUpAnswers(t *testing.T) {
	t.Parallel()
	const code = "https://qr.95516.com/00010000/62000000000000000000000000000001"
	for _, tt := range []struct {
		name  string
		field string
		value string
	}{
		{"another orderId", "orderId", "OTHER0000001"},
		{"another txnTime", "txnTime", "20240105103001"},
		{"another merId", "merId", "777290058110097"},
		{"another txnType", "txnType", "04"},
		{"the same", "", ""},
	} {
		for _, call := range []struct {
			name string
			do   qrCall
		}{
			{"apply", qrApply(func(*unionpay.QRCodeRequest) {})},
			{"consume", qrConsume(func(*unionpay.QRConsumeRequest) {})},
		} {
			t.Run(call.name+", "+tt.name, func(t *testing.T) {
				t.Parallel()
				g := newGateway(t, func(r sign.Fields) reply {
					f := answerTo(r, "00", sign.Fields{"qrCode": code})
					if tt.field != "" {
						f[tt.field] = tt.value
					}
					return reply{fields: f}
				})
				res, err := call.do(newTestClient(t, g), context.Background())
				if tt.field == "" {
					require.NoError(t, err)
					assert.Equal(t, testOrder, res.OrderID)
					return
				}
				assert.Nil(t, res)
				var pe *unionpay.PendingError
				require.ErrorAs(t, err, &pe)
				assert.Equal(t, testOrder, pe.OrderID)
				assert.ErrorContains(t, err, tt.field)
				var re *unionpay.Error
				assert.False(t, errors.As(err, &re), "not a rejection")
			})
		}
	}
}

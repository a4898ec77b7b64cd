package unionpay_test

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/goacp/unionpay/internal/readmerecipe"
	"github.com/goacp/unionpay/sign"
	"github.com/goacp/unionpay/unionpay"
)

// TestDeployRefundPartResend: README's RefundPart, "called again after a crash" while txnTime
// is still current (a rolling restart takes seconds), sends the refund a second time. Its first
// copy went through (the answer was lost in the restart). The copy is answered with a business
// rejection (33, "over the refundable amount": the first copy used it all up) or with 12 (a
// duplicate); either way RefundPart must not return "refund refused", which its contract says
// means nothing was refunded, while the money moved.
//   - refused 33, then found: README's own rule ("if the same orderId may have been sent before,
//     query that first copy before anything else") gives the first copy's outcome, succeeded.
//     (The fake gateway checks duplicates first and answers 12; which check the real gateway
//     makes first is not documented.)
//   - 12, then not found yet (34): a duplicate proves UnionPay holds something under refundID,
//     so the outcome is unknown (pending), never refused.
func TestDeployRefundPartResend(t *testing.T) {
	found := answerTo(sign.Fields{"txnType": "04"}, "00", sign.Fields{"origRespCode": "00", "origRespMsg": "成功[0000000]",
		"txnAmt": "100", "settleAmt": "100", "settleDate": "0105", "traceNo": "123456"})
	for _, tc := range []struct {
		name          string
		copyCode, msg string
		query         sign.Fields // the query's answer, completed with the query's own fields
		pending       bool        // the outcome RefundPart reports: pending, else succeeded
	}{
		{"refused 33, then found", "33", "退货金额超限", found, false},
		{"duplicate 12, not found yet", "12", "重复交易", sign.Fields{"respCode": "34", "respMsg": "查无此交易"}, true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			sends := 0
			g := newGateway(t, func(req sign.Fields) reply {
				switch req["txnType"] {
				case "04":
					sends++
					if sends == 1 {
						return reply{status: 502} // the first copy took effect; its answer was lost
					}
					return reply{fields: answerTo(req, tc.copyCode, sign.Fields{"respMsg": tc.msg})}
				case "00":
					return reply{fields: answerTo(req, tc.query["respCode"], tc.query)}
				}
				return reply{status: 500}
			})
			c := newTestClient(t, g, func(cfg *unionpay.Config) {
				cfg.Sleep = func(ctx context.Context, d time.Duration) error { return ctx.Err() }
			})
			ctx, cancel := context.WithCancel(context.Background())
			txnTime := testNow
			// first process: the call is in flight when SIGTERM arrives
			_, err := c.Refund(ctx, &unionpay.FollowUpRequest{OrderID: "REFUND20240105001",
				OrigQueryID: "782401051030000000011", Amount: 100, TxnTime: txnTime, BackURL: testNotify})
			cancel()
			require.ErrorIs(t, err, unionpay.ErrPending)
			// new process, seconds later: the recipe, with what was stored
			err = readmerecipe.RefundPart(context.Background(), c, "REFUND20240105001", txnTime,
				"782401051030000000011", 100, testNotify)
			var rejected *unionpay.Error
			require.False(t, errors.As(err, &rejected),
				"RefundPart reports %v (\"nothing was refunded\") for a refund UnionPay made", err)
			require.Equal(t, 2, sends, "sent once more, then queried")
			if tc.pending {
				require.ErrorIs(t, err, unionpay.ErrPending)
			} else {
				require.NoError(t, err)
			}
		})
	}
}

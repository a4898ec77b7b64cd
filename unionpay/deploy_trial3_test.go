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

// README's RefundPart, "called again after a crash" while txnTime is still current (a rolling
// restart takes seconds), sends the refund a second time. Its first copy went through (the
// answer was lost in the restart). A gateway that answers the copy with a business rejection
// (33, "over the refundable amount": the first copy used it all up) rather than 12 makes
// RefundPart return "refund refused" — which its contract says means nothing was refunded — while
// the money moved. README's own rule ("A rejection or an error is about this request only: if the
// same orderId may have been sent before (a resend after a crash), query that first copy before
// anything else") is not followed by its own recipe. (The fake gateway checks duplicates first
// and answers 12; which check the real gateway makes first is not documented.)
func TestDeployRefundPartResendRejected(t *testing.T) {
	sends := 0
	g := newGateway(t, func(req sign.Fields) reply {
		switch req["txnType"] {
		case "04":
			sends++
			if sends == 1 {
				return reply{status: 502} // the first copy took effect; its answer was lost
			}
			return reply{fields: answerTo(req, "33", sign.Fields{"respMsg": "退货金额超限"})}
		case "00": // the query finds the first copy, succeeded
			f := answerTo(req, "00", sign.Fields{"origRespCode": "00", "origRespMsg": "成功[0000000]",
				"txnAmt": "100", "settleAmt": "100", "settleDate": "0105", "traceNo": "123456"})
			f["txnType"] = "04"
			return reply{fields: f}
		}
		return reply{status: 500}
	})
	c := newTestClient(t, g, func(cfg *unionpay.Config) {
		cfg.Sleep = func(ctx context.Context, d time.Duration) error { return ctx.Err() }
	})
	ctx, cancel := context.WithCancel(context.Background())
	txnTime := testNow
	// first process: the call is in flight when SIGTERM arrives
	_, err := c.Refund(ctx, &unionpay.FollowUpRequest{OrderID: "REFUND20240105001", OrigQueryID: "782401051030000000011",
		Amount: 100, TxnTime: txnTime, BackURL: testNotify})
	cancel()
	require.ErrorIs(t, err, unionpay.ErrPending)
	// new process, seconds later: the recipe, with what was stored
	err = readmerecipe.RefundPart(context.Background(), c, "REFUND20240105001", txnTime, "782401051030000000011", 100, testNotify)
	var rejected *unionpay.Error
	require.False(t, errors.As(err, &rejected),
		"RefundPart reports %v (\"nothing was refunded\") for a refund UnionPay made", err)
	require.NoError(t, err)
}

// TestDeployRefundPartResendDuplicateNotYetFound: README's RefundPart resends a refund whose
// first copy took effect (its answer lost); the copy is answered 12 (a duplicate) and the query
// right after it does not find the first copy yet (34). A duplicate proves UnionPay holds
// something under refundID: the outcome is unknown, never "refused, nothing refunded" (which
// would invite a second refund under a new refundID).
func TestDeployRefundPartResendDuplicateNotYetFound(t *testing.T) {
	sends := 0
	g := newGateway(t, func(req sign.Fields) reply {
		switch req["txnType"] {
		case "04":
			sends++
			if sends == 1 {
				return reply{status: 502} // the first copy took effect; its answer was lost
			}
			return reply{fields: answerTo(req, "12", sign.Fields{"respMsg": "重复交易"})}
		case "00": // not queryable yet
			return reply{fields: answerTo(req, "34", sign.Fields{"respMsg": "查无此交易"})}
		}
		return reply{status: 500}
	})
	c := newTestClient(t, g, func(cfg *unionpay.Config) {
		cfg.Sleep = func(ctx context.Context, d time.Duration) error { return ctx.Err() }
	})
	txnTime := testNow
	_, err := c.Refund(context.Background(), &unionpay.FollowUpRequest{OrderID: "REFUND20240105002",
		OrigQueryID: "782401051030000000011", Amount: 100, TxnTime: txnTime, BackURL: testNotify})
	require.ErrorIs(t, err, unionpay.ErrPending)
	err = readmerecipe.RefundPart(context.Background(), c, "REFUND20240105002", txnTime, "782401051030000000011", 100, testNotify)
	var rejected *unionpay.Error
	require.False(t, errors.As(err, &rejected), "RefundPart reports %v: \"nothing was refunded\"", err)
	require.ErrorIs(t, err, unionpay.ErrPending)
	require.Equal(t, 2, sends, "sent once more, then queried")
}

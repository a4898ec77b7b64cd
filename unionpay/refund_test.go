package unionpay_test

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/goacp/unionpay/internal/readmerecipe"
	"github.com/goacp/unionpay/sign"
	"github.com/goacp/unionpay/unionpay"
	"github.com/goacp/unionpay/unionpay/unionpaytest"
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

// README's RefundPart recovery, for a refund whose txnTime is just before 23:00 Beijing and which
// UnionPay accepted just after (transit, a resend inside TxnTimeWindow after a restart): it
// settles on the NEXT day. After a crash, the process restarted more than TxnTimeWindow later
// queries it; "not found is no proof that it was never made" (a query can miss it: here
// ScriptQuery answers 34 once); RefundPart then says "if its settle day's file lists no refund
// ... it was never made (then store a new refundID and txnTime, and call again)". Its settle day
// (SettleDay(txnTime), as README says for a back transaction) is the day before the one it
// settled on: the file does not list it, and following the recipe refunds twice. Payouts have
// the right rule ("the settle date it was sent on ... and the next one"); refunds do not.
func TestDeployRefundRecipeAcrossCutover(t *testing.T) {
	clk := newDClock()
	srv := dGateway(t, clk)
	front := newDFront(t)
	store := newDStore()
	p := dStart(t, srv, front, store)
	orig := dPaid(t, srv, p.c, "CUT00000000000001", 10000)

	// move the clock to 23:00:04 Beijing of the business day
	now := clk.Now().In(time.FixedZone("CST", 8*3600))
	target := time.Date(now.Year(), now.Month(), now.Day(), 23, 0, 4, 0, now.Location())
	clk.Advance(target.Sub(now))
	txnTime := target.Add(-6 * time.Second) // 22:59:58: stored, then sent
	rec := dRec{Kind: "refund", OrderID: "CUTREF00000000001", TxnTime: txnTime, Amount: 3000, OrigQueryID: orig, State: "pending"}
	store.put(rec)
	srv.FailOrder(rec.OrderID, unionpaytest.FaultDrop) // accepted at 23:00:04; the answer is lost
	_, err := p.c.Refund(context.Background(), &unionpay.FollowUpRequest{OrderID: rec.OrderID, OrigQueryID: orig,
		Amount: rec.Amount, TxnTime: txnTime, BackURL: front.url})
	require.ErrorIs(t, err, unionpay.ErrPending)
	p.kill(front) // SIGTERM before the query; the process does not come back for 20 minutes

	clk.Advance(20 * time.Minute)
	p2 := dStart(t, srv, front, store)
	srv.ScriptQuery(rec.OrderID, "34") // one query misses it
	err = readmerecipe.RefundPart(context.Background(), p2.c, rec.OrderID, rec.TxnTime, orig, rec.Amount, front.url)
	require.ErrorIs(t, err, unionpay.ErrPending)
	require.Contains(t, err.Error(), "not found: if ")
	// the recipe as its error states it: its settle day's file (and the next day's, if it says so)
	both := strings.Contains(err.Error(), "its settle day and the next one")

	// wait for the settle day's file (published the day after), then read it, as the recipe says
	clk.Advance(24 * time.Hour)
	day := unionpay.SettleDay(rec.TxnTime)
	listed := inFile(t, p2.c, day, rec.OrderID, "04", rec.Amount) ||
		both && inFile(t, p2.c, day.AddDate(0, 0, 1), rec.OrderID, "04", rec.Amount)
	if !listed {
		// the recipe: never made; store a new refundID and txnTime, and call again
		next := rec
		next.OrderID, next.TxnTime = rec.OrderID+"R", clk.Now()
		store.put(next)
		err = readmerecipe.RefundPart(context.Background(), p2.c, next.OrderID, next.TxnTime, orig, next.Amount, front.url)
		require.NoError(t, err)
	}
	o, _ := srv.Transaction("CUT00000000000001")
	require.Equal(t, int64(3000), o.Refunded, "refunded once; the recipe read day %s's file and refunded again",
		day.Format("2006-01-02"))
	_ = errors.New
}

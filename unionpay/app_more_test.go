package unionpay_test

import (
	"context"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/goacp/unionpay/sign"
	"github.com/goacp/unionpay/unionpay"
)

// TestAppConsumeAnswerWithoutTNIsPending: an app order answered 00 without a tn was
// accepted (an order the shopper may pay exists) but its tn is unknown: an unknown outcome, so a
// *PendingError, as AppConsume's doc says of its unknown outcomes (review mutant M05: a plain
// error survived).
func TestAppConsumeAnswerWithoutTNIsPending(t *testing.T) {
	t.Parallel()
	g := newGateway(t, accept(nil)) // 00, no tn
	_, err := newTestClient(t, g).AppConsume(context.Background(),
		&unionpay.ConsumeRequest{OrderID: testOrder, Amount: 1000, BackURL: testNotify})
	require.ErrorIs(t, err, unionpay.ErrPending)
	var pe *unionpay.PendingError
	require.ErrorAs(t, err, &pe)
	assert.Equal(t, testOrder, pe.OrderID)
	assert.True(t, pe.TxnTime.Equal(testNow), "the txnTime sent, to query by")
	assert.Equal(t, 1, g.count())
}

// TestAppConsumeTxnTimeWindowBothWays: AppConsume's doc (and TxnTimeWindow's) refuse a
// TxnTime more than TxnTimeWindow from Config.Now either way, before sending; exactly
// TxnTimeWindow is allowed (review mutant M23: a TxnTime too far ahead was let through).
func TestAppConsumeTxnTimeWindowBothWays(t *testing.T) {
	t.Parallel()
	app := func(r sign.Fields) reply {
		return reply{fields: answerTo(r, "00", sign.Fields{"tn": "782401051030000000011"})}
	}
	for _, tc := range []struct {
		off time.Duration
		ok  bool
	}{
		{-unionpay.TxnTimeWindow - time.Second, false},
		{-unionpay.TxnTimeWindow, true},
		{unionpay.TxnTimeWindow, true},
		{unionpay.TxnTimeWindow + time.Second, false},
		{20 * time.Minute, false},
	} {
		g := newGateway(t, app)
		_, err := newTestClient(t, g).AppConsume(context.Background(), &unionpay.ConsumeRequest{OrderID: testOrder,
			Amount: 1000, BackURL: testNotify, TxnTime: testNow.Add(tc.off)})
		if tc.ok {
			require.NoError(t, err, tc.off)
			assert.Equal(t, 1, g.count(), tc.off)
			continue
		}
		require.ErrorIs(t, err, unionpay.ErrTxnTimeNotCurrent, tc.off)
		assert.NotErrorIs(t, err, unionpay.ErrPending, tc.off)
		assert.Zero(t, g.count(), "nothing sent (%v)", tc.off)
	}
}

// TestSleepNeverNegativeOnBackSchedule: Config.Sleep's doc says d is never negative; that
// holds for a schedule not counted from txnTime too, whose Delays the caller writes (review
// mutant M24: clamping only the FromTxnTime waits survived).
func TestSleepNeverNegativeOnBackSchedule(t *testing.T) {
	t.Parallel()
	g := newGateway(t, queryAnswer("00", "05"))
	var sl sleeps
	c := newTestClient(t, g, func(cfg *unionpay.Config) { cfg.Sleep = sl.sleep })
	_, err := c.QueryUntilFinal(context.Background(), &unionpay.QueryRequest{OrderID: testOrder, TxnTime: testNow},
		unionpay.Backoff{Delays: []time.Duration{-time.Second, time.Second}})
	require.ErrorIs(t, err, unionpay.ErrPending)
	assert.Equal(t, []time.Duration{0, time.Second}, sl.d)
}

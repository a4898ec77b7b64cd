package unionpay_test

import (
	"context"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/goacp/unionpay/sign"
	"github.com/goacp/unionpay/unionpay"
)

// lateFrontRun runs QueryUntilFinal with delays from txnTime (testNow), taken up late after it,
// against a gateway that answers "failed" (origRespCode 01), and returns the queries asked and
// when each was asked, as offsets from txnTime.
func lateFrontRun(t *testing.T, delays []time.Duration, late time.Duration, payTimeout time.Duration) (
	[]time.Duration, *unionpay.Transaction, error) {
	t.Helper()
	var mu sync.Mutex
	now := testNow.Add(late)
	var asked []time.Duration
	answer := queryAnswer("00", "01")
	g := newGateway(t, func(f sign.Fields) reply {
		mu.Lock()
		asked = append(asked, now.Sub(testNow))
		mu.Unlock()
		return answer(f)
	})
	c := newTestClient(t, g, func(cfg *unionpay.Config) {
		cfg.Now = func() time.Time { mu.Lock(); defer mu.Unlock(); return now }
		cfg.Sleep = func(ctx context.Context, d time.Duration) error {
			mu.Lock()
			defer mu.Unlock()
			now = now.Add(max(d, 0))
			return ctx.Err()
		}
	})
	b := unionpay.Backoff{Delays: delays, FromTxnTime: true, PayTimeout: testNow.Add(payTimeout)}
	tx, err := c.QueryUntilFinal(context.Background(), &unionpay.QueryRequest{OrderID: testOrder, TxnTime: testNow}, b)
	mu.Lock()
	defer mu.Unlock()
	return asked, tx, err
}

// TestFrontScheduleExactlyDue: taken up exactly when the second query is due, the first and
// second are one query (asked once, at once), not two back to back.
func TestFrontScheduleExactlyDue(t *testing.T) {
	t.Parallel()
	asked, tx, err := lateFrontRun(t, unionpay.FrontBackoff().Delays, 10*time.Minute, 15*time.Minute)
	require.NoError(t, err)
	assert.Equal(t, unionpay.Failed, tx.State)
	assert.Equal(t, []time.Duration{10 * time.Minute, 30 * time.Minute, 60 * time.Minute, 120 * time.Minute}, asked)
}

// TestFrontScheduleUnsorted: Backoff.Delays need not increase, and only queries whose time has
// passed are merged: with delays of 60 and 5 minutes taken up at 10 minutes, the 60-minute query
// is not due and is asked at 60 minutes (then the 5-minute one, at once), after payTimeout, so the
// failure is final. (Merging on the next query's time alone dropped it: one query at 10 minutes,
// and the failure stayed pending; found by a review.)
func TestFrontScheduleUnsorted(t *testing.T) {
	t.Parallel()
	asked, tx, err := lateFrontRun(t, []time.Duration{60 * time.Minute, 5 * time.Minute}, 10*time.Minute, 15*time.Minute)
	assert.Equal(t, []time.Duration{60 * time.Minute, 60 * time.Minute}, asked, "the 60-minute query is not due at 10")
	require.NoError(t, err)
	assert.Equal(t, unionpay.Failed, tx.State)
}

// TestBackScheduleNotMerged: a schedule not counted from txnTime is never merged: a back
// schedule taken up a day after txnTime still asks every query.
func TestBackScheduleNotMerged(t *testing.T) {
	t.Parallel()
	var mu sync.Mutex
	now := testNow.Add(24 * time.Hour)
	g := newGateway(t, queryAnswer("00", "05"))
	c := newTestClient(t, g, func(cfg *unionpay.Config) {
		cfg.Now = func() time.Time { mu.Lock(); defer mu.Unlock(); return now }
		cfg.Sleep = func(ctx context.Context, d time.Duration) error {
			mu.Lock()
			defer mu.Unlock()
			now = now.Add(max(d, 0))
			return ctx.Err()
		}
	})
	_, err := c.QueryUntilFinal(context.Background(), &unionpay.QueryRequest{OrderID: testOrder, TxnTime: testNow},
		unionpay.BackBackoff())
	require.ErrorIs(t, err, unionpay.ErrPending)
	assert.Equal(t, 6, g.count())
}

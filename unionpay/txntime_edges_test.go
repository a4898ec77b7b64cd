package unionpay_test

import (
	"context"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/goacp/unionpay/unionpay"
)

// TestTxnTimeZonesAndSeconds: the window is judged on instants, not on
// wall clocks, whatever the zone TxnTime is given in (UTC, UTC-5: eight and thirteen hours off
// Beijing's wall clock), and on the time as sent (to the second): a TxnTime half a second past
// the window ahead is sent as exactly TxnTimeWindow ahead and taken; half a second past it behind
// is sent as a second past it and refused. A zero TxnTime is Config.Now, even from a clock that
// jumps on every call.
func TestTxnTimeZonesAndSeconds(t *testing.T) {
	t.Parallel()
	utc, west := time.UTC, time.FixedZone("UTC-5", -5*3600)
	for _, tt := range []struct {
		name string
		at   time.Time
		sent bool
	}{
		{"UTC, at the window behind", testNow.Add(-unionpay.TxnTimeWindow).In(utc), true},
		{"UTC-5, at the window ahead", testNow.Add(unionpay.TxnTimeWindow).In(west), true},
		{"UTC, a second past the window", testNow.Add(-unionpay.TxnTimeWindow - time.Second).In(utc), false},
		{"UTC-5, a second past the window ahead", testNow.Add(unionpay.TxnTimeWindow + time.Second).In(west), false},
		{"UTC, now", testNow.In(utc), true},
		{"half a second past the window ahead: sent at the window", testNow.Add(unionpay.TxnTimeWindow + 500*time.Millisecond), true},
		{"half a second past the window behind: sent a second past it", testNow.Add(-unionpay.TxnTimeWindow - 500*time.Millisecond), false},
	} {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			g := newGateway(t, accept(nil))
			c := newTestClient(t, g)
			r := followUp()
			r.TxnTime = tt.at
			_, err := c.Refund(context.Background(), r)
			if tt.sent {
				require.NoError(t, err)
				assert.Equal(t, tt.at.In(testNow.Location()).Truncate(time.Second).Format("20060102150405"), g.last()["txnTime"])
				return
			}
			require.ErrorIs(t, err, unionpay.ErrTxnTimeNotCurrent)
			assert.Zero(t, g.count())
		})
	}
	t.Run("zero TxnTime, a clock that jumps", func(t *testing.T) {
		t.Parallel()
		g := newGateway(t, accept(nil))
		now := testNow
		c := newTestClient(t, g, func(cfg *unionpay.Config) {
			cfg.Now = func() time.Time { now = now.Add(10 * time.Minute); return now } // one caller: no lock needed
		})
		_, err := c.Refund(context.Background(), followUp())
		require.NoError(t, err, "a zero TxnTime is the clock's reading, never out of the window")
	})
}

package unionpay_test

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/goacp/unionpay/unionpay"
)

// TestTxnTimeZoneHint: a TxnTime eight hours off Config.Now, the mark of a Beijing wall-clock
// time read as UTC (time.Parse of a stored txnTime, time.Date with time.UTC) or of a UTC one read
// as Beijing time, is refused before sending with a reason that names the time-zone mistake and
// ParseTxnTime: the refusal told an app merchant only to query an earlier copy or send an SMS
// (which it still does). A TxnTime off by another amount gets no such hint.
func TestTxnTimeZoneHint(t *testing.T) {
	t.Parallel()
	beijing := testNow.In(time.FixedZone("CST", 8*3600))
	wall := func(loc *time.Location) time.Time { // Beijing's wall-clock reading in loc
		return time.Date(beijing.Year(), beijing.Month(), beijing.Day(), beijing.Hour(), beijing.Minute(),
			beijing.Second(), 0, loc)
	}
	utc := testNow.UTC()
	for _, tc := range []struct {
		name    string
		txnTime time.Time
		hint    bool
	}{
		{"Beijing wall clock labelled UTC", wall(time.UTC), true},
		{"Beijing wall clock labelled UTC, 5 minutes on", wall(time.UTC).Add(5 * time.Minute), true},
		{"UTC wall clock labelled Beijing", time.Date(utc.Year(), utc.Month(), utc.Day(), utc.Hour(),
			utc.Minute(), utc.Second(), 0, time.FixedZone("CST", 8*3600)), true},
		{"an hour old", testNow.Add(-time.Hour), false},
		{"two hours ahead", testNow.Add(2 * time.Hour), false},
	} {
		for _, call := range []struct {
			name string
			do   func(context.Context, *unionpay.Client, time.Time) error
		}{
			{"app consume", func(ctx context.Context, c *unionpay.Client, tt time.Time) error {
				_, err := c.AppConsume(ctx, &unionpay.ConsumeRequest{OrderID: "APP20240105001", Amount: 100,
					TxnTime: tt, BackURL: "https://shop.example/notify"})
				return err
			}},
			{"refund", func(ctx context.Context, c *unionpay.Client, tt time.Time) error {
				r := followUp()
				r.TxnTime = tt
				_, err := c.Refund(ctx, r)
				return err
			}},
		} {
			t.Run(tc.name+"/"+call.name, func(t *testing.T) {
				t.Parallel()
				g := newGateway(t, accept(nil))
				c := newTestClient(t, g)
				err := call.do(context.Background(), c, tc.txnTime)
				require.ErrorIs(t, err, unionpay.ErrTxnTimeNotCurrent)
				re, ok := errors.AsType[*unionpay.RequestError](err)
				require.True(t, ok, "want *RequestError, got %v", err)
				if tc.hint {
					assert.Contains(t, re.Reason, "eight hours")
					assert.Contains(t, re.Reason, "unionpay.ParseTxnTime")
				} else {
					assert.NotContains(t, re.Reason, "eight hours")
				}
				// The hint adds to the advice for a copy sent again; it does not replace it.
				assert.Contains(t, re.Reason, "query it")
				assert.Zero(t, g.count(), "nothing is sent")
			})
		}
	}
}

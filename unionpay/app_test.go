package unionpay_test

import (
	"context"
	"errors"
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/goacp/unionpay/sign"
	"github.com/goacp/unionpay/unionpay"
)

// TestAppConsumeCreatesAPayableOrder: an app order's answer creates an order the shopper can pay,
// so AppConsume treats its unknown outcomes as a call that moves money does (an app merchant's
// trial): a TxnTime more than TxnTimeWindow old (a resend after a crash) is refused before it is
// sent, and 12 (this orderId has an order already, whose tn may still be paid) is pending, not a
// refusal that invites a new orderId.
func TestAppConsumeCreatesAPayableOrder(t *testing.T) {
	t.Parallel()
	app := func(r sign.Fields) reply {
		return reply{fields: answerTo(r, "00", sign.Fields{"tn": "782401051030000000011"})}
	}
	t.Run("stale txnTime", func(t *testing.T) {
		t.Parallel()
		g := newGateway(t, app)
		r := &unionpay.ConsumeRequest{OrderID: testOrder, Amount: 1000, BackURL: testNotify,
			TxnTime: testNow.Add(-20 * time.Minute)}
		_, err := newTestClient(t, g).AppConsume(context.Background(), r)
		require.ErrorIs(t, err, unionpay.ErrTxnTimeNotCurrent)
		assert.Zero(t, g.count(), "nothing sent")
		r.TxnTime = testNow.Add(-time.Minute)
		res, err := newTestClient(t, g).AppConsume(context.Background(), r)
		require.NoError(t, err, "within the window")
		assert.Equal(t, "782401051030000000011", res.TN)
	})
	t.Run("PC channel", func(t *testing.T) {
		t.Parallel()
		g := newGateway(t, app)
		_, err := newTestClient(t, g).AppConsume(context.Background(),
			&unionpay.ConsumeRequest{OrderID: testOrder, Amount: 1000, BackURL: testNotify, Channel: unionpay.ChannelPC})
		re, ok := errors.AsType[*unionpay.RequestError](err)
		require.True(t, ok, "want *RequestError, got %v", err)
		assert.Equal(t, "Channel", re.Field)
		assert.Zero(t, g.count(), "nothing sent")
		res, err := newTestClient(t, g).AppConsume(context.Background(),
			&unionpay.ConsumeRequest{OrderID: testOrder, Amount: 1000, BackURL: testNotify, Channel: unionpay.ChannelMobile})
		require.NoError(t, err, "08 given")
		assert.Equal(t, "08", g.last()["channelType"], "sent as given")
		assert.NotEmpty(t, res.TN)
	})
	t.Run("duplicate", func(t *testing.T) {
		t.Parallel()
		g := newGateway(t, func(r sign.Fields) reply { return reply{fields: answerTo(r, "12", nil)} })
		_, err := newTestClient(t, g).AppConsume(context.Background(),
			&unionpay.ConsumeRequest{OrderID: testOrder, Amount: 1000, BackURL: testNotify})
		var pe *unionpay.PendingError
		require.ErrorAs(t, err, &pe)
		assert.Equal(t, "12", pe.RespCode)
		assert.Equal(t, testOrder, pe.OrderID)
	})
}

// TestQueryNotFoundDescribesNoTransaction: a query answered "not found" (or pending itself)
// echoes the query's txnType 00, which is no transaction's: the Transaction's TxnType is empty
// (an app merchant's trial checked TxnType == "01" and refused every unpaid order's answer as
// another transaction's).
func TestQueryNotFoundDescribesNoTransaction(t *testing.T) {
	t.Parallel()
	for _, code := range []string{"34", "05"} {
		g := newGateway(t, func(r sign.Fields) reply { return reply{fields: answerTo(r, code, nil)} })
		tx, err := newTestClient(t, g).Query(context.Background(), &unionpay.QueryRequest{OrderID: testOrder, TxnTime: testNow})
		require.NoError(t, err, code)
		assert.Empty(t, tx.TxnType, code)
		assert.True(t, tx.TxnTime.IsZero(), code)
		assert.Equal(t, testOrder, tx.OrderID, code)
	}
}

// TestFrontBackoffEndedAfterPayTimeout: FrontBackoff's doc shows how to learn an abandoned order's
// failure soon after its payTimeout; that schedule ends final at its last query, for a short
// payTimeout too, whose end comes before the schedule's second query (an app merchant's trial
// waited two hours with the plain schedule; a review found the first version of the example
// querying again at once when the payTimeout was short).
func TestFrontBackoffEndedAfterPayTimeout(t *testing.T) {
	t.Parallel()
	for _, tt := range []struct {
		payTimeout time.Duration
		queries    int
	}{{15 * time.Minute, 3}, {5 * time.Minute, 2}, {2 * time.Minute, 1}} {
		t.Run(tt.payTimeout.String(), func(t *testing.T) {
			t.Parallel()
			g := newGateway(t, func(r sign.Fields) reply { return reply{fields: answerTo(r, "34", nil)} })
			var (
				mu  sync.Mutex
				now = testNow
			)
			c := newTestClient(t, g, func(cfg *unionpay.Config) {
				cfg.Now = func() time.Time { mu.Lock(); defer mu.Unlock(); return now }
				cfg.Sleep = func(ctx context.Context, d time.Duration) error {
					mu.Lock()
					defer mu.Unlock()
					now = now.Add(d)
					return ctx.Err()
				}
			})
			form := unionpay.Form{TxnTime: testNow, PayTimeout: testNow.Add(tt.payTimeout)}
			b := unionpay.FrontBackoff()
			b.PayTimeout = form.PayTimeout
			end := form.PayTimeout.Sub(form.TxnTime) + unionpay.PayTimeoutSkew + time.Second
			b.Delays = append(slices.DeleteFunc(b.Delays, func(d time.Duration) bool { return d >= end }), end)
			tx, err := c.QueryUntilFinal(context.Background(), &unionpay.QueryRequest{OrderID: testOrder, TxnTime: testNow}, b)
			require.NoError(t, err, "final")
			assert.Equal(t, unionpay.NotFound, tx.State)
			assert.Equal(t, tt.queries, g.count())
			assert.Equal(t, testNow.Add(end), now)
		})
	}
}

// TestNotFoundHasNoTxnTypeWhateverEchoed: a NotFound (or query-pending) Transaction's TxnType is
// empty, as its doc says, whatever txnType the answer echoed (a review).
func TestNotFoundHasNoTxnTypeWhateverEchoed(t *testing.T) {
	t.Parallel()
	for _, code := range []string{"34", "05"} {
		g := newGateway(t, func(r sign.Fields) reply {
			f := answerTo(r, code, nil)
			f["txnType"] = "01"
			return reply{fields: f}
		})
		tx, err := newTestClient(t, g).Query(context.Background(), &unionpay.QueryRequest{OrderID: testOrder, TxnTime: testNow})
		require.NoError(t, err, code)
		assert.Empty(t, tx.TxnType, code)
	}
}

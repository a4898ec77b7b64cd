package unionpay_test

import (
	"context"
	"errors"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/goacp/unionpay/sign"
	"github.com/goacp/unionpay/unionpay"
	"github.com/goacp/unionpay/unionpay/unionpaytest"
)

// TestTxnTimeNotCurrent: a request that starts a transaction with a caller's TxnTime more than
// TxnTimeWindow from Config.Now (a resend after a crash, with its stored txnTime) is refused
// before anything is sent, with a *RequestError naming TxnTime that matches
// ErrTxnTimeNotCurrent and says to query the first copy; UnionPay would refuse it, and the
// refusal would read as "nothing happened" although the first copy may have moved money. At the
// window's edges it is sent, and a query naming an old transaction by its txnTime is not bounded.
func TestTxnTimeNotCurrent(t *testing.T) {
	t.Parallel()
	ops := []struct {
		name string
		do   func(context.Context, *unionpay.Client, time.Time) error
	}{
		{"refund", func(ctx context.Context, c *unionpay.Client, tt time.Time) error {
			r := followUp()
			r.TxnTime = tt
			_, err := c.Refund(ctx, r)
			return err
		}},
		{"cancel", func(ctx context.Context, c *unionpay.Client, tt time.Time) error {
			r := followUp()
			r.TxnTime = tt
			_, err := c.CancelConsume(ctx, r)
			return err
		}},
		{"payout", func(ctx context.Context, c *unionpay.Client, tt time.Time) error {
			r := cardReq()
			r.TxnTime = tt
			_, err := c.Payout(ctx, r)
			return err
		}},
		{"back consume", func(ctx context.Context, c *unionpay.Client, tt time.Time) error {
			r := cardReq()
			r.TxnTime = tt
			_, err := c.BackConsume(ctx, r)
			return err
		}},
		{"real-name auth", func(ctx context.Context, c *unionpay.Client, tt time.Time) error {
			r := accountReq()
			r.TxnTime = tt
			_, err := c.RealNameAuth(ctx, r)
			return err
		}},
		{"batch", func(ctx context.Context, c *unionpay.Client, tt time.Time) error {
			_, err := c.SubmitBatch(ctx, &unionpay.BatchRequest{Type: unionpay.BatchPayout, BatchNo: "0001",
				Records: batchRecords(), TxnTime: tt})
			return err
		}},
	}
	times := []struct {
		name   string
		offset time.Duration // from Config.Now
		sent   bool
		reason string
	}{
		{"stored 20 minutes ago", -20 * time.Minute, false, "20m0s before Config.Now"},
		{"one second past the window", -unionpay.TxnTimeWindow - time.Second, false, "13m1s before Config.Now"},
		{"at the window", -unionpay.TxnTimeWindow, true, ""},
		{"one minute ago", -time.Minute, true, ""},
		{"at the window, ahead", unionpay.TxnTimeWindow, true, ""},
		{"one second past the window, ahead", unionpay.TxnTimeWindow + time.Second, false, "13m1s after Config.Now"},
		{"a day ahead", 24 * time.Hour, false, "24h0m0s after Config.Now"},
	}
	for _, op := range ops {
		for _, tm := range times {
			t.Run(op.name+", "+tm.name, func(t *testing.T) {
				t.Parallel()
				g := newGateway(t, accept(nil))
				c := newTestClient(t, g)
				ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
				defer cancel()
				err := op.do(ctx, c, testNow.Add(tm.offset))
				if tm.sent {
					require.NoError(t, err)
					assert.Equal(t, 1, g.count())
					assert.Equal(t, testNow.Add(tm.offset).Format("20060102150405"), g.last()["txnTime"])
					return
				}
				re, ok := errors.AsType[*unionpay.RequestError](err)
				require.True(t, ok, "want *RequestError, got %v", err)
				assert.Equal(t, "TxnTime", re.Field)
				require.ErrorIs(t, err, unionpay.ErrTxnTimeNotCurrent)
				assert.NotErrorIs(t, err, unionpay.ErrPending)
				assert.Contains(t, re.Reason, tm.reason)
				assert.Contains(t, re.Reason, "query it")
				assert.Zero(t, g.count(), "nothing is sent")
			})
		}
	}
	t.Run("query of a transaction a day old", func(t *testing.T) {
		t.Parallel()
		g := newGateway(t, accept(sign.Fields{"origRespCode": "00", "origRespMsg": "success"}))
		c := newTestClient(t, g)
		_, err := c.Query(context.Background(), &unionpay.QueryRequest{OrderID: testOrder, TxnTime: testNow.Add(-24 * time.Hour)})
		require.NoError(t, err)
		assert.Equal(t, 1, g.count())
	})
}

// TestQueryTxnTimeAhead: a query's TxnTime names a transaction made before Config.Now; one more
// than TxnTimeWindow ahead (a stored Beijing txnTime parsed as UTC, eight hours ahead) is
// refused before anything is asked, pointing at ParseTxnTime, by Query and by QueryUntilFinal
// before it waits on a schedule measured from it.
func TestQueryTxnTimeAhead(t *testing.T) {
	t.Parallel()
	stored := testNow.Format("20060102150405") // as another system stored it
	naive, err := time.Parse("20060102150405", stored)
	require.NoError(t, err)
	require.Equal(t, 8*time.Hour, naive.Sub(testNow))
	parsed, err := unionpay.ParseTxnTime(stored)
	require.NoError(t, err)
	require.True(t, parsed.Equal(testNow))

	for _, tt := range []struct {
		name string
		at   time.Time
		ok   bool
	}{
		{"parsed as UTC", naive, false},
		{"one second past the window", testNow.Add(unionpay.TxnTimeWindow + time.Second), false},
		{"at the window", testNow.Add(unionpay.TxnTimeWindow), true},
		{"parsed in Beijing time", parsed, true},
		{"a year ago", testNow.AddDate(-1, 0, 0), true},
	} {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			g := newGateway(t, queryAnswer("00", "00"))
			var slept []time.Duration
			c := newTestClient(t, g, func(cfg *unionpay.Config) {
				cfg.Sleep = func(ctx context.Context, d time.Duration) error { slept = append(slept, d); return ctx.Err() }
			})
			req := &unionpay.QueryRequest{OrderID: testOrder, TxnTime: tt.at}
			_, err := c.Query(context.Background(), req)
			_, errFinal := c.QueryUntilFinal(context.Background(), req, unionpay.FrontBackoff())
			if tt.ok {
				require.NoError(t, err)
				assert.Equal(t, 2, g.count(), "asked by Query and by QueryUntilFinal")
				return
			}
			for _, err := range []error{err, errFinal} {
				re, ok := errors.AsType[*unionpay.RequestError](err)
				require.True(t, ok, "want *RequestError, got %v", err)
				assert.Equal(t, "TxnTime", re.Field)
				assert.Contains(t, re.Reason, "ParseTxnTime")
			}
			assert.Zero(t, g.count(), "nothing asked")
			assert.Empty(t, slept, "no wait on a schedule measured from it")
		})
	}
}

// TestParseTxnTime: yyyyMMddHHmmss in Beijing time, whatever the host's zone; anything else is
// an error.
func TestParseTxnTime(t *testing.T) {
	t.Parallel()
	got, err := unionpay.ParseTxnTime("20261126100000")
	require.NoError(t, err)
	assert.Equal(t, time.Date(2026, 11, 26, 2, 0, 0, 0, time.UTC), got.UTC())
	for _, bad := range []string{"", "2026112610000", "202611261000000", "20261326100000", "2026-11-26T10:0"} {
		_, err := unionpay.ParseTxnTime(bad)
		require.Error(t, err, "%q", bad)
	}
}

// TestTxnTimeWindowLeavesMargin: a refund whose answer was lost, sent again with its stored
// txnTime 14 minutes later to a gateway whose clock runs 90 seconds ahead of Config.Now, is
// refused before sending (ErrTxnTimeNotCurrent: query the first copy), not sent to be refused by
// the gateway as not current, which read as "nothing happened" and invited a second refund (a
// serverless merchant's trial): with clocks up to two minutes apart, any copy the client sends
// reaches the gateway inside its window.
func TestTxnTimeWindowLeavesMargin(t *testing.T) {
	t.Parallel()
	var gatewayNow atomic.Int64 // Unix nanoseconds
	start := time.Date(2026, 11, 25, 10, 0, 0, 0, time.UTC)
	gatewayNow.Store(start.Add(90 * time.Second).UnixNano())
	srv := unionpaytest.NewServer(withSharedKeys(t), unionpaytest.WithReporter(t),
		unionpaytest.WithClock(func() time.Time { return time.Unix(0, gatewayNow.Load()) }))
	t.Cleanup(srv.Close)
	cfg := srv.Config()
	clientNow := start
	cfg.Now = func() time.Time { return clientNow }
	c, err := unionpay.NewClient(cfg)
	require.NoError(t, err)
	ctx := context.Background()
	pay, err := c.BackConsume(ctx, &unionpay.CardRequest{OrderID: "MARGINPAY1", Amount: 1000, AccNo: unionpaytest.TestCard,
		BackURL: "https://shop.example/n", Customer: &unionpay.Customer{Phone: "13552535506", SMSCode: "111111"}})
	require.NoError(t, err)
	refund := &unionpay.FollowUpRequest{OrderID: "MARGINREF1", OrigQueryID: pay.QueryID, Amount: 400,
		TxnTime: clientNow, BackURL: "https://shop.example/n"}
	srv.FailOrder("MARGINREF1", unionpaytest.FaultDrop)
	_, err = c.Refund(ctx, refund)
	require.ErrorIs(t, err, unionpay.ErrPending, "the answer was lost")

	for _, later := range []time.Duration{unionpay.TxnTimeWindow, 14 * time.Minute} {
		clientNow = start.Add(later)
		gatewayNow.Store(start.Add(later + 90*time.Second).UnixNano())
		_, err = c.Refund(ctx, refund)
		var rejected *unionpay.Error
		require.False(t, errors.As(err, &rejected), "%v on: a refusal would read as nothing happened: %v", later, err)
		if later > unionpay.TxnTimeWindow {
			require.ErrorIs(t, err, unionpay.ErrTxnTimeNotCurrent)
		}
	}
	x, ok := srv.Transaction("MARGINREF1")
	require.True(t, ok)
	assert.Equal(t, int64(400), x.Amount)
}

// TestAuditClaimsMisreadTxnTimeQuery checks docs/MIGRATION.md ("Orders the Java service
// stored"): a stored txnTime read with time.Parse is eight hours late, and a query naming it is
// refused before it is sent only while that misread time is still ahead of Config.Now by more
// than TxnTimeWindow, that is for an order less than eight hours (less the window) old. An
// older order's misread time lies in the past: the query is sent and answered "not found",
// which is no proof that the order does not exist.
func TestAuditClaimsMisreadTxnTimeQuery(t *testing.T) {
	t.Parallel()
	srv := unionpaytest.NewServer(withSharedKeys(t), unionpaytest.WithReporter(t))
	t.Cleanup(srv.Close)
	c, err := unionpay.NewClient(srv.Config())
	require.NoError(t, err)
	now := srv.Config().Now()
	beijing := time.FixedZone("CST", 8*3600)
	tests := []struct {
		name    string
		age     time.Duration // how old the Java service's order is
		refused bool
	}{
		{"an hour old: misread ahead, refused", time.Hour, true},
		{"two days old: misread in the past, sent", 48 * time.Hour, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			stored := now.Add(-tt.age).In(beijing).Format("20060102150405") // as Java stored it
			misread, err := time.Parse("20060102150405", stored)            // read as UTC
			require.NoError(t, err)
			right, err := unionpay.ParseTxnTime(stored)
			require.NoError(t, err)
			require.Equal(t, 8*time.Hour, misread.Sub(right), "time.Parse reads it eight hours late")

			tx, err := c.Query(context.Background(), &unionpay.QueryRequest{OrderID: "JAVAORDER0001", TxnTime: misread})
			if tt.refused {
				var re *unionpay.RequestError
				require.ErrorAs(t, err, &re, "refused before it is sent")
				assert.Equal(t, "TxnTime", re.Field)
				return
			}
			require.NoError(t, err, "sent: the misread time is in the past")
			assert.Equal(t, unionpay.NotFound, tx.State, "answered not found, not refused")
		})
	}
}

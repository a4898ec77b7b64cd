package unionpay_test

import (
	"context"
	"errors"
	"net/http"
	"slices"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/goacp/unionpay/unionpay"
	"github.com/goacp/unionpay/unionpay/unionpaytest"
)

// countingTransport counts the requests sent through it.
type countingTransport struct {
	http.RoundTripper
	n atomic.Int32
}

func (c *countingTransport) RoundTrip(r *http.Request) (*http.Response, error) {
	c.n.Add(1)
	return c.RoundTripper.RoundTrip(r)
}

// TestFrontBackoffResumedByRuns: a job run every few minutes, keeping no process between runs,
// follows FrontBackoff's doc (drop the queries asked by earlier runs; a Sleep that will not wait):
// an abandoned order is queried as UnionPay's schedule asks, five times over two hours (fewer when
// runs are further apart than queries), not on every run (24 times, found by a serverless
// merchant's trial), and ends final after its last query. When that last query is not answered,
// the runs after it ask again (the schedule ran out, and an empty one was a *RequestError that
// stopped them for good; found by a review).
func TestFrontBackoffResumedByRuns(t *testing.T) {
	t.Parallel()
	for _, tt := range []struct {
		name    string
		every   time.Duration
		lost    bool // the answer to the last scheduled query is lost
		queries int32
	}{
		{"every 5 minutes", 5 * time.Minute, false, 5},
		{"every 25 minutes", 25 * time.Minute, false, 4}, // 5 and 10 both due at the 25-minute run
		{"last answer lost", 5 * time.Minute, true, 6},
	} {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			resumeRuns(t, tt.every, tt.lost, tt.queries)
		})
	}
}

func resumeRuns(t *testing.T, every time.Duration, lost bool, queries int32) {
	t.Helper()
	start := time.Date(2026, 11, 25, 10, 0, 0, 0, time.UTC)
	var clock atomic.Int64 // Unix nanoseconds: the gateway reads it on its own goroutines
	clock.Store(start.UnixNano())
	now := func() time.Time { return time.Unix(0, clock.Load()) }
	srv := unionpaytest.NewServer(withSharedKeys(t), unionpaytest.WithReporter(t), unionpaytest.WithClock(now))
	t.Cleanup(srv.Close)
	cfg := srv.Config()
	counter := &countingTransport{RoundTripper: cfg.HTTPClient.Transport}
	hc := *cfg.HTTPClient
	hc.Transport = counter
	cfg.HTTPClient, cfg.Now = &hc, now
	errNoWait := errors.New("a function does not wait")
	cfg.Sleep = func(_ context.Context, d time.Duration) error {
		if d > 0 {
			return errNoWait
		}
		return nil
	}
	c, err := unionpay.NewClient(cfg)
	require.NoError(t, err)
	form, err := c.FrontConsume(&unionpay.ConsumeRequest{OrderID: "CRONORDER1", Amount: 1000, Channel: unionpay.ChannelMobile,
		FrontURL: "https://shop.example/r", BackURL: "https://shop.example/n", PayTimeout: now().Add(15 * time.Minute)})
	require.NoError(t, err)

	if lost {
		srv.FailOrder(form.OrderID, unionpaytest.FaultNone, unionpaytest.FaultNone, unionpaytest.FaultNone,
			unionpaytest.FaultNone, unionpaytest.FaultDrop)
	}
	var lastAsked time.Time
	var final *unionpay.Transaction
	for at := start; !at.After(start.Add(150*time.Minute)) && final == nil; at = at.Add(every) {
		clock.Store(at.UnixNano())
		b := unionpay.FrontBackoff()
		b.PayTimeout = form.PayTimeout
		last := b.Delays[len(b.Delays)-1]
		b.Delays = slices.DeleteFunc(b.Delays, func(d time.Duration) bool {
			return !form.TxnTime.Add(d).After(lastAsked)
		})
		if len(b.Delays) == 0 {
			b.Delays = []time.Duration{last}
		}
		before := counter.n.Load()
		tx, err := c.QueryUntilFinal(context.Background(), &unionpay.QueryRequest{OrderID: form.OrderID,
			TxnTime: form.TxnTime, TxnType: "01", Amount: 1000}, b)
		if counter.n.Load() > before {
			lastAsked = at
		}
		if err == nil {
			final = tx
			continue
		}
		require.ErrorIs(t, err, unionpay.ErrPending)
	}
	assert.Equal(t, queries, counter.n.Load(), "UnionPay's schedule, not one query a run")
	require.NotNil(t, final, "final at the last query answered, two hours on or after")
	assert.Equal(t, unionpay.NotFound, final.State)
}

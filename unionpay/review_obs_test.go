package unionpay_test

import (
	"context"
	"errors"
	"io"
	"math/rand/v2"
	"net/http"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/goacp/unionpay/unionpay"
	"github.com/goacp/unionpay/unionpay/unionpaytest"
)

// FAILS on the current code. QueryUntilFinal's *PendingError wraps the last query's error: a
// query never sent (gateway unreachable, ctx ended at shutdown) is a *NotSentError, and so the
// PendingError matches ErrNotSent too, whose doc says "UnionPay has nothing; the request may be
// sent again". A caller that tests ErrNotSent first (a metric label, a "safe to resend" branch)
// resends a refund whose outcome is unknown. The README's RefundPart returns that error as is.
func TestReviewObsPendingNeverMatchesNotSent(t *testing.T) {
	t.Parallel()
	_, cfg, _ := obsGateway(t)
	cfg.Sleep = func(ctx context.Context, _ time.Duration) error { return ctx.Err() }
	c, err := unionpay.NewClient(deadEndpoints(t, cfg))
	require.NoError(t, err)
	q := &unionpay.QueryRequest{OrderID: "REVIEWNS0001", TxnTime: cfg.Now()}
	_, err = c.QueryUntilFinal(context.Background(), q, unionpay.BackBackoff())
	require.ErrorIs(t, err, unionpay.ErrPending)
	assert.NotErrorIs(t, err, unionpay.ErrNotSent, "pending and not sent at once: %v", err)

	// ctx ended while querying (a shutdown): the query is not sent, the outcome still unknown.
	ctx, cancel := context.WithCancel(context.Background())
	cfg2 := cfg
	cfg2.Sleep = func(context.Context, time.Duration) error { cancel(); return nil }
	c2, err := unionpay.NewClient(cfg2)
	require.NoError(t, err)
	_, err = c2.QueryUntilFinal(ctx, q, unionpay.BackBackoff())
	require.ErrorIs(t, err, unionpay.ErrPending)
	assert.ErrorIs(t, err, context.Canceled)
	assert.NotErrorIs(t, err, unionpay.ErrNotSent, "%v", err)
}

// FAILS on the current code. Backoff.OnQuery is documented as called "after each query
// QueryUntilFinal asks", QueryAttempt.N counting "queries asked"; a query refused before it is
// asked (Config.Now stepped back during a wait: *RequestError for TxnTime) is reported as an
// attempt, and counted.
func TestReviewObsOnQueryOnlyForQueriesAsked(t *testing.T) {
	t.Parallel()
	srv, cfg, _ := obsGateway(t)
	_ = srv
	base := cfg.Now()
	var mu sync.Mutex
	now := base
	cfg.Now = func() time.Time { mu.Lock(); defer mu.Unlock(); return now }
	var asked atomic.Int32
	inner := cfg.HTTPClient.Transport.(*http.Transport).Clone()
	cfg.HTTPClient = &http.Client{Timeout: 5 * time.Second, Transport: roundTripFunc(func(r *http.Request) (*http.Response, error) {
		asked.Add(1)
		return inner.RoundTrip(r)
	})}
	slept := 0
	cfg.Sleep = func(ctx context.Context, _ time.Duration) error {
		mu.Lock()
		defer mu.Unlock()
		if slept++; slept == 1 {
			now = base.Add(-time.Hour) // the clock steps back during the first wait
		} else {
			now = base.Add(time.Minute)
		}
		return ctx.Err()
	}
	c, err := unionpay.NewClient(cfg)
	require.NoError(t, err)
	var seen []unionpay.QueryAttempt
	b := unionpay.Backoff{Delays: []time.Duration{time.Second, time.Second}}
	b.OnQuery = func(a unionpay.QueryAttempt) { seen = append(seen, a) }
	_, err = c.QueryUntilFinal(context.Background(), &unionpay.QueryRequest{OrderID: "REVIEWOQ0001", TxnTime: base}, b)
	require.Error(t, err)
	assert.Equal(t, int32(1), asked.Load(), "one query reached the transport")
	require.Len(t, seen, int(asked.Load()), "OnQuery once per query asked: %+v", seen)
	assert.Equal(t, 1, seen[0].N)
	assert.Equal(t, 1, seen[0].Slot)
}

// Checked and fine (passes): behind a transport that hands the request to a goroutine of its
// own and gives up at a random moment (a hedging layer, an HTTP/2-style body writer), a call
// reported not sent never reaches the gateway, whatever the interleaving.
func TestReviewObsDetachedSenderNeverNotSentWhenSent(t *testing.T) {
	t.Parallel()
	var truncated atomic.Int32 // late sends cut short by the sealed body: the gateway gets no form
	srv, cfg, backURL := obsGateway(t, unionpaytest.WithReporter(reporterFunc(func(string, ...any) { truncated.Add(1) })))
	inner := cfg.HTTPClient.Transport.(*http.Transport).Clone()
	var wg sync.WaitGroup
	rt := roundTripFunc(func(req *http.Request) (*http.Response, error) {
		done := make(chan struct{})
		wg.Go(func() {
			defer close(done)
			resp, err := inner.RoundTrip(req.WithContext(context.Background()))
			if err == nil {
				_, _ = io.Copy(io.Discard, resp.Body)
				_ = resp.Body.Close()
			}
		})
		select {
		case <-done:
		case <-time.After(time.Duration(rand.IntN(8000)) * time.Microsecond):
		}
		return nil, errors.New("hedge: gave up")
	})
	tc := cfg
	tc.HTTPClient = &http.Client{Timeout: 5 * time.Second, Transport: rt}
	c, err := unionpay.NewClient(tc)
	require.NoError(t, err)
	var notSent, pending int
	for range 80 {
		r := obsCard(backURL)
		_, err := c.Collect(context.Background(), r)
		wg.Wait()
		if errors.Is(err, unionpay.ErrNotSent) {
			notSent++
			_, ok := srv.Transaction(r.OrderID)
			require.False(t, ok, "reported not sent, but the gateway has %s", r.OrderID)
		} else {
			pending++
			require.ErrorIs(t, err, unionpay.ErrPending)
		}
	}
	t.Logf("not sent %d (truncated at the gateway %d), pending %d", notSent, truncated.Load(), pending)
}

// Passes; kills mutants that survive the package's tests: a query by queryId alone, never
// sent, has no TxnTime (the one post made up is not the transaction's).
func TestReviewObsNotSentQueryByQueryIDHasNoTxnTime(t *testing.T) {
	t.Parallel()
	_, cfg, _ := obsGateway(t)
	c, err := unionpay.NewClient(deadEndpoints(t, cfg))
	require.NoError(t, err)
	_, err = c.Query(context.Background(), &unionpay.QueryRequest{QueryID: "772611270000000000001"})
	var ns *unionpay.NotSentError
	require.ErrorAs(t, err, &ns)
	assert.Equal(t, "query", ns.Op)
	assert.Empty(t, ns.OrderID)
	assert.True(t, ns.TxnTime.IsZero(), "%v", ns.TxnTime)
	_, err = c.Query(context.Background(), &unionpay.QueryRequest{OrderID: "REVIEWQ00001", TxnTime: cfg.Now().Add(-time.Minute)})
	require.ErrorAs(t, err, &ns)
	assert.Equal(t, "REVIEWQ00001", ns.OrderID)
	assert.True(t, ns.TxnTime.Equal(cfg.Now().Add(-time.Minute).Truncate(time.Second)), "%v", ns.TxnTime)
}

// Passes; kills mutants that survive the package's tests: a front schedule taken up after a
// restart skips the slots whose time has passed (but the last of them): N counts the queries
// asked, Slot is the index in Delays, Took is measured by Config.Now.
func TestReviewObsOnQuerySkippedSlots(t *testing.T) {
	t.Parallel()
	_, cfg, _ := obsGateway(t)
	var mu sync.Mutex
	now := cfg.Now()
	txnTime := now.Add(-35 * time.Minute)
	cfg.Now = func() time.Time { mu.Lock(); defer mu.Unlock(); return now }
	advance := func(d time.Duration) { mu.Lock(); now = now.Add(d); mu.Unlock() }
	cfg.Sleep = func(ctx context.Context, d time.Duration) error { advance(d); return ctx.Err() }
	inner := cfg.HTTPClient.Transport.(*http.Transport).Clone()
	cfg.HTTPClient = &http.Client{Timeout: 5 * time.Second, Transport: roundTripFunc(func(r *http.Request) (*http.Response, error) {
		advance(2 * time.Second) // each query takes 2 s by Config.Now
		return inner.RoundTrip(r)
	})}
	c, err := unionpay.NewClient(cfg)
	require.NoError(t, err)
	var seen []unionpay.QueryAttempt
	b := unionpay.FrontBackoff()
	b.OnQuery = func(a unionpay.QueryAttempt) { seen = append(seen, a) }
	_, err = c.QueryUntilFinal(context.Background(), &unionpay.QueryRequest{OrderID: "REVIEWSKIP01", TxnTime: txnTime}, b)
	require.ErrorIs(t, err, unionpay.ErrPending)
	require.Len(t, seen, 3)
	for i, a := range seen {
		assert.Equal(t, i+1, a.N)
		assert.Equal(t, i+2, a.Slot, "slots 0 and 1 were skipped")
		assert.Equal(t, 2*time.Second, a.Took)
		require.NotNil(t, a.Transaction)
		assert.Equal(t, unionpay.NotFound, a.Transaction.State)
	}
	assert.True(t, seen[1].Asked.Equal(txnTime.Add(60*time.Minute)), "%v", seen[1].Asked)
}

package unionpay_test

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"os"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/goacp/unionpay/sign"
	"github.com/goacp/unionpay/unionpay"
	"github.com/goacp/unionpay/unionpay/unionpaytest"
)

// TestAuditValidateQueryUntilFinalUpFront: an invalid QueryRequest is refused only by the first
// Query inside the schedule, after its first wait (3 minutes with PayoutBackoff, up to 5 minutes
// after txnTime with FrontBackoff), not up front.
func TestAuditValidateQueryUntilFinalUpFront(t *testing.T) {
	var waits atomic.Int64
	p := newAVProbe(t, func(c *unionpay.Config) {
		c.Sleep = func(ctx context.Context, d time.Duration) error { waits.Add(1); return nil }
	})
	for _, tc := range []struct {
		name, field string
		r           func() *unionpay.QueryRequest
	}{
		{"bad OrderID", "OrderID", func() *unionpay.QueryRequest {
			return &unionpay.QueryRequest{OrderID: "ORD-1", TxnTime: p.srv.Now()}
		}},
		{"TxnType 3 digits", "TxnType", func() *unionpay.QueryRequest {
			return &unionpay.QueryRequest{OrderID: p.oid(), TxnTime: p.srv.Now(), TxnType: "012"}
		}},
		{"Amount negative", "Amount", func() *unionpay.QueryRequest {
			return &unionpay.QueryRequest{OrderID: p.oid(), TxnTime: p.srv.Now(), Amount: -1}
		}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			before := waits.Load()
			_, err := p.c.QueryUntilFinal(avCtx, tc.r(), unionpay.PayoutBackoff())
			var re *unionpay.RequestError
			if !errors.As(err, &re) || re.Field != tc.field {
				t.Fatalf("want RequestError naming %s, got %v", tc.field, err)
			}
			if n := waits.Load() - before; n != 0 {
				t.Errorf("refused only after %d wait(s) of the schedule (PayoutBackoff's first is 3 minutes): "+
					"an invalid request should be refused before waiting", n)
			}
		})
	}
}

// QueryUntilFinal checks the whole request before its first wait: a QueryID of invalid UTF-8 and a
// bad Extra were refused only by the first Query, after the schedule's first wait.
func TestQueryUntilFinalChecksBeforeWaiting(t *testing.T) {
	var waits atomic.Int64
	p := newAVProbe(t, func(c *unionpay.Config) {
		c.Sleep = func(ctx context.Context, d time.Duration) error { waits.Add(1); return nil }
	})
	for _, tc := range []struct {
		name string
		r    func() *unionpay.QueryRequest
	}{
		{"QueryID invalid UTF-8", func() *unionpay.QueryRequest {
			return &unionpay.QueryRequest{QueryID: "78240105103000000001\xff", TxnTime: p.srv.Now()}
		}},
		{"Extra collides with orderId", func() *unionpay.QueryRequest {
			return &unionpay.QueryRequest{OrderID: p.oid(), TxnTime: p.srv.Now(), Extra: sign.Fields{"orderId": "X"}}
		}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			before := waits.Load()
			_, err := p.c.QueryUntilFinal(avCtx, tc.r(), unionpay.PayoutBackoff())
			if _, ok := errors.AsType[*unionpay.RequestError](err); !ok {
				t.Fatalf("want a RequestError, got %v", err)
			}
			if n := waits.Load() - before; n != 0 {
				t.Errorf("refused (%v) only after %d wait(s) of the schedule", err, n)
			}
		})
	}
}

// A query answered busy (06) while ctx ends (its deadline passes as the answer is read) ends
// pending as a cancel does: wrapping ctx's error, and never an *Error, which reads as a rejection
// of the transaction itself (QueryUntilFinal's doc). OnQuery ends ctx between the answer and its
// classification, where a deadline can pass.
func TestReview15bQueryBusyAsCtxEnds(t *testing.T) {
	t.Parallel()
	g := newGateway(t, queryAnswer("06", ""))
	c := newTestClient(t, g, func(cfg *unionpay.Config) {
		cfg.Sleep = func(ctx context.Context, d time.Duration) error { return ctx.Err() }
	})
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	b := unionpay.Backoff{Delays: []time.Duration{time.Second, time.Second},
		OnQuery: func(unionpay.QueryAttempt) { cancel() }}
	_, err := c.QueryUntilFinal(ctx, &unionpay.QueryRequest{OrderID: testOrder, TxnTime: testNow}, b)
	require.ErrorIs(t, err, unionpay.ErrPending)
	var ue *unionpay.Error
	assert.False(t, errors.As(err, &ue), "a busy query must not read as a rejection: %v", err)
	assert.ErrorIs(t, err, context.Canceled, "ctx ended: it matches ctx's error, as the doc says")
}

// A query that fails (an HTTP 503) as ctx ends stops the schedule at once, as the doc says
// ("the end of ctx stops at once"), even under a Config.Sleep that does not watch ctx; its
// *PendingError matches ctx's error. (Kills a mutant that dropped ctx.Err() from queryFailed.)
func TestReview15bQueryFailsAsCtxEnds(t *testing.T) {
	t.Parallel()
	g := newGateway(t, func(sign.Fields) reply { return reply{status: 503} })
	sleeps := 0
	c := newTestClient(t, g, func(cfg *unionpay.Config) {
		cfg.Sleep = func(context.Context, time.Duration) error { sleeps++; return nil }
	})
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	b := unionpay.Backoff{Delays: []time.Duration{time.Second, time.Second, time.Second},
		OnQuery: func(unionpay.QueryAttempt) { cancel() }}
	_, err := c.QueryUntilFinal(ctx, &unionpay.QueryRequest{OrderID: testOrder, TxnTime: testNow}, b)
	require.ErrorIs(t, err, unionpay.ErrPending)
	assert.Equal(t, 1, sleeps, "stopped at once")
	assert.Equal(t, 1, g.count(), "one query asked")
}

// The same stop's *PendingError matches ctx's error, as QueryUntilFinal's doc says of a
// schedule stopped by the end of ctx ("it matches context.Canceled or DeadlineExceeded too"):
// it wrapped only the 503.
func TestReview15bQueryFailsAsCtxEndsMatchesCtx(t *testing.T) {
	t.Parallel()
	g := newGateway(t, func(sign.Fields) reply { return reply{status: 503} })
	c := newTestClient(t, g, func(cfg *unionpay.Config) {
		cfg.Sleep = func(ctx context.Context, d time.Duration) error { return ctx.Err() }
	})
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	b := unionpay.Backoff{Delays: []time.Duration{time.Second, time.Second},
		OnQuery: func(unionpay.QueryAttempt) { cancel() }}
	_, err := c.QueryUntilFinal(ctx, &unionpay.QueryRequest{OrderID: testOrder, TxnTime: testNow}, b)
	require.ErrorIs(t, err, unionpay.ErrPending)
	assert.ErrorIs(t, err, context.Canceled)
	assert.Contains(t, err.Error(), "503", "the query's failure is still told")
}

// A clock that turns zero during a back schedule is a mistake to mend: the schedule stops at
// the query it refuses, asking nothing more. (Kills mutants of queryFailed's *ConfigError case.)
func TestReview15bQueryClockZeroMidBackSchedule(t *testing.T) {
	t.Parallel()
	g := newGateway(t, queryAnswer("00", "05"))
	var broken atomic.Bool
	sleeps := 0
	c := newTestClient(t, g, func(cfg *unionpay.Config) {
		cfg.Now = func() time.Time {
			if broken.Load() {
				return time.Time{}
			}
			return testNow
		}
		cfg.Sleep = func(context.Context, time.Duration) error { sleeps++; return nil }
	})
	b := unionpay.Backoff{Delays: []time.Duration{time.Second, time.Second, time.Second},
		OnQuery: func(unionpay.QueryAttempt) { broken.Store(true) }}
	tx, err := c.QueryUntilFinal(context.Background(), &unionpay.QueryRequest{OrderID: testOrder, TxnTime: testNow}, b)
	var ce *unionpay.ConfigError
	require.ErrorAs(t, err, &ce)
	assert.Equal(t, "Config.Now", ce.Field)
	assert.Equal(t, 1, g.count(), "nothing asked once the clock broke")
	assert.Equal(t, 2, sleeps, "the schedule stopped at the refused query")
	require.NotNil(t, tx)
	assert.Equal(t, unionpay.Pending, tx.State)
}

// A clock that turns zero during a FromTxnTime schedule is refused before the wait: with the
// zero time, the wait to txnTime+delay is centuries (a real Sleep would hold the call until ctx
// ends). (Kills a mutant that dropped wait's checkClock.)
func TestReview15bQueryClockZeroMidFrontSchedule(t *testing.T) {
	t.Parallel()
	g := newGateway(t, queryAnswer("00", "05"))
	var broken atomic.Bool
	var waits []time.Duration
	c := newTestClient(t, g, func(cfg *unionpay.Config) {
		cfg.Now = func() time.Time {
			if broken.Load() {
				return time.Time{}
			}
			return testNow
		}
		cfg.Sleep = func(_ context.Context, d time.Duration) error { waits = append(waits, d); return nil }
	})
	b := unionpay.Backoff{Delays: []time.Duration{time.Minute, 2 * time.Minute}, FromTxnTime: true,
		OnQuery: func(unionpay.QueryAttempt) { broken.Store(true) }}
	_, err := c.QueryUntilFinal(context.Background(), &unionpay.QueryRequest{OrderID: testOrder, TxnTime: testNow}, b)
	var ce *unionpay.ConfigError
	require.ErrorAs(t, err, &ce)
	assert.Equal(t, "Config.Now", ce.Field)
	for _, d := range waits {
		assert.LessOrEqual(t, d, time.Hour, "no wait of centuries")
	}
	assert.Len(t, waits, 1)
}

// clockRig is a fake gateway on a true clock and a client whose Config.Now is the true clock
// plus an offset that steps (a naive clock crossing DST, an NTP correction), optionally read in
// a zone with DST.
type clockRig struct {
	srv     *unionpaytest.Server
	c       *unionpay.Client
	true_   atomic.Int64 // Unix ns
	offset  atomic.Int64 // ns added to the client's clock
	sleeps  atomic.Int32
	onSleep func(n int32) // called before the clock moves, with the sleep's number (1-based)
	queries *countingTransport
}

func newClockRig(t *testing.T, start time.Time, zone *time.Location, noWait bool) *clockRig {
	t.Helper()
	r := &clockRig{}
	r.true_.Store(start.UnixNano())
	trueNow := func() time.Time { return time.Unix(0, r.true_.Load()) }
	r.srv = unionpaytest.NewServer(withSharedKeys(t), unionpaytest.WithReporter(t), unionpaytest.WithClock(trueNow))
	t.Cleanup(r.srv.Close)
	cfg := r.srv.Config()
	r.queries = &countingTransport{RoundTripper: cfg.HTTPClient.Transport}
	hc := *cfg.HTTPClient
	hc.Transport = r.queries
	cfg.HTTPClient = &hc
	cfg.Now = func() time.Time { return time.Unix(0, r.true_.Load()+r.offset.Load()).In(zone) }
	cfg.Sleep = func(ctx context.Context, d time.Duration) error {
		n := r.sleeps.Add(1)
		if n > 1000 {
			return errors.New("never ends")
		}
		if r.onSleep != nil {
			r.onSleep(n)
		}
		if noWait && d > 0 {
			return errors.New("a function does not wait")
		}
		r.true_.Add(int64(d))
		return ctx.Err()
	}
	c, err := unionpay.NewClient(cfg)
	require.NoError(t, err)
	r.c = c
	return r
}

func (r *clockRig) consume(t *testing.T, id string, payTimeout time.Duration) *unionpay.Form {
	t.Helper()
	now := time.Unix(0, r.true_.Load()+r.offset.Load())
	form, err := r.c.FrontConsume(&unionpay.ConsumeRequest{OrderID: id, Amount: 1000, Channel: unionpay.ChannelMobile,
		FrontURL: "https://shop.example/r", BackURL: "https://shop.example/n", PayTimeout: now.Add(payTimeout)})
	require.NoError(t, err)
	// The shopper's browser posts the form: the gateway opens the cashier (the order exists, unpaid).
	body, err := sign.Encode(form.Fields)
	require.NoError(t, err)
	resp, err := r.srv.HTTPClient().Post(form.Action, "application/x-www-form-urlencoded", strings.NewReader(body))
	require.NoError(t, err)
	resp.Body.Close()
	_, ok := r.srv.Transaction(id)
	require.True(t, ok, "cashier opened")
	return form
}

// stillPayable reports whether the fake gateway would still take the customer's payment.
func (r *clockRig) stillPayable(id string) bool {
	code, err := r.srv.Complete(id, "")
	return err == nil && code == "00"
}

var la = func() *time.Location {
	l, err := time.LoadLocation("America/Los_Angeles")
	if err != nil {
		panic(err)
	}
	return l
}()

// FrontBackoff, full and shortened as its doc shows, with the client's clock stepping by an hour
// either way before any of its waits, or read in Los Angeles across both DST switches: it
// always ends (no more queries than the schedule has), and it never declares final an order the
// gateway would still let the customer pay, as long as the client's clock is not ahead of the
// gateway's at the last query (a clock an hour ahead is outside PayTimeoutSkew: logged).
//
// The whole sweep (468 cases, about 75 s) runs with UNIONPAY_CLOCK_SWEEP=1; by default a sample
// of it: the fall-back switch in Los Angeles, the clock stepping either way at the first and
// third wait, the 15-minute payTimeout.
func TestTrialClockFrontBackoff(t *testing.T) {
	t.Parallel()
	starts := map[string]time.Time{
		"plain":             time.Date(2026, 11, 25, 10, 0, 0, 0, time.UTC),
		"LA spring forward": time.Date(2026, 3, 8, 9, 30, 0, 0, time.UTC),  // 01:30 PST, switch at 10:00 UTC
		"LA fall back":      time.Date(2026, 11, 1, 8, 30, 0, 0, time.UTC), // 01:30 PDT, switch at 09:00 UTC
	}
	zones := []*time.Location{time.UTC, la}
	ats := []int32{1, 2, 3, 4, 5, 6}
	pts := []time.Duration{15 * time.Minute, 90 * time.Minute, 3 * time.Hour}
	if os.Getenv("UNIONPAY_CLOCK_SWEEP") == "" {
		starts = map[string]time.Time{"LA fall back": starts["LA fall back"]}
		zones, ats, pts = []*time.Location{la}, []int32{1, 3}, pts[:1]
	}
	n := 0
	for sname, start := range starts {
		for _, zone := range zones {
			for _, step := range []time.Duration{0, time.Hour, -time.Hour} {
				for _, at := range ats {
					for _, pt := range pts {
						for _, short := range []bool{false, true} {
							if step == 0 && at > 1 {
								continue
							}
							n++
							name := fmt.Sprintf("%s/%s/step%v@sleep%d/pt%v/short%v", sname, zone, step, at, pt, short)
							id := fmt.Sprintf("CLK%09d", n)
							t.Run(name, func(t *testing.T) {
								t.Parallel()
								r := newClockRig(t, start, zone, false)
								form := r.consume(t, id, pt)
								r.onSleep = func(k int32) {
									if k == at {
										r.offset.Add(int64(step))
									}
								}
								b := unionpay.FrontBackoff()
								b.PayTimeout = form.PayTimeout
								if short {
									end := form.PayTimeout.Sub(form.TxnTime) + unionpay.PayTimeoutSkew + time.Second
									b.Delays = append(slices.DeleteFunc(b.Delays, func(d time.Duration) bool { return d >= end }), end)
								}
								tx, err := r.c.QueryUntilFinal(context.Background(), &unionpay.QueryRequest{OrderID: id,
									TxnTime: form.TxnTime, TxnType: "01", Amount: 1000}, b)
								require.LessOrEqual(t, r.queries.n.Load(), int32(len(b.Delays)), "no more queries than scheduled")
								require.LessOrEqual(t, r.sleeps.Load(), int32(len(b.Delays)))
								if err != nil {
									require.ErrorIs(t, err, unionpay.ErrPending)
									return
								}
								require.NotEqual(t, unionpay.Succeeded, tx.State)
								clientAhead := r.offset.Load() > 0
								if r.stillPayable(id) {
									if clientAhead {
										t.Logf("final while payable, client clock %v ahead (outside PayTimeoutSkew)", time.Duration(r.offset.Load()))
										return
									}
									t.Fatalf("declared final (%s) but the customer can still pay", tx.State)
								}
							})
						}
					}
				}
			}
		}
	}
}

// A clock stepped back by an hour (an NTP correction, a naive clock's fall-back switch) while
// QueryUntilFinal waits makes the next query's TxnTime "55m after Config.Now": the schedule
// stops with a *RequestError (a mistake to mend, blaming ParseTxnTime) after queries were
// asked, instead of asking again on schedule or ending with a *PendingError.
func TestTrialClockSteppedBackFront(t *testing.T) {
	t.Parallel()
	r := newClockRig(t, time.Date(2026, 11, 1, 8, 30, 0, 0, time.UTC), la, false)
	form := r.consume(t, "CLKBACKFRONT1", 15*time.Minute)
	r.onSleep = func(k int32) {
		if k == 2 { // after the 5-minute query, during the wait for the 10-minute one
			r.offset.Add(int64(-time.Hour))
		}
	}
	b := unionpay.FrontBackoff()
	b.PayTimeout = form.PayTimeout
	_, err := r.c.QueryUntilFinal(context.Background(), &unionpay.QueryRequest{OrderID: form.OrderID,
		TxnTime: form.TxnTime, TxnType: "01", Amount: 1000}, b)
	var re *unionpay.RequestError
	require.NotErrorAs(t, err, &re, "a valid request, one query asked already")
	if err != nil {
		require.ErrorIs(t, err, unionpay.ErrPending)
	}
	require.False(t, r.stillPayable(form.OrderID) && err == nil)
}

// The same for a payout on PayoutBackoff: the clock steps back during its 3-minute wait and the
// schedule ends with a *RequestError, not ErrPending, for a payout whose outcome is not known.
func TestTrialClockSteppedBackPayout(t *testing.T) {
	t.Parallel()
	r := newClockRig(t, time.Date(2026, 11, 25, 10, 0, 0, 0, time.UTC), time.UTC, false)
	r.srv.Script("CLKBACKPAY01", unionpaytest.Pending, unionpaytest.Pending, unionpaytest.Pending,
		unionpaytest.Pending, unionpaytest.Pending, unionpaytest.Pending, unionpaytest.Pending, unionpaytest.Pending)
	at := time.Unix(0, r.true_.Load())
	_, err := r.c.Payout(context.Background(), &unionpay.CardRequest{OrderID: "CLKBACKPAY01", TxnTime: at, Amount: 500,
		AccNo: unionpaytest.TestCard, BackURL: "https://shop.example/notify", Customer: &unionpay.Customer{Name: "张三"}})
	require.ErrorIs(t, err, unionpay.ErrPending)
	r.onSleep = func(k int32) {
		if k == 1 {
			r.offset.Add(int64(-time.Hour))
		}
	}
	tx, err := r.c.QueryUntilFinal(context.Background(), &unionpay.QueryRequest{OrderID: "CLKBACKPAY01", TxnTime: at,
		BizType: unionpay.BizTypePayout, TxnType: "12", Amount: 500}, unionpay.PayoutBackoff())
	require.ErrorIs(t, err, unionpay.ErrPending, "a payout not known: query later, never pay again")
	if tx != nil {
		require.NotEqual(t, unionpay.Failed, tx.State)
	}
}

// There is no hook for QueryUntilFinal's queries; Config.Sleep, called before each query (and
// only before a query it asks), with the call's ctx, is the only way to see them, and it shows
// when a query starts, not what it answered.
func TestObsQueryUntilFinalProgressBySleep(t *testing.T) {
	t.Parallel()
	srv, cfg, backURL := obsGateway(t)
	type progress struct{ queries atomic.Int32 }
	type progressKey struct{}
	cfg.Sleep = func(ctx context.Context, _ time.Duration) error {
		if p, ok := ctx.Value(progressKey{}).(*progress); ok {
			p.queries.Add(1)
		}
		return ctx.Err()
	}
	c, err := unionpay.NewClient(cfg)
	require.NoError(t, err)
	r := obsCard(backURL)
	srv.Script(r.OrderID, unionpaytest.Pending, unionpaytest.Pending, unionpaytest.Pending, unionpaytest.Succeed)
	res, err := c.Collect(context.Background(), r)
	require.Error(t, err)
	_ = res
	var pe *unionpay.PendingError
	require.ErrorAs(t, err, &pe)
	p := &progress{}
	tx, err := c.QueryUntilFinal(context.WithValue(context.Background(), progressKey{}, p),
		&unionpay.QueryRequest{OrderID: pe.OrderID, TxnTime: pe.TxnTime}, unionpay.BackBackoff())
	require.NoError(t, err)
	assert.Equal(t, unionpay.Succeeded, tx.State)
	assert.Equal(t, int32(3), p.queries.Load(), "the third query saw it final")
}

// FAILS to compile on the current code (no Backoff.OnQuery). With the hook: each query's
// number, slot, time and answer, the pending ones included.
func TestObsQueryUntilFinalOnQuery(t *testing.T) {
	t.Parallel()
	srv, cfg, backURL := obsGateway(t)
	cfg.Sleep = func(ctx context.Context, _ time.Duration) error { return ctx.Err() }
	c, err := unionpay.NewClient(cfg)
	require.NoError(t, err)
	r := obsCard(backURL)
	srv.Script(r.OrderID, unionpaytest.Pending, unionpaytest.Pending, unionpaytest.Pending, unionpaytest.Succeed)
	_, err = c.Collect(context.Background(), r)
	var pe *unionpay.PendingError
	require.ErrorAs(t, err, &pe)
	srv.ScriptQuery(r.OrderID, "06") // the gateway busy for the first query
	var seen []unionpay.QueryAttempt
	b := unionpay.BackBackoff()
	b.OnQuery = func(a unionpay.QueryAttempt) { seen = append(seen, a) }
	tx, err := c.QueryUntilFinal(context.Background(), &unionpay.QueryRequest{OrderID: pe.OrderID, TxnTime: pe.TxnTime}, b)
	require.NoError(t, err)
	assert.Equal(t, unionpay.Succeeded, tx.State)
	require.Len(t, seen, 4)
	assert.Error(t, seen[0].Err, "busy")
	assert.Nil(t, seen[0].Transaction)
	for i, a := range seen {
		assert.Equal(t, i+1, a.N)
		assert.Equal(t, i, a.Slot)
		assert.False(t, a.Asked.IsZero())
	}
	assert.Equal(t, unionpay.Pending, seen[1].Transaction.State)
	assert.Equal(t, unionpay.Succeeded, seen[3].Transaction.State)
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

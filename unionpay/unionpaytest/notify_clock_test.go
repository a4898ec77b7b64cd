package unionpaytest_test

import (
	"context"
	"net/http"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/goacp/unionpay/unionpay"
	"github.com/goacp/unionpay/unionpay/unionpaytest"
)

// testClockGateway starts a gateway whose clock and notification schedule are clk's
// (WithTestClock, with opts), and a unionpay client for it.
func testClockGateway(t *testing.T, opts ...unionpaytest.Option) (*unionpaytest.Server, *unionpay.Client, *unionpaytest.Clock) {
	t.Helper()
	clk := newClock()
	srv := unionpaytest.NewServer(append([]unionpaytest.Option{keys(t), unionpaytest.WithTestClock(clk)}, opts...)...)
	t.Cleanup(srv.Close)
	c, err := unionpay.NewClient(srv.Config())
	require.NoError(t, err)
	return srv, c, clk
}

// waitDue waits for the attempts due by the clock's time. On the wall clock (WithTestClock
// not putting the schedule on the test's clock) it would wait for the next retry: the bound
// turns that into a failure, not a minute's wait.
func waitDue(t *testing.T, srv *unionpaytest.Server) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	require.NoError(t, srv.WaitNotifications(ctx), "WaitNotifications waits for a notification parked on the test clock")
}

// TestNotifyOnTestClock: with WithTestClock, a notification's attempts are made when the test
// moves the clock to their due time (the previous attempt's plus the schedule's wait), and not
// before: FaultLateNotify's, duplicates', FaultNotifyFirst's retries included, with WithTimeScale
// not applying, and each Delivery's At is the clock time it was due at.
func TestNotifyOnTestClock(t *testing.T) {
	t.Parallel()
	const ok, refused = http.StatusOK, http.StatusInternalServerError
	type step struct {
		advance time.Duration
		want    []int // statuses of the order's attempts once the clock has moved
	}
	tests := []struct {
		name    string
		opts    []unionpaytest.Option
		fault   unionpaytest.Fault
		answers []int // the merchant's answers in turn, then 200
		steps   []step
		at      []time.Duration // the attempts' At, from the payment
	}{
		{name: "refused once: retried after a minute, not before",
			answers: []int{refused},
			steps: []step{{0, []int{refused}}, {59 * time.Second, []int{refused}},
				{time.Second - time.Nanosecond, []int{refused}}, {time.Nanosecond, []int{refused, ok}},
				{time.Hour, []int{refused, ok}}},
			at: []time.Duration{0, time.Minute}},
		{name: "refused throughout: one move makes every attempt due by then",
			answers: []int{refused, refused, refused, refused, refused},
			steps: []step{{11*time.Minute + 59*time.Second, []int{refused, refused, refused, refused}},
				{time.Second, []int{refused, refused, refused, refused, refused}},
				{time.Hour, []int{refused, refused, refused, refused, refused}}},
			at: []time.Duration{0, time.Minute, 3 * time.Minute, 7 * time.Minute, 12 * time.Minute}},
		{name: "own schedule", opts: []unionpaytest.Option{unionpaytest.WithNotifySchedule(0, 30*time.Second, time.Hour)},
			answers: []int{refused, refused},
			steps: []step{{29 * time.Second, []int{refused}}, {time.Second, []int{refused, refused}},
				{59 * time.Minute, []int{refused, refused}}, {time.Minute, []int{refused, refused, ok}}},
			at: []time.Duration{0, 30 * time.Second, time.Hour + 30*time.Second}},
		{name: "time scale is the wall clock's", opts: []unionpaytest.Option{unionpaytest.WithTimeScale(1e-9)},
			answers: []int{refused},
			steps:   []step{{0, []int{refused}}, {59 * time.Second, []int{refused}}, {time.Second, []int{refused, ok}}},
			at:      []time.Duration{0, time.Minute}},
		{name: "late notification: after the whole schedule", fault: unionpaytest.FaultLateNotify,
			steps: []step{{0, nil}, {12*time.Minute - time.Second, nil}, {time.Second, []int{ok}}},
			at:    []time.Duration{12 * time.Minute}},
		{name: "duplicate: both refused, both retried", fault: unionpaytest.FaultDuplicateNotify,
			answers: []int{refused, refused},
			steps:   []step{{0, []int{refused, refused}}, {59 * time.Second, []int{refused, refused}}, {time.Second, []int{refused, refused, ok, ok}}},
			at:      []time.Duration{0, 0, time.Minute, time.Minute}},
		{name: "notify first: retried on the clock", fault: unionpaytest.FaultNotifyFirst,
			answers: []int{refused},
			steps:   []step{{0, []int{refused}}, {59 * time.Second, []int{refused}}, {time.Second, []int{refused, ok}}},
			at:      []time.Duration{0, time.Minute}},
	}
	for i, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			srv, c, clk := testClockGateway(t, tt.opts...)
			in := newInbox(t, mustVerifier(t, srv), tt.answers...)
			orderID := "CLOCKNOTIFY" + string(rune('A'+i))
			if tt.fault != unionpaytest.FaultNone {
				srv.FailOrder(orderID, tt.fault)
			}
			paid := clk.Now()
			_, err := c.BackConsume(context.Background(), rotationCard(orderID, in.URL()))
			require.NoError(t, err)
			for _, st := range tt.steps {
				clk.Advance(st.advance)
				waitDue(t, srv)
				require.Equal(t, st.want, statuses(srv, orderID), "%v after the payment", clk.Now().Sub(paid))
			}
			var at []time.Duration
			for _, d := range srv.Deliveries() {
				at = append(at, d.At.Sub(paid))
			}
			assert.Equal(t, tt.at, at, "each attempt At the clock time it was due at")
		})
	}
}

// TestNotifyHeldOnTestClock: a notification held back with a long schedule on a test clock does
// not hold WaitNotifications up (it waited the hour on the wall clock), Server.Notify delivers
// it meanwhile, and Close stops it without the clock moving.
func TestNotifyHeldOnTestClock(t *testing.T) {
	t.Parallel()
	srv, c, clk := testClockGateway(t, unionpaytest.WithNotifySchedule(time.Hour))
	in := newInbox(t, mustVerifier(t, srv))
	_, err := c.BackConsume(context.Background(), rotationCard("CLOCKHELD1", in.URL()))
	require.NoError(t, err)
	waitDue(t, srv)
	assert.Empty(t, statuses(srv, "CLOCKHELD1"), "held back")
	require.NoError(t, srv.Notify(context.Background(), "CLOCKHELD1"))
	assert.Equal(t, []int{http.StatusOK}, statuses(srv, "CLOCKHELD1"))
	ds := srv.Deliveries()
	at := ds[len(ds)-1].At
	assert.True(t, at.Equal(clk.Now()), "Notify's attempt made at the test clock's %v, not %v", clk.Now(), at)
	done := make(chan struct{})
	go func() {
		srv.Close()
		close(done)
	}()
	select {
	case <-done:
	case <-time.After(5 * time.Second):
		t.Fatal("Close did not stop a delivery waiting for the test clock")
	}
	assert.Len(t, statuses(srv, "CLOCKHELD1"), 1, "the held delivery was not sent by Close")
}

// TestTestClockConfigSleeps: on a gateway made WithTestClock, Config's Sleep is the clock's, so
// that QueryUntilFinal's waits move the gateway's clock instead of waiting in real time.
func TestTestClockConfigSleeps(t *testing.T) {
	t.Parallel()
	clk := newClock()
	srv := unionpaytest.NewServer(keys(t), unionpaytest.WithTestClock(clk))
	t.Cleanup(srv.Close)
	cfg := srv.Config()
	require.NotNil(t, cfg.Sleep, "Config.Sleep under WithTestClock")
	start := clk.Now()
	require.NoError(t, cfg.Sleep(context.Background(), 5*time.Minute))
	assert.Equal(t, 5*time.Minute, clk.Now().Sub(start))
	assert.Equal(t, clk.Now(), cfg.Now())

	plain := unionpaytest.NewServer(keys(t), unionpaytest.WithClock(clk.Now))
	t.Cleanup(plain.Close)
	assert.Nil(t, plain.Config().Sleep, "WithClock(func) leaves Sleep to the caller")
}

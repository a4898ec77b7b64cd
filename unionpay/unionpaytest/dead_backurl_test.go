package unionpaytest_test

import (
	"context"
	"fmt"
	"net"
	"net/http"
	"runtime"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/goacp/unionpay/internal/goroutinetest"
	"github.com/goacp/unionpay/unionpay"
	"github.com/goacp/unionpay/unionpay/unionpaytest"
)

// logRecorder is a Reporter with Logf, as *testing.T has, and optionally a Deadline.
type logRecorder struct {
	recorder // Errorf: failures
	mu       sync.Mutex
	logs     []string
	deadline time.Time // zero: none
}

func (r *logRecorder) Logf(format string, args ...any) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.logs = append(r.logs, fmt.Sprintf(format, args...))
}

func (r *logRecorder) logged() []string {
	r.mu.Lock()
	defer r.mu.Unlock()
	return append([]string(nil), r.logs...)
}

// deadlineRecorder is a logRecorder with a Deadline method.
type deadlineRecorder struct{ *logRecorder }

func (r deadlineRecorder) Deadline() (time.Time, bool) { return r.deadline, !r.deadline.IsZero() }

// deadURL returns the URL of a listener that is closed: connecting to it is refused.
func deadURL(t *testing.T) string {
	t.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	require.NoError(t, err)
	u := "http://" + l.Addr().String() + "/notify"
	require.NoError(t, l.Close())
	return u
}

// TestDeadBackURL: a backUrl nothing listens at (a copied example's, a wrong port) used to show
// only as a WaitNotifications that waited for the whole 12-minute schedule, with not a word from
// the Reporter. Now a Reporter with Logf is told of the first failed attempt to each backUrl and
// why, without failing the test (a test may refuse notifications on purpose), and
// WaitNotifications' error when ctx ends names the orders, backUrls and last failures; one that
// never answers is said to give no answer within the deadline (it was "context deadline
// exceeded"). A backUrl that answers 200 gives no message.
func TestDeadBackURL(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	tests := []struct {
		name    string
		url     func(t *testing.T, srv *unionpaytest.Server) string
		opts    []unionpaytest.Option
		want    []string // in the log and WaitNotifications' error; nil: neither
		logOnly []string // in the log only
	}{
		{"dead", func(t *testing.T, _ *unionpaytest.Server) string { return deadURL(t) }, nil,
			[]string{"connection refused"}, []string{"attempt 1 failed", "1 more after 1h0m0s on the wall clock"}},
		{"refusing", func(t *testing.T, srv *unionpaytest.Server) string {
			return newInbox(t, mustVerifier(t, srv), http.StatusInternalServerError, http.StatusInternalServerError).URL()
		}, nil, []string{"answered 500"}, nil},
		{"scaled", func(t *testing.T, _ *unionpaytest.Server) string { return deadURL(t) },
			[]unionpaytest.Option{unionpaytest.WithTimeScale(1.0 / 3600)},
			[]string{"connection refused"}, []string{"1 more after 1s on the wall clock"}},
		{"no answer", func(t *testing.T, _ *unionpaytest.Server) string { return hungURL(t) },
			[]unionpaytest.Option{unionpaytest.WithTimeScale(1.0 / 3600)},
			[]string{"no answer within 2s (UnionPay's deadline for a notification)"}, []string{"1 more after 1s on the wall clock"}},
		{"working", func(t *testing.T, srv *unionpaytest.Server) string {
			return newInbox(t, mustVerifier(t, srv)).URL()
		}, nil, nil, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			rep := &logRecorder{}
			srv, c, _ := clientGateway(t, append([]unionpaytest.Option{unionpaytest.WithReporter(rep),
				unionpaytest.WithNotifySchedule(0, time.Hour)}, tt.opts...)...)
			u := tt.url(t, srv)
			for _, order := range []string{"DEADURL01", "DEADURL02"} {
				_, err := c.BackConsume(ctx, rotationCard(order, u))
				require.NoError(t, err)
			}
			require.Eventually(t, func() bool { return len(srv.Deliveries()) == 2 }, 10*time.Second, 5*time.Millisecond)
			short, cancel := context.WithTimeout(ctx, 100*time.Millisecond)
			defer cancel()
			err := srv.WaitNotifications(short)
			assert.Empty(t, rep.all(), "a failed delivery is no test failure")
			logs := rep.logged()
			if tt.want == nil {
				require.NoError(t, err)
				assert.Empty(t, logs)
				return
			}
			require.ErrorIs(t, err, context.DeadlineExceeded)
			require.Len(t, logs, 1, "the first failure per backUrl only: %q", logs)
			assert.Contains(t, logs[0], u)
			assert.Regexp(t, "notification for DEADURL0[12] to backUrl", logs[0])
			for _, w := range append(tt.want, tt.logOnly...) {
				assert.Contains(t, logs[0], w)
			}
			for _, order := range []string{"DEADURL01", "DEADURL02"} {
				assert.Contains(t, err.Error(), order+" to "+u+" (attempt 1 failed: ")
			}
			for _, w := range tt.want {
				assert.Contains(t, err.Error(), w)
			}
		})
	}
}

// TestDeadBackURLTestClock: on a test clock a failed delivery parks until the clock moves, so
// WaitNotifications returns; the log says the schedule is on the test clock.
func TestDeadBackURLTestClock(t *testing.T) {
	t.Parallel()
	rep := &logRecorder{}
	clk := newClock()
	srv := unionpaytest.NewServer(keys(t), unionpaytest.WithTestClock(clk), unionpaytest.WithReporter(rep))
	t.Cleanup(srv.Close)
	c, err := unionpay.NewClient(srv.Config())
	require.NoError(t, err)
	u := deadURL(t)
	_, err = c.BackConsume(context.Background(), rotationCard("DEADCLOCK1", u))
	require.NoError(t, err)
	require.NoError(t, srv.WaitNotifications(context.Background()))
	logs := rep.logged()
	require.Len(t, logs, 1)
	assert.Contains(t, logs[0], "4 more after 1m0s, 2m0s, 4m0s, 5m0s on the test clock")
	assert.Empty(t, rep.all())
}

// TestWaitNotificationsTestDeadline: with a Reporter that has a Deadline (a *testing.T) and a ctx
// that never ends, WaitNotifications returns shortly before that deadline with an error naming
// what it waited for, instead of go test's -timeout panicking with no word of it, and leaves no
// goroutine behind. Counts goroutines: no t.Parallel.
func TestWaitNotificationsTestDeadline(t *testing.T) {
	base := runtime.NumGoroutine()
	func() {
		rep := deadlineRecorder{&logRecorder{}}
		srv := unionpaytest.NewServer(keys(t), unionpaytest.WithReporter(rep), unionpaytest.WithNotifySchedule(0, time.Hour))
		defer srv.Close()
		cfg := srv.Config()
		defer cfg.HTTPClient.CloseIdleConnections()
		c, err := unionpay.NewClient(cfg)
		require.NoError(t, err)
		u := deadURL(t)
		_, err = c.BackConsume(context.Background(), rotationCard("DEADLINE01", u))
		require.NoError(t, err)
		require.Eventually(t, func() bool { return len(srv.Deliveries()) == 1 }, 10*time.Second, 5*time.Millisecond)
		rep.deadline = time.Now().Add(2*time.Second + 200*time.Millisecond) // read by WaitNotifications, in this goroutine
		start := time.Now()
		err = srv.WaitNotifications(context.Background())
		require.ErrorIs(t, err, context.DeadlineExceeded)
		assert.Less(t, time.Since(start), 2*time.Second, "returns 2 s before the test's deadline")
		assert.Contains(t, err.Error(), "the test's deadline is 2s away")
		assert.Contains(t, err.Error(), "DEADLINE01 to "+u+" (attempt 1 failed: ")
		assert.True(t, strings.Contains(err.Error(), "connection refused"), err.Error())
	}()
	goroutinetest.Settle(t, base, 5*time.Second)
}

// TestNotifyFirstAttemptNumbers: the retries after FaultNotifyFirst's synchronous first attempt
// are numbered after it (they were numbered from 1 again).
func TestNotifyFirstAttemptNumbers(t *testing.T) {
	t.Parallel()
	srv, c, _ := clientGateway(t, unionpaytest.WithNotifySchedule(0, 10*time.Millisecond, 10*time.Millisecond))
	in := newInbox(t, mustVerifier(t, srv), http.StatusInternalServerError, http.StatusInternalServerError)
	srv.FailOrder("FIRSTNUM01", unionpaytest.FaultNotifyFirst)
	_, err := c.BackConsume(context.Background(), rotationCard("FIRSTNUM01", in.URL()))
	require.NoError(t, err)
	require.NoError(t, srv.WaitNotifications(context.Background()))
	var got []int
	for _, d := range srv.Deliveries() {
		got = append(got, d.Attempt)
	}
	assert.Equal(t, []int{1, 2, 3}, got)
}

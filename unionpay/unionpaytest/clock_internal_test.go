package unionpaytest

import (
	"context"
	"net/http"
	"net/http/httptest"
	"runtime"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/goacp/unionpay/unionpay"
)

// TestClockAfterFunc: a move of the clock (Advance, Set, Sleep) calls, before it returns, the
// functions due at or before the new time, earliest first and in registration order among
// equals, and only those; moving back calls nothing; a stopped function is never called; one
// due already is not kept.
func TestClockAfterFunc(t *testing.T) {
	t.Parallel()
	start := time.Date(2026, 11, 25, 10, 0, 0, 0, time.UTC)
	type move struct {
		do   func(c *Clock)
		want []string // the functions called by this move, in order
	}
	advance := func(d time.Duration) func(*Clock) { return func(c *Clock) { c.Advance(d) } }
	set := func(d time.Duration) func(*Clock) { return func(c *Clock) { c.Set(start.Add(d)) } }
	sleep := func(d time.Duration) func(*Clock) {
		return func(c *Clock) { require.NoError(t, c.Sleep(context.Background(), d)) }
	}
	timers := []struct {
		name string
		at   time.Duration
	}{{"3s", 3 * time.Second}, {"1s-a", time.Second}, {"2s", 2 * time.Second}, {"1s-b", time.Second}, {"1h", time.Hour}}
	tests := []struct {
		name  string
		moves []move
	}{
		{"advance past several", []move{{advance(999 * time.Millisecond), nil}, {advance(2 * time.Second), []string{"1s-a", "1s-b", "2s"}},
			{advance(time.Second), []string{"3s"}}, {advance(time.Hour), []string{"1h"}}, {advance(time.Hour), nil}}},
		{"exactly at the due time", []move{{advance(time.Second), []string{"1s-a", "1s-b"}}, {advance(time.Second), []string{"2s"}}}},
		{"set forward, back, forward", []move{{set(2 * time.Second), []string{"1s-a", "1s-b", "2s"}}, {set(0), nil},
			{set(2 * time.Second), nil}, {set(10 * time.Hour), []string{"3s", "1h"}}}},
		{"advance back", []move{{advance(-time.Hour), nil}, {advance(time.Hour + time.Second), []string{"1s-a", "1s-b"}}}},
		{"sleep", []move{{sleep(-time.Hour), nil}, {sleep(3 * time.Second), []string{"1s-a", "1s-b", "2s", "3s"}}}},
		{"sleep the last nanosecond", []move{{advance(time.Second - time.Nanosecond), nil},
			{sleep(time.Nanosecond), []string{"1s-a", "1s-b"}}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			c := NewClock(start)
			var called []string
			for _, tm := range timers {
				_, pending := c.afterFunc(start.Add(tm.at), func() { called = append(called, tm.name) })
				require.True(t, pending)
			}
			for i, m := range tt.moves {
				called = nil
				m.do(c)
				assert.Equal(t, m.want, called, "move %d", i)
			}
		})
	}
	t.Run("many due at the same times", func(t *testing.T) {
		t.Parallel()
		// More than a sort keeps in order without the registration order as its tie-break.
		c := NewClock(start)
		var want, called []int
		for due := range 4 {
			for i := range 64 {
				if i%4 == due {
					want = append(want, i)
				}
			}
		}
		for i := range 64 {
			_, pending := c.afterFunc(start.Add(time.Duration(1+i%4)*time.Second), func() { called = append(called, i) })
			require.True(t, pending)
		}
		c.Advance(time.Minute)
		assert.Equal(t, want, called, "by due time, then in registration order")
	})
	t.Run("stop and due already", func(t *testing.T) {
		t.Parallel()
		c := NewClock(start)
		stop, pending := c.afterFunc(start.Add(time.Second), func() { t.Error("a stopped function was called") })
		require.True(t, pending)
		stop()
		stop() // twice is harmless
		_, pending = c.afterFunc(start, func() { t.Error("a function due already was kept") })
		assert.False(t, pending)
		c.Advance(time.Hour)
		assert.Empty(t, c.timers)
	})
}

// TestClockConcurrent: functions registered, stopped and woken from many goroutines while
// others move the clock are each called once or never (-race).
func TestClockConcurrent(t *testing.T) {
	t.Parallel()
	start := time.Date(2026, 11, 25, 10, 0, 0, 0, time.UTC)
	c := NewClock(start)
	var mu sync.Mutex
	calls := map[int]int{}
	var wg sync.WaitGroup
	for g := range 8 {
		wg.Go(func() {
			for i := range 50 {
				id := g*100 + i
				stop, pending := c.afterFunc(start.Add(time.Duration(id)*time.Millisecond), func() {
					mu.Lock()
					calls[id]++
					mu.Unlock()
				})
				if pending && i%5 == 0 {
					stop()
				}
				c.Advance(time.Millisecond)
				_ = c.Now()
			}
		})
	}
	wg.Wait()
	c.Advance(time.Hour)
	mu.Lock()
	defer mu.Unlock()
	for id, n := range calls {
		assert.Equal(t, 1, n, "function %d", id)
	}
	assert.Empty(t, c.timers)
}

// deliveriesWaiting counts the goroutines of deliveries waiting for a test clock.
func deliveriesWaiting() int {
	buf := make([]byte, 1<<20)
	for {
		n := runtime.Stack(buf, true)
		if n < len(buf) {
			return strings.Count(string(buf[:n]), ").waitClock(")
		}
		buf = make([]byte, 2*len(buf))
	}
}

// TestCloseStopsTestClockDeliveries: on a test clock never moved, a refused notification, a late
// one and a held one wait for it; WaitNotifications does not wait for them, and Close stops them,
// leaving no goroutine and nothing registered on the clock.
func TestCloseStopsTestClockDeliveries(t *testing.T) {
	shop := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
		w.WriteHeader(http.StatusInternalServerError)
	}))
	defer shop.Close()
	before := deliveriesWaiting()
	clk := NewClock(time.Date(2026, 11, 25, 10, 0, 0, 0, time.UTC))
	srv := NewServer(WithTestClock(clk), WithNotifySchedule(0, time.Hour))
	defer srv.Close()
	c, err := unionpay.NewClient(srv.Config())
	require.NoError(t, err)
	srv.FailOrder("CLOCKCLOSE2", FaultLateNotify)
	for _, id := range []string{"CLOCKCLOSE1", "CLOCKCLOSE2"} {
		_, err = c.BackConsume(context.Background(), &unionpay.CardRequest{OrderID: id, Amount: 1000,
			BackURL: shop.URL, AccNo: TestCard, Customer: &unionpay.Customer{IDType: "01", IDNumber: "341126197709218366",
				Name: "互联网", Phone: "13552535506", SMSCode: "123456", PIN: "111111"}})
		require.NoError(t, err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	require.NoError(t, srv.WaitNotifications(ctx))
	assert.Len(t, srv.Deliveries(), 1, "the first attempt of CLOCKCLOSE1; CLOCKCLOSE2's is late")
	clk.mu.Lock()
	registered := len(clk.timers)
	clk.mu.Unlock()
	assert.Equal(t, 2, registered)
	assert.Equal(t, before+2, deliveriesWaiting())

	srv.Close()
	assert.Equal(t, before, deliveriesWaiting(), "Close left deliveries waiting")
	clk.mu.Lock()
	registered = len(clk.timers)
	clk.mu.Unlock()
	assert.Zero(t, registered, "Close left functions on the clock")
	clk.Advance(24 * time.Hour) // wakes nothing: no attempt after Close
	assert.Len(t, srv.Deliveries(), 1)
}

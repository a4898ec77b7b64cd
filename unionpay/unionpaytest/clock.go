package unionpaytest

import (
	"cmp"
	"context"
	"slices"
	"sync"
	"time"
)

// Clock is a clock a test drives, safe for concurrent use: give its Now to [WithClock] (and so
// to the Now of [Server.Config]) and its Sleep to unionpay.Config.Sleep, and the waits of
// unionpay.Client.QueryUntilFinal move it forward instead of taking real time, so that a
// form's payTimeout passes and an abandoned order comes out final at once. Advance moves it
// between steps (past 23:00 Beijing, to a settlement file's day).
//
// Given to [WithTestClock] instead, it is the gateway's clock and the notification schedule's
// too: a retry due a minute after a refused attempt is sent when Advance, Set or Sleep moves the
// clock to or past that time, and not before, without any wall-clock wait (see the
// example of [WithTestClock]). Each of them wakes the deliveries due by the new time, earliest first,
// before it returns; [Server.WaitNotifications] then waits until their attempts are made.
type Clock struct {
	mu     sync.Mutex
	t      time.Time
	timers []*clockTimer // waiting for the clock to reach their due time
	seq    uint64        // registrations so far, to order timers due at the same time
}

// clockTimer is a function waiting for a Clock to reach due.
type clockTimer struct {
	due  time.Time
	seq  uint64
	fire func()
}

// NewClock returns a Clock reading start, which must be in the years [WithClock] accepts.
func NewClock(start time.Time) *Clock { return &Clock{t: start} }

// Now returns the clock's time.
func (c *Clock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.t
}

// Advance moves the clock forward by d (back for a negative d) and returns the new time. It
// wakes what waits for a time up to the new one (see [WithTestClock]).
func (c *Clock) Advance(d time.Duration) time.Time {
	c.mu.Lock()
	c.t = c.t.Add(d)
	t := c.t
	due := c.takeDueLocked()
	c.mu.Unlock()
	fire(due)
	return t
}

// Set sets the clock to t. It wakes what waits for a time up to t (see [WithTestClock]).
func (c *Clock) Set(t time.Time) {
	c.mu.Lock()
	c.t = t
	due := c.takeDueLocked()
	c.mu.Unlock()
	fire(due)
}

// Sleep is a unionpay.Config.Sleep that returns at once, the clock advanced by d: ctx's error
// if ctx is done (the clock then left as it is), nil otherwise.
func (c *Clock) Sleep(ctx context.Context, d time.Duration) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	if d > 0 {
		c.Advance(d)
	}
	return nil
}

// afterFunc arranges for f to be called once the clock reads due or later, by the Advance, Set
// or Sleep that moves it there, after the functions due earlier; f must not block. If the clock
// already reads due or later, afterFunc keeps nothing and returns pending false: the caller goes
// on at once. stop forgets f if it has not been called (it may be called meanwhile).
func (c *Clock) afterFunc(due time.Time, f func()) (stop func(), pending bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if !due.After(c.t) {
		return func() {}, false
	}
	c.seq++
	tm := &clockTimer{due: due, seq: c.seq, fire: f}
	c.timers = append(c.timers, tm)
	return func() {
		c.mu.Lock()
		defer c.mu.Unlock()
		c.timers = slices.DeleteFunc(c.timers, func(x *clockTimer) bool { return x == tm })
	}, true
}

// takeDueLocked removes the timers due by the clock's time and returns them in due order
// (registration order among equals). Callers hold c.mu.
func (c *Clock) takeDueLocked() []*clockTimer {
	var due []*clockTimer
	c.timers = slices.DeleteFunc(c.timers, func(x *clockTimer) bool {
		if x.due.After(c.t) {
			return false
		}
		due = append(due, x)
		return true
	})
	slices.SortFunc(due, func(a, b *clockTimer) int {
		return cmp.Or(a.due.Compare(b.due), cmp.Compare(a.seq, b.seq))
	})
	return due
}

// fire calls the timers' functions in order, outside the clock's lock: they take the server's,
// under which the server reads the clock.
func fire(timers []*clockTimer) {
	for _, tm := range timers {
		tm.fire()
	}
}

package unionpaytest

import (
	"context"
	"sync"
	"time"
)

// Clock is a clock a test drives, safe for concurrent use: give its Now to [WithClock] (and so
// to the Now of [Server.Config]) and its Sleep to unionpay.Config.Sleep, and the waits of
// unionpay.Client.QueryUntilFinal move it forward instead of taking real time, so that a
// form's payTimeout passes and an abandoned order comes out final at once. Advance moves it
// between steps (past 23:00 Beijing, to a settlement file's day). Notification retries are not
// on it: they run on the wall clock (see [WithNotifySchedule]).
type Clock struct {
	mu sync.Mutex
	t  time.Time
}

// NewClock returns a Clock reading start, which must be in the years [WithClock] accepts.
func NewClock(start time.Time) *Clock { return &Clock{t: start} }

// Now returns the clock's time.
func (c *Clock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.t
}

// Advance moves the clock forward by d (back for a negative d) and returns the new time.
func (c *Clock) Advance(d time.Duration) time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.t = c.t.Add(d)
	return c.t
}

// Set sets the clock to t.
func (c *Clock) Set(t time.Time) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.t = t
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

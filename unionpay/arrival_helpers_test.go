package unionpay_test

import (
	"context"
	"sync"
	"time"

	"github.com/goacp/unionpay/unionpay/unionpaytest"
)

// endWhen returns a context with the values of values that ends with want (context.Canceled
// or context.DeadlineExceeded) as soon as arrived reports true, polled every millisecond, and a
// CancelFunc that ends it (with context.Canceled) and stops the polling.
//
// The tests that cancel "while the gateway holds the answer" end their context this way. A
// timer of 200 or 300 ms could fire, on a loaded machine under -race, before the request had
// left (a new TLS connection, RSA signing): the call was then rightly reported not sent instead
// of pending (TestDeployInFlightCancel's payout failed so, 1 run in 30 with both cores busy).
// Ending with context.DeadlineExceeded is what a deadline does to the SDK: Done closes and Err
// returns context.DeadlineExceeded (the SDK never reads Deadline).
func endWhen(values context.Context, want error, arrived func() bool) (context.Context, context.CancelFunc) {
	c := &signalCtx{Context: context.WithoutCancel(values), done: make(chan struct{}), stop: make(chan struct{})}
	go func() {
		t := time.NewTicker(time.Millisecond)
		defer t.Stop()
		for !arrived() {
			select {
			case <-c.stop:
				return
			case <-t.C:
			}
		}
		c.end(want)
	}()
	return c, func() {
		c.end(context.Canceled)
		c.stopOnce.Do(func() { close(c.stop) })
	}
}

// signalCtx is a context without deadline whose end endWhen decides.
type signalCtx struct {
	context.Context // for its values only: never cancelled, no deadline
	done, stop      chan struct{}
	mu              sync.Mutex
	err             error
	stopOnce        sync.Once
}

func (c *signalCtx) Done() <-chan struct{} { return c.done }

func (c *signalCtx) Err() error {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.err
}

func (c *signalCtx) end(err error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.err == nil {
		c.err = err
		close(c.done)
	}
}

// delayCount is how many of orderID's requests at ep have taken FaultDelay so far. The gateway takes a request's fault once it has read the whole request,
// before acting on it and holding the answer.
func delayCount(srv *unionpaytest.Server, ep unionpaytest.Endpoint, orderID string) int {
	n := 0
	for _, e := range srv.FaultLog() {
		if e.Endpoint == ep && e.OrderID == orderID && e.Fault == unionpaytest.FaultDelay && !e.Notification {
			n++
		}
	}
	return n
}

// delayTaken returns a func for endWhen reporting whether one more of orderID's requests at ep
// has taken FaultDelay than when delayTaken was called: the request has arrived whole, and its
// answer will be held.
func delayTaken(srv *unionpaytest.Server, ep unionpaytest.Endpoint, orderID string) func() bool {
	before := delayCount(srv, ep, orderID)
	return func() bool { return delayCount(srv, ep, orderID) > before }
}

// recorded returns a func for endWhen reporting whether the gateway has recorded the
// transaction orderID: it has the request and acted on it.
func recorded(srv *unionpaytest.Server, orderID string) func() bool {
	return func() bool { _, ok := srv.Transaction(orderID); return ok }
}

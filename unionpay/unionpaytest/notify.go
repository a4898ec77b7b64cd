package unionpaytest

import (
	"context"
	"crypto/rand"
	"crypto/rsa"
	"encoding/base64"
	"errors"
	"fmt"
	"io"
	"maps"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/goacp/unionpay/sign"
)

// notification is one message waiting to be POSTed to a merchant's backUrl. It is built under
// the server lock and signed once, outside it, on first use: every attempt sends the same bytes.
type notification struct {
	txn      *txn // the transaction it reports: its deliveries stop when WithLedgerLimit forgets it
	orderID  string
	url      string
	fields   sign.Fields // unsigned
	method   string      // signMethod of the request (secure-key requests get secure-key notifications)
	forged   bool        // FaultForgedNotify's altered copy
	sigFault Fault       // how every attempt is signed wrongly (FaultNotifyWrongKey ...), or FaultNone

	once sync.Once
	body string // form-encoded and signed
	err  error
}

// encoded signs and encodes n once.
func (s *Server) encoded(n *notification) (string, error) {
	n.once.Do(func() {
		if n.err = s.signAs(n.fields, n.method, n.sigFault); n.err == nil {
			n.body, n.err = sign.Encode(n.fields)
		}
		if n.err != nil {
			s.report("notification for %s: %v", n.orderID, n.err)
		}
	})
	return n.body, n.err
}

// Delivery records one attempt to POST a notification.
type Delivery struct {
	OrderID string    // orderId of the transaction
	URL     string    // backUrl
	Attempt int       // 1 for the first send of a delivery
	At      time.Time // time of the attempt: wall clock, or WithTestClock's time it was due at
	Status  int       // HTTP status answered, 0 if none
	// Err is the transport error, if any: wrapped in "no answer within 10s" when the merchant
	// was slower, [ErrForgotten] when WithLedgerLimit forgot the transaction mid-attempt.
	Err    error
	Forged bool // a forged copy sent by FaultForgedNotify, not a genuine notification
}

// notificationFor builds the notification for t's current status. It returns nil when t has no
// backUrl. Callers hold s.mu.
func (s *Server) notificationFor(t *txn) *notification {
	backURL := t.req["backUrl"]
	if backURL == "" {
		return nil
	}
	f := baseResponse(t.req, t.code, "")
	maps.Copy(f, s.statusFields(t))
	return &notification{txn: t, orderID: t.orderID, url: backURL, fields: f, method: t.req["signMethod"]}
}

// deliver starts delivering n in the background with UnionPay's retry schedule, shaped by a
// notification fault. Close stops it.
func (s *Server) deliver(n *notification, fault Fault) {
	if n == nil || s.hold(n, fault) {
		return
	}
	waits := s.opts.notifySchedule
	if fault == FaultLateNotify {
		var total time.Duration
		for _, w := range waits {
			total += w
		}
		waits = append([]time.Duration{total + waits[0]}, waits[1:]...)
	}
	n.sigFault = fault.signatureFault() // before the first encoding: deliver runs before any attempt
	from := s.attemptTime()
	switch fault {
	case FaultDuplicateNotify:
		s.startDelivery(n, from, waits, nil, nil)
	case FaultForgedNotify:
		// Sent by the delivery's own goroutine, before the genuine one: from the handler it
		// held back the synchronous answer for as long as the merchant took to answer it.
		s.startDelivery(n, from, waits, s.forgedOf(n), nil)
		return
	}
	s.startDelivery(n, from, waits, nil, nil)
}

// forgedOf returns an altered copy of n to send once: txnAmt + 1 fen, same signature (nil if n
// cannot be encoded).
func (s *Server) forgedOf(n *notification) *notification {
	if _, err := s.encoded(n); err != nil {
		return nil
	}
	f := n.fields.Clone() // signed by encoded
	amt, err := parseAmount(f["txnAmt"])
	if err != nil {
		amt = 0
	}
	f["txnAmt"] = fmt.Sprint(amt + 1)
	body, err := sign.Encode(f)
	if err != nil {
		return nil
	}
	forged := &notification{txn: n.txn, orderID: n.orderID, url: n.url, fields: f, forged: true}
	forged.once.Do(func() { forged.body = body })
	return forged
}

// deliverFirst sends n once, synchronously, before the synchronous answer; if the merchant does
// not answer 200, the rest of the schedule continues in the background.
func (s *Server) deliverFirst(n *notification) {
	if n == nil || s.hold(n, FaultNone) { // released after the answer, it has none to precede
		return
	}
	from := s.attemptTime()
	d, err := s.send(s.ctx, n, 1, from)
	if err == nil {
		return
	}
	rest := s.opts.notifySchedule[1:]
	s.logFailure(n, d, rest)
	s.startDelivery(n, from, rest, nil, &d)
}

// startDelivery delivers n in the background on schedule waits counted from the time from (on
// the test clock; the wall clock counts from now), after sending first once if it is not nil
// (FaultForgedNotify's forged copy). prev is the attempt already made (FaultNotifyFirst's), or
// nil: the scheduled attempts are numbered after it. Close stops the delivery, and so does
// WithLedgerLimit forgetting n's transaction (forgotten): a gateway left running for days with
// a dead backUrl holds the deliveries of the transactions it keeps only.
func (s *Server) startDelivery(n *notification, from time.Time, waits []time.Duration, first *notification, prev *Delivery) {
	ctx, cancelCause := context.WithCancelCause(s.ctx)
	cancel := func() { cancelCause(nil) }
	// Forgetting the transaction (forgotten) cancels with a cause, which the transport's error
	// of an attempt it cuts short carries: it says so, where Close's says "context canceled".
	r := &retry{orderID: n.orderID, url: n.url, stop: func() { cancelCause(&forgottenError{limit: s.ledger.limit, cut: true}) }}
	if prev != nil {
		r.attempts, r.last = prev.Attempt, failure(*prev)
	}
	s.mu.Lock()
	if s.closed || n.txn != nil && n.txn.gone {
		s.mu.Unlock()
		cancel()
		return
	}
	s.wg.Add(1)
	s.deliveryStartedLocked()
	if s.retries == nil {
		s.retries = map[*retry]struct{}{}
	}
	s.retries[r] = struct{}{}
	if n.txn != nil && s.ledger.limit > 0 { // only WithLedgerLimit forgets a transaction
		if n.txn.retries == nil {
			n.txn.retries = map[*retry]struct{}{}
		}
		n.txn.retries[r] = struct{}{}
	}
	done := r.attempts
	s.mu.Unlock()
	go func() {
		defer s.wg.Done()
		defer s.deliveryDone()
		defer func() {
			s.mu.Lock()
			delete(s.retries, r)
			if n.txn != nil {
				delete(n.txn.retries, r)
			}
			s.mu.Unlock()
			cancel()
		}()
		if first != nil {
			_, _ = s.send(ctx, first, 1, from)
		}
		at := from
		for i, w := range waits {
			if clk := s.opts.clock; clk != nil {
				at = at.Add(w)
				if !s.waitClock(ctx, clk, at) {
					return
				}
			} else {
				t := time.NewTimer(s.opts.scaled(w))
				select {
				case <-ctx.Done():
					t.Stop()
					return
				case <-t.C:
				}
				at = time.Now()
			}
			d, err := s.send(ctx, n, done+i+1, at)
			if err == nil {
				return
			}
			if ctx.Err() != nil {
				return // Close, or the ledger forgetting the transaction, cut it short: nothing to log or wait for
			}
			s.mu.Lock()
			r.attempts, r.last = d.Attempt, failure(d)
			s.mu.Unlock()
			s.logFailure(n, d, waits[i+1:])
		}
	}()
}

// retry is a background delivery's progress, which WaitNotifications' error describes. Its
// attempts and last are under s.mu.
type retry struct {
	orderID, url string
	stop         context.CancelFunc // ends the delivery, an attempt under way too
	attempts     int                // attempts made so far
	last         string             // why the last one failed; "" before the first
}

// noAnswerError is an attempt the merchant did not answer within the deadline UnionPay gives a
// notification (10 s, scaled by WithTimeScale): the transport's error, a context deadline
// exceeded, is wrapped.
type noAnswerError struct {
	within time.Duration
	err    error
}

func (e *noAnswerError) Error() string {
	return fmt.Sprintf("no answer within %v (UnionPay's deadline for a notification)", e.within)
}

func (e *noAnswerError) Unwrap() error { return e.err }

// ErrForgotten is what [errors.Is] finds in an error that comes of [WithLedgerLimit] having
// forgotten the transaction: that of [Server.Complete] for an order forgotten before it was
// paid, and the Err of a [Delivery] whose attempt forgetting its transaction cut short (which is
// a [context.Canceled] too, as that of an attempt [Server.Close] cuts short is).
var ErrForgotten = errors.New("unionpaytest: transaction forgotten under WithLedgerLimit")

// forgottenError is an error of a transaction WithLedgerLimit(limit) forgot: it is ErrForgotten.
// For a notification attempt that forgetting the transaction cut short (cut), it is the cause of
// the attempt's context, which the transport's error carries, and a [context.Canceled] too.
type forgottenError struct {
	limit int
	cut   bool
}

func (e *forgottenError) Error() string {
	if e.cut {
		return fmt.Sprintf("transaction forgotten under WithLedgerLimit(%d): notification attempt cut short", e.limit)
	}
	return fmt.Sprintf("forgotten under WithLedgerLimit(%d)", e.limit)
}

func (e *forgottenError) Is(target error) bool { return target == ErrForgotten }

func (e *forgottenError) Unwrap() error {
	if e.cut {
		return context.Canceled
	}
	return nil
}

// failure says why the attempt d failed: the transport's error (without the URL, which the
// caller names), no answer within the deadline, or the status answered.
func failure(d Delivery) string {
	if d.Err != nil {
		var na *noAnswerError
		if errors.As(d.Err, &na) {
			return na.Error()
		}
		var ue *url.Error
		if errors.As(d.Err, &ue) {
			return ue.Err.Error()
		}
		return d.Err.Error()
	}
	return fmt.Sprintf("answered %d", d.Status)
}

// maxFailedURLs is how many backUrls logFailure remembers having reported: a gateway left
// running for days (the sandbox), whose merchant puts the orderId in each backUrl, holds
// bounded memory. Past it the oldest is forgotten, and reported again if it fails again.
const maxFailedURLs = 1000

// BackURLFailure is the first failed attempt to deliver a genuine notification to a backUrl, as
// [WithBackURLFailures] hands it over.
type BackURLFailure struct {
	Delivery // the attempt: OrderID, URL, Attempt, Status or Err
	// Reason says why it failed, without the URL: the transport's error ("connect: connection
	// refused", a DNS failure), "no answer within 10s (UnionPay's deadline for a notification)"
	// or "answered 500".
	Reason string
	// Left is the waits before each attempt left of the notification's schedule (scaled by
	// WithTimeScale; on the test clock with WithTestClock); empty when none is left.
	Left []time.Duration
}

// logFailure tells of the first failed attempt of a genuine, correctly signed notification to
// each backUrl, and the rest of its schedule: to WithBackURLFailures' function, else to a
// Reporter that has a Logf method (a *testing.T). A backUrl nothing listens at (a copied
// example's, a wrong port) otherwise only shows as a WaitNotifications that waits for the whole
// schedule. It is not a test failure: a test may refuse notifications on purpose. The latest
// maxFailedURLs backUrls told of are remembered.
func (s *Server) logFailure(n *notification, d Delivery, rest []time.Duration) {
	l, hasLog := s.opts.reporter.(interface {
		Logf(format string, args ...any)
	})
	tell := s.opts.backURLFail
	if tell == nil && !hasLog || n.forged || n.sigFault != FaultNone || d.Err == nil && d.Status == 0 {
		return // no one to tell; a copy the merchant is right to refuse; a notification that did not encode (reported)
	}
	s.mu.Lock()
	_, logged := s.failedURLs[n.url]
	if !logged {
		if s.failedURLs == nil {
			s.failedURLs = map[string]struct{}{}
			s.failedOrder.limit = maxFailedURLs
		}
		s.failedURLs[n.url] = struct{}{}
		if old, dropped := s.failedOrder.add(n.url); dropped {
			delete(s.failedURLs, old)
		}
	}
	s.mu.Unlock()
	if logged {
		return
	}
	var left []time.Duration
	for _, w := range rest {
		if s.opts.clock == nil {
			w = s.opts.scaled(w)
		}
		left = append(left, w)
	}
	if tell != nil {
		tell(BackURLFailure{Delivery: d, Reason: failure(d), Left: left})
		return
	}
	next := "no attempt is left"
	if len(left) > 0 {
		var waits []string
		for _, w := range left {
			waits = append(waits, w.String())
		}
		clock := "the wall clock (WithNotifySchedule), which WaitNotifications waits for"
		if s.opts.clock != nil {
			clock = "the test clock, each sent when a move of the clock reaches it"
		}
		next = fmt.Sprintf("%d more after %s on %s", len(left), strings.Join(waits, ", "), clock)
	}
	l.Logf("unionpaytest: notification for %s to backUrl %s: attempt %d failed: %s; %s; later failures to this backUrl are not logged",
		n.orderID, n.url, d.Attempt, failure(d), next)
}

// attemptTime returns the time of an attempt made now: the test clock's (WithTestClock), else
// the wall clock's.
func (s *Server) attemptTime() time.Time {
	if s.opts.clock != nil {
		return s.opts.clock.Now()
	}
	return time.Now()
}

// waitClock waits until the test clock clk reads due or later, and reports whether it did: false
// when ctx (the delivery's: Close, or the ledger forgetting its transaction) ended first. While
// it waits for the test to move the clock, the delivery is parked: WaitNotifications does not
// wait for it. The clock's move unparks it before the move returns.
func (s *Server) waitClock(ctx context.Context, clk *Clock, due time.Time) bool {
	woken := make(chan struct{})
	fired, parked := false, false // under s.mu
	stop, pending := clk.afterFunc(due, func() {
		s.mu.Lock()
		fired = true
		if parked {
			parked = false
			s.setParkedLocked(s.parked - 1)
		}
		s.mu.Unlock()
		close(woken)
	})
	if !pending {
		return ctx.Err() == nil
	}
	s.mu.Lock()
	if !fired {
		parked = true
		s.setParkedLocked(s.parked + 1)
	}
	s.mu.Unlock()
	select {
	case <-woken:
		return ctx.Err() == nil
	case <-ctx.Done():
		stop()
		s.mu.Lock()
		if parked {
			parked = false
			s.setParkedLocked(s.parked - 1)
		}
		s.mu.Unlock()
		return false
	}
}

// send POSTs n once, records the attempt, made at the time at, and returns it. It returns a nil
// error when the merchant answered 200.
func (s *Server) send(parent context.Context, n *notification, attempt int, at time.Time) (Delivery, error) {
	timeout := max(s.opts.scaled(s.opts.notifyTimeout), 2*time.Second)
	ctx, cancel := context.WithTimeout(parent, timeout)
	defer cancel()
	d := Delivery{OrderID: n.orderID, URL: n.url, Attempt: attempt, At: at, Forged: n.forged}
	body, err := s.encoded(n)
	if err == nil {
		err = s.post(ctx, n, body, &d)
	}
	if d.Err != nil && parent.Err() == nil && errors.Is(d.Err, context.DeadlineExceeded) {
		// The attempt's own deadline, not the caller's: say so in the merchant's words.
		d.Err = &noAnswerError{within: timeout, err: d.Err}
		err = fmt.Errorf("unionpaytest: notification to %s: %w", n.url, d.Err)
	}
	s.mu.Lock()
	s.deliveries.add(d)
	s.mu.Unlock()
	return d, err
}

func (s *Server) post(ctx context.Context, n *notification, body string, d *Delivery) error {
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, n.url, strings.NewReader(body))
	if err != nil {
		d.Err = err
		return fmt.Errorf("unionpaytest: notification to %s: %w", n.url, err)
	}
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded;charset="+n.fields["encoding"])
	resp, err := s.notifier.Do(req)
	if err != nil {
		d.Err = err // as the transport gave it
		return fmt.Errorf("unionpaytest: notification to %s: %w", n.url, err)
	}
	_, _ = io.Copy(io.Discard, io.LimitReader(resp.Body, 64<<10))
	_ = resp.Body.Close()
	d.Status = resp.StatusCode
	if resp.StatusCode != http.StatusOK && resp.StatusCode != http.StatusFound {
		return fmt.Errorf("unionpaytest: notification to %s answered %d", n.url, resp.StatusCode)
	}
	return nil
}

// newNotifyClient returns the client notifications are sent with: it trusts the gateway's own
// test TLS certificate (so a merchant handler on an httptest TLS server works) and never follows
// a redirect (UnionPay only looks at the status).
func (s *Server) newNotifyClient() *http.Client {
	c := s.HTTPClient()
	c.Timeout = 0 // bounded by the context
	c.CheckRedirect = func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }
	return c
}

// Notify sends the notification of the transaction with orderID once, now, to its backUrl,
// whatever its status, and returns nil if the merchant answered 200. It does not schedule retries.
// It sends a genuine notification: a notification fault queued or drawn for the order
// ([FaultNotifyWrongKey], a duplicate, ...) was taken by the scheduled notification when the
// transaction became final (FaultLog lists it then), and applies to that one.
func (s *Server) Notify(ctx context.Context, orderID string) error {
	s.mu.Lock()
	t := s.orders[orderID]
	known := t != nil && t.code != "" // read under the lock: a query or Advance may change t.code
	var n *notification
	if known {
		n = s.notificationFor(t)
	}
	s.mu.Unlock()
	if !known {
		return fmt.Errorf("unionpaytest: notify: no transaction with orderId %q", orderID)
	}
	if n == nil {
		return fmt.Errorf("unionpaytest: notify: transaction %q has no backUrl", orderID)
	}
	_, err := s.send(ctx, n, 1, s.attemptTime())
	return err
}

// HoldNotifications makes the gateway hold every notification it would start from now on (the
// one a payment, a refund or a query that makes an order final triggers), as UnionPay's notifier
// does in an outage while its transactions go on: they are processed, answered and queried as
// usual, but none is sent to its backUrl until [Server.ReleaseNotifications]. Deliveries already
// under way keep their schedule; [Server.Notify] still sends at once. A held notification is not
// being delivered: [Server.WaitNotifications] does not wait for it, [Server.Deliveries] lists no
// attempt of it, and Close drops it. Calling it again while holding does nothing.
func (s *Server) HoldNotifications() {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.holding = true
}

// ReleaseNotifications ends [Server.HoldNotifications] and starts delivering every notification
// held, at once and in the order they were held, as an outage's backlog arrives in a burst: each
// on the full retry schedule (WithNotifySchedule) counted from now, with the notification fault
// it took (a FaultLateNotify one late again, a FaultDuplicateNotify one twice; a
// FaultNotifyFirst one, with no answer left to precede, as usual). With copies above 1, each is
// delivered that many times, the copies after the first genuine and fault-free (but a signature
// fault, which signs every attempt of it), each on a schedule of its own, as a notifier catching
// up resends; less than 1 counts as 1. The transactions forgotten meanwhile (WithLedgerLimit)
// are not notified. It returns how many notifications were released (copies not counted), 0
// when none was held; WaitNotifications called after it waits for them.
func (s *Server) ReleaseNotifications(copies int) int {
	s.mu.Lock()
	held := s.held
	s.holding, s.held = false, nil
	s.mu.Unlock()
	for _, h := range held {
		s.deliver(h.n, h.fault)
		for range copies - 1 {
			s.startDelivery(h.n, s.attemptTime(), s.opts.notifySchedule, nil, nil)
		}
	}
	return len(held)
}

// heldNotification is a notification HoldNotifications kept from its delivery, with the
// notification fault it was to be delivered with.
type heldNotification struct {
	n     *notification
	fault Fault
}

// hold keeps n, with fault, for ReleaseNotifications while HoldNotifications is in force, and
// reports whether it did.
func (s *Server) hold(n *notification, fault Fault) bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	if !s.holding {
		return false
	}
	s.held = append(s.held, heldNotification{n: n, fault: fault})
	return true
}

// deliveryStarted counts a delivery in flight (see WaitNotifications).
func (s *Server) deliveryStarted() {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.deliveryStartedLocked()
}

// deliveryStartedLocked is deliveryStarted with s.mu held.
func (s *Server) deliveryStartedLocked() { s.setBusyLocked(s.inFlight+1, s.parked) }

// deliveryDone counts a delivery finished, and wakes WaitNotifications when it was the last.
func (s *Server) deliveryDone() {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.setBusyLocked(s.inFlight-1, s.parked)
}

// setParkedLocked sets the number of deliveries waiting for the test clock. Callers hold s.mu.
func (s *Server) setParkedLocked(parked int) { s.setBusyLocked(s.inFlight, parked) }

// setBusyLocked sets the deliveries in flight and parked, and so the busy ones (in flight, not
// parked) WaitNotifications waits for: it makes idle when they leave 0, and closes it, waking
// WaitNotifications, when they drop to 0. Callers hold s.mu.
func (s *Server) setBusyLocked(inFlight, parked int) {
	was := s.inFlight - s.parked
	s.inFlight, s.parked = inFlight, parked
	switch busy := inFlight - parked; {
	case was == 0 && busy > 0:
		s.idle = make(chan struct{})
	case was > 0 && busy == 0:
		close(s.idle)
	}
}

// WaitNotifications waits until no notification is being delivered or waiting for its next
// attempt: every one the gateway has started has been answered 200 or has used up its schedule
// (WithNotifySchedule), duplicates and forged copies (FaultDuplicateNotify, FaultForgedNotify)
// included. The schedule runs on the wall clock (scaled by WithTimeScale), not on WithClock's:
// a notification the merchant refuses takes the whole schedule, 12 minutes by default, and one
// held back with a long schedule (to deliver it with [Server.Notify]) as long, so a test that
// holds notifications back does not call WaitNotifications, and Close ends them. With
// [WithTestClock] the schedule runs on the test's clock, and a notification waiting for it to
// reach its next attempt is not waited for: WaitNotifications returns once every attempt due by
// the clock's time has been made (a move of the clock wakes those it makes due before it
// returns), so a test moves the clock, waits, and asserts on each attempt in turn. It returns
// an error wrapping ctx's if ctx ends first, naming each order still being delivered, its backUrl
// and why its last attempt failed. With a Reporter that has a Deadline method (a *testing.T,
// [WithReporter]) it also returns, with an error wrapping [context.DeadlineExceeded] that names
// them, 2 seconds before that deadline (the -timeout of go test), instead of the test binary
// panicking with no word of them. It says nothing of notifications that start later, with a payment
// made after it returns; call it once the transactions of a test are final, instead of sleeping
// until the deliveries look settled. A notification sent synchronously ([Server.Notify], or the
// first attempt of FaultNotifyFirst) is not waited for: it is done when that call returns.
func (s *Server) WaitNotifications(ctx context.Context) error {
	s.mu.Lock()
	if s.inFlight-s.parked == 0 {
		s.mu.Unlock()
		return nil
	}
	idle := s.idle
	s.mu.Unlock()
	var bound <-chan time.Time
	if r, ok := s.opts.reporter.(interface{ Deadline() (time.Time, bool) }); ok {
		if d, ok := r.Deadline(); ok {
			t := time.NewTimer(max(time.Until(d)-waitDeadlineMargin, 0))
			defer t.Stop()
			bound = t.C
		}
	}
	select {
	case <-idle:
		return nil
	case <-ctx.Done():
		return s.stillDelivering(ctx.Err())
	case <-bound:
		return s.stillDelivering(fmt.Errorf("the test's deadline is %v away: %w", waitDeadlineMargin, context.DeadlineExceeded))
	}
}

// waitDeadlineMargin is how long before the test's deadline WaitNotifications gives up: time
// for the test to fail with its error, and for Close, before go test's -timeout panics.
const waitDeadlineMargin = 2 * time.Second

// stillDelivering returns an error wrapping cause that names the deliveries in flight: order,
// backUrl, attempts made and why the last one failed, by orderId.
func (s *Server) stillDelivering(cause error) error {
	s.mu.Lock()
	var lines []string
	for r := range s.retries {
		why := "no attempt finished yet"
		if r.attempts > 0 {
			why = fmt.Sprintf("%d attempts failed, the last: %s", r.attempts, r.last)
			if r.attempts == 1 {
				why = "attempt 1 failed: " + r.last
			}
		}
		lines = append(lines, fmt.Sprintf("%s to %s (%s)", r.orderID, r.url, why))
	}
	s.mu.Unlock()
	if len(lines) == 0 {
		return fmt.Errorf("unionpaytest: WaitNotifications: %w", cause)
	}
	slices.Sort(lines)
	return fmt.Errorf("unionpaytest: WaitNotifications: %w; notifications still on their retry schedule (WithNotifySchedule): %s",
		cause, strings.Join(lines, "; "))
}

// Deliveries returns every notification attempt so far, in the order they finished. With
// [WithHistoryLimit] it lists the latest ones only; [Server.Dropped] counts the others.
func (s *Server) Deliveries() []Delivery {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.deliveries.all()
}

// Advance moves the transaction with orderID to its next scripted step (as a query would) and
// delivers the notification if it became final. It reports the new respCode.
func (s *Server) Advance(orderID string) (string, error) {
	s.mu.Lock()
	t := s.orders[orderID]
	if t == nil || t.code == "" {
		s.mu.Unlock()
		return "", fmt.Errorf("unionpaytest: advance: no transaction with orderId %q", orderID)
	}
	var n *notification
	if s.observe(t) {
		n = s.notificationFor(t)
	}
	code := t.code
	s.mu.Unlock()
	s.deliverWith(n, EndpointQuery)
	return code, nil
}

// encryptForMerchant encrypts plain to the merchant's signing certificate, as UnionPay encrypts
// accNo in notifications and query answers (RSA PKCS#1 v1.5, base64): to the certificate the
// order was signed with (signedWith, a certId given with WithMerchantCertificates: a merchant's renewed
// PFX), else the generated one.
func (s *Server) encryptForMerchant(plain, signedWith string) (string, error) {
	if s.sm2 != nil {
		return s.sm2EncryptForMerchant(plain)
	}
	pub := &s.pki.merchant.key.PublicKey
	for _, c := range s.opts.merchantCerts {
		// The generated certificate first, as merchantKey verifies: a given one with its certId
		// (another fake's merchant certificate, the serial being fixed) did not sign the order.
		if signedWith == "" || signedWith == s.MerchantCertID() {
			break
		}
		if k, ok := c.PublicKey.(*rsa.PublicKey); ok && signedWith == certID(c) {
			pub = k
			break
		}
	}
	//lint:ignore SA1019 the gateway's accNo encryption is RSA PKCS #1 v1.5, as UnionPay's.
	ct, err := rsa.EncryptPKCS1v15(rand.Reader, pub, []byte(plain))
	if err != nil {
		return "", fmt.Errorf("unionpaytest: encrypt: %w", err)
	}
	return base64.StdEncoding.EncodeToString(ct), nil
}

// decryptSensitive decrypts a field the merchant encrypted with one of the gateway's encryption
// certificates (the current one or one replaced by RotateEncryptionCert), named by encryptCertId.
// Callers hold s.mu.
func (s *Server) decryptSensitive(b64, encryptCertID string) (string, error) {
	if plain, ok, err := s.sm2DecryptSensitive(b64, encryptCertID); ok {
		return plain, err
	}
	key := s.encKeys[encryptCertID]
	if key == nil {
		return "", fmt.Errorf("encryptCertId %q is not a gateway encryption certificate", encryptCertID)
	}
	ct, err := base64.StdEncoding.DecodeString(b64)
	if err != nil {
		return "", errors.New("not base64")
	}
	//lint:ignore SA1019 merchants encrypt card data with RSA PKCS #1 v1.5, as UnionPay requires.
	pt, err := rsa.DecryptPKCS1v15(nil, key, ct)
	if err != nil {
		return "", errors.New("does not decrypt with the encryption key")
	}
	return string(pt), nil
}

// RotateEncryptionCert replaces the gateway's encryption certificate with a new one (new key),
// as UnionPay does from time to time, and on a server started WithSM2 its SM2 encryption
// certificate too; txnType 95 then returns the new certificate, dated a second after the one it
// replaces (as [Server.RotateSigningCert]'s). Fields encrypted for the previous certificates
// still decrypt.
func (s *Server) RotateEncryptionCert() error {
	s.rotMu.Lock()
	defer s.rotMu.Unlock()
	n := s.nextRotation()
	id, err := s.pki.newLeaf(&s.pki.middle, serialRotated+n, EncryptionCN, n)
	if err != nil {
		return err
	}
	s.mu.Lock()
	s.pki.encryption = id
	s.encKeys[certID(id.cert)] = id.key
	s.mu.Unlock()
	return s.rotateSM2Encryption(n)
}

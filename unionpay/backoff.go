package unionpay

import (
	"context"
	"errors"
	"time"

	"github.com/goacp/unionpay/internal/pan"
	"github.com/goacp/unionpay/internal/respcode"
)

// Backoff is a query schedule for [Client.QueryUntilFinal].
type Backoff struct {
	// Delays are the waits before each query: between queries, or, with FromTxnTime, from the
	// transaction's txnTime (a query whose time has passed runs at once, and of several such,
	// as after a restart, only the last: asked back to back they would tell no more than one).
	Delays []time.Duration
	// FromTxnTime measures Delays from txnTime, and stops only on Succeeded: for front
	// transactions, where failed, pending and not found can all still turn into a payment.
	// Otherwise the schedule stops on Succeeded or Failed.
	FromTxnTime bool
	// PayTimeout is the payTimeout the front transaction was sent with, with FromTxnTime: an
	// answer other than Succeeded is final only from a query asked after it, by this client's
	// clock, by more than PayTimeoutSkew (UnionPay's clock may be behind). Zero (none sent, or not
	// known) keeps every answer other than Succeeded pending.
	PayTimeout time.Time
	// OnQuery, if not nil, is called after each query QueryUntilFinal asks (one that failed
	// before leaving, a *NotSentError, included; not one refused before any attempt, a
	// *RequestError or *ConfigError, as when Config.Now steps back), on the calling goroutine,
	// before anything else happens: for progress logs, metrics and trace events. It must not
	// block.
	OnQuery func(QueryAttempt)
}

// QueryAttempt is one query [Client.QueryUntilFinal] asked, as [Backoff.OnQuery] sees it.
type QueryAttempt struct {
	N           int           // 1 for the first query asked, 2 for the next...
	Slot        int           // index in Backoff.Delays of the query (queries whose time has passed are skipped)
	Asked       time.Time     // when it was asked, by Config.Now
	Took        time.Duration // how long it took, by Config.Now
	Transaction *Transaction  // its answer; nil if it failed
	Err         error         // the query's error, as Client.Query returned it; nil if answered
}

// BackBackoff is UnionPay's schedule for back-end transactions: up to six queries, 1, 2, 4, 8, 16
// and 32 seconds apart, while the answer is pending (or not found yet).
func BackBackoff() Backoff {
	return Backoff{Delays: []time.Duration{1 * time.Second, 2 * time.Second, 4 * time.Second,
		8 * time.Second, 16 * time.Second, 32 * time.Second}}
}

// PayoutBackoff is the schedule UnionPay's payout samples ask for, for a payout whose outcome is
// not known (answered 03, 04, 05, 83, 01, 12, 34 or 60, a timeout, or no notification): a first query
// 3 minutes after the QueryUntilFinal call (start it when the payout is answered; the wait is not
// counted from txnTime, so a job that takes up an older payout waits too), then five more 2, 4,
// 8, 16 and 32 seconds apart (six in all). A payout still Pending after it is settled by later
// queries or by the settlement files, as [Client.Payout] describes; never by paying again.
func PayoutBackoff() Backoff {
	return Backoff{Delays: []time.Duration{3 * time.Minute, 2 * time.Second, 4 * time.Second,
		8 * time.Second, 16 * time.Second, 32 * time.Second}}
}

// PayTimeoutSkew is how far the merchant's clock is allowed to be ahead of UnionPay's when
// [Backoff.PayTimeout] is judged passed.
const PayTimeoutSkew = 2 * time.Minute

// FrontBackoff is UnionPay's schedule for front transactions: queries 5, 10, 30, 60 and 120
// minutes after txnTime, until one says Succeeded. Set its PayTimeout to the form's (the last
// query must come more than PayTimeoutSkew after it for a failure to be final):
//
//	b := unionpay.FrontBackoff()
//	b.PayTimeout = form.PayTimeout
//
// The schedule stops early only on Succeeded: an abandoned order is final at its last query, two
// hours after txnTime (if that is more than PayTimeoutSkew after payTimeout; pending otherwise).
// To learn it sooner, end the schedule just after the payTimeout (its Delays count from txnTime
// and must not decrease):
//
//	end := form.PayTimeout.Sub(form.TxnTime) + unionpay.PayTimeoutSkew + time.Second
//	b.Delays = append(slices.DeleteFunc(b.Delays, func(d time.Duration) bool { return d >= end }), end)
//
// A job that keeps no process between its runs (a cron tick, a serverless function) and so
// takes the schedule up anew each time asks, on every run, the query whose time has passed last:
// every few minutes instead of five times. Store when its last query was asked, drop the
// queries due by then (but the last, once the schedule has run out without an end: an order
// still pending is asked again, once a run), and give its Client a Config.Sleep that returns an
// error for any wait longer than zero (the run then asks only a query that is due, if any, and
// ends pending). That Sleep is the Client's: use another Client for back schedules
// ([BackBackoff], [PayoutBackoff]), whose queries it would stop.
//
//	last := b.Delays[len(b.Delays)-1]
//	b.Delays = slices.DeleteFunc(b.Delays, func(d time.Duration) bool {
//		return !form.TxnTime.Add(d).After(lastAsked) // asked by an earlier run
//	})
//	if len(b.Delays) == 0 {
//		b.Delays = []time.Duration{last}
//	}
func FrontBackoff() Backoff {
	return Backoff{Delays: []time.Duration{5 * time.Minute, 10 * time.Minute, 30 * time.Minute,
		60 * time.Minute, 120 * time.Minute}, FromTxnTime: true}
}

// QueryUntilFinal queries on schedule b until the transaction is final (see [Backoff]), the
// schedule ends, or ctx ends. It waits with Config.Sleep. Transport failures of single queries,
// and answers 02, 06 and 37 (the gateway closed for a while, busy, or queried too often), are
// retried on schedule; any other rejection of the query, a verification failure or the end of
// ctx stops at once.
//
// It returns the last transaction seen (possibly nil) and, unless that is final, a
// *[PendingError]: the outcome is not known, query again later (never send the transaction
// again). So it is when the last transaction is still Pending at the end, or NotFound at the end
// of a back schedule (one not counted from txnTime), or not Succeeded at the end of a front
// schedule whose last query did not come more than PayTimeoutSkew after Backoff.PayTimeout, and
// when the schedule stops on a failure: the *PendingError wraps a failed last query's error, a
// verification failure (it matches [ErrUnverified] too) or ctx's error (it matches
// context.Canceled or DeadlineExceeded too); a rejected query gives its respCode and respMsg
// (PendingError.RespCode: 10, a malformed query, or 31, not allowed, will not pass on a later
// try either) but is not wrapped as an *[Error], which would read as a rejection of the
// transaction itself. Only an invalid request or configuration (or a nil ctx), before anything
// is asked, is not a *PendingError: a *[RequestError] or *[ConfigError]; so is a Config.Now that
// breaks (returns the zero time) during the schedule, a *ConfigError with the last transaction
// seen. Config.OnCall is told of each query it asks, not of the schedule (see Config.OnCall).
func (c *Client) QueryUntilFinal(ctx context.Context, r *QueryRequest, b Backoff) (*Transaction, error) {
	// Each query reports to Config.OnCall as Query does; the schedule itself reports only a
	// refusal, before anything is asked.
	_, o := c.observe(ctx, "query", false)
	if err := c.untilFinalRefusal(ctx, r, b); err != nil {
		return nil, o.end(err)
	}
	var (
		last    *Transaction
		lastErr error
		asked   time.Time // when the last query was asked
		n       int       // queries asked
	)
	for i := range b.Delays {
		d, skip, err := c.wait(b, i, r.TxnTime)
		if err != nil {
			return last, err
		}
		if skip {
			continue
		}
		if err := c.cfg.Sleep(ctx, max(d, 0)); err != nil { // a query's time already passed: at once
			return last, c.stillPending(r, last, &opError{name: opName("query", r.OrderID), err: err})
		}
		asked = c.cfg.Now()
		tx, err := c.Query(ctx, r)
		var refused *RequestError
		var misconfigured *ConfigError
		if !errors.As(err, &refused) && !errors.As(err, &misconfigured) { // else refused before it was asked
			if n++; b.OnQuery != nil {
				b.OnQuery(QueryAttempt{N: n, Slot: i, Asked: asked, Took: c.cfg.Now().Sub(asked), Transaction: tx, Err: err})
			}
		}
		if err != nil {
			stop, retry := c.queryFailed(ctx, r, last, err)
			if stop != nil {
				return last, stop
			}
			lastErr = retry
			continue
		}
		last, lastErr = tx, nil
		if tx.State == Succeeded || (!b.FromTxnTime && tx.State == Failed) {
			return tx, nil
		}
	}
	// Not found is not final either (a query's respCode other than 00 is not final for front
	// transactions; a back transaction the gateway accepted should exist): the caller must query
	// again later, not act on an absence. Only a front schedule whose last query, answered, came
	// after payTimeout ends on it, or on a failure (a back schedule ends on Failed in the loop).
	// When the last query failed the schedule ends pending, whatever came before it.
	afterTimeout := !b.PayTimeout.IsZero() && asked.After(b.PayTimeout.Add(PayTimeoutSkew))
	if lastErr == nil && b.FromTxnTime && last.State != Pending && last.Other == nil {
		if afterTimeout {
			return last, nil // failed or not found after payTimeout: final
		}
		if b.PayTimeout.IsZero() { // say why it can never end otherwise
			lastErr = errors.New("Backoff.PayTimeout is not set: a front transaction that did not succeed is " +
				"final only from a query after its payTimeout (use Form.Backoff, or set it to Form.PayTimeout)")
		}
	}
	return last, c.stillPending(r, last, lastErr)
}

// untilFinalRefusal is the *RequestError or *ConfigError with which QueryUntilFinal refuses ctx, r
// and b before any wait, or nil.
func (c *Client) untilFinalRefusal(ctx context.Context, r *QueryRequest, b Backoff) error {
	if ctx == nil { // as Query reports it; Config.Sleep would dereference it
		return nilContext("query")
	}
	if r == nil {
		return &RequestError{Op: "query", Field: "request", Reason: "nil"}
	}
	if err := c.usable(); err != nil {
		return err
	}
	if len(b.Delays) == 0 {
		return &RequestError{Op: "query", Field: "Backoff.Delays", Reason: "empty"}
	}
	if b.FromTxnTime && r.TxnTime.IsZero() {
		return &RequestError{Op: "query", Field: "TxnTime", Reason: "required with Backoff.FromTxnTime"}
	}
	// An invalid request (fields, Extra, UTF-8, txnTime) is refused before any wait, as the
	// first Query would refuse it.
	_, err := c.queryCall("query", r, false)
	return err
}

// wait returns how long QueryUntilFinal waits before query i of b (negative once its time has
// passed), or skip for a query of a FromTxnTime schedule whose time and the next one's have both
// passed: asked back to back they would tell no more than the later one (after a restart).
func (c *Client) wait(b Backoff, i int, txnTime time.Time) (d time.Duration, skip bool, err error) {
	d = b.Delays[i]
	if !b.FromTxnTime {
		return d, false, nil
	}
	now := c.cfg.Now()
	if err := c.checkClock(now); err != nil { // a zero clock would make a wait of centuries
		return 0, false, err
	}
	if i+1 < len(b.Delays) && !txnTime.Add(d).After(now) && !txnTime.Add(b.Delays[i+1]).After(now) {
		return 0, true, nil
	}
	return txnTime.Add(d).Sub(now), false, nil
}

// queryFailed classifies the error of one query of QueryUntilFinal: stop is the error to end
// the schedule with; otherwise retry is the error to remember while the schedule goes on.
func (c *Client) queryFailed(ctx context.Context, r *QueryRequest, last *Transaction, err error) (stop, retry error) {
	var re *Error
	var ce *ConfigError
	var qe *RequestError
	// 02, 06, 37 (the gateway closed for a while, busy, queried too often): asked again.
	busy := errors.As(err, &re) && respcode.Busy(re.RespCode)
	if busy { // pending wraps it, whatever ends the schedule: it must not read as a rejection (*Error)
		err = &opError{name: opName("query", r.OrderID), err: errors.New("gateway busy: " + re.RespCode + " " + pan.MaskRuns(re.RespMsg))}
	}
	switch {
	case errors.As(err, &qe) && qe.Field == "TxnTime":
		// The request passed before the first wait: Config.Now stepped back (an NTP
		// correction, a naive clock's DST switch) during it. Not a mistake to mend: ask
		// again on schedule, and end pending if the clock does not catch up.
		return nil, err
	case errors.As(err, &ce) || errors.As(err, &qe):
		return err, nil // nothing was asked: a mistake to mend, not an outcome
	case re != nil && !busy: // pending wraps it, not as an *Error (a rejection of the transaction)
		pe := c.stillPending(r, last, errors.New("the query was rejected (its respCode, not the transaction's)"))
		pe.RespCode, pe.RespMsg = re.RespCode, re.RespMsg // the last answer's: the query's own
		return pe, nil
	case errors.Is(err, ErrUnverified):
		return c.stillPending(r, last, err), nil
	case ctx.Err() != nil: // ctx ended as the query failed: it stops the schedule, and says so
		if !errors.Is(err, ctx.Err()) {
			err = &alsoError{err, ctx.Err()}
		}
		return c.stillPending(r, last, err), nil
	}
	return nil, err
}

// stillPending is QueryUntilFinal's *PendingError for r, whose last transaction seen was last
// (nil if none), wrapping err (nil if the last query was answered).
func (c *Client) stillPending(r *QueryRequest, last *Transaction, err error) *PendingError {
	pe := &PendingError{Op: "query", OrderID: r.OrderID, Err: err, query: r.clone()}
	if !r.TxnTime.IsZero() {
		pe.TxnTime = c.beijingTime(r.TxnTime)
	}
	if last != nil && last.Other != nil { // no code of the other's: they are not this one's
		pe.Err = otherError(last.Other)
		if err != nil {
			pe.Err = &lastQueryError{other: pe.Err, last: err, text: textUnder(opName("query", r.OrderID), err)}
		}
		return pe
	}
	if last != nil {
		if !last.TxnTime.IsZero() {
			pe.TxnTime = last.TxnTime
		}
		pe.RespCode, pe.RespMsg = last.OrigRespCode, last.OrigRespMsg
		if pe.RespCode == "" { // the query itself was answered 03, 04, 05, 83 or 34
			pe.RespCode, pe.RespMsg = last.RespCode, last.RespMsg
		}
		pe.payout = isPayout(last.TxnType, sentTrimmed(r.BizType), last.Raw["bizType"])
	}
	return pe
}

package unionpay

import (
	"fmt"
	"time"

	"github.com/goacp/unionpay/internal/tz"
)

// txnTime returns t (or Config.Now() when zero) in Beijing time, to the second. A time that
// yyyyMMddHHmmss cannot write (a year of other than four digits in Beijing) is refused: a
// *RequestError naming field (op's request field t came from), or, from the clock, a *ConfigError
// naming Config.Now (a zero clock would otherwise send no txnTime at all).
func (c *Client) txnTime(op, field string, t time.Time) (time.Time, error) {
	if err := c.usable(); err != nil {
		return time.Time{}, err
	}
	if t.IsZero() {
		return c.now()
	}
	t = c.beijingTime(t)
	if !fourDigitYear(t) {
		return time.Time{}, &RequestError{Op: op, Field: field, Reason: yearReason(t)}
	}
	return t, nil
}

// TxnTimeWindow (13 minutes) bounds how far the TxnTime a caller gives to a request that starts a
// transaction (a refund, a payout, a batch, ...) may be from Config.Now, either way. A front form
// (Client.FrontConsume, Client.FrontPreAuth, Client.FrontOpenCard) is bounded only ahead, to
// TxnTimeWindow after Config.Now, since the client does not send it: the gateway checks its
// txnTime when the browser posts it (the fake gateway's cashier refuses one not current with
// respCode 10, and one posted after its payTimeout with 39). UnionPay refuses a
// txnTime that is not current, and a request carrying an old stored txnTime is most often one sent
// again after a crash: a refusal of the copy would read as "nothing happened" although the first
// copy may have moved money. Such a request is refused before it is sent, and the error says to
// query the first copy. The window is the freshness unionpaytest models, 15 minutes (UnionPay
// publishes none), less a margin of two minutes, so that a copy sent inside it reaches a gateway
// whose clock is up to that much ahead of Config.Now, after the request's transit, inside the
// gateway's own (a copy sent 14 minutes on, to a gateway 90 seconds ahead, was refused as not
// current and read as "nothing happened"). Clocks further
// apart defeat it: keep the merchant's in time. It is wide enough for the back consume that
// follows a consume SMS, which carries the SMS's txnTime while the cardholder reads and types the
// code. A query, which names an earlier transaction by its txnTime, is bounded only ahead: its
// TxnTime may be any time before Config.Now, or up to TxnTimeWindow after it.
const TxnTimeWindow = 13 * time.Minute // the fake gateway's 15, less 2 for the clocks and transit

// newTxnTime is txnTime for the request of op that starts a transaction: a TxnTime the caller
// gave must also be within TxnTimeWindow of Config.Now.
func (c *Client) newTxnTime(op string, given time.Time) (time.Time, error) {
	t, ahead, err := c.givenTxnTime(op, given)
	if err != nil || ahead <= TxnTimeWindow && ahead >= -TxnTimeWindow {
		return t, err
	}
	when := fmt.Sprintf("%v before", -ahead)
	if ahead > 0 {
		when = fmt.Sprintf("%v after", ahead)
	}
	hint := "If a request under this orderId may have been sent before, query it (orderId and this TxnTime) " +
		"instead of sending it again; if none was, send it with a current TxnTime (zero: Config.Now), " +
		"or, for a consume after a consume SMS, send a new SMS under a new orderId"
	if op == batchOp { // a batch has no orderId: it is named by batchNo and queried with QueryBatch
		hint = "If this batch may have been sent before, query it (QueryBatch: batchNo and this TxnTime) " +
			"instead of sending it again; if it was not, send it with a current TxnTime (zero: Config.Now)"
	}
	if zoneSlip(ahead) {
		hint = "It is about eight hours off: a Beijing wall-clock time read as UTC (time.Parse, or " +
			"time.Date with time.UTC), or a UTC one read as Beijing time? A time.Time carries its zone: " +
			"give time.Now() (or Config.Now) as it is, and read a stored txnTime with " +
			"unionpay.ParseTxnTime. " + hint
	}
	return time.Time{}, &RequestError{Op: op, Field: "TxnTime", Err: ErrTxnTimeNotCurrent, Reason: fmt.Sprintf(
		"%s is %s Config.Now (more than TxnTimeWindow, %v): UnionPay refuses a txnTime that is not current. %s",
		formatTime(t), when, TxnTimeWindow, hint)}
}

// zoneSlip reports whether a TxnTime ahead of Config.Now by ahead is eight hours off, either
// way, give or take TxnTimeWindow: Beijing's offset from UTC, the mark of a time read in the
// wrong zone.
func zoneSlip(ahead time.Duration) bool {
	const offset = 8 * time.Hour
	return (ahead-offset).Abs() <= TxnTimeWindow || (ahead+offset).Abs() <= TxnTimeWindow
}

// givenTxnTime is txnTime for field TxnTime, and how far ahead of Config.Now a TxnTime the
// caller gave is (0 for a zero one, which is Config.Now).
func (c *Client) givenTxnTime(op string, given time.Time) (t time.Time, ahead time.Duration, err error) {
	t, err = c.txnTime(op, "TxnTime", given)
	if err != nil || given.IsZero() {
		return t, 0, err
	}
	now, err := c.now()
	if err != nil {
		return time.Time{}, 0, err
	}
	return t, t.Sub(now), nil
}

// pastTxnTime is txnTime for a request that names an earlier transaction by its TxnTime (a
// query): a TxnTime the caller gave may not be more than TxnTimeWindow after Config.Now, since
// the transaction was made before it. A stored txnTime string parsed as UTC instead of Beijing
// time lands eight hours ahead, and would be answered "not found".
func (c *Client) pastTxnTime(op string, given time.Time) (time.Time, error) {
	t, ahead, err := c.givenTxnTime(op, given)
	if err != nil || ahead <= TxnTimeWindow {
		return t, err
	}
	return time.Time{}, &RequestError{Op: op, Field: "TxnTime", Reason: fmt.Sprintf(
		"%s (Beijing time) is %v after Config.Now: it names a transaction made before now. A "+
			"stored txnTime is Beijing time: read it with unionpay.ParseTxnTime, not time.Parse (UTC)",
		formatTime(t), ahead)}
}

// formTxnTime is txnTime for a front form, which the client does not send: the browser posts it
// later, and the gateway checks its txnTime then, so a TxnTime the caller gave is only bounded
// ahead, to TxnTimeWindow after Config.Now (a form shown again from storage keeps its txnTime). A
// stored Beijing txnTime read with time.Parse (UTC) lands eight hours ahead: the shopper would
// meet the refusal at the cashier.
func (c *Client) formTxnTime(op string, given time.Time) (time.Time, error) {
	t, ahead, err := c.givenTxnTime(op, given)
	if err != nil || ahead <= TxnTimeWindow {
		return t, err
	}
	return time.Time{}, &RequestError{Op: op, Field: "TxnTime", Err: ErrTxnTimeNotCurrent, Reason: fmt.Sprintf(
		"%s (Beijing time) is %v after Config.Now (more than TxnTimeWindow, %v): UnionPay would refuse "+
			"the form when the browser posts it. Give a current time.Time (zero: Config.Now); a stored "+
			"txnTime is Beijing time: read it with unionpay.ParseTxnTime, not time.Parse (UTC)",
		formatTime(t), ahead, TxnTimeWindow)}
}

// ParseTxnTime reads a txnTime (or payTimeout) as UnionPay writes it, yyyyMMddHHmmss in Beijing
// time, such as one stored by another system: time.Parse would read it as UTC, eight hours
// late.
func ParseTxnTime(s string) (time.Time, error) {
	if len(s) != len(timeLayout) {
		return time.Time{}, fmt.Errorf("unionpay: txnTime %q: want yyyyMMddHHmmss", s)
	}
	t, err := time.ParseInLocation(timeLayout, s, tz.Beijing())
	if err != nil {
		return time.Time{}, fmt.Errorf("unionpay: txnTime %q: want yyyyMMddHHmmss: %w", s, err)
	}
	return t, nil
}

// now returns Config.Now() in Beijing time, to the second, or a *ConfigError naming Config.Now
// when it is zero or its year has not four digits.
func (c *Client) now() (time.Time, error) {
	if err := c.usable(); err != nil {
		return time.Time{}, err
	}
	now := c.cfg.Now()
	if err := c.checkClock(now); err != nil {
		return time.Time{}, err
	}
	return c.beijingTime(now), nil
}

// checkClock refuses a time from Config.Now that is zero or whose year has not four digits.
func (c *Client) checkClock(now time.Time) error {
	switch t := c.beijingTime(now); {
	case now.IsZero():
		return &ConfigError{Field: "Config.Now", Reason: "returned the zero time"}
	case !fourDigitYear(t):
		return &ConfigError{Field: "Config.Now", Reason: "returned a time whose " + yearReason(t)}
	}
	return nil
}

// beijingTime returns t in Beijing time, to the second.
func (c *Client) beijingTime(t time.Time) time.Time { return t.In(c.loc).Truncate(time.Second) }

// fourDigitYear reports whether t's year fits yyyyMMddHHmmss (txnTime, payTimeout).
func fourDigitYear(t time.Time) bool { return 1000 <= t.Year() && t.Year() <= 9999 }

func yearReason(t time.Time) string {
	return fmt.Sprintf("year %d (Beijing time) has not four digits (yyyyMMddHHmmss)", t.Year())
}

// parseTime reads a yyyyMMddHHmmss field in Beijing time; "" gives the zero time.
func (c *Client) parseTime(s string) (time.Time, error) {
	if s == "" {
		return time.Time{}, nil
	}
	return time.ParseInLocation(timeLayout, s, c.loc)
}

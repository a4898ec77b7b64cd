package unionpay

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/goacp/unionpay/internal/pan"
	"github.com/goacp/unionpay/sign"
)

// State is what a query says about a transaction.
type State string

// States of a queried transaction.
const (
	// Succeeded: origRespCode 00 or A6 (success with defect). Final.
	Succeeded State = "succeeded"
	// Pending: origRespCode 03, 04, 05 or 83 or absent (for a payout also 01, 12, 34 or 60: see
	// [QueryRequest.BizType]), or the query itself was answered 03, 04, 05 or 83; query again.
	Pending State = "pending"
	// Failed: any other origRespCode. Final for back transactions; for front ones only after
	// payTimeout (the cardholder may still pay).
	Failed State = "failed"
	// NotFound: UnionPay has no such transaction (respCode 34). Not final by itself: for a front
	// transaction the cardholder may not have paid yet, and for a back transaction UnionPay's
	// samples read it as a state not known yet (query later, or wait for the settlement file);
	// never send the transaction again because of it. [Client.QueryUntilFinal] on a FromTxnTime
	// schedule ([FrontBackoff]) returns it final (a nil error) once a query comes more than
	// PayTimeoutSkew after Backoff.PayTimeout: the form can no longer be paid.
	NotFound State = "not found"
)

// QueryRequest names the transaction to query (txnType 00): by OrderID and TxnTime as they were
// sent, or by QueryID.
type QueryRequest struct {
	OrderID string    // orderId of the original transaction
	TxnTime time.Time // txnTime of the original transaction; with QueryID alone, zero means now
	// QueryID is the queryId of the original transaction (letters and digits: UnionPay writes 21
	// digits), sent trimmed. A blank one (white space only) is not given: with OrderID the query
	// is by OrderID and TxnTime, without it the request is refused (a *[RequestError] naming
	// QueryID). UnionPay's official samples all query by orderId and txnTime; the query by
	// queryId (with txnTime set to now) follows third-party SDKs and has not been confirmed
	// against the gateway: prefer OrderID and TxnTime.
	QueryID string
	// BizType is the bizType sent (six digits), trimmed; "" or blank (white space only) =
	// "000000". Query a payout with [BizTypePayout]: its answer then reads origRespCode 01, 12,
	// 34 and 60 as Pending, as UnionPay's payout product asks. An answer whose txnType is 12 is
	// read so whatever the BizType, and so is one with bizType 000401 unless it names another
	// transaction type (a real-name check, 72, made under the payout product).
	BizType string
	// TxnType and Amount, when set, are the txnType ("01" consume, "04" refund, "12" payout, ...)
	// and txnAmt in fen of the transaction asked about; they are not sent. An answer naming
	// another txnType or amount (a field it lacks is not compared) is about another transaction,
	// not the one asked about: the Transaction reads NotFound, with the other one in Other,
	// and [Client.QueryUntilFinal] never ends on it but pending, saying so. Another transaction
	// holds the orderId and txnTime (one made before under a reused orderId, whose request then
	// answered 12), or the transaction was made with another amount (a form re-issued under the
	// same orderId and txnTime): either is for a person to look at, and an Other that succeeded
	// means money moved. Set them whenever the outcome is acted on, above all for a payout:
	// unset, a payout answered 12 may read another transaction's success as its own.
	TxnType string
	Amount  int64
	Extra   sign.Fields // unmodelled fields, signed with the rest; must not collide; values trimmed, blank ones omitted
}

// Transaction is a queried transaction. One of State NotFound, or Pending because the query
// itself was answered 03, 04, 05 or 83, describes none: its TxnType and TxnSubType are empty and
// its TxnTime zero (with [QueryRequest.TxnType] or Amount set, a NotFound may have an Other). It
// prints, marshals and logs masked, as [Result] does. That JSON is a log form, not a storage form:
// Transaction has no UnmarshalJSON, so json.Unmarshal decodes it without an error, but into the
// masks (AccNo 621626******0018 or "(encrypted)", customerInfo "***"): store the fields.
type Transaction struct {
	State        State     // the outcome, read from origRespCode (see State)
	OrderID      string    // orderId
	TxnTime      time.Time // txnTime of the original transaction, Beijing time
	QueryID      string    // queryId
	TxnType      string    // txnType of the original transaction ("01" consume, "04" refund, ...)
	TxnSubType   string    // txnSubType of the original transaction ("03": a consume in instalments)
	OrigQueryID  string    // origQryId: for a refund, cancel or completion, the queryId of the transaction it acted on
	Amount       int64     // txnAmt in the minor unit of Currency (fen for 156, CNY)
	Currency     string    // currencyCode of Amount, as received ("156" CNY); "" when the answer has none
	OrigRespCode string    // origRespCode: the transaction's own result
	OrigRespMsg  string    // origRespMsg
	RespCode     string    // respCode of the query itself
	RespMsg      string    // respMsg of the query itself
	ReqReserved  string    // reqReserved: the merchant's pass-through value, echoed as the request sent it
	SettleDate   string    // settleDate: MMDD
	SettleAmount int64     // settleAmt in the minor unit of SettleCurrency
	// SettleCurrency is settleCurrencyCode, the currency of SettleAmount; it differs from
	// Currency when the cardholder paid in another currency.
	SettleCurrency string
	ExchangeRate   string // exchangeRate, as received (when the currencies differ); exchangeDate is in Raw
	TraceNo        string // traceNo
	TraceTime      string // traceTime, as received
	// PayCardType and PayType are payCardType and payType, which UnionPay returns only to a
	// merchant with the permission (the settlement file's ZM record has them too).
	PayCardType string
	PayType     string
	// AccNo is accNo as received: encrypted to the merchant's key when the merchant has that
	// permission; see [Client.DecryptAccNo].
	AccNo string
	Raw   sign.Fields // every field of the verified answer, as received

	// Other is, for a NotFound whose answer named another txnType or amount than the
	// QueryRequest's, the transaction the answer is about; nil otherwise.
	Other *Transaction
}

// Query asks for the state of one transaction. A query moves no money: failures are plain errors
// (a rejected query is an *[Error], which says nothing about the transaction asked about: ask
// again later); a transaction UnionPay does not know is State NotFound. Check that the
// transaction found is the one meant (TxnType, Amount), or give them in the request: an orderId
// used twice may find another.
func (c *Client) Query(ctx context.Context, r *QueryRequest) (*Transaction, error) {
	const op = "query"
	if r == nil {
		return nil, &RequestError{Op: op, Field: "request", Reason: "nil"}
	}
	k, err := c.queryCall(op, r, true)
	if err != nil {
		return nil, err
	}
	resp, err := c.send(ctx, k)
	if err != nil {
		return nil, err
	}
	tx, err := c.transaction(k, resp)
	if err != nil {
		return nil, err
	}
	return another(r, tx), nil
}

// queryCall checks r and builds its message, as Query sends it, signed if signed (a check
// alone need not pay for the signature).
func (c *Client) queryCall(op string, r *QueryRequest, signed bool) (*call, error) {
	if err := checkQuery(op, r); err != nil {
		return nil, err
	}
	biz := orDefault(r.BizType, "000000")
	t, err := c.pastTxnTime(op, r.TxnTime)
	if err != nil {
		return nil, err
	}
	f := c.newFields("00", "00", biz)
	f["orderId"], f["txnTime"], f["queryId"] = r.OrderID, formatTime(t), r.QueryID
	k := &call{op: op, endpoint: "Query", orderID: r.OrderID, txnTime: t, anyTime: r.TxnTime.IsZero()}
	if !signed {
		return k, c.complete(op, f, r.Extra)
	}
	if k.fields, err = c.finish(op, f, r.Extra); err != nil {
		return nil, err
	}
	return k, nil
}

// checkQuery refuses an invalid QueryRequest with a *RequestError naming the field.
func checkQuery(op string, r *QueryRequest) error {
	ch := &checker{op: op}
	switch {
	case !sign.Blank(r.QueryID):
		ch.serial("QueryID", r.QueryID)
		if r.OrderID != "" {
			ch.orderID("OrderID", r.OrderID)
		}
	case r.QueryID != "" && r.OrderID == "":
		ch.fail("QueryID", "blank (white space only): give the queryId, or OrderID and TxnTime")
	case r.OrderID == "" && r.TxnTime.IsZero():
		ch.fail("OrderID", "required, with TxnTime (or give QueryID)")
	case r.TxnTime.IsZero():
		ch.fail("TxnTime", "required with OrderID (or give QueryID)")
	default:
		ch.orderID("OrderID", r.OrderID)
	}
	ch.digitsOverride("BizType", r.BizType, 6)
	if r.TxnType != "" && (len(r.TxnType) != 2 || !isDigits(r.TxnType)) {
		ch.fail("TxnType", "must be 2 digits, or empty")
	}
	if r.Amount < 0 {
		ch.fail("Amount", "must not be negative (0: not checked)")
	}
	return ch.err
}

// another returns tx, or, if tx names a txnType or amount other than those r expects, the
// NotFound of the transaction r asks about, with tx as its Other.
func another(r *QueryRequest, tx *Transaction) *Transaction {
	switch {
	case tx.State == NotFound:
		return tx
	case r.TxnType != "" && tx.TxnType != "" && tx.TxnType != r.TxnType:
	case r.Amount != 0 && tx.Raw["txnAmt"] != "" && tx.Amount != r.Amount:
	default:
		return tx
	}
	return &Transaction{State: NotFound, OrderID: tx.OrderID, RespCode: tx.RespCode, RespMsg: tx.RespMsg, Raw: tx.Raw,
		Other: tx}
}

// otherError describes the Other of a NotFound.
func otherError(o *Transaction) error {
	amount := fmt.Sprintf("%d fen", o.Amount)
	if cur := o.Raw["currencyCode"]; cur != "" && cur != "156" {
		amount = fmt.Sprintf("%d in currency %s", o.Amount, cur)
	}
	return fmt.Errorf("the orderId and txnTime name another transaction (txnType %s, %s, %s, queryId %s), "+
		"not the one asked about: a person must look", o.TxnType, amount, o.State, o.QueryID)
}

func (c *Client) transaction(k *call, f sign.Fields) (*Transaction, error) {
	tx := &Transaction{OrderID: f["orderId"], QueryID: f["queryId"], TxnType: f["txnType"],
		TxnSubType: f["txnSubType"], OrigQueryID: f["origQryId"],
		Currency: f["currencyCode"], OrigRespCode: f["origRespCode"], OrigRespMsg: f["origRespMsg"],
		RespCode: f["respCode"], RespMsg: f["respMsg"], ReqReserved: f["reqReserved"],
		SettleDate: f["settleDate"], SettleCurrency: f["settleCurrencyCode"], ExchangeRate: f["exchangeRate"],
		TraceNo: f["traceNo"], TraceTime: f["traceTime"], PayCardType: f["payCardType"], PayType: f["payType"],
		AccNo: f["accNo"], Raw: f}
	if tx.OrderID == "" {
		tx.OrderID = k.orderID
	}
	if tx.TxnType == "00" { // the query's own, echoed by an answer about no transaction
		tx.TxnType, tx.TxnSubType = "", ""
	}
	switch {
	case tx.RespCode == "00":
		tx.State = stateOf(tx.OrigRespCode, isPayout(f["txnType"], k.fields["bizType"], f["bizType"]))
	case pendingCode(tx.RespCode):
		tx.State, tx.TxnType, tx.TxnSubType = Pending, "", ""
		return tx, nil
	case tx.RespCode == "34":
		tx.State, tx.TxnType, tx.TxnSubType = NotFound, "", ""
		return tx, nil
	default:
		return nil, &Error{Op: k.op, OrderID: k.orderID, TxnTime: k.sentTime(), RespCode: tx.RespCode, RespMsg: tx.RespMsg}
	}
	var err error
	if tx.TxnTime, err = c.parseTime(f["txnTime"]); err != nil {
		return nil, fmt.Errorf("unionpay: %s: answer field txnTime: %w", k.name(), err)
	}
	if tx.Amount, err = parseFen("txnAmt", f["txnAmt"]); err != nil {
		return nil, fmt.Errorf("unionpay: %s: %w", k.name(), err)
	}
	if tx.SettleAmount, err = parseFen("settleAmt", f["settleAmt"]); err != nil {
		return nil, fmt.Errorf("unionpay: %s: %w", k.name(), err)
	}
	return tx, nil
}

// ErrNoAccNo is matched by the error of [Client.DecryptAccNo] for a transaction without accNo:
// UnionPay sends the card number only to merchants with that permission.
var ErrNoAccNo = errors.New("unionpay: transaction has no accNo")

// DecryptAccNo returns tx's accNo decrypted with Config.Decrypter: UnionPay encrypts it to the
// merchant's signing key when the merchant has the sensitive-information permission, and the
// plaintext is usually masked (621626******0018). An accNo UnionPay sent in clear (digits and '*')
// is returned as it is, without a Decrypter, as notify's Notification.DecryptAccNo does. It is
// done on demand, not on every query, as it costs a private-key operation. A nil tx, or one
// without accNo, is an error matching [ErrNoAccNo]; an encrypted one without a Config.Decrypter is
// a *[ConfigError]. A plaintext that is not a card number (12 to 19 digits and '*', or a masked one
// of 10 or 11) is an error: the ciphertext was encrypted to another key, such as the one of the
// PFX before a renewal.
func (c *Client) DecryptAccNo(tx *Transaction) (string, error) {
	if err := c.usable(); err != nil {
		return "", err
	}
	switch {
	case tx == nil || tx.AccNo == "":
		return "", fmt.Errorf("%w (DecryptAccNo)", ErrNoAccNo)
	case pan.Plain(tx.AccNo):
		return tx.AccNo, nil
	case c.cfg.Decrypter == nil:
		return "", &ConfigError{Field: "Config.Decrypter", Reason: "required to decrypt accNo"}
	}
	accNo, err := c.cfg.Decrypter.Decrypt(tx.AccNo)
	if err != nil {
		return "", fmt.Errorf("unionpay: decrypting accNo of %s: %w", tx.OrderID, err)
	}
	if !pan.Plausible(accNo) {
		return "", fmt.Errorf("unionpay: decrypting accNo of %s: the plaintext is not a card number (encrypted to another key?)", tx.OrderID)
	}
	return accNo, nil
}

// stateOf reads a transaction's state from the origRespCode of a query answered 00, for a payout
// if payout. An answer without origRespCode says nothing about the transaction, so it is Pending,
// never Failed.
func stateOf(origRespCode string, payout bool) State {
	switch {
	case origRespCode == "00" || origRespCode == "A6":
		return Succeeded
	case origRespCode == "" || pendingCode(origRespCode) || payout && payoutPendingCode(origRespCode):
		return Pending
	}
	return Failed
}

// isPayout reports whether a query answer with txnType and bizType, asked with reqBizType, is
// about a payout: the answer names one (txnType 12), or names no transaction type of its own ("" or
// the query's 00) and the payout bizType was asked for or answered. An answer naming another type
// (72, a real-name check made under the payout product, say) is not a payout's.
func isPayout(txnType, reqBizType, bizType string) bool {
	switch txnType {
	case "12":
		return true
	case "", "00":
		return reqBizType == BizTypePayout || bizType == BizTypePayout
	}
	return false
}

// BizTypePayout is the bizType of the payout product (代付), which [Client.Payout] sends and with
// which a payout is queried.
const BizTypePayout = "000401"

// payoutPendingCode reports the codes beyond pendingCode by which UnionPay's payout product (代付)
// says to query rather than take a payout as failed: 01, 12, 34 and 60, as a synchronous respCode
// and as a queried origRespCode, until the settlement file settles it (UnionPay's payout samples,
// Form10_6_2_DF and Form10_6_3_Query, 2015-09: "查询到03 04 05 01 12 34 60继续查询"). Read as
// failures, they would invite a second payout of the same money.
func payoutPendingCode(code string) bool {
	switch code {
	case "01", "12", "34", "60":
		return true
	}
	return false
}

// pendingCode reports a respCode by which UnionPay says the outcome is not known yet: 03 (timed
// out: query), 04 (state unknown: query), 05 (accepted: query later), and 83 (发卡行（渠道）处理中,
// the issuer or channel still processing), which UnionPay's code table lists among the failures'
// numbers but which says the same as 05: read as a failure, a payout still in progress would
// invite a second one.
func pendingCode(respCode string) bool {
	switch respCode {
	case "03", "04", "05", "83":
		return true
	}
	return false
}

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
// seen.
func (c *Client) QueryUntilFinal(ctx context.Context, r *QueryRequest, b Backoff) (*Transaction, error) {
	if ctx == nil { // as Query reports it; Config.Sleep would dereference it
		return nil, nilContext("query")
	}
	if r == nil {
		return nil, &RequestError{Op: "query", Field: "request", Reason: "nil"}
	}
	if err := c.usable(); err != nil {
		return nil, err
	}
	if len(b.Delays) == 0 {
		return nil, &RequestError{Op: "query", Field: "Backoff.Delays", Reason: "empty"}
	}
	if b.FromTxnTime && r.TxnTime.IsZero() {
		return nil, &RequestError{Op: "query", Field: "TxnTime", Reason: "required with Backoff.FromTxnTime"}
	}
	// An invalid request (fields, Extra, UTF-8, txnTime) is refused before any wait, as the
	// first Query would refuse it.
	if _, err := c.queryCall("query", r, false); err != nil {
		return nil, err
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
	busy := errors.As(err, &re) && gatewayBusy(re.RespCode)
	if busy { // pending wraps it, whatever ends the schedule: it must not read as a rejection (*Error)
		err = &opError{name: opName("query", r.OrderID), err: errors.New("gateway busy: " + re.RespCode + " " + re.RespMsg)}
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
	pe := &PendingError{Op: "query", OrderID: r.OrderID, Err: err}
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

// gatewayBusy reports a respCode by which the gateway declines to answer for now: 02 (system not
// open or closed for a while), 06 (system busy) and 37 (已超过最大查询次数或操作过于频繁, queried
// too often), all "try again later" in UnionPay's code table. A query answered so is asked again
// on the schedule.
func gatewayBusy(respCode string) bool {
	return respCode == "02" || respCode == "06" || respCode == "37"
}

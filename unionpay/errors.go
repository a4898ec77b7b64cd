package unionpay

import (
	"encoding/json"
	"errors"
	"fmt"
	"time"

	"github.com/goacp/unionpay/internal/pan"
)

// ErrPending matches (with errors.Is) every outcome that is not known yet. Those are respCode 03, 04, 05 or
// 83 (and, for a call that moves money, 12 or none; for a payout, 01, 34 and 60 too), a timeout
// or broken connection after the request left (with a transport other than net/http's, any failure), an HTTP status other than 200, or an
// answer that cannot be read or does not verify. The transaction may or may not have happened;
// query it with [Client.Query] or [Client.QueryUntilFinal] before doing anything else. Never send
// it again under a new orderId.
var ErrPending = errors.New("unionpay: outcome pending; query the transaction")

// ErrUnverified matches (with errors.Is) every synchronous answer that failed verification with
// Config.Verifier. Nothing in such an answer is believed; for a money-moving call the outcome is
// unknown, so the error (a [*PendingError] wrapping the [*VerifyError]) matches [ErrPending] too,
// and a query must settle it.
var ErrUnverified = errors.New("unionpay: response failed verification")

// ErrAnswerMismatch matches (with errors.Is) the error of a call whose verified answer is about
// another request than the one sent: it names another (or an empty, or no) orderId, or another
// merId, txnTime, txnType, txnAmt, currencyCode, origQryId, queryId, batchNo or settleDate than
// the request sent (an answer replayed by a proxy or cache, or one to an earlier request under
// the same orderId and txnTime). Nothing in it is taken as this request's answer: for a call
// that moves money the error is a *[PendingError] (it matches [ErrPending] too: query the
// transaction); for any other it is a plain error of the call.
var ErrAnswerMismatch = errors.New("unionpay: answer is about another request")

// ErrNotSent matches (with errors.Is) the error of a call whose request never left the process
// (a *[NotSentError]): a refused connection, a DNS or TLS failure, a proxy's refused CONNECT, a
// ctx that ended before the request was written, a pooled connection found closed before the
// request was written to it. UnionPay has nothing: it is safe to send the same request again,
// the same call with the same OrderID and TxnTime (a money-moving one included, while that
// TxnTime is within [TxnTimeWindow] of Config.Now), since the first copy provably never reached
// UnionPay whole: a failure once all of it may have left makes a money-moving call pending
// instead. (A *[RequestError] or *[ConfigError] is a request refused before any attempt.) A
// *[PendingError] never matches it, even when a query it reports on was not sent.
//
// At volume the usual cause is a keep-alive connection that UnionPay's load balancer (or a
// proxy in between) closed while it sat idle in the pool: net/http would send such a request
// again by itself on a new connection only if it could rewind the body, which the Client never
// lets it do (see [Config.HTTPClient]: no transport may send a request twice). Give
// Config.HTTPClient an *http.Transport whose IdleConnTimeout is below the load balancer's idle
// timeout (net/http's default is 90 s; many balancers close after 60 s or less; the nil
// HTTPClient's transport keeps a connection idle 30 s), so that the pool drops a connection
// before the other side does. The same close noticed only after the request was written makes
// the call pending, not "not sent": the remedy makes both rarer.
var ErrNotSent = errors.New("unionpay: request not sent")

// NotSentError reports a request that never left the process; it matches [ErrNotSent] and
// unwraps to the transport's error. Sending the same request again, with the same OrderID and
// TxnTime, is safe: see ErrNotSent, also for the usual cause at volume (a pooled keep-alive
// connection closed by the other side) and its remedy (Transport.IdleConnTimeout below the load
// balancer's).
type NotSentError struct {
	Op      string    // the operation, e.g. "refund"
	OrderID string    // orderId it would have had ("" for operations without one)
	TxnTime time.Time // txnTime it would have had, in Beijing time (zero for a query by queryId alone)
	Err     error     // the transport's error
}

// Error describes the failure.
func (e *NotSentError) Error() string {
	return "unionpay: " + opName(e.Op, e.OrderID) + txnTimeNote(e.Op, e.TxnTime) + ": " + e.detail()
}

func (e *NotSentError) detail() string { return fmt.Sprintf("request not sent: %v", e.Err) }

func (e *NotSentError) textUnder(name string) (string, bool) {
	return e.detail(), name == opName(e.Op, e.OrderID)
}

// Is reports whether target is [ErrNotSent].
func (e *NotSentError) Is(target error) bool { return target == ErrNotSent }

// Unwrap returns the transport's error.
func (e *NotSentError) Unwrap() error { return e.Err }

// PendingError reports a money-moving call whose outcome is not known yet. It matches [ErrPending].
// It carries what identifies the transaction, so that the caller can query it
// ([PendingError.QueryRequest]).
type PendingError struct {
	Op      string    // the operation, e.g. "refund"
	OrderID string    // orderId sent
	TxnTime time.Time // txnTime sent, in Beijing time
	// RespCode is the respCode when the gateway answered 03, 04, 05, 83 or 12 (a payout: 01, 34,
	// 60 too); from QueryUntilFinal, the last answer's origRespCode, or the query's respCode; ""
	// otherwise.
	RespCode string
	RespMsg  string // respMsg with RespCode
	Err      error  // the transport or parse failure, if that is the cause; nil for a respCode

	payout bool          // about a payout: its 01, 12, 34 and 60 are not final either (see Error)
	query  *QueryRequest // the query of the transaction (see QueryRequest), when this package made e
}

// MarshalJSON encodes e's exported fields as encoding/json would, with RespMsg masked as Error
// masks it, so that a JSON log of a struct holding the error shows no card number UnionPay's
// text quotes either.
func (e PendingError) MarshalJSON() ([]byte, error) {
	type fields PendingError // without this method
	f := fields(e)
	f.RespMsg = pan.MaskRuns(f.RespMsg)
	return json.Marshal(f)
}

// GoString is e in Go syntax with RespMsg masked as Error masks it, so that %#v prints no card
// number UnionPay's text quotes either; Err is shown as %#v shows it.
func (e *PendingError) GoString() string {
	if e == nil {
		return "(*unionpay.PendingError)(nil)"
	}
	return fmt.Sprintf("&unionpay.PendingError{Op:%q, OrderID:%q, TxnTime:%#v, RespCode:%q, RespMsg:%q, Err:%#v}",
		e.Op, e.OrderID, e.TxnTime, e.RespCode, pan.MaskRuns(e.RespMsg), e.Err)
}

// QueryRequest returns the query that settles the pending outcome, for [Client.QueryUntilFinal]
// (or [Client.Query]). For a money-moving call's, it is the query of the transaction it sent, as
// [Result.QueryRequest] gives it (its OrderID and TxnTime, and the TxnType, Amount, Currency and,
// for a refund, cancel or completion, OrigQueryID the answer must name to be about it; a payout's with
// BizType [BizTypePayout]); for QueryUntilFinal's, the QueryRequest it was given, to ask again
// later. A query of another transaction under the same orderId then reads NotFound, with that one
// in Other, never as this one's outcome:
//
//	var pe *unionpay.PendingError
//	if errors.As(err, &pe) {
//		tx, err = client.QueryUntilFinal(ctx, pe.QueryRequest(), unionpay.BackBackoff())
//	}
//
// (a payout's on [PayoutBackoff]; a [Client.AppConsume]'s, [Client.AppPreAuth]'s or
// [Client.ApplyQRCode]'s order on [FrontBackoff] with its PayTimeout). Each call returns a new
// QueryRequest. It is nil for a PendingError this package did not make (one of your own, say,
// whose Err says what happened), and for one that is not about a transaction [Client.Query]
// finds: a batch's ([Client.QueryBatch] asks that), an open query's.
// QueryUntilFinal given a nil QueryRequest refuses it (a *[RequestError]). A nil *PendingError
// gives nil.
func (e *PendingError) QueryRequest() *QueryRequest {
	if e == nil {
		return nil
	}
	return e.query.clone()
}

// Error describes the pending outcome, with any run of 12 digits or more in RespMsg masked as a
// card number, as [Error.Error] masks it.
func (e *PendingError) Error() string {
	s := fmt.Sprintf("unionpay: %s%s: outcome pending", opName(e.Op, e.OrderID), txnTimeNote(e.Op, e.TxnTime))
	if e.RespCode != "" {
		s += ": " + e.RespCode + " " + pan.MaskRuns(e.RespMsg)
		if e.payout && payoutPendingCode(e.RespCode) {
			// respMsg reads 交易失败 (failed) for 01: say what it means for a payout
			s += " (not final for a payout: query it; never pay it again)"
		}
	}
	if e.Err != nil {
		// The wrapped error is often this package's own (a *VerifyError, a query's error in
		// QueryUntilFinal) and names the same operation and order: say them once.
		s += ": " + textUnder(opName(e.Op, e.OrderID), e.Err)
	}
	return s
}

// callError is an error of this package's own about a call, whose text is "unionpay: ", the
// call's name (its operation and orderId: see opName), ": " and what went wrong.
type callError interface {
	// textUnder returns what went wrong, without the words before it, and whether name is the
	// name of the error's call.
	textUnder(name string) (string, bool)
}

// textUnder is the text of err wrapped by an error that names the call name already: what went
// wrong when err is this package's own error about that call (a *callError), its whole text
// otherwise.
func textUnder(name string, err error) string {
	if ce, ok := err.(callError); ok {
		if s, same := ce.textUnder(name); same {
			return s
		}
	}
	return err.Error()
}

// alsoError is err, then also: "<err>; <also>". It matches both. Under the name of err's call,
// its text leaves out the words err's does.
type alsoError struct{ err, also error }

func (e *alsoError) Error() string { return e.err.Error() + "; " + e.also.Error() }

func (e *alsoError) Unwrap() []error { return []error{e.err, e.also} }

func (e *alsoError) textUnder(name string) (string, bool) {
	if ce, ok := e.err.(callError); ok {
		if s, same := ce.textUnder(name); same {
			return s + "; " + e.also.Error(), true
		}
	}
	return "", false
}

// lastQueryError is what an earlier answer found about another transaction (other), then the
// last query's own error (last), whose text is given under the query's name (text). It matches
// both.
type lastQueryError struct {
	other, last error
	text        string
}

func (e *lastQueryError) Error() string { return e.other.Error() + "; the last query: " + e.text }

func (e *lastQueryError) Unwrap() []error { return []error{e.other, e.last} }

// Is reports whether target is [ErrPending].
func (e *PendingError) Is(target error) bool { return target == ErrPending }

// Unwrap returns the transport or parse failure, if any. A *[NotSentError] in it (a query of
// [Client.QueryUntilFinal] that never left, as at a shutdown) is not matched through it by
// [ErrNotSent] nor found by errors.As: the outcome is pending, never "not sent" (its other
// errors, a ctx's included, still match).
func (e *PendingError) Unwrap() error {
	if e.Err != nil && errors.Is(e.Err, ErrNotSent) {
		return notSentHidden{e.Err}
	}
	return e.Err
}

// notSentHidden is an error whose chain holds a *NotSentError, as a *PendingError exposes it:
// it matches everything the chain does but ErrNotSent and *NotSentError.
type notSentHidden struct{ err error }

func (h notSentHidden) Error() string { return h.err.Error() }

func (h notSentHidden) Is(target error) bool { return target != ErrNotSent && errors.Is(h.err, target) }

func (h notSentHidden) As(target any) bool {
	if _, ok := target.(**NotSentError); ok {
		return false
	}
	return errors.As(h.err, target)
}

// Error is a rejection by the gateway: a verified answer whose respCode is neither success nor
// pending. Nothing happened; the request may be corrected and sent again under a new orderId. (A
// call that moves money answered 12, duplicate, is a *[PendingError], not an Error, and so is a
// payout answered 01, 34 or 60: see [Client.Payout].)
type Error struct {
	Op       string    // the operation, e.g. "refund"
	OrderID  string    // orderId sent ("" for operations without one)
	TxnTime  time.Time // txnTime sent, in Beijing time; zero for operations without one
	RespCode string    // respCode, e.g. "14"
	RespMsg  string    // respMsg as received, ending in its 7-digit detail code in brackets
}

// Error describes the rejection, with any run of 12 digits or more in RespMsg (UnionPay's text,
// which may quote a card number) masked as a card number; the field keeps it as received.
func (e *Error) Error() string {
	return "unionpay: " + opName(e.Op, e.OrderID) + txnTimeNote(e.Op, e.TxnTime) + ": " + e.detail()
}

// MarshalJSON encodes e's fields as encoding/json would, with RespMsg masked as Error masks it,
// so that a JSON log of a struct holding the error shows no card number UnionPay's text quotes
// either.
func (e Error) MarshalJSON() ([]byte, error) {
	type fields Error // without this method
	f := fields(e)
	f.RespMsg = pan.MaskRuns(f.RespMsg)
	return json.Marshal(f)
}

// GoString is e in Go syntax with RespMsg masked as Error masks it, so that %#v, which a
// debugging log line may use, prints no card number UnionPay's text quotes either.
func (e *Error) GoString() string {
	if e == nil {
		return "(*unionpay.Error)(nil)"
	}
	return fmt.Sprintf("&unionpay.Error{Op:%q, OrderID:%q, TxnTime:%#v, RespCode:%q, RespMsg:%q}",
		e.Op, e.OrderID, e.TxnTime, e.RespCode, pan.MaskRuns(e.RespMsg))
}

// txnTimeNote is " (txnTime YYYYMMDDhhmmss)" after the name of the call op, so that a log line
// or an alert names the transaction whole (a resent copy is queried by orderId, or batchNo, and
// txnTime), or "" for a zero t or a file download (its txnTime names nothing to look up).
func txnTimeNote(op string, t time.Time) string {
	if t.IsZero() || op == fileDownloadOp {
		return ""
	}
	return " (txnTime " + formatTime(t) + ")"
}

func (e *Error) detail() string {
	if e.RespCode == "" && e.RespMsg == "" {
		return "answer has no respCode"
	}
	return e.RespCode + " " + pan.MaskRuns(e.RespMsg)
}

func (e *Error) textUnder(name string) (string, bool) {
	return e.detail(), name == opName(e.Op, e.OrderID)
}

// Is reports whether target is [ErrNoFile] and e is a file download's respCode 98.
func (e *Error) Is(target error) bool {
	return target == ErrNoFile && e.Op == fileDownloadOp && e.RespCode == "98"
}

// VerifyError reports a synchronous answer that failed verification. It matches [ErrUnverified]
// and unwraps to the verifier's error (sign.ErrSignature, cert.ErrMethod, *cert.InvalidError, ...).
type VerifyError struct {
	Op      string    // the operation, e.g. "refund"
	OrderID string    // orderId sent
	TxnTime time.Time // txnTime sent, in Beijing time; zero for a query by queryId alone
	Err     error     // what the verifier reported
}

// Error describes the verification failure.
func (e *VerifyError) Error() string {
	return "unionpay: " + opName(e.Op, e.OrderID) + txnTimeNote(e.Op, e.TxnTime) + ": " + e.detail()
}

func (e *VerifyError) detail() string { return fmt.Sprintf("response failed verification: %v", e.Err) }

func (e *VerifyError) textUnder(name string) (string, bool) {
	return e.detail(), name == opName(e.Op, e.OrderID)
}

// Is reports whether target is [ErrUnverified].
func (e *VerifyError) Is(target error) bool { return target == ErrUnverified }

// Unwrap returns the verifier's error.
func (e *VerifyError) Unwrap() error { return e.Err }

// StatusError reports an HTTP status other than 200 from a call that moves no money. (For a
// money-moving call the same condition is a [PendingError] wrapping a StatusError.) The call's
// error wraps it, naming the operation and the order.
type StatusError struct {
	StatusCode int // the HTTP status received
	// Location is a redirect's (3xx) Location header as received (its first 200 bytes), "" for
	// another status. The client follows no redirect: the request went to the endpoint only.
	Location string
	// Page is what the answer's page said, for a person, for a status other than a redirect: the
	// page's <title>, or else the opening of its text without tags, white space collapsed (a
	// control character or bidirectional override read as a space: none reaches a log), at
	// most 120 bytes (a WAF's "Access Denied - Request ID 4f3a…", a proxy's "502 Bad Gateway"),
	// read as GB18030 when it is not UTF-8. A run of 12 or more digits, ASCII or full-width
	// (０-９) or both, is masked as a card number is (621626******0018). "" when the answer had no body, or one over 64 KiB or not read
	// within half a second.
	Page string
}

// Error describes the status, "HTTP status 502", without a prefix: the error that wraps it has
// one. A redirect's names where it points: "HTTP status 302, a redirect to
// "https://portal.example/login" (not followed)"; another's quotes its Page when it has one:
// "HTTP status 403, the page says "Access Denied"".
func (e *StatusError) Error() string {
	switch {
	case e.Location != "":
		return fmt.Sprintf("HTTP status %d, a redirect to %q (not followed)", e.StatusCode, e.Location)
	case e.Page != "":
		return fmt.Sprintf("HTTP status %d, the page says %q", e.StatusCode, e.Page)
	}
	return fmt.Sprintf("HTTP status %d", e.StatusCode)
}

// ConfigError reports a Config field that [NewClient] does not accept, or one that a call needs and
// the Config lacks.
type ConfigError struct {
	Field  string // e.g. "Config.MerchantID"; "Client" for a Client not made by NewClient
	Reason string // what is wrong with it
	// Err is the error of the check that refused the field, when it is another package's:
	// sign.CheckSigner for Config.Signer, the Check methods of Config.Verifier (wrapping
	// cert.ErrMethod), Config.Encrypter and Config.Decrypter, and Verifier.Accepts. Its text is
	// in Reason too. It is nil when this package's own rule refused the field ("required", a
	// malformed endpoint URL...).
	Err error
}

// Error names the field and the problem.
func (e *ConfigError) Error() string {
	return "unionpay: " + e.Field + ": " + e.Reason
}

// Unwrap returns the underlying error, so that errors.Is and errors.As see it.
func (e *ConfigError) Unwrap() error { return e.Err }

// ErrTxnTimeNotCurrent is matched by the [*RequestError] of a request that starts a transaction
// with a TxnTime more than [TxnTimeWindow] from Config.Now: nothing was sent. Such a request is
// most often one sent again after a crash, with its stored txnTime; query the first copy. A front
// form (FrontConsume, FrontPreAuth, FrontOpenCard) whose TxnTime is more than TxnTimeWindow after
// Config.Now is refused with it too, before any page is built: usually a stored Beijing txnTime
// read as UTC.
var ErrTxnTimeNotCurrent = errors.New("unionpay: txnTime is not current")

// RequestError reports a request field that the SDK does not accept, or a nil ctx; nothing was
// sent.
type RequestError struct {
	Op string // the operation, e.g. "refund"
	// Field is the Go field of the request, e.g. "Amount", "Customer.PIN" or `Extra["txnAmt"]`
	// ("ctx" for a nil context). An Extra key that does not read as a field name (ASCII letters
	// and digits, no two digits in a row) is named only up to there, then "...": a key holding
	// key=value text, `Extra["accNo..."]` for "accNo=6216...", never shows its value.
	Field  string
	Reason string // what is wrong with it
	Err    error  // a sentinel the refusal matches ([ErrTxnTimeNotCurrent]), or nil
}

// Error names the field and the problem.
func (e *RequestError) Error() string {
	return "unionpay: " + e.Op + ": " + e.Field + ": " + e.Reason
}

func (e *RequestError) textUnder(name string) (string, bool) {
	return e.Field + ": " + e.Reason, name == e.Op
}

// Unwrap returns Err, so that errors.Is sees it.
func (e *RequestError) Unwrap() error { return e.Err }

// nilContext is the error of a call given a nil ctx: nothing is sent.
func nilContext(op string) error {
	return &RequestError{Op: op, Field: "ctx", Reason: "nil context"}
}

// opName is an operation and its orderId, for error messages.
func opName(op, orderID string) string {
	if orderID == "" {
		return op
	}
	return op + " " + orderID
}

// formatTime renders t as txnTime (yyyyMMddHHmmss) in t's own location.
func formatTime(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return t.Format(timeLayout)
}

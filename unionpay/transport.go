package unionpay

import (
	"context"
	"crypto/tls"
	"errors"
	"fmt"
	"io"
	"maps"
	"net"
	"net/http"
	"net/http/httptrace"
	"runtime/debug"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/go-resty/resty/v2"

	"github.com/goacp/unionpay/cert"
	"github.com/goacp/unionpay/internal/ascii"
	"github.com/goacp/unionpay/internal/javagbk"
	"github.com/goacp/unionpay/sign"
)

// call is one synchronous request: what identifies it and how a failure is classified.
type call struct {
	op       string      // operation name for errors, e.g. "refund"
	endpoint string      // Endpoints field: "Back", "Query", ...
	moves    bool        // the request moves money: unknown outcomes are Pending, never plain errors
	payout   bool        // a payout (代付): the payout product's "query it" codes are Pending too
	orderID  string      // orderId sent ("" when none)
	txnTime  time.Time   // txnTime sent, Beijing time
	anyTime  bool        // txnTime was not the caller's (a query by queryId alone): the answer has its own
	fields   sign.Fields // the signed request
}

// Result is the synchronous answer to a back-end transaction that the gateway accepted (respCode
// 00). Accepted is not succeeded: the final outcome comes in the notification to backUrl or from
// [Client.Query].
//
// Its String, GoString, JSON (json.Marshal) and log/slog value, and those of the other answers
// ([AppResult], [BatchResult], [BatchStatus], [Transaction], [File]), are a masked form meant for
// logs: accNo as 6+4 (621626******0018) or "(encrypted)", customerInfo, encryptedInfo,
// cardTransData and tokenPayData as "***", fileContent and files by their size. It is not a
// storage form (decoded, it gives the masks): read the fields to store an answer. A struct of yours that embeds an answer gets
// these methods, and so prints and marshals as the answer alone: hold it in a named field.
type Result struct {
	OrderID  string      // orderId
	TxnTime  time.Time   // txnTime sent, in Beijing time (what a query needs)
	QueryID  string      // queryId, UnionPay's serial number, when the answer carries one
	RespCode string      // respCode: "00" (or "A6")
	RespMsg  string      // respMsg
	Raw      sign.Fields // every field of the verified answer, as received

	query *QueryRequest // the query of the call's transaction (see QueryRequest); nil for a batch
}

// QueryRequest returns the query of the transaction the call started, for [Client.QueryUntilFinal]
// with [BackBackoff] (or [Client.Query]). It holds its OrderID and TxnTime, and what the answer
// must name to be about it, as the request sent them: the TxnType ("04" for a refund, "31" a consume cancel, "03"
// a pre-auth completion, "12" a payout...), the Amount (txnAmt), the Currency (currencyCode, for a
// call that sends one), for a refund, cancel or completion, the OrigQueryID (origQryId), and for
// a platform's shop its SubMerID (subMerId); a payout's is asked with BizType [BizTypePayout], and a refund sent with [BizTypeB2B] with that
// bizType. An answer naming another transaction under the same orderId (one made before under a
// reused orderId) then reads NotFound with that one in Other, never as this one's outcome:
//
//	tx, err := client.QueryUntilFinal(ctx, res.QueryRequest(), unionpay.BackBackoff())
//
// A [PendingError] gives the same query ([PendingError.QueryRequest]). A [QRCodeResult]'s order is
// asked on [FrontBackoff] (see [Client.ApplyQRCode]); an [AppResult] has its own
// ([AppResult.QueryRequest]); what an [OpenResult]'s card opening did is asked with
// [Client.QueryOpen]. Each call returns a new QueryRequest. It is nil for a Result this package
// did not return, for a [BatchResult]'s (query a batch with [Client.QueryBatch]), and for a nil
// *Result (that of a call that failed: a pending one's query is [PendingError.QueryRequest]),
// which QueryUntilFinal refuses. After a restart, build the query from what you stored before
// sending: the same fields.
func (r *Result) QueryRequest() *QueryRequest {
	if r == nil {
		return nil
	}
	return r.query.clone()
}

// clone returns a copy of r (Extra too), or nil for a nil r.
func (r *QueryRequest) clone() *QueryRequest {
	if r == nil {
		return nil
	}
	c := *r
	c.Extra = maps.Clone(r.Extra)
	return &c
}

func (k *call) result(f sign.Fields) *Result {
	return &Result{OrderID: k.orderID, TxnTime: k.txnTime, QueryID: f["queryId"],
		RespCode: f["respCode"], RespMsg: f["respMsg"], Raw: f, query: k.query()}
}

// query returns the query of the transaction k sent (see [Result.QueryRequest]), with what of
// it the answer must name: its txnType, txnAmt, currencyCode and origQryId as k sent them, and
// for a payout BizTypePayout. It is nil for a call without orderId (a batch).
func (k *call) query() *QueryRequest {
	if k.orderID == "" {
		return nil
	}
	q := &QueryRequest{OrderID: k.orderID, TxnTime: k.txnTime, TxnType: k.fields["txnType"],
		Currency: k.fields["currencyCode"], OrigQueryID: k.fields["origQryId"], SubMerID: k.fields["subMerId"]}
	if amount, err := strconv.ParseInt(k.fields["txnAmt"], 10, 64); err == nil && amount > 0 {
		q.Amount = amount
	}
	if k.payout {
		q.BizType = BizTypePayout
	}
	if k.fields["bizType"] == BizTypeB2B { // a B2B refund: UnionPay's B2B samples query under 000202
		q.BizType = BizTypeB2B
	}
	return q
}

// idleConnsPerHost is how many idle connections the Client's own transport keeps for each of
// UnionPay's hosts: enough for concurrent calls to reuse them (net/http keeps two by default, and
// a call finding none idle opens a connection, a TLS handshake, of its own).
const idleConnsPerHost = 32

// idleConnTimeout is how long the Client's own transport keeps a connection idle: below the idle
// timeout of the load balancers in front of a gateway (60 s is common; net/http's default, 90 s,
// is above it), so that the pool drops a connection before the other side closes it under a
// request, which a call that moves money could then only report pending (see ErrNotSent).
const idleConnTimeout = 30 * time.Second

// dialTimeout and tlsHandshakeTimeout bound the Client's own transport's dial and TLS handshake,
// as http.DefaultTransport's do: net/http finishes one a call gave up on in the background.
const (
	dialTimeout         = 30 * time.Second
	tlsHandshakeTimeout = 10 * time.Second
)

// newResty wraps a copy of hc (or a default client) in a resty client that never follows
// redirects, never retries, never logs and leaves the body to us. A copy of hc without a Timeout
// gets defaultTimeout: a call whose ctx has no deadline would otherwise wait as long as the
// connection stays open.
//
// Nor may the transport send a request twice. Go's HTTP/2 client resends a POST whose stream
// the server reset (PROTOCOL_ERROR, REFUSED_STREAM...) even when the server had read all of it,
// if it can rebuild the body (Request.GetBody, which resty sets): a refund could reach UnionPay
// twice, the second answered "duplicate" and reported as refused. So the default client speaks
// HTTP/1.1 only (UnionPay's gateway does), and every transport, the caller's too, gets requests
// without GetBody: no replay after a body was sent. HTTP/1.1 only ever resent a request it had
// not written; that now fails as not sent, which the caller may retry.
func newResty(hc *http.Client) *resty.Client {
	var c http.Client
	if hc != nil {
		c = *hc
		if c.Timeout <= 0 { // never a call without an end, if ctx has none
			c.Timeout = defaultTimeout
		}
	} else {
		var t *http.Transport
		if dt, ok := http.DefaultTransport.(*http.Transport); ok {
			t = dt.Clone()
		} else { // a program replaced it: net/http's settings, the bounds on dial and handshake too
			t = &http.Transport{Proxy: http.ProxyFromEnvironment,
				DialContext:         (&net.Dialer{Timeout: dialTimeout, KeepAlive: 30 * time.Second}).DialContext,
				TLSHandshakeTimeout: tlsHandshakeTimeout}
		}
		t.TLSClientConfig = &tls.Config{MinVersion: tls.VersionTLS12}
		t.MaxIdleConnsPerHost = idleConnsPerHost
		t.IdleConnTimeout = idleConnTimeout
		var http1 http.Protocols
		http1.SetHTTP1(true)
		t.Protocols = &http1
		t.ForceAttemptHTTP2 = false
		c = http.Client{Timeout: defaultTimeout, Transport: t}
	}
	c.Transport = noReplay{next: c.Transport}
	c.CheckRedirect = func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }
	return resty.NewWithClient(&c).SetLogger(discardLogger{}).SetDoNotParseResponse(true).
		SetHeader("User-Agent", userAgent())
}

// userAgent names the SDK, with the module's version when the program was built with it as
// a dependency, so that an egress proxy's logs and UnionPay's support can tell its requests
// apart: "goacp-unionpay/v1.2.3 (+https://github.com/goacp/unionpay)".
func userAgent() string {
	bi, _ := debug.ReadBuildInfo()
	return userAgentOf(bi)
}

// userAgentOf is userAgent with the build's information bi (nil: none recorded).
func userAgentOf(bi *debug.BuildInfo) string {
	const module, home = "github.com/goacp/unionpay", " (+https://github.com/goacp/unionpay)"
	if bi != nil {
		for _, m := range append([]*debug.Module{&bi.Main}, bi.Deps...) {
			if m.Path == module && m.Version != "" && m.Version != "(devel)" {
				return "goacp-unionpay/" + m.Version + home
			}
		}
	}
	return "goacp-unionpay" + home
}

// traces reports whether hc's transport is net/http's, which reports through httptrace when it
// has written a request: only then can a failure be known to have come before the request left
// (over HTTP/2, before its headers were written: see post).
// A caller's own RoundTripper may send a request without saying so.
func traces(hc *http.Client) bool {
	if hc == nil {
		return true // newResty's own *http.Transport
	}
	return tracesVia(hc.Transport)
}

// tracesVia is traces for a given client's Transport t; nil is http.DefaultTransport as it is
// now (a program may replace it after NewClient: see post).
func tracesVia(t http.RoundTripper) bool {
	if t == nil {
		t = http.DefaultTransport
	}
	_, ok := t.(*http.Transport)
	return ok
}

// unencryptedHTTP2 reports whether hc's transport may speak HTTP/2 over a connection without
// TLS (h2c, which a caller enables with Transport.Protocols), where post cannot tell from the
// connection which protocol a request goes out in.
func unencryptedHTTP2(hc *http.Client) bool {
	if hc == nil {
		return false // newResty's own *http.Transport
	}
	return unencryptedHTTP2Via(hc.Transport)
}

// unencryptedHTTP2Via is unencryptedHTTP2 for a given client's Transport rt; nil is
// http.DefaultTransport as it is now.
func unencryptedHTTP2Via(rt http.RoundTripper) bool {
	t, ok := rt.(*http.Transport)
	if rt == nil {
		t, ok = http.DefaultTransport.(*http.Transport)
	}
	return ok && t.Protocols != nil && t.Protocols.UnencryptedHTTP2()
}

// noReplay hands requests to next without GetBody, so that next cannot send one again once
// its body has been read (see newResty).
type noReplay struct{ next http.RoundTripper }

// RoundTrip implements http.RoundTripper.
func (t noReplay) RoundTrip(r *http.Request) (*http.Response, error) {
	next := t.next
	if next == nil {
		next = http.DefaultTransport
	}
	p, _ := r.Context().Value(probeKey{}).(*sentProbe)
	if r.GetBody != nil || p != nil {
		r = r.Clone(r.Context())
		r.GetBody = nil
	}
	if p != nil {
		if r.Body == nil || r.Body == http.NoBody {
			p.mark() // nothing to watch: the request may leave unseen
		} else {
			r.Body = &probedBody{rc: r.Body, p: p}
		}
	}
	return next.RoundTrip(r)
}

// sentProbe tells post whether a transport that does not report through httptrace (a wrapper
// such as otelhttp's, a retry layer, one of another protocol) can have sent a request: only if
// some of its body, which holds every signed field, was read. post seals it when the request
// fails: a read after that (by a goroutine the transport left behind) fails, so a body not read
// by then never leaves. No trust in the transport is needed: one that buffers the body to
// resend it has read it, and its failures stay pending.
type sentProbe struct {
	mu     sync.Mutex
	read   bool // some of the body was read (or the body could not be watched)
	sealed bool // post has decided: reads fail from now on
}

type probeKey struct{}

func (p *sentProbe) mark() {
	p.mu.Lock()
	p.read = true
	p.mu.Unlock()
}

// seal ends reads of the body and reports whether any was read.
func (p *sentProbe) seal() bool {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.sealed = true
	return p.read
}

// errSealed is what a read of a request's body gets once post has reported it not sent.
var errSealed = errors.New("unionpay: request already reported not sent")

// probedBody is a request body that reports its reads to a sentProbe.
type probedBody struct {
	rc io.ReadCloser
	p  *sentProbe
}

func (b *probedBody) Read(buf []byte) (int, error) {
	b.p.mu.Lock()
	defer b.p.mu.Unlock()
	if b.p.sealed {
		return 0, errSealed
	}
	n, err := b.rc.Read(buf)
	if n > 0 {
		b.p.read = true
	}
	return n, err
}

func (b *probedBody) Close() error { return b.rc.Close() }

// CloseIdleConnections passes the call on to next, so that http.Client's reaches it.
func (t noReplay) CloseIdleConnections() {
	next := t.next
	if next == nil {
		next = http.DefaultTransport // what RoundTrip uses
	}
	if ci, ok := next.(interface{ CloseIdleConnections() }); ok {
		ci.CloseIdleConnections()
	}
}

type discardLogger struct{}

func (discardLogger) Errorf(string, ...any) {}
func (discardLogger) Warnf(string, ...any)  {}
func (discardLogger) Debugf(string, ...any) {}

// send posts the signed request and returns the parsed, verified answer. Any failure after the
// request left is Pending for a money-moving call.
func (c *Client) send(ctx context.Context, k *call) (sign.Fields, error) {
	if ctx == nil {
		return nil, nilContext(k.op)
	}
	ci := k.info()
	u, err := c.endpoint(k.endpoint)
	if err == nil {
		ci.Endpoint = endpointName(u)
	}
	o := c.observation(ctx)
	if o != nil {
		o.info = ci
	}
	if err != nil {
		return nil, err
	}
	body, err := sign.Encode(k.fields)
	if err != nil {
		return nil, fmt.Errorf("unionpay: %s: %w", k.op, err)
	}
	data, sent, err := c.post(context.WithValue(ctx, callInfoKey{}, ci), u, body)
	if err != nil {
		if !sent {
			ns := &NotSentError{Op: k.op, OrderID: k.orderID, TxnTime: k.txnTime, Err: err}
			if k.anyTime {
				ns.TxnTime = time.Time{}
			}
			return nil, ns
		}
		if k.op == fileDownloadOp && errors.Is(err, ErrResponseTooLarge) {
			// The one answer that grows with the business: name the remedy.
			err = fmt.Errorf("%w: a settlement file comes in base64, 4/3 of its zip's size: "+
				"raise Config.MaxResponseBytes for a larger file", err)
		}
		return nil, k.unknown(err)
	}
	f, err := c.parse(data)
	if err != nil {
		return nil, k.unknown(err)
	}
	if _, err := c.cfg.Verifier.Verify(f); err != nil {
		return nil, k.unverified(err)
	}
	// No downgrade: the answer must be signed the way the request was (the gateway answers in
	// kind), even when the Verifier also accepts other methods, e.g. for notifications.
	if f[sign.FieldSignMethod] != k.fields[sign.FieldSignMethod] || f[sign.FieldVersion] != k.fields[sign.FieldVersion] {
		return nil, k.unverified(fmt.Errorf(
			"%w: answer signed with signMethod %q version %q, request with %q %q", cert.ErrMethod,
			f[sign.FieldSignMethod], f[sign.FieldVersion], k.fields[sign.FieldSignMethod], k.fields[sign.FieldVersion]))
	}
	if err := k.answers(f); err != nil {
		return nil, k.unknown(err)
	}
	if o != nil {
		o.respCode = f["respCode"]
	}
	return f, nil
}

// answers checks that verified answer f is about this request: the orderId it was sent with
// (which every answer to such a request echoes), and the merId, txnTime (unless the request made
// one up: a query by queryId alone, answered with the transaction's own), for a query by
// queryId, queryId, for a batch, batchNo and txnSubType (its type), for a file download,
// settleDate, for a request that sent them, txnAmt (as an amount), currencyCode and origQryId,
// and but for a query (whose answer carries the queried transaction's), txnType, when the answer
// carries them (an empty txnAmt, merId or txnTime names none: not the request's). A genuine
// answer about another transaction (a proxy's mix-up, a replay: the consume SMS's answer, which
// shares the consume's orderId and txnTime, for the consume; the answer to an earlier request
// under the same orderId and txnTime for another amount or original) tells nothing about this
// one: its outcome stays unknown. The error matches [ErrAnswerMismatch].
func (k *call) answers(f sign.Fields) error {
	if k.orderID != "" && f["orderId"] != k.orderID {
		return mismatch("answer is for orderId %q", f["orderId"])
	}
	if got, sent := f["txnType"], k.fields["txnType"]; sent != "00" && got != "" && got != sent {
		return mismatch("answer is for txnType %q, not %q", got, sent)
	}
	if sent := k.fields["queryId"]; k.anyTime && f["queryId"] != sent {
		// A query by queryId alone has nothing else to bind its answer: it must echo it.
		return mismatch("answer is for queryId %q, not %q", f["queryId"], sent)
	}
	if got, ok := f["txnAmt"]; ok && k.fields["txnAmt"] != "" { // "txnAmt=" names no amount: not the one sent
		if a, err := parseFen(f, "txnAmt"); err != nil || fen(a) != k.fields["txnAmt"] {
			return mismatch("answer is for txnAmt %q, not %q", got, k.fields["txnAmt"])
		}
	}
	if got, sent := f["txnSubType"], k.fields["txnSubType"]; k.endpoint == "Batch" && got != "" && got != sent {
		return mismatch("answer is for txnSubType %q, not %q", got, sent) // a batch of another type (a collection)
	}
	for _, key := range [...]string{"merId", "txnTime", "queryId", "batchNo", "settleDate", "currencyCode", "origQryId"} {
		if key == "txnTime" && k.anyTime {
			continue
		}
		got, ok := f[key]
		if sent := k.fields[key]; sent != "" && got != sent && (got != "" || ok && (key == "merId" || key == "txnTime")) {
			// An empty merId or txnTime ("merId=") names no merchant or time: not the ones sent.
			return mismatch("answer is for %s %q, not %q", key, got, sent)
		}
	}
	return nil
}

// mismatchError is answers' error: its text as given, matching [ErrAnswerMismatch].
type mismatchError struct{ msg string }

func (e *mismatchError) Error() string { return e.msg }

func (e *mismatchError) Is(target error) bool { return target == ErrAnswerMismatch }

// mismatch returns a *mismatchError of fmt.Sprintf(format, a...).
func mismatch(format string, a ...any) error { return &mismatchError{msg: fmt.Sprintf(format, a...)} }

// unverified reports an answer that failed verification: a *VerifyError, inside a
// *PendingError when money may have moved (nothing in the answer is believed, so its outcome is
// unknown), matching both ErrUnverified and, then, ErrPending.
func (k *call) unverified(err error) error {
	ve := &VerifyError{Op: k.op, OrderID: k.orderID, TxnTime: k.sentTime(), Err: err}
	if k.moves {
		return &PendingError{Op: k.op, OrderID: k.orderID, TxnTime: k.txnTime, Err: ve, query: k.query()}
	}
	return ve
}

// unknown reports a failure after the request left: Pending when money may have moved.
func (k *call) unknown(err error) error {
	if k.moves {
		return &PendingError{Op: k.op, OrderID: k.orderID, TxnTime: k.txnTime, Err: err, query: k.query()}
	}
	return &opError{name: k.name(), note: txnTimeNote(k.op, k.sentTime()), err: err}
}

// opError is an error under the name of the operation it stopped, "unionpay: " said once when the
// error is this package's own (a *pkgError: DecodeFileContent's, ErrFileTooLarge).
type opError struct {
	name string
	note string // after the name in the error's own text: the txnTime sent (see txnTimeNote), or ""
	err  error
}

func (e *opError) Error() string { return "unionpay: " + e.name + e.note + ": " + e.detail() }

func (e *opError) detail() string {
	if pe, ok := e.err.(*pkgError); ok {
		return pe.msg
	}
	return e.err.Error()
}

func (e *opError) textUnder(name string) (string, bool) { return e.detail(), name == e.name }

func (e *opError) Unwrap() error { return e.err }

// pkgError is an error of this package's own about no call (DecodeFileContent's): "unionpay: "
// and msg. An *opError that wraps it says "unionpay: " once, before the call's name.
type pkgError struct {
	msg string // the text after "unionpay: "
	err error  // what it wraps, or nil
}

func (e *pkgError) Error() string { return "unionpay: " + e.msg }

func (e *pkgError) Unwrap() error { return e.err }

func (k *call) name() string { return opName(k.op, k.orderID) }

// sentTime is the txnTime the caller gave, zero when the call made up its own (a query by
// queryId alone) or sent none.
func (k *call) sentTime() time.Time {
	if k.anyTime {
		return time.Time{}
	}
	return k.txnTime
}

// outcome classifies a verified answer by respCode: nil for accepted (00, A6), a *PendingError for
// 03, 04, 05 and 83 (see pendingCode), an *Error for everything else, except that for a call
// that moves money 12 and no respCode are pending too, and for a payout 01, 34 and 60 (see
// payoutPendingCode). 12 (重复交易) says that a transaction with this orderId (or batchNo) exists
// already: typically the request sent again after its answer was lost, whose first copy
// may well have gone through, so that only a query tells (and the query may find another
// transaction, if the orderId had been used before). An answer without respCode tells nothing.
func (k *call) outcome(f sign.Fields) error {
	code := f["respCode"]
	switch {
	case code == "00" || code == "A6":
		return nil
	case pendingCode(code) || k.moves && code == "12" || k.payout && payoutPendingCode(code):
		return &PendingError{Op: k.op, OrderID: k.orderID, TxnTime: k.txnTime, RespCode: code, RespMsg: f["respMsg"],
			payout: k.payout, query: k.query()}
	case k.moves && code == "":
		return &PendingError{Op: k.op, OrderID: k.orderID, TxnTime: k.txnTime, Err: errors.New("answer has no respCode"),
			query: k.query()}
	default:
		return &Error{Op: k.op, OrderID: k.orderID, TxnTime: k.sentTime(), RespCode: code, RespMsg: f["respMsg"]}
	}
}

// post sends body and reads at most MaxResponseBytes of a 200 answer (none of one whose
// Content-Length is over it); another status is a *StatusError. sent reports whether the whole
// request was written, after which its outcome cannot be known from an error; with a transport
// that does not say (see traces), any request may have been.
func (c *Client) post(ctx context.Context, url, body string) (data string, sent bool, err error) {
	ctx, cancel := context.WithCancel(ctx) // ends a stalled error page's drain (see below)
	defer cancel()
	traced, h2c := c.traced, c.h2c
	if c.defaultTransport {
		// A given client without Transport sends through http.DefaultTransport as it is at
		// this call (see noReplay), which the program may have replaced since NewClient, with
		// a wrapper that does not report through httptrace: judge the one the request takes.
		traced, h2c = tracesVia(nil), unencryptedHTTP2Via(nil)
	}
	var wrote, h2, h2Headers atomic.Bool
	trace := &httptrace.ClientTrace{
		WroteRequest: func(i httptrace.WroteRequestInfo) {
			if i.Err == nil {
				wrote.Store(true)
			}
		},
		// Over HTTP/2, RoundTrip returns when ctx ends (or the client's Timeout fires) without
		// waiting for the goroutine writing the request: the whole request may have left while
		// WroteRequest has not been reported yet. That goroutine writes the body only after
		// reporting WroteHeaders, so over HTTP/2 the request counts as sent from then on.
		GotConn: func(i httptrace.GotConnInfo) {
			tc, ok := i.Conn.(interface{ ConnectionState() tls.ConnectionState })
			if ok && tc.ConnectionState().NegotiatedProtocol == "h2" || !ok && h2c {
				h2.Store(true) // TLS with h2 negotiated, or a clear connection that may be h2c
			}
		},
		WroteHeaders: func() {
			if h2.Load() {
				h2Headers.Store(true)
			}
		},
	}
	var probe *sentProbe // a transport that does not trace: watch its body instead (see sentProbe)
	if !traced {
		probe = new(sentProbe)
		ctx = context.WithValue(ctx, probeKey{}, probe)
	}
	resp, err := c.http.R().
		SetContext(httptrace.WithClientTrace(ctx, trace)).
		SetHeader("Content-Type", "application/x-www-form-urlencoded;charset="+c.cfg.Encoding).
		SetBody(body).
		Post(url)
	if resp != nil && resp.RawResponse != nil {
		defer resp.RawResponse.Body.Close()
	}
	if err != nil {
		return "", wrote.Load() || h2Headers.Load() || probe != nil && probe.seal(), err
	}
	raw := resp.RawResponse
	if raw.StatusCode != http.StatusOK {
		// Drain a short error page (a proxy's 502/503), so that net/http can reuse the
		// connection: closed unread, it is dropped, and the next call pays a TLS handshake. A
		// page that stalls is not waited for (ctx may have no deadline): the connection is
		// dropped instead, as it was before the drain.
		var page []byte
		if raw.ContentLength <= maxDrain { // -1: unknown
			stop := time.AfterFunc(maxDrainWait, cancel)
			page, err = io.ReadAll(io.LimitReader(raw.Body, maxDrain+1))
			stop.Stop()
			if err != nil || len(page) > maxDrain {
				page = nil // cut or stalled: a part of a page could mislead
			}
		}
		se := &StatusError{StatusCode: raw.StatusCode}
		if raw.StatusCode/100 == 3 { // not followed (see newResty): say where it pointed
			loc := raw.Header.Get("Location")
			se.Location = loc[:min(len(loc), maxLocation)]
		} else {
			se.Page = pageText(page)
		}
		return "", true, se
	}
	if raw.ContentLength > c.cfg.MaxResponseBytes {
		// Announced over the limit (net/http holds the body to its Content-Length): refused
		// now, not after waiting for, and holding, MaxResponseBytes of it.
		return "", true, &tooLargeError{limit: c.cfg.MaxResponseBytes}
	}
	data, err = readString(io.LimitReader(raw.Body, overLimit(c.cfg.MaxResponseBytes)), raw.ContentLength)
	if err != nil {
		return "", true, fmt.Errorf("reading answer: %w", err)
	}
	if int64(len(data)) > c.cfg.MaxResponseBytes {
		return "", true, &tooLargeError{limit: c.cfg.MaxResponseBytes}
	}
	return data, true, nil
}

// readString reads r to its end as a string, the answer's text, which the fields parse returns
// are substrings of: a settlement file's answer is megabytes, read with as few copies as can be.
// With its length announced (size, a Content-Length, not over the limit r has) and at most
// maxPrealloc, into a buffer of that size that becomes the string; else into blocks of growing
// size (not one buffer grown, which would be allocated over and over), copied once into a string
// of their total.
func readString(r io.Reader, size int64) (string, error) {
	var b strings.Builder
	if size > 0 && size <= maxPrealloc {
		b.Grow(int(size))
		_, err := io.Copy(&b, r) // past size (a transport not holding the body to it), b grows
		return b.String(), err
	}
	var blocks [][]byte
	block, total := make([]byte, 0, 512), 0
	for {
		if len(block) == cap(block) {
			blocks = append(blocks, block)
			block = make([]byte, 0, min(2*cap(block), maxReadBlock))
		}
		n, err := r.Read(block[len(block):cap(block)])
		block, total = block[:len(block)+n], total+n
		if err == io.EOF {
			break
		}
		if err != nil {
			return "", err
		}
	}
	b.Grow(total)
	for _, x := range append(blocks, block) {
		b.Write(x)
	}
	return b.String(), nil
}

// maxReadBlock bounds readString's blocks, and so what the last one may leave unused.
const maxReadBlock = 1 << 20

// maxPrealloc bounds what readString allocates on the word of a Content-Length, before the bytes
// it announces have come: the header is not signed, and with Config.MaxResponseBytes raised (to
// math.MaxInt64, no limit) a header alone would make the client allocate what it claims (for
// math.MaxInt64, a panic). A longer answer is read in blocks as it comes, at the cost of one copy.
const maxPrealloc = 64 << 20

// maxLocation bounds how much of a redirect's Location a StatusError keeps.
const maxLocation = 200

// ErrResponseTooLarge matches the error of a call whose answer was longer than
// Config.MaxResponseBytes (announced in its Content-Length, or read): the call's outcome is not
// known (a money-moving call's error matches [ErrPending] too). For [Client.DownloadFile] it is
// the day's file that is larger (its answer holds the zip in base64, 4/3 of its size): the same
// request is answered the same way until MaxResponseBytes is raised.
var ErrResponseTooLarge = errors.New("unionpay: answer longer than MaxResponseBytes")

// tooLargeError is post's error for an answer over Config.MaxResponseBytes (limit), matching
// [ErrResponseTooLarge]: its text has no "unionpay: " of its own, which the call's error says
// once, before the call's name.
type tooLargeError struct{ limit int64 }

func (e *tooLargeError) Error() string {
	return fmt.Sprintf("answer longer than MaxResponseBytes (%d)", e.limit)
}

func (e *tooLargeError) Is(target error) bool { return target == ErrResponseTooLarge }

// maxDrain is how much of an error status's body post reads and discards so that the
// connection can be reused; a longer body is left, and the connection closed.
const maxDrain = 64 << 10

// maxDrainWait bounds how long post waits for that body.
const maxDrainWait = 500 * time.Millisecond

// parse decodes the answer from the message charset and parses it with UnionPay's raw rule.
// A body that opens with '<' is a page (a proxy's "blocked by policy", a load balancer's error
// page answered 200), never UnionPay's key=value answer: it is reported as unreadable, not sent
// to verification, whose "no signature field" would point at the certificates or a forgery.
func (c *Client) parse(data string) (sign.Fields, error) {
	if t := strings.TrimLeft(data, " \t\r\n\ufeff"); len(t) > 0 && t[0] == '<' {
		return nil, fmt.Errorf("answer is not a UnionPay message (it opens %q: a proxy's or load balancer's page?)",
			t[:min(len(t), 40)])
	}
	// A UTF-8 answer, or a GBK one in ASCII, is its own text (not copied: a settlement file's
	// answer is megabytes); a GBK one is converted where it is not ASCII, into one buffer.
	body := data
	if c.gbk() && !ascii.Is(data) {
		var ok bool
		if body, ok = javagbk.DecodeString(data); !ok {
			// Not GBK: sign.DecodeBody, whose rule DecodeString follows (as its tests check),
			// refuses it too and says why.
			var err error
			if body, err = sign.DecodeBody([]byte(data), c.cfg.Encoding); err != nil {
				return nil, fmt.Errorf("unreadable answer: %w", err)
			}
		}
	}
	f, err := sign.ParseRaw(body)
	if err != nil {
		return nil, fmt.Errorf("unreadable answer: %w", err)
	}
	if len(f) == 0 {
		return nil, errors.New("empty answer")
	}
	return f, nil
}

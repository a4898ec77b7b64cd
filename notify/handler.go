package notify

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"math"
	"net/http"
	"net/textproto"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/goacp/unionpay/cert"
	"github.com/goacp/unionpay/sign"
)

// DefaultMaxBytes is the body limit used when Handler.MaxBytes (or the
// maxBytes argument of ReadRequest) is zero or negative: 64 KiB, ample for a
// notification (a few KiB, most of it signPubKeyCert).
const DefaultMaxBytes = 64 << 10

// ErrTooLarge reports a request body over the configured limit. The handler
// answers it with 413.
var ErrTooLarge = errors.New("notify: request body too large")

// ErrMethodNotAllowed reports a request that is not a POST. The handler
// answers it with 405 and an Allow: POST header.
var ErrMethodNotAllowed = errors.New("notify: method not allowed, notifications are POSTed")

// ErrContentEncoding reports a request body with a Content-Encoding (gzip,
// ...): UnionPay sends the form as it is, so a proxy or load balancer in
// front re-encoded it. The handler answers it with 415, before reading it.
var ErrContentEncoding = errors.New("notify: request body has a Content-Encoding; UnionPay sends none: a proxy in front re-encodes it")

// Handler is the http.Handler for UnionPay's back notifications (backUrl).
// It verifies each notification and hands it to OnNotify, and answers so
// that UnionPay sends the notification again until OnNotify has accepted it:
//
//   - 200 "ok" only when OnNotify returned nil;
//   - 500 when OnNotify returned an error (UnionPay resends, up to five
//     sends in all, minutes apart), or the Handler is not configured;
//   - 400 when the message does not verify or is malformed (nothing is
//     passed to OnNotify);
//   - 405 for any method but POST (a load balancer's GET or HEAD health
//     check too: point health checks at another path), 413 for a body over
//     MaxBytes, 415 for a body with a Content-Encoding (a proxy's gzip).
//
// The Handler does not bound how long a body takes to arrive: set
// http.Server.ReadTimeout (UnionPay waits 10 seconds for the answer, so
// 10 to 15 seconds is ample) or a slow client holds a goroutine and its
// buffer for as long as it keeps the connection open.
//
// Only the form fields of the body are read: a query string in the URL
// (UnionPay keeps any that the merchant put in backUrl) is ignored, so it can
// neither break the signature nor smuggle in a field. Behind a middleware
// that has called r.ParseForm or r.FormValue (a method override, a CSRF
// check), which reads the body into r.PostForm, the fields are read from
// r.PostForm (the body's only, never r.Form), as VerifyValues reads them; the
// body was then read by ParseForm, so only a Content-Length or decoded fields
// over MaxBytes are refused (413): a body without Content-Length was read
// whole, up to net/http's 10 MB, before the Handler ran (wrap r.Body in
// http.MaxBytesReader in front of such a middleware; the Handler answers 413
// naming its limit), and a pair net/url could not decode (a bad %-escape, a
// ';') was dropped from PostForm, where a body read here is refused as
// malformed: the fields left must verify all the same. A middleware that
// reads the body otherwise must put it back. One that decompresses the body
// (swapping r.Body for a gzip reader and dropping Content-Encoding) must also
// fix or drop Content-Length, or the longer body is refused as "more than
// Content-Length".
//
// OnNotify receives the request's context, and must be idempotent: the same
// notification arrives more than once, and may race a status query (see the
// package documentation). That context is cancelled when UnionPay hangs up,
// about 10 seconds after sending, so OnNotify should finish well within that;
// a store commit that must not be cut short midway can run under
// context.WithoutCancel(ctx) with its own timeout (context.WithTimeout): the
// answer may then come too late, UnionPay sends the notification again, and
// the idempotent store applies it once. A Handler's fields must not be
// modified once it serves requests, nor the Handler copied; it is safe for
// concurrent use if OnNotify is.
//
// A function platform that hands over the request's body rather than an
// *http.Request (an API gateway's event) calls ServeBody, which answers and
// logs as ServeHTTP does.
type Handler struct {
	// Verifier is the merchant's message verifier, shared with the client:
	// it holds the trusted UnionPay root and middle certificates and the
	// accepted signature methods. Required.
	Verifier *cert.Verifier

	// OnNotify processes a verified notification. Returning nil makes the
	// Handler answer 200, which tells UnionPay to stop sending it; returning
	// an error makes it answer 500. Required.
	//
	// Verified means UnionPay signed it, not that it is about the order
	// looked up: a genuine notification of another transaction type (a
	// refund's), of another amount or currency, or a synchronous answer
	// posted here, verifies too. Look the order up by n.Key(), call n.Check
	// with what was stored (Expected), and act on n.Status(), never on
	// respCode alone, before marking anything paid.
	//
	// For an order the merchant's store does not know: when orders are
	// stored before their forms or requests are signed (as they should be),
	// it is not one of this system's (another system sharing the merId, or
	// a deleted test order), so log it and return nil; return an error only
	// where an order may not be committed yet when its notification comes,
	// so that UnionPay sends it again later (up to five times).
	OnNotify func(ctx context.Context, n *Notification) error

	// MaxBytes bounds the request body; zero or negative means
	// DefaultMaxBytes.
	MaxBytes int64

	// Logger receives one record per request: rejected messages at Warn
	// (but for a method other than POST, such as a health check, at Debug),
	// OnNotify failures at Error, accepted notifications at Info. Each
	// record names the connection's peer ("remote", a load balancer's
	// address behind one) and, when the request has one, its
	// X-Forwarded-For ("forwardedFor", unverified, made printable as the
	// claimed values are, and cut to its last 100 bytes: the entries the
	// merchant's own proxies appended, not the sender's claims). Records
	// hold the notification's identity and outcome (Notification.LogValue,
	// the group "notification", whose "status" is the notification's
	// status word), never its card number, signature or certificate; the
	// error OnNotify returns is logged as it is. A rejected message's record
	// holds "httpStatus", the HTTP status code it was answered, and, in a
	// group "claimed", the merId, orderId, txnTime, txnType and queryId
	// it claims (unverified: anyone can send anything; each cut to 40 bytes,
	// any byte not printable ASCII shown as '?'), so that the orders whose
	// notifications a misconfigured Verifier refuses can be found and
	// queried. Every record but an accepted notification's has a key
	// "reason", the stable word [Reason] gives for the error (ReasonOnNotify
	// for an OnNotify failure), to count rejections by. An accepted
	// notification's record and an OnNotify failure's also hold
	// "duration", the time from the request's arrival at ServeHTTP (or
	// ServeBody) to OnNotify's return (reading and verifying the body
	// included), and "onNotifyDuration", OnNotify's own, as slog.Duration
	// values (the JSON handler writes nanoseconds, the text handler 1.5s):
	// UnionPay waits 10 seconds for the answer and sends the notification
	// again after that, so alert on them before they near it. The keys are
	// those of the SDK's other log records (lowerCamel; UnionPay's field
	// names, such as orderId, for its fields). Nil discards them.
	//
	// Alert on those counts, not on every rejection: scanners and forgers
	// send junk every day, while a rise of "certificate" or "unknown_cert"
	// with claims of your own orders is a Verifier out of date (UnionPay's
	// root or middle switched without NextRoot and NextMiddle, a wrong
	// clock): every genuine notification is refused then, UnionPay gives up
	// after its last resend, and those orders are known only by query.
	//
	// The record is logged after the answer is written and flushed (with
	// its Content-Length), with the request's context values but not its
	// cancellation: a slow log pipeline does not delay the answer, and the
	// record is logged even once UnionPay has hung up (ServeBody, which
	// cannot answer before it returns, logs the record first). What
	// OnNotify logs itself still comes before it. A panic in the Logger
	// (its handler's, or a LogValue's) is recovered and dropped: UnionPay
	// gets the answer the notification earned, "ok" once OnNotify has
	// processed it, whatever the log pipeline does.
	Logger *slog.Logger

	// bufs holds read buffers, reused across requests: a Notification
	// does not refer to the body it was decoded from.
	bufs sync.Pool // *[]byte
}

// Check reports whether h can serve notifications: nil, or an error naming what is missing
// (matching [ErrNoVerifier] for a nil Verifier or one not made by cert.NewVerifier, or
// [ErrNoOnNotify]; a nil *Handler matches both). Call it once at start-up: while it fails,
// ServeHTTP (and ServeBody) answers every notification 500 (UnionPay sends it again), and logs
// why only if Logger is set.
func (h *Handler) Check() error {
	if h == nil {
		return fmt.Errorf("notify: nil *Handler: %w; %w", ErrNoVerifier, ErrNoOnNotify)
	}
	if err := usable(h.Verifier); err != nil {
		return err
	}
	if h.OnNotify == nil {
		return ErrNoOnNotify
	}
	return nil
}

// ErrNoOnNotify is [Handler.Check]'s error for a Handler without OnNotify.
var ErrNoOnNotify = errors.New("notify: Handler.OnNotify is nil: nothing would process verified notifications")

// ServeHTTP implements http.Handler.
func (h *Handler) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	h.serve(r.Context(), w, r, nil)
}

// ServeBody serves a notification handed over as its body rather than as an *http.Request, as a
// function platform hands it over (an API gateway's or a function URL's event on AWS Lambda, an
// event of Cloud Functions or Function Compute): body is the form, already decoded from base64
// if the event says it is (isBase64Encoded: a body still base64 is refused as malformed, saying
// so); header is the request's headers, their names in any case (an API gateway's are lower
// case), or nil; remote is the sender's address (the event's source IP), logged as "remote".
//
// It shares ServeHTTP's code: it verifies the body under the same limits (413 for a body over
// MaxBytes, 415 for one with a Content-Encoding), hands it to OnNotify, logs the same record and
// returns the status code ServeHTTP would answer and its text ("ok" with 200, else the status's
// text), for the function to answer as text/plain; charset=utf-8. The body is taken as POSTed:
// route only POST to the function (a GET has no body, and is refused as malformed, 400). body is
// neither modified nor kept.
//
// OnNotify receives ctx, whose deadline is the function's. Unlike ServeHTTP, ServeBody logs the
// record before the answer is sent, as it returns. A panic of OnNotify is not recovered, as in
// ServeHTTP: nothing is answered or logged, the platform reports the invocation failed (an API
// gateway answers 502), and UnionPay sends the notification again.
func (h *Handler) ServeBody(ctx context.Context, body []byte, header http.Header, remote string) (status int, answer string) {
	status = h.serve(ctx, nil, nil, &held{body: body, header: canonicalHeader(header), remote: remote})
	return status, answerText(status)
}

// held is a notification handed over as its body (ServeBody), with the headers (their keys
// canonical) and the peer it came with.
type held struct {
	body   []byte
	header http.Header
	remote string
}

// serve is ServeHTTP and ServeBody: it verifies the notification of r (w's request) or of b,
// the other being nil, hands it to OnNotify, answers it (to w, if not nil), then logs the
// outcome. It returns the status code answered.
func (h *Handler) serve(ctx context.Context, w http.ResponseWriter, r *http.Request, b *held) int {
	start := time.Now()
	var header http.Header
	var remote string
	if b != nil {
		header, remote = b.header, b.remote
	} else {
		header, remote = r.Header, r.RemoteAddr
	}
	if err := h.Check(); err != nil {
		// A Verifier not made by cert.NewVerifier refuses everything: that is the merchant's
		// configuration, not a forgery, and UnionPay must send again once it is fixed.
		respond(w, http.StatusInternalServerError)
		h.log(ctx, header, remote, slog.LevelError, "notify: handler not configured (OnNotify and a Verifier made by cert.NewVerifier are required)",
			slog.String("reason", "not_configured"), slog.Any("err", err))
		return http.StatusInternalServerError
	}
	var claim slog.Attr // what a rejected body says it is, read only if it is logged
	var onReject func([]byte)
	if h.enabled(ctx, slog.LevelWarn) {
		onReject = func(body []byte) { claim = claimed(body) }
	}
	var n *Notification
	var err error
	if b != nil {
		n, err = readHeld(h.Verifier, b.body, header, h.MaxBytes, &h.bufs, onReject)
	} else {
		n, err = readRequest(w, r, h.Verifier, h.MaxBytes, &h.bufs, onReject)
	}
	if err != nil {
		code := HTTPStatus(err)
		attrs := []slog.Attr{slog.Int("httpStatus", code), slog.String("reason", Reason(err)), slog.Any("err", err)}
		if claim.Key != "" {
			attrs = append(attrs, claim)
		}
		level := slog.LevelWarn
		if code == http.StatusMethodNotAllowed {
			level = slog.LevelDebug // a health check or a crawler: never a notification
		}
		respond(w, code)
		h.log(ctx, header, remote, level, "notify: notification rejected", attrs...)
		return code
	}
	called := time.Now()
	err = h.OnNotify(ctx, n)
	end := time.Now()
	duration := slog.Duration("duration", end.Sub(start))
	onNotify := slog.Duration("onNotifyDuration", end.Sub(called))
	if err != nil {
		respond(w, http.StatusInternalServerError)
		h.log(ctx, header, remote, slog.LevelError, "notify: OnNotify failed; UnionPay will resend",
			slog.String("reason", ReasonOnNotify), slog.Any("notification", n), slog.Any("err", err), duration, onNotify)
		return http.StatusInternalServerError
	}
	respond(w, http.StatusOK)
	h.log(ctx, header, remote, slog.LevelInfo, "notify: notification accepted", slog.Any("notification", n), duration, onNotify)
	return http.StatusOK
}

// respond writes the answer code to w (with Allow: POST for 405), unless w is nil (ServeBody,
// which returns it).
func respond(w http.ResponseWriter, code int) {
	if w == nil {
		return
	}
	if code == http.StatusMethodNotAllowed {
		w.Header().Set("Allow", http.MethodPost)
	}
	answer(w, code)
}

// answer writes the Handler's answer, code with answerText(code), with its Content-Length, and
// flushes it, so that the sender has the whole answer before any record is logged: UnionPay
// waits about 10 seconds for it, and a slow log pipeline must not make it send the notification
// again. A ResponseWriter that cannot flush (a middleware's that neither flushes nor unwraps)
// sends it when ServeHTTP returns.
func answer(w http.ResponseWriter, code int) {
	body := answerText(code)
	if code != http.StatusOK {
		w.Header().Set("X-Content-Type-Options", "nosniff")
	}
	w.Header().Set("Content-Type", "text/plain; charset=utf-8")
	w.Header().Set("Content-Length", strconv.Itoa(len(body)))
	w.WriteHeader(code)
	_, _ = io.WriteString(w, body)
	if f, ok := w.(http.Flusher); ok { // net/http's own, without ResponseController's allocations
		f.Flush()
		return
	}
	_ = http.NewResponseController(w).Flush() // a middleware's, through its Unwrap
}

// answerText is the text the Handler answers with code: "ok" for 200, the status's text (as
// http.Error writes it) for any other.
func answerText(code int) string {
	if code == http.StatusOK {
		return "ok"
	}
	return http.StatusText(code) + "\n"
}

// canonicalHeader returns header with its keys in canonical form (Content-Encoding, as net/http
// makes them, and as http.Header's methods look them up): header itself when they are, else a
// copy. A function platform's headers are often lower case.
func canonicalHeader(header http.Header) http.Header {
	for k := range header {
		if textproto.CanonicalMIMEHeaderKey(k) != k {
			c := make(http.Header, len(header))
			for k, vs := range header {
				ck := textproto.CanonicalMIMEHeaderKey(k)
				c[ck] = append(c[ck], vs...)
			}
			return c
		}
	}
	return header
}

// enabled reports whether a Logger is set and enabled for level; false if it panics.
func (h *Handler) enabled(ctx context.Context, level slog.Level) (ok bool) {
	defer func() {
		if recover() != nil {
			ok = false
		}
	}()
	return h != nil && h.Logger != nil && h.Logger.Enabled(ctx, level)
}

// log writes one record about a request (its header and its peer's address, remote) if a
// Logger is set and enabled for level. It is called once the answer is given (see answer), with
// ctx without its cancellation: the sender may have hung up by then, and the record must be
// written all the same. A panic of the Logger's is dropped.
func (h *Handler) log(ctx context.Context, header http.Header, remote string, level slog.Level, msg string, attrs ...slog.Attr) {
	if h == nil || h.Logger == nil {
		return
	}
	ctx = context.WithoutCancel(ctx)
	if !h.enabled(ctx, level) {
		return
	}
	defer func() { _ = recover() }()
	attrs = append(attrs, slog.String("remote", remote))
	if xff := header.Values("X-Forwarded-For"); len(xff) > 0 {
		attrs = append(attrs, slog.String("forwardedFor", printableTail(strings.Join(xff, ", "), maxForwarded)))
	}
	h.Logger.LogAttrs(ctx, level, msg, attrs...)
}

// ReadRequest reads a notification from r and verifies it with v, under the
// same rules as Handler. These are: POST only, no Content-Encoding, no more than
// maxBytes of the body read (zero or negative means DefaultMaxBytes; a
// larger Content-Length is refused before reading), and only the body's form fields verified, never
// the URL's query string (from r.PostForm when a middleware has called
// r.ParseForm, as Handler does).
//
// Use it where the answer is not Handler's, such as the frontUrl page the
// shopper's browser is sent back to. A browser return is verified exactly
// like a back notification, but it is NOT proof of payment: it arrives only
// if the shopper clicks back (or not at all), and it can be replayed by the
// shopper. Show "payment being confirmed", and rely on the back notification
// or a status query to ship. Whether it verifies or not, answer the browser
// with a 303 redirect to the order's own page, which shows the stored state
// (the example shows why), and log what does not verify.
//
// w may be nil; when it is not, an oversized body without a Content-Length
// (read through http.MaxBytesReader) also makes the server close the
// connection. HTTPStatus maps the errors to HTTP status codes.
func ReadRequest(w http.ResponseWriter, r *http.Request, v *cert.Verifier, maxBytes int64) (*Notification, error) {
	return readRequest(w, r, v, maxBytes, nil, nil)
}

// readRequest is ReadRequest, reading into a buffer from bufs if not nil.
// onReject, if not nil, is given the body, as it was read, of a message that
// is then refused (parsing decodes the body in place: it is given a copy).
func readRequest(w http.ResponseWriter, r *http.Request, v *cert.Verifier, maxBytes int64, bufs *sync.Pool,
	onReject func([]byte)) (*Notification, error) {
	if r.Method != http.MethodPost {
		return nil, ErrMethodNotAllowed
	}
	if err := usable(v); err != nil {
		return nil, err // before the body is read: any would be refused
	}
	if err := contentEncoding(r.Header); err != nil {
		return nil, err
	}
	if len(r.PostForm) > 0 {
		return verifyPostForm(r, v, maxBytes, onReject)
	}
	buf := getBuffer(bufs)
	defer putBuffer(bufs, buf)
	body, err := readBody(w, r, maxBytes, buf)
	if err != nil {
		return nil, err
	}
	return parseKept(v, body, true, bufs, onReject)
}

// readHeld is readRequest for a body handed over (Handler.ServeBody), with its header: under the
// same rules, but for the method (taken as POST) and the reading, the body being in hand. body
// is not modified.
func readHeld(v *cert.Verifier, body []byte, header http.Header, maxBytes int64, bufs *sync.Pool,
	onReject func([]byte)) (*Notification, error) {
	if err := usable(v); err != nil {
		return nil, err
	}
	if err := contentEncoding(header); err != nil {
		return nil, err
	}
	if maxBytes <= 0 {
		maxBytes = DefaultMaxBytes
	}
	if int64(len(body)) > maxBytes {
		return nil, fmt.Errorf("%w: body of %d bytes, limit %d", ErrTooLarge, len(body), maxBytes)
	}
	return parseKept(v, body, false, bufs, onReject)
}

// contentEncoding returns an error matching ErrContentEncoding if header names a
// Content-Encoding other than identity.
func contentEncoding(header http.Header) error {
	for _, ce := range header.Values("Content-Encoding") {
		if ce = strings.TrimSpace(ce); ce != "" && !strings.EqualFold(ce, "identity") {
			return fmt.Errorf("%w (%s)", ErrContentEncoding, printable(ce, maxClaimed))
		}
	}
	return nil
}

// parseKept parses body, which it decodes in place only if mine is true and onReject nil: else
// it decodes a copy, in a buffer from bufs if not nil, and hands onReject, if not nil, body as
// it was of a message that is then refused. The Notification does not refer to body.
func parseKept(v *cert.Verifier, body []byte, mine bool, bufs *sync.Pool, onReject func([]byte)) (*Notification, error) {
	if mine && onReject == nil {
		return parse(v, body)
	}
	saved := getBuffer(bufs)
	defer putBuffer(bufs, saved)
	if saved == nil {
		saved = new([]byte)
	}
	work := append((*saved)[:0], body...)
	*saved = work[:0]
	n, err := parse(v, work)
	if err != nil && onReject != nil {
		onReject(body)
	}
	return n, err
}

// verifyPostForm verifies r.PostForm: a middleware in front (a method override reading
// r.FormValue("_method"), a CSRF check) called r.ParseForm, which read the body into it, and
// the body holds nothing more. PostForm has the body's fields only (never the URL's query
// string), as received, so that VerifyValues checks them as Parse checks the body; a pair
// net/url could not decode is not in it, and so is not part of what is verified. A body over
// maxBytes, by its Content-Length or by the fields it decoded to (no more bytes than it had),
// is refused as readBody refuses it.
func verifyPostForm(r *http.Request, v *cert.Verifier, maxBytes int64, onReject func([]byte)) (*Notification, error) {
	if maxBytes <= 0 {
		maxBytes = DefaultMaxBytes
	}
	if r.ContentLength > maxBytes {
		return nil, fmt.Errorf("%w: Content-Length %d, limit %d", ErrTooLarge, r.ContentLength, maxBytes)
	}
	size := int64(-1) // no '&' before the first pair
	for k, vals := range r.PostForm {
		for _, val := range vals {
			size += int64(len(k) + len(val) + 2) // '&', key, '=', value
		}
	}
	if size > maxBytes {
		return nil, fmt.Errorf("%w: form fields of %d bytes, limit %d", ErrTooLarge, size, maxBytes)
	}
	n, err := VerifyValues(v, r.PostForm)
	if err != nil && onReject != nil {
		onReject([]byte(r.PostForm.Encode()))
	}
	return n, err
}

// getBuffer returns a read buffer from bufs, or nil if bufs is nil.
func getBuffer(bufs *sync.Pool) *[]byte {
	if bufs == nil {
		return nil
	}
	buf, _ := bufs.Get().(*[]byte)
	if buf == nil {
		buf = new([]byte)
	}
	return buf
}

// putBuffer gives buf back to bufs, unless either is nil or buf has grown
// past maxPooledBuffer.
func putBuffer(bufs *sync.Pool, buf *[]byte) {
	if bufs != nil && buf != nil && cap(*buf) <= maxPooledBuffer {
		bufs.Put(buf)
	}
}

// maxPooledBuffer bounds the read buffers a Handler keeps for reuse, and
// is the most a body's buffer starts with.
const maxPooledBuffer = 16 << 10

// maxEmptyReads is how many reads in a row may return nothing (as bufio):
// a body that does so is stuck, and is answered as a bad body (400), with
// or without a Content-Length.
const maxEmptyReads = 100

// readBody reads r's body, at most maxBytes of it. With a Content-Length
// (UnionPay always sends one) the body is read straight into *buf (grown
// if need be) or, if buf is nil, a fresh buffer: one copy of the body,
// which cert.Verifier.VerifyForm then decodes where it lies. The buffer
// grows with the bytes that arrive, not with what Content-Length promises:
// a client that sends the headers of a large body and then nothing holds
// no more memory than what it sent.
func readBody(w http.ResponseWriter, r *http.Request, maxBytes int64, buf *[]byte) ([]byte, error) {
	if maxBytes <= 0 {
		maxBytes = DefaultMaxBytes
	}
	if r.ContentLength > maxBytes || r.ContentLength >= math.MaxInt {
		return nil, fmt.Errorf("%w: Content-Length %d, limit %d", ErrTooLarge, r.ContentLength, maxBytes)
	}
	if r.Body == nil {
		return nil, nil
	}
	if r.ContentLength <= 0 {
		b, err := io.ReadAll(&progressReader{r: http.MaxBytesReader(w, r.Body, maxBytes)})
		return b, readError(err, maxBytes)
	}
	// Content-Length is within the limit and no more than it is read (the
	// spare byte only detects a longer body), so no MaxBytesReader is needed.
	want := int(r.ContentLength)
	var b []byte
	if buf != nil && cap(*buf) > want {
		b = (*buf)[:0]
	} else {
		b = make([]byte, 0, min(want+1, maxPooledBuffer))
	}
	for empty := 0; len(b) <= want; {
		if len(b) == cap(b) {
			b = slices.Grow(b, min(len(b), want+1-len(b))) // doubles, up to want+1
		}
		n, err := r.Body.Read(b[len(b):min(cap(b), want+1)])
		b = b[:len(b)+n]
		if err == io.EOF {
			break
		}
		if err != nil {
			return nil, readError(err, maxBytes)
		}
		if n > 0 {
			empty = 0
		} else if empty++; empty == maxEmptyReads {
			return nil, readError(io.ErrNoProgress, maxBytes)
		}
	}
	if buf != nil {
		*buf = b // kept for the next request if small enough
	}
	switch {
	case len(b) == 0:
		// net/http's own body fails with io.ErrUnexpectedEOF when the sender goes away: one that
		// ends cleanly before its first byte was read before (a middleware in front, with
		// io.ReadAll or a form parser other than r.ParseForm), which is not the sender's fault.
		return nil, fmt.Errorf("%w: none of the Content-Length %d bytes left: read before the handler, by a middleware in front?: %w",
			errReading, want, io.ErrUnexpectedEOF)
	case len(b) < want:
		return nil, readError(io.ErrUnexpectedEOF, maxBytes) // Content-Length promised bytes
	case len(b) > want:
		return nil, fmt.Errorf("notify: reading body: more than Content-Length %d bytes: %w", r.ContentLength, sign.ErrMalformed)
	}
	return b[:want:want], nil
}

// progressReader fails with io.ErrNoProgress once r has returned no data
// and no error maxEmptyReads times in a row, where io.ReadAll would call it
// forever: net/http's own bodies never do that, but a caller's r.Body (a
// middleware, a queue adapter) might.
type progressReader struct {
	r     io.Reader
	empty int
}

// Read reads from the body, counting the reads in a row that return nothing.
func (p *progressReader) Read(b []byte) (int, error) {
	n, err := p.r.Read(b)
	if n > 0 || err != nil || len(b) == 0 {
		p.empty = 0
	} else if p.empty++; p.empty == maxEmptyReads {
		return 0, io.ErrNoProgress
	}
	return n, err
}

// readError turns an error reading the body into ErrTooLarge when the limit
// was hit.
func readError(err error, maxBytes int64) error {
	if err == nil {
		return nil
	}
	if mbe, ok := errors.AsType[*http.MaxBytesError](err); ok {
		// The limit hit may be the application's own http.MaxBytesReader, set in front of
		// the handler below maxBytes: name the one that refused the body.
		return fmt.Errorf("%w: limit %d", ErrTooLarge, mbe.Limit)
	}
	return fmt.Errorf("%w: %w", errReading, err)
}

// errReading is matched by the error of a body that could not be read (see Reason).
var errReading = errors.New("notify: reading body")

// ReasonOnNotify is the reason Handler logs for an error OnNotify returned.
const ReasonOnNotify = "on_notify"

// Reason returns a stable word for an error of ReadRequest, Parse, Verify
// or VerifyValues, for metrics and logs (Handler logs it as "reason"):
// "not_configured" (ErrNoVerifier), "http_method" (ErrMethodNotAllowed),
// "too_large" (ErrTooLarge), "content_encoding" (ErrContentEncoding),
// "certificate" (a *cert.InvalidError: UnionPay's signing certificate
// expired, not UnionPay's, not issued by the configured chain...),
// "unknown_cert" (cert.ErrNoCertificate), "signature" (sign.ErrSignature:
// a forgery, or a message altered on the way; a message without its
// signature field too, which also matches cert.ErrMissingField), "method"
// (cert.ErrMethod: a signMethod or version the Verifier does not accept),
// "missing_field" (cert.ErrMissingField), "field" (a *FieldError), "malformed"
// (sign.ErrMalformed), "read" (the body could not be read: the sender went
// away), "" for nil, and "other" for anything else.
func Reason(err error) string {
	var ie *cert.InvalidError
	var fe *FieldError
	switch {
	case err == nil:
		return ""
	case errors.Is(err, ErrNoVerifier): // before ErrMethod, which it matches too
		return "not_configured"
	case errors.Is(err, ErrMethodNotAllowed):
		return "http_method"
	case errors.Is(err, ErrTooLarge):
		return "too_large"
	case errors.Is(err, ErrContentEncoding):
		return "content_encoding"
	case errors.As(err, &ie):
		return "certificate"
	case errors.Is(err, cert.ErrNoCertificate):
		return "unknown_cert"
	case errors.Is(err, sign.ErrSignature):
		return "signature"
	case errors.Is(err, cert.ErrMethod):
		return "method"
	case errors.Is(err, cert.ErrMissingField):
		return "missing_field"
	case errors.As(err, &fe):
		return "field"
	case errors.Is(err, sign.ErrMalformed):
		return "malformed"
	case errors.Is(err, errReading):
		return "read"
	default:
		return "other"
	}
}

// HTTPStatus returns the status code Handler answers for an error from
// ReadRequest or Parse: 405 for ErrMethodNotAllowed, 413 for ErrTooLarge,
// 415 for ErrContentEncoding, 500 for a missing or unusable Verifier (nil, or not made by
// cert.NewVerifier: the merchant's configuration, as Handler answers it),
// and 400 for everything else (a message that is malformed or does not
// verify).
func HTTPStatus(err error) int {
	switch {
	case err == nil:
		return http.StatusOK
	case errors.Is(err, ErrMethodNotAllowed):
		return http.StatusMethodNotAllowed
	case errors.Is(err, ErrTooLarge):
		return http.StatusRequestEntityTooLarge
	case errors.Is(err, ErrContentEncoding):
		return http.StatusUnsupportedMediaType
	case errors.Is(err, ErrNoVerifier):
		return http.StatusInternalServerError
	default:
		return http.StatusBadRequest
	}
}

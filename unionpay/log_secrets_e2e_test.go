package unionpay_test

import (
	"bytes"
	"context"
	"crypto/x509"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/url"
	"regexp"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/goacp/unionpay/cert"
	"github.com/goacp/unionpay/internal/leaktest"
	"github.com/goacp/unionpay/internal/logtest"
	"github.com/goacp/unionpay/notify"
	"github.com/goacp/unionpay/sign"
	"github.com/goacp/unionpay/unionpay"
	"github.com/goacp/unionpay/unionpay/unionpaytest"
)

// capturedRecord is one record a captureLog kept: its level, its message, and every way it was
// shown (slog's JSON and text handlers, and each attribute resolved, at any group depth, by fmt
// and encoding/json).
type capturedRecord struct {
	level slog.Level
	msg   string
	out   string
}

// captureLog is a slog.Handler enabled at every level that keeps every record, with the
// attributes and groups of WithAttrs and WithGroup: what a log pipeline would receive.
type captureLog struct {
	mu   *sync.Mutex
	recs *[]capturedRecord
	ops  []func(slog.Handler) slog.Handler // the WithAttrs and WithGroup calls, in order
	pre  []slog.Attr                       // the attributes of WithAttrs, for the walk
}

func newCaptureLog() *captureLog {
	return &captureLog{mu: &sync.Mutex{}, recs: new([]capturedRecord)}
}

func (h *captureLog) Enabled(context.Context, slog.Level) bool { return true }

func (h *captureLog) WithAttrs(as []slog.Attr) slog.Handler {
	c := *h
	c.ops = append(append([]func(slog.Handler) slog.Handler(nil), h.ops...), func(x slog.Handler) slog.Handler { return x.WithAttrs(as) })
	c.pre = append(append([]slog.Attr(nil), h.pre...), as...)
	return &c
}

func (h *captureLog) WithGroup(name string) slog.Handler {
	c := *h
	c.ops = append(append([]func(slog.Handler) slog.Handler(nil), h.ops...), func(x slog.Handler) slog.Handler { return x.WithGroup(name) })
	return &c
}

func (h *captureLog) Handle(ctx context.Context, r slog.Record) error {
	var b strings.Builder
	b.WriteString(r.Message + "\n")
	for _, mk := range []func(io.Writer) slog.Handler{
		func(w io.Writer) slog.Handler { return slog.NewJSONHandler(w, logtest.Untimed()) },
		func(w io.Writer) slog.Handler { return slog.NewTextHandler(w, logtest.Untimed()) },
	} {
		var buf bytes.Buffer
		x := mk(&buf)
		for _, op := range h.ops {
			x = op(x)
		}
		if err := x.Handle(ctx, r.Clone()); err != nil {
			return err
		}
		b.Write(buf.Bytes())
	}
	walk := func(a slog.Attr) bool { walkAttr(&b, "", a); return true }
	for _, a := range h.pre {
		walk(a)
	}
	r.Attrs(walk)
	h.mu.Lock()
	defer h.mu.Unlock()
	*h.recs = append(*h.recs, capturedRecord{r.Level, r.Message, b.String()})
	return nil
}

// walkAttr writes a, its LogValuers resolved and its groups opened at any depth, each leaf as
// fmt's %+v and encoding/json show it.
func walkAttr(b *strings.Builder, prefix string, a slog.Attr) {
	v := a.Value.Resolve()
	if v.Kind() == slog.KindGroup {
		for _, g := range v.Group() {
			walkAttr(b, prefix+a.Key+".", g)
		}
		return
	}
	js, _ := json.Marshal(v.Any())
	fmt.Fprintf(b, "%s%s=%+v json=%s\n", prefix, a.Key, v.Any(), js)
}

func (h *captureLog) records() []capturedRecord {
	h.mu.Lock()
	defer h.mu.Unlock()
	return append([]capturedRecord(nil), *h.recs...)
}

// bodyRecorder is a transport that keeps the form of each request it passes on.
type bodyRecorder struct {
	next http.RoundTripper
	mu   sync.Mutex
	sent []url.Values
}

func (t *bodyRecorder) RoundTrip(req *http.Request) (*http.Response, error) {
	body, err := io.ReadAll(req.Body)
	if err != nil {
		return nil, err
	}
	if f, err := url.ParseQuery(string(body)); err == nil {
		t.mu.Lock()
		t.sent = append(t.sent, f)
		t.mu.Unlock()
	}
	req.Body = io.NopCloser(bytes.NewReader(body))
	return t.next.RoundTrip(req)
}

// shortDigits matches a secret of few digits, which a duration's or a size's digits could
// hold by chance: it is looked for as a number of its own.
var shortDigits = regexp.MustCompile(`^[0-9]{1,10}$`)

// logShows reports whether out shows secret, and how.
func logShows(out, secret string) (bool, string) {
	if shortDigits.MatchString(secret) {
		if regexp.MustCompile(`(^|[^0-9])` + secret + `([^0-9]|$)`).MatchString(out) {
			return true, "clear"
		}
		return false, ""
	}
	return leaktest.Shows(out, secret)
}

// TestLogsHoldNoSecretsEndToEnd drives the client against the fake gateway as a merchant's
// service logs it, at Debug, everything captured (message, attributes, nested groups, LogValuer
// output, through slog's JSON and text handlers): the configuration at start-up, a consume with a
// card number, CVN2, expiry, SMS code, PIN and the customer's phone, ID number and name, signed
// with a PFX loaded with its password; a query, a refund, each call's CallEnd logged by LogCalls,
// each request, result and error; a notification carrying a clear accNo and customerInfo through
// notify.Handler, with its Logger, and a forged copy of it; and the SDK's own records to slog's
// default logger. No record shows a secret: not the card data, not the encrypted accNo or
// customerInfo as sent, not the PFX password or the private key. Levels: the forged
// notification is logged at Warn or above, the genuine one at Info. Not parallel: it sets slog's
// default logger.
func TestLogsHoldNoSecretsEndToEnd(t *testing.T) {
	capture := newCaptureLog()
	logger := slog.New(capture)
	old := slog.Default()
	slog.SetDefault(logger)
	t.Cleanup(func() { slog.SetDefault(old) })

	const pfxPassword = "Pfx-Pa55word-Do-Not-Log"
	srv := unionpaytest.NewServer(withSharedKeys(t), unionpaytest.WithClock(func() time.Time { return testNow }))
	t.Cleanup(srv.Close)
	pfxData, err := srv.MerchantPFX(pfxPassword)
	require.NoError(t, err)
	pfx, err := cert.LoadPFX(pfxData, pfxPassword)
	require.NoError(t, err)
	signer, err := pfx.Signer()
	require.NoError(t, err)
	decrypter, err := pfx.Decrypter()
	require.NoError(t, err)
	key := srv.MerchantKey()
	der, err := x509.MarshalPKCS8PrivateKey(key)
	require.NoError(t, err)

	var ends []unionpay.CallEnd
	cfg := srv.Config()
	cfg.Signer, cfg.Decrypter = signer, decrypter
	rec := &bodyRecorder{next: cfg.HTTPClient.Transport}
	if rec.next == nil {
		rec.next = http.DefaultTransport
	}
	hc := *cfg.HTTPClient
	hc.Transport = rec
	cfg.HTTPClient = &hc
	logCalls := unionpay.LogCalls(nil)                           // slog.Default(): logger
	cfg.OnCall = func(ctx context.Context, e unionpay.CallEnd) { // as the README has calls logged and counted
		ends = append(ends, e)
		logCalls(ctx, e)
	}
	logger.Debug("unionpay config", "config", cfg, "pfx", pfx, "signer", signer, "decrypter", decrypter)
	c, err := unionpay.NewClient(cfg)
	require.NoError(t, err)
	ctx := context.Background()

	// The merchant's notification endpoint, whose OnNotify logs each notification.
	verifier, err := srv.NotifyVerifier()
	require.NoError(t, err)
	var notified []*notify.Notification
	var mu sync.Mutex
	h := &notify.Handler{Verifier: verifier, Logger: logger.With("component", "notify"),
		OnNotify: func(ctx context.Context, n *notify.Notification) error {
			mu.Lock()
			notified = append(notified, n)
			mu.Unlock()
			logger.InfoContext(ctx, "order paid", "notification", n, "raw", n.Raw)
			return nil
		}}
	var serving atomic.Int32 // notify.Handler logs once its answer is sent: wait for it to return
	backend := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		serving.Add(1)
		defer serving.Add(-1)
		h.ServeHTTP(w, r)
	}))
	t.Cleanup(backend.Close)

	pay := logger.WithGroup("payment")
	req := &unionpay.CardRequest{OrderID: "LOGSECRETS20240105", Amount: 1000, BackURL: backend.URL + "/notify",
		AccNo: aPAN, Customer: &unionpay.Customer{IDType: "01", IDNumber: aID, Name: aName, Phone: aPhone,
			SMSCode: aSMS, PIN: aPIN, CVN2: aCVN2, Expiry: aExpiry}}
	pay.Debug("consume", "req", req, "customer", req.Customer)
	res, err := c.BackConsume(ctx, req)
	require.NoError(t, err)
	pay.With("result", res).Info("consume accepted", "err", err)

	tx, err := c.Query(ctx, res.QueryRequest())
	require.NoError(t, err)
	pay.Info("query", "tx", tx, slog.Group("nested", slog.Any("tx", tx), slog.Any("raw", tx.Raw)))

	refund := &unionpay.FollowUpRequest{OrderID: "LOGSECRETSR20240105", OrigQueryID: res.QueryID, Amount: 500,
		BackURL: backend.URL + "/notify"}
	rres, err := c.Refund(ctx, refund)
	require.NoError(t, err)
	pay.Info("refund", "req", refund, "result", rres)

	// A refused consume: its error is logged as the caller gets it.
	bad := *req
	bad.OrderID, bad.AccNo = "LOGSECRETS20240106", aPAN+"x"
	_, err = c.BackConsume(ctx, &bad)
	require.Error(t, err)
	pay.Error("consume refused", "err", err, "req", &bad)

	require.NoError(t, srv.WaitNotifications(ctx))

	// A notification carrying a clear accNo and customerInfo, genuine and forged.
	f := sign.Fields{"version": "5.1.0", "encoding": "UTF-8", "txnType": "01", "txnSubType": "01", "bizType": "000301",
		"accessType": "0", "merId": srv.MerchantID(), "orderId": "LOGSECRETS20240107", "txnTime": "20240105103000",
		"txnAmt": "1000", "currencyCode": "156", "queryId": "123456789012345678901", "respCode": "00", "respMsg": "ok",
		"accNo": aPAN, "customerInfo": aCustomerInfo}
	form, err := srv.SignNotification(f)
	require.NoError(t, err)
	post := func(body string) int {
		resp, err := http.Post(backend.URL+"/notify", "application/x-www-form-urlencoded", strings.NewReader(body))
		require.NoError(t, err)
		_, _ = io.Copy(io.Discard, resp.Body)
		_ = resp.Body.Close()
		return resp.StatusCode
	}
	require.Equal(t, http.StatusOK, post(form.Encode()))
	forged := strings.Replace(form.Encode(), "txnAmt=1000", "txnAmt=1", 1)
	require.NotEqual(t, http.StatusOK, post(forged), "a forged notification is refused")

	// What was sent encrypted must not be logged either.
	secrets := []string{aPAN, aCVN2, aExpiry, aPhone, aID, aName, aSMS, aPIN, aCustomerInfo, pfxPassword,
		key.D.String(), key.Primes[0].String(), base64.StdEncoding.EncodeToString(der)[40:80], string(der[40:80])}
	rec.mu.Lock()
	for _, sent := range rec.sent {
		for _, k := range []string{"accNo", "customerInfo", "pin", "signature"} {
			if v := sent.Get(k); len(v) >= 16 && k != "signature" {
				secrets = append(secrets, v)
			}
		}
	}
	rec.mu.Unlock()
	require.Greater(t, len(secrets), 14, "the encrypted accNo and customerInfo the consume sent")

	require.Eventually(t, func() bool { return serving.Load() == 0 }, 10*time.Second, time.Millisecond,
		"notify.Handler still logging")
	records := capture.records()
	require.NotEmpty(t, records)
	for _, r := range records {
		for _, s := range secrets {
			if ok, how := logShows(r.out, s); ok {
				t.Errorf("record %q (%v) shows a secret %s:\n%s", r.msg, r.level, how, r.out)
			}
		}
	}

	// What an operator needs, per call, is in the records, under the keys of the notifications'
	// records: op, txnType, orderId, outcome, respCode, duration; at a level by outcome.
	require.Len(t, ends, 4, "consume, query, refund, the refused consume")
	var calls []capturedRecord
	for _, r := range records {
		if r.msg == "unionpay call" {
			calls = append(calls, r)
		}
	}
	require.Len(t, calls, 4)
	for i, want := range []struct {
		op, txnType, order, outcome, resp, endpoint string
		level                                       slog.Level
	}{
		{"back consume", "01", req.OrderID, "accepted", "00", srv.URLFor(unionpaytest.EndpointBack), slog.LevelInfo},
		{"query", "00", req.OrderID, "accepted", "00", srv.URLFor(unionpaytest.EndpointQuery), slog.LevelInfo},
		{"refund", "04", refund.OrderID, "accepted", "00", srv.URLFor(unionpaytest.EndpointBack), slog.LevelInfo},
		{"back consume", "", "", "refused", "", "", slog.LevelError},
	} {
		out := calls[i].out
		assert.Equal(t, want.level, calls[i].level, want.op)
		assert.Contains(t, out, `"op":"`+want.op+`"`)
		assert.Contains(t, out, `"endpoint":"`+want.endpoint+`"`)
		assert.Contains(t, out, `"txnType":"`+want.txnType+`"`)
		assert.Contains(t, out, `"orderId":"`+want.order+`"`)
		assert.Contains(t, out, `"outcome":"`+want.outcome+`"`)
		assert.Contains(t, out, `"respCode":"`+want.resp+`"`)
		assert.Contains(t, out, `"duration":`)
		assert.Positive(t, ends[i].Duration)
	}

	// Levels: the genuine notification at Info, the forged one at Warn or above; nothing of the
	// SDK's own at Error but the refused call the test's hook put there.
	var accepted, rejected int
	for _, r := range records {
		switch r.msg {
		case "notify: notification accepted":
			accepted++
			assert.Equal(t, slog.LevelInfo, r.level)
			assert.Contains(t, r.out, `"orderId":"`, "the key of the calls' records")
		case "notify: notification rejected":
			rejected++
			assert.GreaterOrEqual(t, r.level, slog.LevelWarn, "a signature failure")
			assert.Contains(t, r.out, `"reason":"signature"`)
		}
	}
	assert.GreaterOrEqual(t, accepted, 2, "the consume's notification and the signed one")
	assert.Equal(t, 1, rejected)
	mu.Lock()
	assert.NotEmpty(t, notified)
	mu.Unlock()
}

package notify_test

import (
	"bytes"
	"context"
	"crypto/x509"
	"errors"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/goacp/unionpay/cert"
	"github.com/goacp/unionpay/internal/leaktest"
	"github.com/goacp/unionpay/notify"
	"github.com/goacp/unionpay/sign"
)

// recorder is a slog.Handler keeping each record's message and attributes, as a metrics
// bridge (a log-to-counter handler) sees them.
type recorder struct {
	mu   sync.Mutex
	recs []map[string]slog.Value
}

func (r *recorder) Enabled(context.Context, slog.Level) bool { return true }
func (r *recorder) WithAttrs([]slog.Attr) slog.Handler       { return r }
func (r *recorder) WithGroup(string) slog.Handler            { return r }
func (r *recorder) Handle(_ context.Context, rec slog.Record) error {
	m := map[string]slog.Value{"msg": slog.StringValue(rec.Message), "level": slog.StringValue(rec.Level.String())}
	rec.Attrs(func(a slog.Attr) bool { m[a.Key] = a.Value; return true })
	r.mu.Lock()
	r.recs = append(r.recs, m)
	r.mu.Unlock()
	return nil
}

func (r *recorder) last() map[string]slog.Value {
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.recs[len(r.recs)-1]
}

// FAILS on the current code. A rejection can be counted by reason only by classifying the
// "err" attribute's error value with errors.Is/As (possible in a custom slog.Handler, not in
// one that writes JSON or text: there it is the error's text) or by its HTTP status, which
// puts a forgery, an expired UnionPay certificate, an unaccepted signMethod and a malformed
// body all under 400. A stable "reason" key, the same in every handler, is what a
// log-based metric needs.
func TestObsHandlerRejectionReasonKey(t *testing.T) {
	t.Parallel()
	p := testPKI()
	f := consumeFields("ORDER20260611")
	good := signWith(t, p.leaf, f)
	forged := good.Clone()
	forged["txnAmt"] = "1"
	rec := &recorder{}
	h := &notify.Handler{Verifier: p.verifier(t), Logger: slog.New(rec),
		OnNotify: func(_ context.Context, n *notify.Notification) error {
			if n.OrderID == "ORDERFAILS0001" {
				return errors.New("database down")
			}
			return nil
		}}
	failing := signWith(t, p.leaf, consumeFields("ORDERFAILS0001"))
	cases := []struct {
		name, method, body, reason string
		status                     int
	}{
		{"accepted", http.MethodPost, encode(t, good), "", http.StatusOK},
		{"forged", http.MethodPost, encode(t, forged), "signature", http.StatusBadRequest},
		{"expired certificate", http.MethodPost, encode(t, signWith(t, p.expired, f)), "certificate", http.StatusBadRequest},
		{"not UnionPay's", http.MethodPost, encode(t, signWith(t, p.wrongOwner, f)), "certificate", http.StatusBadRequest},
		{"malformed", http.MethodPost, "a=1&a=2", "malformed", http.StatusBadRequest},
		{"method not accepted", http.MethodPost, "signMethod=11&version=5.1.0&orderId=X&signature=x", "method", http.StatusBadRequest},
		{"too large", http.MethodPost, strings.Repeat("a", notify.DefaultMaxBytes+1), "too_large", http.StatusRequestEntityTooLarge},
		{"GET", http.MethodGet, "", "http_method", http.StatusMethodNotAllowed},
		{"OnNotify fails", http.MethodPost, encode(t, failing), "on_notify", http.StatusInternalServerError},
	}
	for _, tt := range cases {
		w := httptest.NewRecorder()
		h.ServeHTTP(w, newRequest(tt.method, "/notify", tt.body))
		assert.Equal(t, tt.status, w.Code, tt.name)
		last := rec.last()
		if tt.reason == "" {
			_, has := last["reason"]
			assert.False(t, has, tt.name)
			continue
		}
		assert.Equal(t, tt.reason, last["reason"].String(), "%s: %v", tt.name, last["err"])
	}
	_ = cert.ErrMethod
}

type failingBody struct{}

func (failingBody) Read([]byte) (int, error) { return 0, errors.New("connection reset by peer") }
func (failingBody) Close() error             { return nil }

// Every reason Reason documents, from the errors the package's own functions return.
func TestReviewObsReasonEveryDocumentedError(t *testing.T) {
	t.Parallel()
	p := testPKI()
	v := p.verifier(t)
	good := signWith(t, p.leaf, consumeFields("REVREASON001"))
	reason := func(err error) string { require.Error(t, err); return notify.Reason(err) }

	_, err := notify.Parse(nil, []byte(encode(t, good)))
	assert.Equal(t, "not_configured", reason(err))
	_, err = notify.ReadRequest(nil, newRequest(http.MethodGet, "/n", ""), v, 0)
	assert.Equal(t, "http_method", reason(err))
	r := newRequest(http.MethodPost, "/n", encode(t, good))
	r.Header.Set("Content-Encoding", "gzip")
	_, err = notify.ReadRequest(nil, r, v, 0)
	assert.Equal(t, "content_encoding", reason(err))
	_, err = notify.ReadRequest(nil, newRequest(http.MethodPost, "/n", strings.Repeat("a", 100)), v, 10)
	assert.Equal(t, "too_large", reason(err))
	r = newRequest(http.MethodPost, "/n", "")
	r.Body, r.ContentLength = failingBody{}, 50
	_, err = notify.ReadRequest(nil, r, v, 0)
	assert.Equal(t, "read", reason(err))
	r = newRequest(http.MethodPost, "/n", "")
	r.Body, r.ContentLength = io.NopCloser(strings.NewReader("a=1")), 50 // promised more
	_, err = notify.ReadRequest(nil, r, v, 0)
	assert.Equal(t, "read", reason(err))

	expired := signWith(t, p.expired, consumeFields("REVREASON002"))
	_, err = notify.Verify(v, expired)
	assert.Equal(t, "certificate", reason(err))

	forged := good.Clone()
	forged["txnAmt"] = "1"
	_, err = notify.Verify(v, forged)
	assert.Equal(t, "signature", reason(err))

	noCertID := good.Clone()
	delete(noCertID, "signPubKeyCert")
	_, err = notify.Verify(v, noCertID)
	assert.True(t, errors.Is(err, cert.ErrMissingField), "%v", err)
	assert.Equal(t, "missing_field", reason(err))

	_, err = notify.Verify(v, sign.Fields{"version": "5.1.0", "signMethod": "11", "orderId": "X", "signature": "x"})
	assert.Equal(t, "method", reason(err))

	_, err = notify.Parse(v, []byte("a=1&a=2"))
	assert.Equal(t, "malformed", reason(err))
	_, err = notify.VerifyValues(v, url.Values{"a": {"1", "2"}})
	assert.Equal(t, "field", reason(err))
	noOrder := consumeFields("REVREASON003")
	delete(noOrder, "orderId")
	_, err = notify.Verify(v, signWith(t, p.leaf, noOrder))
	assert.Equal(t, "field", reason(err))

	// 5.0.0 by certId, the certId unknown.
	legacy, err := sign.NewRSASigner(p.leaf.key, "12345")
	require.NoError(t, err)
	all, err := cert.NewVerifier(cert.VerifierConfig{Root: p.root.cert, Middle: p.middle.cert,
		Now: func() time.Time { return testNow }, LegacyCerts: []*x509.Certificate{p.leaf.cert}})
	require.NoError(t, err)
	f := consumeFields("REVREASON004")
	f["version"] = sign.Version500
	require.NoError(t, sign.Sign(legacy, f))
	_, err = notify.Verify(all, f)
	assert.Equal(t, "unknown_cert", reason(err))

	assert.Equal(t, "", notify.Reason(nil))
	assert.Equal(t, "other", notify.Reason(errors.New("x")))
}

// A message without its signature field matches cert.ErrMissingField (documented as
// "missing_field") and sign.ErrSignature ("signature"): which does Reason say?
func TestReviewObsReasonMissingSignature(t *testing.T) {
	t.Parallel()
	p := testPKI()
	good := signWith(t, p.leaf, consumeFields("REVREASON005"))
	delete(good, "signature")
	_, err := notify.Verify(p.verifier(t), good)
	require.ErrorIs(t, err, cert.ErrMissingField)
	require.ErrorIs(t, err, sign.ErrSignature)
	assert.Equal(t, "signature", notify.Reason(err), "as documented")
}

// Passes; the Handler logs "not_configured" for a Verifier not made by cert.NewVerifier.
func TestReviewObsHandlerNotConfiguredReason(t *testing.T) {
	t.Parallel()
	rec := &recorder{}
	h := &notify.Handler{Verifier: &cert.Verifier{}, Logger: slog.New(rec),
		OnNotify: func(context.Context, *notify.Notification) error { return nil }}
	w := httptest.NewRecorder()
	h.ServeHTTP(w, newRequest(http.MethodPost, "/n", "a=1"))
	assert.Equal(t, http.StatusInternalServerError, w.Code)
	assert.Equal(t, "not_configured", rec.last()["reason"].String())
}

const (
	auditPAN   = "6216261000000000018"
	auditPhone = "13552535506"
)

// TestAuditHandlerLogsNoCardData: whatever happens to a notification carrying a clear accNo and a
// customerInfo, the Handler's log (JSON and text) shows neither.
func TestAuditHandlerLogsNoCardData(t *testing.T) {
	t.Parallel()
	p := testPKI()
	ci := "e3Bob25lTm89MTM1NTI1MzU1MDZ9" // base64 of {phoneNo=13552535506}
	f := consumeFields("ORDER20260601")
	f["accNo"], f["customerInfo"] = auditPAN, ci
	signed := signWith(t, p.leaf, f)
	good := encode(t, signed)
	tampered := strings.Replace(good, "txnAmt=1000", "txnAmt=1001", 1)
	repeated := good + "&accNo=" + auditPAN
	bodies := map[string]string{"good": good, "tampered": tampered, "repeated": repeated,
		"bad amount": encode(t, signWith(t, p.leaf, func() sign.Fields { g := f.Clone(); g["txnAmt"] = "x" + auditPAN; return g }()))}
	for name, body := range bodies {
		for _, fail := range []bool{false, true} {
			var js, txt bytes.Buffer
			h := &notify.Handler{Verifier: p.verifier(t), OnNotify: func(ctx context.Context, n *notify.Notification) error {
				if fail {
					return errors.New("db down")
				}
				return nil
			}}
			for _, l := range []*slog.Logger{slog.New(slog.NewJSONHandler(&js, nil)), slog.New(slog.NewTextHandler(&txt, nil))} {
				h.Logger = l
				r := httptest.NewRequest(http.MethodPost, "/notify", strings.NewReader(body))
				r.Header.Set("Content-Type", "application/x-www-form-urlencoded")
				h.ServeHTTP(httptest.NewRecorder(), r)
			}
			out := js.String() + txt.String()
			for _, s := range []string{auditPAN, auditPhone, url.QueryEscape(ci)} {
				if ok, form := leaktest.Shows(out, s); ok {
					t.Errorf("%s (OnNotify fails: %v): the log shows %q (%s):\n%s", name, fail, s, form, out)
				}
			}
		}
	}
}

// TestHandlerLogsErrUnderOneKey: every record but an accepted notification's holds its error under
// the key "err", as the error value (a slog.Handler classifying with errors.Is finds it): a
// log-based alert or metric reads one key. The unconfigured Handler's record had it as a string
// under "error", the only record to differ.
func TestHandlerLogsErrUnderOneKey(t *testing.T) {
	t.Parallel()
	p := testPKI()
	fails := func(context.Context, *notify.Notification) error { return errors.New("database down") }
	for _, tt := range []struct {
		name string
		h    *notify.Handler
		body string
		want error
	}{
		{"not configured: no OnNotify", &notify.Handler{Verifier: p.verifier(t)}, "a=1", notify.ErrNoOnNotify},
		{"not configured: no Verifier", &notify.Handler{OnNotify: fails}, "a=1", notify.ErrNoVerifier},
		{"rejected", &notify.Handler{Verifier: p.verifier(t), OnNotify: fails}, "a=1&a=2", nil},
		{"OnNotify fails", &notify.Handler{Verifier: p.verifier(t), OnNotify: fails},
			encode(t, signWith(t, p.leaf, consumeFields("ORDERERRKEY01"))), nil},
	} {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			rec := &recorder{}
			tt.h.Logger = slog.New(rec)
			tt.h.ServeHTTP(httptest.NewRecorder(), newRequest(http.MethodPost, "/n", tt.body))
			last := rec.last()
			_, has := last["error"]
			assert.False(t, has, "a key \"error\" beside \"err\"")
			v, ok := last["err"]
			require.True(t, ok, "no key \"err\" in %v", last)
			err, isErr := v.Any().(error)
			require.True(t, isErr, "err is a %T, not an error", v.Any())
			if tt.want != nil {
				assert.ErrorIs(t, err, tt.want)
			}
		})
	}
}

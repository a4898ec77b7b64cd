package notify_test

import (
	"context"
	"crypto/x509"
	"errors"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/goacp/unionpay/cert"
	"github.com/goacp/unionpay/notify"
	"github.com/goacp/unionpay/sign"
)

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

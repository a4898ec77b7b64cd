package notify_test

import (
	"context"
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
	"github.com/goacp/unionpay/unionpay"
)

// TestSecTrialProbes: attacks on the notification path from the penetration brief that the
// attack catalogue does not name. Each must be refused before OnNotify.
func TestSecTrialProbes(t *testing.T) {
	t.Parallel()
	p := testPKI()
	v := p.verifier(t)
	genuine := signWith(t, p.leaf, consumeFields("PROBE0001"))
	body := encode(t, genuine)
	withCert := func(pemText string) string {
		f := genuine.Clone()
		f["signPubKeyCert"] = pemText
		return encode(t, f)
	}
	probes := map[string]string{
		"two certificates in signPubKeyCert":   withCert(genuine["signPubKeyCert"] + "\r\n" + p.middle.pemCRLF()),
		"trailing junk after the PEM":          withCert(genuine["signPubKeyCert"] + "\r\nX"),
		"middle certificate as the leaf":       withCert(p.middle.pemCRLF()),
		"root certificate as the leaf":         withCert(p.root.pemCRLF()),
		"key differing in case added":          body + "&RespCode=00",
		"key with a trailing space":            body + "&respCode+=00",
		"percent-encoded duplicate key":        body + "&resp%43ode=00",
		"duplicate key with an empty value":    body + "&respCode=",
		"empty value first, then the real":     "txnAmt=&" + body,
		"BOM before the first key":             "\ufeff" + body,
		"semicolon separated extra pair":       body + ";respCode=00",
		"encoding switched to GBK":             strings.Replace(body, "encoding=UTF-8", "encoding=GBK", 1),
		"encoding lower case":                  strings.Replace(body, "encoding=UTF-8", "encoding=utf-8", 1),
		"respMsg re-encoded as GBK bytes":      strings.Replace(body, url.QueryEscape(genuine["respMsg"]), "%B3%C9%B9%A6%5B0000000%5D", 1),
		"signature with whitespace":            strings.Replace(body, "signature=", "signature=+", 1),
		"signMethod 21 without SM2 configured": strings.Replace(body, "signMethod=01", "signMethod=21", 1),
		"version 5.0.1 without signMethod":     strings.Replace(strings.Replace(body, "signMethod=01&", "", 1), "version=5.1.0", "version=5.0.1", 1),
		"version 5.1.0 with trailing space":    strings.Replace(body, "version=5.1.0", "version=5.1.0+", 1),
	}
	for name, b := range probes {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			var calls int
			h := &notify.Handler{Verifier: v, OnNotify: func(context.Context, *notify.Notification) error { calls++; return nil }}
			rec := httptest.NewRecorder()
			h.ServeHTTP(rec, newRequest(http.MethodPost, "/notify", b))
			assert.Equal(t, http.StatusBadRequest, rec.Code)
			assert.Zero(t, calls)
		})
	}
	t.Run("baseline accepted", func(t *testing.T) {
		_, err := notify.Parse(v, []byte(body))
		require.NoError(t, err)
	})
}

// TestSecTrialSecureKeyFormReflected: a merchant on signMethod 11 signs its front forms with the
// same key its Verifier checks notifications with, and the shopper sees the form. Posted to
// backUrl, the form must not pass for a notification.
func TestSecTrialSecureKeyFormReflected(t *testing.T) {
	t.Parallel()
	key := []byte("88888888")
	signer, err := sign.NewSecureKeySigner(sign.MethodSHA256Key, key)
	require.NoError(t, err)
	v, err := cert.NewVerifier(cert.VerifierConfig{SecureKey: key, SecureKeyMethods: []string{sign.MethodSHA256Key}})
	require.NoError(t, err)
	now := time.Date(2026, 6, 1, 8, 0, 0, 0, time.UTC)
	c, err := unionpay.NewClient(unionpay.Config{MerchantID: "777290058110048", Signer: signer, Verifier: v,
		Endpoints: unionpay.TestEndpoints(), Now: func() time.Time { return now }})
	require.NoError(t, err)
	form, err := c.FrontConsume(&unionpay.ConsumeRequest{OrderID: "REFLECT0001", Amount: 100000,
		FrontURL: "https://shop.example/return", BackURL: "https://shop.example/notify",
		Extra: sign.Fields{}})
	require.NoError(t, err)
	b, err := sign.Encode(form.Fields)
	require.NoError(t, err)
	n, err := notify.Parse(v, []byte(b))
	require.Error(t, err, "the merchant's own form read as a notification: %v", n)
	var fe *notify.FieldError
	require.ErrorAs(t, err, &fe)
	assert.Equal(t, "respCode", fe.Field)
}

package notify_test

import (
	"context"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/goacp/unionpay/cert"
	"github.com/goacp/unionpay/notify"
	"github.com/goacp/unionpay/sign"
)

// newRequest returns a notification request as UnionPay sends it.
func newRequest(method, target, body string) *http.Request {
	r := httptest.NewRequest(method, target, strings.NewReader(body))
	r.Header.Set("Content-Type", "application/x-www-form-urlencoded;charset=UTF-8")
	return r
}

// tampered signs a notification with the genuine UnionPay-like leaf, then
// lets change alter the signed fields.
func tampered(t testing.TB, change func(f sign.Fields)) string {
	t.Helper()
	f := signWith(t, testPKI().leaf, consumeFields("ATTACK0001"))
	change(f)
	return encode(t, f)
}

// signedBy signs a notification with by, after letting change alter the
// unsigned fields.
func signedBy(t testing.TB, by issued, change func(f sign.Fields)) string {
	t.Helper()
	f := consumeFields("ATTACK0001")
	if change != nil {
		change(f)
	}
	return encode(t, signWith(t, by, f))
}

// signedWith signs a notification with an arbitrary signer (no certificate
// in the message) after letting change alter the unsigned fields.
func signedWith(t testing.TB, s sign.Signer, change func(f sign.Fields)) string {
	t.Helper()
	f := consumeFields("ATTACK0001")
	if change != nil {
		change(f)
	}
	require.NoError(t, sign.Sign(s, f))
	return encode(t, f)
}

type attack struct {
	name   string
	req    func(t testing.TB) *http.Request // called once per check: bodies are consumed
	limit  int64                            // Handler.MaxBytes
	status int                              // the Handler's answer
	is     error                            // errors.Is target, if any
	reason cert.Reason                      // *cert.InvalidError reason, if any
}

func post(body func(t testing.TB) string) func(t testing.TB) *http.Request {
	return func(t testing.TB) *http.Request { return newRequest(http.MethodPost, "/notify", body(t)) }
}

func attacks() []attack {
	p := testPKI()
	genuine := func(t testing.TB) string { return encode(t, signWith(t, p.leaf, consumeFields("ATTACK0001"))) }
	set := func(k, v string) func(t testing.TB) string {
		return func(t testing.TB) string { return tampered(t, func(f sign.Fields) { f[k] = v }) }
	}
	return []attack{
		{name: "signature from another message", status: 400, is: sign.ErrSignature,
			req: post(func(t testing.TB) string {
				other := signWith(t, p.leaf, consumeFields("ATTACK0002"))
				return tampered(t, func(f sign.Fields) { f["signature"] = other["signature"] })
			})},
		{name: "amount changed", req: post(set("txnAmt", "100000")), status: 400, is: sign.ErrSignature},
		{name: "settle amount changed", req: post(set("settleAmt", "1")), status: 400, is: sign.ErrSignature},
		{name: "orderId changed", req: post(set("orderId", "ATTACK9999")), status: 400, is: sign.ErrSignature},
		{name: "respCode changed", status: 400, is: sign.ErrSignature,
			req: post(func(t testing.TB) string {
				f := signWith(t, p.leaf, consumeFields("ATTACK0001"))
				f["respCode"], f["respMsg"] = "00", "成功[0000000]"
				g := consumeFields("ATTACK0001")
				g["respCode"], g["respMsg"] = "61", "超出金额限制[1000061]"
				g = signWith(t, p.leaf, g)
				g["respCode"], g["respMsg"] = f["respCode"], f["respMsg"]
				return encode(t, g)
			})},
		{name: "field added", req: post(set("origRespCode", "00")), status: 400, is: sign.ErrSignature},
		{name: "field removed", status: 400, is: sign.ErrSignature,
			req: post(func(t testing.TB) string { return tampered(t, func(f sign.Fields) { delete(f, "reqReserved") }) })},
		{name: "signature of 685 base64 characters (decodes to 513 bytes)", req: post(set("signature", strings.Repeat("A", 685))),
			status: 400, is: sign.ErrSignature},
		{name: "signature of 684 base64 characters without padding", req: post(set("signature", strings.Repeat("A", 684))),
			status: 400, is: sign.ErrSignature},
		{name: "signature of 4000 base64 characters", req: post(set("signature", strings.Repeat("QUFB", 1000))),
			status: 400, is: sign.ErrSignature},
		{name: "signature removed", status: 400, is: sign.ErrSignature,
			req: post(func(t testing.TB) string { return tampered(t, func(f sign.Fields) { delete(f, "signature") }) })},
		{name: "signPubKeyCert removed", status: 400, is: cert.ErrMissingField,
			req: post(func(t testing.TB) string { return tampered(t, func(f sign.Fields) { delete(f, "signPubKeyCert") }) })},
		{name: "signPubKeyCert replaced by a self-signed certificate with UnionPay's name", status: 400,
			reason: cert.UnknownAuthority,
			req:    post(func(t testing.TB) string { return signedBy(t, p.selfSigned, nil) })},
		{name: "signPubKeyCert from another CA", status: 400, reason: cert.UnknownAuthority,
			req: post(func(t testing.TB) string { return signedBy(t, p.otherCA, nil) })},
		{name: "signPubKeyCert from a forged middle with our middle's name and key id", status: 400,
			reason: cert.BadSignature,
			req:    post(func(t testing.TB) string { return signedBy(t, p.fakeMiddle, nil) })},
		{name: "signPubKeyCert expired", status: 400, reason: cert.Expired,
			req: post(func(t testing.TB) string { return signedBy(t, p.expired, nil) })},
		{name: "signPubKeyCert with the wrong owner name", status: 400, reason: cert.WrongOwner,
			req: post(func(t testing.TB) string { return signedBy(t, p.wrongOwner, nil) })},
		{name: "signPubKeyCert CRLF changed to LF", status: 400, is: sign.ErrSignature,
			req: post(func(t testing.TB) string {
				return tampered(t, func(f sign.Fields) {
					f["signPubKeyCert"] = strings.ReplaceAll(f["signPubKeyCert"], "\r\n", "\n")
				})
			})},
		{name: "version downgrade to 5.0.0 with signPubKeyCert", status: 400, is: cert.ErrMethod,
			req: post(func(t testing.TB) string {
				return signedBy(t, p.selfSigned, func(f sign.Fields) { f["version"] = sign.Version500 })
			})},
		{name: "version downgrade to 5.0.0 by certId", status: 400, is: cert.ErrMethod,
			req: post(func(t testing.TB) string {
				s, err := sign.NewRSASigner(p.selfSigned.key, cert.CertID(p.leaf.cert))
				require.NoError(t, err)
				return signedWith(t, s, func(f sign.Fields) { f["version"] = sign.Version500 })
			})},
		{name: "signMethod switched to 11 (test secure key)", status: 400, is: cert.ErrMethod,
			req: post(func(t testing.TB) string {
				s, err := sign.NewSecureKeySigner(sign.MethodSHA256Key, []byte("88888888"))
				require.NoError(t, err)
				return signedWith(t, s, nil)
			})},
		{name: "signMethod switched to 12 (test secure key)", status: 400, is: cert.ErrMethod,
			req: post(func(t testing.TB) string {
				s, err := sign.NewSecureKeySigner(sign.MethodSM3Key, []byte("88888888"))
				require.NoError(t, err)
				return signedWith(t, s, nil)
			})},
		{name: "empty body", req: post(func(testing.TB) string { return "" }), status: 400, is: sign.ErrMalformed},
		{name: "genuine notification only in the URL query, empty body", status: 400, is: sign.ErrMalformed,
			req: func(t testing.TB) *http.Request { return newRequest(http.MethodPost, "/notify?"+genuine(t), "") }},
		{name: "body over the limit", req: post(genuine), limit: 1024, status: 413, is: notify.ErrTooLarge},
		{name: "body over the limit without Content-Length", limit: 1024, status: 413, is: notify.ErrTooLarge,
			req: func(t testing.TB) *http.Request {
				r := newRequest(http.MethodPost, "/notify", genuine(t))
				r.ContentLength = -1
				r.Body = io.NopCloser(r.Body)
				return r
			}},
		{name: "body over the default limit", status: 413, is: notify.ErrTooLarge,
			req: post(func(t testing.TB) string {
				return genuine(t) + "&pad=" + strings.Repeat("x", notify.DefaultMaxBytes)
			})},
		{name: "GET with the notification in the query", status: 405, is: notify.ErrMethodNotAllowed,
			req: func(t testing.TB) *http.Request { return newRequest(http.MethodGet, "/notify?"+genuine(t), "") }},
		{name: "PUT", status: 405, is: notify.ErrMethodNotAllowed,
			req: func(t testing.TB) *http.Request { return newRequest(http.MethodPut, "/notify", genuine(t)) }},
		{name: "duplicate key", status: 400, is: sign.ErrMalformed,
			req: post(func(t testing.TB) string { return genuine(t) + "&respCode=00" })},
		{name: "duplicate key smuggling a changed value first", status: 400, is: sign.ErrMalformed,
			req: post(func(t testing.TB) string { return "txnAmt=1&" + genuine(t) })},
		{name: "invalid percent-encoding", status: 400, is: sign.ErrMalformed,
			req: post(func(t testing.TB) string { return genuine(t) + "&memo=%zz" })},
		{name: "invalid percent-encoding in a key", status: 400, is: sign.ErrMalformed,
			req: post(func(t testing.TB) string { return "a%2=1&" + genuine(t) })},
	}
}

func TestAttacksRejected(t *testing.T) {
	t.Parallel()
	v := testPKI().verifier(t)
	for _, tt := range attacks() {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			_, err := notify.ReadRequest(httptest.NewRecorder(), tt.req(t), v, tt.limit)
			require.Error(t, err)
			if tt.is != nil {
				assert.ErrorIs(t, err, tt.is)
			}
			if tt.reason != 0 {
				ie, ok := errors.AsType[*cert.InvalidError](err)
				require.True(t, ok, "want *cert.InvalidError, got %v", err)
				assert.Equal(t, tt.reason, ie.Reason, "%v", err)
			}
			assert.Equal(t, tt.status, notify.HTTPStatus(err))

			var calls atomic.Int32
			h := &notify.Handler{
				Verifier: v,
				MaxBytes: tt.limit,
				OnNotify: func(context.Context, *notify.Notification) error { calls.Add(1); return nil },
			}
			rec := httptest.NewRecorder()
			h.ServeHTTP(rec, tt.req(t))
			assert.Equal(t, tt.status, rec.Code)
			assert.Zero(t, calls.Load(), "OnNotify called for a rejected message")
			if tt.status == http.StatusMethodNotAllowed {
				assert.Equal(t, http.MethodPost, rec.Header().Get("Allow"))
			}
		})
	}
}

// TestAttackBaseline proves the catalogue starts from messages the handler
// accepts: each forgery differs from an accepted message by the attack alone.
func TestAttackBaseline(t *testing.T) {
	t.Parallel()
	p := testPKI()
	v := p.verifier(t)
	var calls atomic.Int32
	h := &notify.Handler{Verifier: v, OnNotify: func(_ context.Context, n *notify.Notification) error {
		calls.Add(1)
		assert.Equal(t, "ATTACK0001", n.OrderID)
		return nil
	}}
	for _, body := range []string{
		encode(t, signWith(t, p.leaf, consumeFields("ATTACK0001"))),
		tampered(t, func(sign.Fields) {}),
		signedBy(t, p.leaf, nil),
	} {
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, newRequest(http.MethodPost, "/notify", body))
		assert.Equal(t, http.StatusOK, rec.Code, rec.Body.String())
	}
	assert.Equal(t, int32(3), calls.Load())
}

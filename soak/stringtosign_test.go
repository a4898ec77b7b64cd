package soak

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
	"github.com/goacp/unionpay/unionpay/unionpaytest"
)

// TestFormRoundTripKeepsKeys: sign.ParseForm percent-decodes keys, but sign.Encode wrote keys
// as they were, so a field whose key held '=' (or '&') did not survive Encode then ParseForm:
// {"a=": "1"} was sent as "a==1" and read back as {"a": "=1"}, another message. Found by
// sign.FuzzParseForm (input "%3D=Q"). An Extra key with '&' or '=' would have put
// unsigned-looking fields into the request body. Fixed in 3a172fb (Encode escapes keys); since
// the third session ParseForm also refuses such keys (the string to sign would read them as
// other fields), so the round trip gives back the same fields or an error, never other fields.
func TestFormRoundTripKeepsKeys(t *testing.T) {
	for _, f := range []sign.Fields{{"=": "Q"}, {"a=": "1"}, {"a&b": "1", "c": "2"}, {"a+b": "1=2", "c": "{&}"}} {
		enc, err := sign.Encode(f)
		require.NoError(t, err)
		back, err := sign.ParseForm(enc)
		if err != nil {
			require.ErrorIs(t, err, sign.ErrMalformed, "%q encoded as %q", f, enc)
			continue
		}
		assert.Equal(t, f, back, "%q encoded as %q", f, enc)
	}
}

// signingGateway starts a fake gateway (closed when t ends) whose clock stands still, to sign
// messages, and returns it with a verifier of its notifications.
func signingGateway(t *testing.T) (*unionpaytest.Server, *cert.Verifier) {
	t.Helper()
	now := time.Date(2026, 11, 25, 10, 0, 0, 0, beijing)
	srv := unionpaytest.NewServer(unionpaytest.WithClock(func() time.Time { return now }))
	t.Cleanup(srv.Close)
	v, err := srv.NotifyVerifier()
	require.NoError(t, err)
	return srv, v
}

// TestStringToSignIsNotInjective documents a property of UnionPay's protocol that the SDK
// cannot change: the string to sign joins raw values with '&' and '=', so a genuine message
// whose value holds "&k=v" verifies just as well when that part is sent as a separate field k
// (k sorting right after the field). Only values the merchant put in the request
// (reqReserved) can carry such text, which is why the client refuses reqReserved holding & { } [ ]:
// a merchant must not act on fields a split could produce. The other direction, two genuine
// fields sent as one value holding "&", is refused by sign.ParseForm
// (TestNotificationMergedFieldsRefused). See docs/SECURITY.md.
func TestStringToSignIsNotInjective(t *testing.T) {
	srv, v := signingGateway(t)
	genuine, err := srv.Sign(sign.Fields{"orderId": "SPLIT0001", "txnTime": "20261125100000", "txnType": "01",
		"txnAmt": "1000", "respCode": "00", "reqReserved": "cart=42&reqReservedZ=1"})
	require.NoError(t, err)
	_, err = v.Verify(genuine)
	require.NoError(t, err)

	split := genuine.Clone()
	split["reqReserved"], split["reqReservedZ"] = "cart=42", "1"
	_, err = v.Verify(split)
	assert.NoError(t, err, "the split message verifies: the SDK cannot tell them apart")
}

// TestNotificationMergedFieldsRefused: the other direction of TestStringToSignIsNotInjective,
// which works on any message. A genuine refund notification's "respCode=00&respMsg=success"
// re-encoded as one field, respCode "00&respMsg=success" and no respMsg, has the same string to
// sign and so verifies as fields; a merchant reading it would see a refund whose respCode is not
// 00, a failed one, and might refund again. Found in the third session's review; since then
// sign.ParseForm (and so cert.Verifier.VerifyForm and notify.Handler) refuses a value holding
// '&' outside {} or [] as malformed: the string to sign can then be read back one way only.
func TestNotificationMergedFieldsRefused(t *testing.T) {
	srv, v := signingGateway(t)
	genuine, err := srv.Sign(sign.Fields{"orderId": "MERGE0001", "txnTime": "20261125100000", "txnType": "04",
		"txnSubType": "00", "txnAmt": "1000", "respCode": "00", "respMsg": "success", "queryId": "772611251000000000001"})
	require.NoError(t, err)

	merged := genuine.Clone()
	merged["respCode"] = "00&respMsg=success"
	delete(merged, "respMsg")
	_, err = v.Verify(merged)
	require.NoError(t, err, "as fields, the merged message verifies: its string to sign is the genuine one")

	post := func(f sign.Fields) (int, int) {
		body, err := sign.Encode(f)
		require.NoError(t, err)
		calls := 0
		h := &notify.Handler{Verifier: v, OnNotify: func(context.Context, *notify.Notification) error {
			calls++
			return nil
		}}
		r := httptest.NewRequest(http.MethodPost, "/notify", strings.NewReader(body))
		r.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, r)
		return rec.Code, calls
	}
	code, calls := post(merged)
	assert.Equal(t, http.StatusBadRequest, code, "the merged notification")
	assert.Zero(t, calls)
	body, err := sign.Encode(merged)
	require.NoError(t, err)
	_, _, err = v.VerifyForm([]byte(body))
	assert.ErrorIs(t, err, sign.ErrMalformed)
	_, err = notify.Verify(v, merged) // fields decoded by other means
	assert.ErrorIs(t, err, sign.ErrMalformed)
	form, err := url.ParseQuery(body)
	require.NoError(t, err)
	_, err = notify.VerifyValues(v, form)
	assert.ErrorIs(t, err, sign.ErrMalformed)

	code, calls = post(genuine)
	assert.Equal(t, http.StatusOK, code, "the genuine notification")
	assert.Equal(t, 1, calls)
}

package notify_test

import (
	"context"
	"errors"
	"net/http"
	"net/http/httptest"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/goacp/unionpay/cert"
	"github.com/goacp/unionpay/notify"
	"github.com/goacp/unionpay/sign"
)

// realCapture is a consume notification UnionPay's test environment sent on
// 2022-09-08, signed with its test signing certificate
// (unipayCertPublicKey.cer, serial 69678957876); see testdata/README.md.
const realCapture = "testdata/yansongda-consume-notification-2022-09-08.form"

const certsDir = "../testdata/acp-test-certs/"

// realVerifier trusts UnionPay's public test root and middle, checking validity at the given time.
func realVerifier(t testing.TB, at time.Time) *cert.Verifier {
	t.Helper()
	root, err := cert.LoadCertificateFile(certsDir + "acp_test_root.cer")
	require.NoError(t, err)
	middle, err := cert.LoadCertificateFile(certsDir + "acp_test_middle.cer")
	require.NoError(t, err)
	v, err := cert.NewVerifier(cert.VerifierConfig{Root: root, Middle: middle, Now: func() time.Time { return at }})
	require.NoError(t, err)
	return v
}

func readCapture(t *testing.T) []byte {
	t.Helper()
	body, err := os.ReadFile(realCapture)
	require.NoError(t, err)
	return body
}

// TestRealNotification verifies a real UnionPay notification with the real
// test chain, at a date when UnionPay's test signing certificate was valid.
func TestRealNotification(t *testing.T) {
	t.Parallel()
	v := realVerifier(t, time.Date(2024, 1, 5, 12, 0, 0, 0, time.UTC))
	var got *notify.Notification
	h := &notify.Handler{Verifier: v, OnNotify: func(_ context.Context, n *notify.Notification) error {
		got = n
		return nil
	}}
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, newRequest(http.MethodPost, "/unionpay/notify?from=test", string(readCapture(t))))
	require.Equal(t, http.StatusOK, rec.Code, rec.Body.String())
	require.NotNil(t, got)

	assert.Equal(t, "yansongda20220908132206", got.OrderID)
	assert.True(t, got.TxnTime.Equal(time.Date(2022, 9, 8, 5, 22, 6, 0, time.UTC)), "%v", got.TxnTime)
	assert.Equal(t, "01", got.TxnType)
	assert.Equal(t, "782209081322060674028", got.QueryID)
	assert.Equal(t, int64(1), got.TxnAmt)
	assert.Equal(t, int64(1), got.SettleAmt)
	assert.Equal(t, "0908", got.SettleDate)
	assert.Equal(t, notify.Succeeded, got.Status())
	assert.Equal(t, "69678957876", got.Signed.CertID)
	assert.Contains(t, got.Signed.Certificate.Subject.CommonName, "中国银联股份有限公司")

	// The merchant key of that time (the 2021 test signing PFX) decrypts
	// accNo to the number as UnionPay masked it.
	pfx, err := cert.LoadPFXFile(certsDir+"unipayAppCert.pfx", "000000")
	require.NoError(t, err)
	d, err := pfx.Decrypter()
	require.NoError(t, err)
	pan, err := got.DecryptAccNo(d)
	require.NoError(t, err)
	assert.Equal(t, "6216***********0018", pan)
}

// TestRealNotificationRejected: the same capture fails once altered, and
// fails today because UnionPay's test signing certificate expired in 2025.
func TestRealNotificationRejected(t *testing.T) {
	t.Parallel()
	valid := realVerifier(t, time.Date(2024, 1, 5, 12, 0, 0, 0, time.UTC))
	body := string(readCapture(t))

	_, err := notify.Parse(realVerifier(t, time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)), []byte(body))
	ie, ok := errorAsInvalid(err)
	require.True(t, ok, "%v", err)
	assert.Equal(t, cert.Expired, ie.Reason)

	f, err := sign.ParseForm(body)
	require.NoError(t, err)
	lf := f.Clone()
	lf["signPubKeyCert"] = strings.ReplaceAll(lf["signPubKeyCert"], "\r\n", "\n")
	_, err = notify.Verify(valid, lf)
	assert.ErrorIs(t, err, sign.ErrSignature)

	amt := f.Clone()
	amt["txnAmt"] = "100"
	_, err = notify.Verify(valid, amt)
	assert.ErrorIs(t, err, sign.ErrSignature)

	_, err = notify.Parse(valid, []byte(strings.Replace(body, "respCode=00", "respCode=01", 1)))
	assert.ErrorIs(t, err, sign.ErrSignature)
}

func errorAsInvalid(err error) (*cert.InvalidError, bool) {
	return errors.AsType[*cert.InvalidError](err)
}

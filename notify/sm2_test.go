package notify_test

import (
	"context"
	"crypto/rand"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/pem"
	"math/big"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/emmansun/gmsm/sm2"
	"github.com/emmansun/gmsm/smx509"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/goacp/unionpay/cert"
	"github.com/goacp/unionpay/notify"
	"github.com/goacp/unionpay/sign"
)

// sm2Identity is a generated SM2 key and certificate.
type sm2Identity struct {
	key  *sm2.PrivateKey
	cert *x509.Certificate
}

var sm2Now = time.Date(2026, 11, 25, 12, 0, 0, 0, time.UTC)

func sm2Issue(t *testing.T, serial int64, cn string, ca bool, parent *sm2Identity) sm2Identity {
	t.Helper()
	key, err := sm2.GenerateKey(rand.Reader)
	require.NoError(t, err)
	tmpl := &x509.Certificate{
		SerialNumber: big.NewInt(serial), Subject: pkix.Name{CommonName: cn},
		NotBefore: sm2Now.AddDate(-1, 0, 0), NotAfter: sm2Now.AddDate(1, 0, 0),
		BasicConstraintsValid: true, IsCA: ca,
		KeyUsage: x509.KeyUsageDigitalSignature,
	}
	if ca {
		tmpl.KeyUsage = x509.KeyUsageCertSign
	}
	parentCert, parentKey := tmpl, key
	if parent != nil {
		parentCert, parentKey = parent.cert, parent.key
	}
	der, err := smx509.CreateCertificate(rand.Reader, tmpl, parentCert, &key.PublicKey, parentKey)
	require.NoError(t, err)
	c, err := cert.ParseCertificate(der)
	require.NoError(t, err)
	return sm2Identity{key: key, cert: c}
}

// A notification signed with signMethod 21 is accepted by a Verifier
// configured for SM2, and refused (400, the callback not called) by one that
// is not; its accNo, SM2-encrypted to the merchant, decrypts.
func TestSM2Notification(t *testing.T) {
	t.Parallel()
	root := sm2Issue(t, 1, "SM2 Root", true, nil)
	middle := sm2Issue(t, 2, "SM2 Middle", true, &root)
	signing := sm2Issue(t, 70000000001, "041@8310000000083040@中国银联股份有限公司@00016495", false, &middle)

	merchant, err := cert.LoadSM2File("../testdata/sm2/cfca_test.sm2", "cfca1234")
	require.NoError(t, err)
	toMerchant, err := cert.NewEncrypter(merchant.Certificate)
	require.NoError(t, err)
	accNo, err := toMerchant.Encrypt("6216***********0018")
	require.NoError(t, err)

	f := sign.Fields{
		"version": "5.1.0", "encoding": "UTF-8", "txnType": "01", "txnSubType": "01", "bizType": "000201",
		"accessType": "0", "merId": "777290058110048", "orderId": "20261125203000001",
		"txnTime": "20261125203000", "txnAmt": "1000", "currencyCode": "156", "respCode": "00",
		"respMsg": "成功[0000000]", "queryId": "762611252030001234567", "accNo": accNo,
		"signPubKeyCert": strings.ReplaceAll(string(pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: signing.cert.Raw})), "\n", "\r\n"),
	}
	signer, err := sign.NewSM2Signer(signing.key, cert.CertID(signing.cert))
	require.NoError(t, err)
	require.NoError(t, sign.Sign(signer, f))
	form := url.Values{}
	for k, v := range f {
		form.Set(k, v)
	}
	body := form.Encode()

	sm2Verifier, err := cert.NewVerifier(cert.VerifierConfig{SM2Root: root.cert, SM2Middle: middle.cert, Now: func() time.Time { return sm2Now }})
	require.NoError(t, err)
	keyOnly, err := cert.NewVerifier(cert.VerifierConfig{SecureKey: []byte("88888888")})
	require.NoError(t, err)

	n, err := notify.Parse(sm2Verifier, []byte(body))
	require.NoError(t, err)
	assert.Equal(t, "21", n.Signed.Method)
	assert.Equal(t, "70000000001", n.Signed.CertID)
	assert.Equal(t, int64(1000), n.TxnAmt)
	d, err := merchant.Decrypter()
	require.NoError(t, err)
	pan, err := n.DecryptAccNo(d)
	require.NoError(t, err)
	assert.Equal(t, "6216***********0018", pan)

	tampered := strings.Replace(body, "txnAmt=1000", "txnAmt=1", 1)
	_, err = notify.Parse(sm2Verifier, []byte(tampered))
	assert.ErrorIs(t, err, sign.ErrSignature)
	_, err = notify.Parse(keyOnly, []byte(body))
	assert.ErrorIs(t, err, cert.ErrMethod)

	for _, tt := range []struct {
		name string
		v    *cert.Verifier
		body string
		code int
	}{
		{"SM2 verifier", sm2Verifier, body, http.StatusOK},
		{"tampered", sm2Verifier, tampered, http.StatusBadRequest},
		{"verifier without SM2", keyOnly, body, http.StatusBadRequest},
	} {
		called := false
		h := &notify.Handler{Verifier: tt.v, OnNotify: func(context.Context, *notify.Notification) error {
			called = true
			return nil
		}}
		req := httptest.NewRequest(http.MethodPost, "/notify", strings.NewReader(tt.body))
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, req)
		assert.Equal(t, tt.code, rec.Code, tt.name)
		assert.Equal(t, tt.code == http.StatusOK, called, tt.name)
	}
}

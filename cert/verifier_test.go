package cert

import (
	"crypto/x509"
	"fmt"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/goacp/unionpay/sign"
)

// verifier returns a 5.1.0 verifier trusting the chain's root and middle at
// now.
func (ch *testChain) verifier(t testing.TB, now time.Time) *Verifier {
	t.Helper()
	v, err := NewVerifier(VerifierConfig{Root: ch.root.cert, Middle: ch.middle.cert, Now: fixedNow(now)})
	require.NoError(t, err)
	return v
}

// notification returns a typical signed 5.1.0 consume notification from the
// chain's leaf.
func (ch *testChain) notification(t testing.TB) sign.Fields {
	t.Helper()
	f := sign.Fields{
		"accessType": "0", "bizType": "000201", "currencyCode": "156", "encoding": "UTF-8",
		"merId": "777290058167151", "orderId": "20240105132206001", "queryId": "782401051322060674028",
		"respCode": "00", "respMsg": "成功[0000000]", "settleAmt": "1000", "settleCurrencyCode": "156",
		"settleDate": "0105", "traceNo": "067402", "traceTime": "0105132206", "txnAmt": "1000",
		"txnSubType": "01", "txnTime": "20240105132206", "txnType": "01", "version": sign.Version510,
		"exchangeRate": "0", "signPubKeyCert": ch.leaf.pem,
	}
	s, err := sign.NewRSASigner(ch.leaf.key, CertID(ch.leaf.cert))
	require.NoError(t, err)
	require.NoError(t, sign.Sign(s, f))
	return f
}

var capturedNotification = filepath.Join("..", "testdata", "cert-captures", "notification-2022-09-08.kv")

// testVerifier trusts UnionPay's real test root and middle at now.
func testVerifier(t testing.TB, now time.Time) *Verifier {
	t.Helper()
	v, err := NewVerifier(VerifierConfig{
		Root:   loadTestCert(t, "acp_test_root.cer"),
		Middle: loadTestCert(t, "acp_test_middle.cer"),
		Now:    fixedNow(now),
	})
	require.NoError(t, err)
	return v
}

// UnionPay's test signing certificate chains to the test middle and root
// while it is valid, and is rejected as expired now.
func TestRealTestCertificateChain(t *testing.T) {
	t.Parallel()
	leaf := loadTestCert(t, "unipayCertPublicKey.cer")
	require.NoError(t, testVerifier(t, timeValid).ValidateCertificate(leaf))

	err := testVerifier(t, timeExpired).ValidateCertificate(leaf)
	var inv *InvalidError
	require.ErrorAs(t, err, &inv)
	assert.Equal(t, Expired, inv.Reason)
	assert.Equal(t, "69678957876", CertID(inv.Cert))

	err = testVerifier(t, time.Date(2020, 7, 30, 0, 0, 0, 0, time.UTC)).ValidateCertificate(leaf)
	require.ErrorAs(t, err, &inv)
	assert.Equal(t, NotYetValid, inv.Reason)

	// The merchant's own test certificate is not UnionPay's.
	err = testVerifier(t, timeValid).ValidateCertificate(loadTestPFX(t, "unipayAppCert.pfx").Certificate)
	require.ErrorAs(t, err, &inv)
	assert.Equal(t, WrongOwner, inv.Reason)

	// The encryption certificate passes the encryption check, not the signing one.
	enc := loadTestCert(t, "acp_test_enc.cer")
	require.NoError(t, testVerifier(t, timeValid).ValidateEncryptionCertificate(enc))
	err = testVerifier(t, timeExpired).ValidateEncryptionCertificate(enc)
	require.ErrorAs(t, err, &inv)
	assert.Equal(t, Expired, inv.Reason)
	err = testVerifier(t, timeValid).ValidateCertificate(enc)
	require.ErrorAs(t, err, &inv)
	assert.Equal(t, WrongOwner, inv.Reason)
	v, err := NewVerifier(VerifierConfig{
		Root: loadTestCert(t, "acp_test_root.cer"), Middle: loadTestCert(t, "acp_test_middle.cer"),
		AcceptTestOwner: true, Now: fixedNow(timeValid),
	})
	require.NoError(t, err)
	require.NoError(t, v.ValidateCertificate(enc), "00040000:SIGN accepted in test mode")
}

// A real notification from UnionPay's test environment verifies.
func TestVerifyCapturedNotification(t *testing.T) {
	t.Parallel()
	f := readKV(t, capturedNotification)
	for _, now := range []time.Time{time.Date(2022, 9, 8, 5, 22, 6, 0, time.UTC), timeValid} {
		s, err := testVerifier(t, now).Verify(f)
		require.NoError(t, err)
		assert.Equal(t, &Signed{Method: "01", Version: "5.1.0", CertID: "69678957876", Certificate: s.Certificate}, s)
	}

	_, err := testVerifier(t, timeExpired).Verify(f)
	var inv *InvalidError
	require.ErrorAs(t, err, &inv)
	assert.Equal(t, Expired, inv.Reason)

	lf := f.Clone()
	lf[FieldSignPubKeyCert] = strings.ReplaceAll(f[FieldSignPubKeyCert], "\r\n", "\n")
	_, err = testVerifier(t, timeValid).Verify(lf)
	require.ErrorIs(t, err, sign.ErrSignature, "CRLF->LF changes the signed string")

	d, err := loadTestPFX(t, "unipayAppCert.pfx").Decrypter()
	require.NoError(t, err)
	accNo, err := d.Decrypt(f["accNo"])
	require.NoError(t, err)
	assert.Equal(t, "6216***********0018", accNo)
}

// The official SDK's vectors verify with the methods that made them.
func TestVerifyOfficialVectors(t *testing.T) {
	t.Parallel()
	dir := filepath.Join("..", "testdata", "official-sdk-vectors")
	signCert := loadTestPFX(t, "acp_test_sign.pfx").Certificate
	appCert := loadTestPFX(t, "unipayAppCert.pfx").Certificate
	at2020 := fixedNow(time.Date(2020, 1, 1, 0, 0, 0, 0, time.UTC))
	legacy := VerifierConfig{LegacyCerts: []*x509.Certificate{appCert, signCert}, Now: at2020}
	secure := VerifierConfig{SecureKey: []byte("88888888")}
	tests := []struct {
		file   string
		cfg    VerifierConfig
		method string
		certID string
	}{
		{"consume_request.signed-5.0.0-acp_test_sign.kv", legacy, "01", "69629715588"},
		{"consume_request.signed-secure-key-11.kv", secure, "11", ""},
		{"consume_request.signed-secure-key-12.kv", secure, "12", ""},
	}
	for _, tt := range tests {
		t.Run(tt.file, func(t *testing.T) {
			t.Parallel()
			v, err := NewVerifier(tt.cfg)
			require.NoError(t, err)
			f := readKV(t, filepath.Join(dir, tt.file))
			s, err := v.Verify(f)
			require.NoError(t, err)
			assert.Equal(t, tt.method, s.Method)
			assert.Equal(t, tt.certID, s.CertID)

			f["txnAmt"] = "1001"
			_, err = v.Verify(f)
			require.ErrorIs(t, err, sign.ErrSignature)
		})
	}
	// The 5.1.0 vectors are requests (no signPubKeyCert); read as 5.0.0
	// with the same certificate they must not verify (SHA-256 vs SHA-1).
	v, err := NewVerifier(legacy)
	require.NoError(t, err)
	f := readKV(t, filepath.Join(dir, "consume_request.signed-5.1.0-acp_test_sign.kv"))
	f[sign.FieldVersion] = sign.Version500
	_, err = v.Verify(f)
	require.ErrorIs(t, err, sign.ErrSignature)
}

// TestVerifierPrintsNoSecureKey: a Verifier configured with a secure key can be printed with any
// verb without showing it. Found in the third session's review (%v printed the key bytes).
func TestVerifierPrintsNoSecureKey(t *testing.T) {
	t.Parallel()
	key := []byte("SecretKeyForSignMethod11")
	v, err := NewVerifier(VerifierConfig{SecureKey: key, SecureKeyMethods: []string{sign.MethodSHA256Key}})
	require.NoError(t, err)
	for _, verb := range []string{"%v", "%+v", "%#v", "%s"} {
		out := fmt.Sprintf(verb, v)
		assert.NotContains(t, out, string(key), verb)
		assert.NotContains(t, out, fmt.Sprint(key), verb)
		assert.Contains(t, out, "secureKey:true", verb)
	}
}

// TestOwner reads the owner field of UnionPay's real test certificates.
func TestOwner(t *testing.T) {
	t.Parallel()
	o, err := Owner(loadTestCert(t, "unipayCertPublicKey.cer"))
	require.NoError(t, err)
	assert.Equal(t, OwnerUnionPay, o)
	o, err = Owner(loadTestCert(t, "acp_test_enc.cer"))
	require.NoError(t, err)
	assert.Equal(t, OwnerTest, o)
	_, err = Owner(loadTestCert(t, "acp_test_root.cer"))
	var inv *InvalidError
	require.ErrorAs(t, err, &inv)
	assert.Equal(t, WrongOwner, inv.Reason)
	_, err = Owner(nil)
	require.Error(t, err)
}

package unionpay_test

import (
	"crypto/rand"
	"crypto/rsa"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/hex"
	"errors"
	"math/big"
	"path/filepath"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/goacp/unionpay/cert"
	"github.com/goacp/unionpay/sign"
	"github.com/goacp/unionpay/unionpay"
)

// TestConfigPublicTestKeyInProduction: a Verifier that accepts UnionPay's public test secure key
// is refused with the production endpoints (anyone could sign a notification it accepts), and
// accepted against the test environment; another key is accepted anywhere.
func TestConfigPublicTestKeyInProduction(t *testing.T) {
	t.Parallel()
	upper := unionpay.TestEndpoints() // one production URL among the test environment's
	upper.Back = "https://GATEWAY.95516.COM:443/gateway/api/backTransReq.do"
	for _, tt := range []struct {
		name      string
		key       string
		endpoints unionpay.Endpoints
		refused   bool
	}{
		{"public key, production", cert.PublicTestSecureKey, unionpay.ProductionEndpoints(), true},
		{"public key, production host written otherwise", cert.PublicTestSecureKey, upper, true},
		{"public key, test environment", cert.PublicTestSecureKey, unionpay.TestEndpoints(), false},
		{"issued key, production", "k3Y-issued-by-UnionPay", unionpay.ProductionEndpoints(), false},
	} {
		t.Run(tt.name, func(t *testing.T) {
			signer, err := sign.NewSecureKeySigner(sign.MethodSHA256Key, []byte(tt.key))
			require.NoError(t, err)
			v, err := cert.NewVerifier(cert.VerifierConfig{SecureKey: []byte(tt.key)})
			require.NoError(t, err)
			assert.Equal(t, tt.key == cert.PublicTestSecureKey, v.AcceptsPublicTestKey())
			_, err = unionpay.NewClient(unionpay.Config{MerchantID: "777290058110048", Signer: signer, Verifier: v,
				Endpoints: tt.endpoints})
			if !tt.refused {
				require.NoError(t, err)
				return
			}
			var ce *unionpay.ConfigError
			require.True(t, errors.As(err, &ce), "NewClient accepted the public test key in production (err %v)", err)
			assert.Equal(t, "Config.Verifier", ce.Field)
			assert.Contains(t, ce.Error(), "public test secure key")
			assert.NotContains(t, ce.Error(), "Config.Verifier.Config", "the field is named once")
		})
	}
	var zero cert.Verifier
	assert.False(t, zero.AcceptsPublicTestKey())
	assert.False(t, (*cert.Verifier)(nil).AcceptsPublicTestKey())
}

// TestConfigPublicTestKeyProductionEndpoint: any one of the Endpoints on a production host (the
// gateway's or the file server's) makes the public test secure key refused, the others being the
// test environment's.
func TestConfigPublicTestKeyProductionEndpoint(t *testing.T) {
	t.Parallel()
	prod := unionpay.ProductionEndpoints()
	for _, tt := range []struct {
		name string
		set  func(e *unionpay.Endpoints)
	}{
		{"Front", func(e *unionpay.Endpoints) { e.Front = prod.Front }},
		{"Back", func(e *unionpay.Endpoints) { e.Back = prod.Back }},
		{"Query", func(e *unionpay.Endpoints) { e.Query = prod.Query }},
		{"Batch", func(e *unionpay.Endpoints) { e.Batch = prod.Batch }},
		{"File", func(e *unionpay.Endpoints) { e.File = prod.File }},
		{"App", func(e *unionpay.Endpoints) { e.App = prod.App }},
		{"Card", func(e *unionpay.Endpoints) { e.Card = prod.Card }},
	} {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			signer, err := sign.NewSecureKeySigner(sign.MethodSHA256Key, []byte(cert.PublicTestSecureKey))
			require.NoError(t, err)
			v, err := cert.NewVerifier(cert.VerifierConfig{SecureKey: []byte(cert.PublicTestSecureKey)})
			require.NoError(t, err)
			e := unionpay.TestEndpoints()
			tt.set(&e)
			_, err = unionpay.NewClient(unionpay.Config{MerchantID: "777290058110048", Signer: signer, Verifier: v,
				Endpoints: e})
			var ce *unionpay.ConfigError
			require.True(t, errors.As(err, &ce), "NewClient accepted the public test key with %s on production (err %v)", tt.name, err)
			assert.Equal(t, "Config.Verifier", ce.Field)
		})
	}
}

// TestConfigPublicTestKeyProductionPKI: whatever the URLs (here an egress proxy's), a Verifier
// that accepts UnionPay's public test secure key is refused when the Encrypter holds UnionPay's
// production encryption certificate or the Signer's certificate was issued by UnionPay's
// production middle (cert.IsProduction); the test environment's certificates are taken with it.
func TestConfigPublicTestKeyProductionPKI(t *testing.T) {
	t.Parallel()
	const proxy = "https://up-egress.internal/gateway/api/"
	endpoints := unionpay.Endpoints{Front: proxy + "frontTransReq.do", Back: proxy + "backTransReq.do", Query: proxy + "queryTrans.do"}
	loadCert := func(dir, name string) *x509.Certificate {
		c, err := cert.LoadCertificateFile(filepath.Join(testCerts, "..", dir, name))
		require.NoError(t, err)
		return c
	}
	encrypter := func(c *x509.Certificate) *cert.Encrypter {
		e, err := cert.NewEncrypter(c)
		require.NoError(t, err)
		return e
	}
	keySigner, err := sign.NewSecureKeySigner(sign.MethodSHA256Key, []byte(cert.PublicTestSecureKey))
	require.NoError(t, err)
	keyOnly, err := cert.NewVerifier(cert.VerifierConfig{SecureKey: []byte(cert.PublicTestSecureKey)})
	require.NoError(t, err)
	withChain, err := cert.NewVerifier(cert.VerifierConfig{Root: loadCert("acp-test-certs", "acp_test_root.cer"),
		Middle: loadCert("acp-test-certs", "acp_test_middle.cer"), AcceptTestOwner: true, SecureKey: []byte(cert.PublicTestSecureKey)})
	require.NoError(t, err)
	for _, tt := range []struct {
		name      string
		signer    sign.Signer
		verifier  *cert.Verifier
		encrypter *cert.Encrypter
		field     string // the production field named; "": accepted
	}{
		{"production encryption certificate", keySigner, keyOnly, encrypter(loadCert("acp-prod-certs", "acp_prod_enc.cer")), "Config.Encrypter"},
		{"signing certificate of the production middle", productionRSASigner(t), withChain, nil, "Config.Signer"},
		{"test encryption certificate", keySigner, keyOnly, encrypter(loadCert("acp-test-certs", "acp_test_enc.cer")), ""},
		{"test signing certificate", testPFXSigner(t), withChain, nil, ""},
		{"no certificate", keySigner, keyOnly, nil, ""},
	} {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			_, err := unionpay.NewClient(unionpay.Config{MerchantID: "777290058110048", Signer: tt.signer, Verifier: tt.verifier,
				Encrypter: tt.encrypter, Endpoints: endpoints})
			if tt.field == "" {
				require.NoError(t, err)
				return
			}
			var ce *unionpay.ConfigError
			require.True(t, errors.As(err, &ce), "NewClient accepted the public test key with %s (err %v)", tt.field, err)
			assert.Equal(t, "Config.Verifier", ce.Field)
			assert.Contains(t, ce.Error(), "public test secure key, and "+tt.field+" holds a certificate of UnionPay's production PKI")
			assert.NotContains(t, ce.Error(), cert.PublicTestSecureKey, "the key is never printed")
		})
	}
}

// productionRSASigner returns a signer whose certificate names UnionPay's production middle as
// issuer (productionMerchantCert).
func productionRSASigner(t *testing.T) sign.Signer {
	t.Helper()
	key, c := productionMerchantCert(t)
	s, err := sign.NewRSASigner(key, cert.CertID(c))
	require.NoError(t, err)
	s, err = s.WithCertificate(c)
	require.NoError(t, err)
	return s
}

// productionMerchantCert returns a new key and its certificate, which names UnionPay's production
// middle (CFCA OCA1, subject key identifier d1dbe988…) as issuer, as a production merchant's does.
func productionMerchantCert(t *testing.T) (*rsa.PrivateKey, *x509.Certificate) {
	t.Helper()
	key, err := rsa.GenerateKey(rand.Reader, 2048)
	require.NoError(t, err)
	middleID, err := hex.DecodeString("d1dbe98882e5dd1a8f4caa008cbe7cf2ab1bf6d9")
	require.NoError(t, err)
	now := time.Now()
	issuer := &x509.Certificate{SerialNumber: big.NewInt(1000000019), Subject: pkix.Name{Country: []string{"CN"}, Organization: []string{"CFCA OCA1"}},
		NotBefore: now.Add(-time.Hour), NotAfter: now.Add(time.Hour), BasicConstraintsValid: true, IsCA: true,
		KeyUsage: x509.KeyUsageCertSign, SubjectKeyId: middleID}
	leaf := &x509.Certificate{SerialNumber: big.NewInt(73000000001), Subject: pkix.Name{CommonName: "041@Z12@777290058110048@00000001"},
		NotBefore: now.Add(-time.Hour), NotAfter: now.Add(time.Hour), KeyUsage: x509.KeyUsageDigitalSignature}
	der, err := x509.CreateCertificate(rand.Reader, leaf, issuer, &key.PublicKey, key)
	require.NoError(t, err)
	c, err := x509.ParseCertificate(der)
	require.NoError(t, err)
	require.True(t, cert.IsProduction(c))
	return key, c
}

// testPFXSigner returns the signer of UnionPay's public test merchant PFX.
func testPFXSigner(t *testing.T) sign.Signer {
	t.Helper()
	p, err := cert.LoadPFXFile(filepath.Join(testCerts, "unipayAppCert.pfx"), "000000")
	require.NoError(t, err)
	s, err := p.Signer()
	require.NoError(t, err)
	return s
}

package cert

import (
	"crypto/rand"
	"crypto/x509"
	"encoding/base64"
	"fmt"
	"testing"

	"github.com/emmansun/gmsm/sm2"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/goacp/unionpay/sign"
)

// The Verifier accepts signMethod 21 when, and only when, SM2 trust is
// configured, and never lets a message pick a method that is not.
func TestVerifierSM2(t *testing.T) {
	t.Parallel()
	sm2Chain := newSM2TestChain(t, "SM2", nil)
	legacy := issueSM2(t, certSpec{cn: "041@1@" + OwnerUnionPay + "@2", serial: 69678957999}, sm2Chain.middle)
	rsaChain := newTestChain(t, "RSA", nil)

	sm2Only, err := NewVerifier(VerifierConfig{SM2Root: sm2Chain.root.cert, SM2Middle: sm2Chain.middle.cert,
		SM2Certs: []*x509.Certificate{legacy.cert}, Now: fixedNow(sm2TestNow)})
	require.NoError(t, err)
	rsaOnly, err := NewVerifier(VerifierConfig{Root: rsaChain.root.cert, Middle: rsaChain.middle.cert,
		SecureKey: []byte("88888888"), Now: fixedNow(sm2TestNow)})
	require.NoError(t, err)
	both, err := NewVerifier(VerifierConfig{Root: rsaChain.root.cert, Middle: rsaChain.middle.cert,
		SM2Root: sm2Chain.root.cert, SM2Middle: sm2Chain.middle.cert, Now: fixedNow(sm2TestNow)})
	require.NoError(t, err)

	sm2510 := sm2Response(t, sm2Chain.leaf, sign.Version510)
	sm2500 := sm2Response(t, legacy, sign.Version500)
	rsa510 := rsaChain.notification(t)
	key := sign.Fields{"version": "5.1.0", "encoding": "UTF-8", "orderId": "A1"}
	ks, err := sign.NewSecureKeySigner(sign.MethodSHA256Key, []byte("88888888"))
	require.NoError(t, err)
	require.NoError(t, sign.Sign(ks, key))

	for name, tt := range map[string]struct {
		v    *Verifier
		f    sign.Fields
		want string // signMethod verified, or "" for an error
	}{
		"SM2 5.1.0":                          {sm2Only, sm2510, "21"},
		"SM2 5.0.0":                          {sm2Only, sm2500, "21"},
		"SM2 5.1.0, both configured":         {both, sm2510, "21"},
		"RSA 5.1.0, both configured":         {both, rsa510, "01"},
		"RSA to an SM2-only merchant":        {sm2Only, rsa510, ""},
		"secure key to an SM2-only merchant": {sm2Only, key, ""},
		"SM2 to an RSA-only merchant":        {rsaOnly, sm2510, ""},
		"SM2 5.0.0 without SM2Certs":         {both, sm2500, ""},
	} {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			s, err := tt.v.Verify(tt.f)
			if tt.want == "" {
				assert.ErrorIs(t, err, ErrMethod)
				assert.Nil(t, s)
				return
			}
			require.NoError(t, err)
			assert.Equal(t, tt.want, s.Method)
		})
	}

	// A message that relabels its method is not verified with the other one.
	relabel := func(f sign.Fields, method string) sign.Fields {
		c := f.Clone()
		c["signMethod"] = method
		return c
	}
	_, err = both.Verify(relabel(sm2510, "01"))
	assert.Error(t, err, "SM2 message relabelled 01")
	_, err = both.Verify(relabel(rsa510, "21"))
	assert.Error(t, err, "RSA message relabelled 21")
	tampered := sm2510.Clone()
	tampered["respCode"] = "01"
	_, err = both.Verify(tampered)
	assert.ErrorIs(t, err, sign.ErrSignature)

	// Certificate validation follows the key type.
	assert.NoError(t, sm2Only.ValidateCertificate(sm2Chain.leaf.cert))
	assert.NoError(t, both.ValidateCertificate(sm2Chain.leaf.cert))
	assert.NoError(t, both.ValidateCertificate(rsaChain.leaf.cert))
	assert.ErrorIs(t, rsaOnly.ValidateCertificate(sm2Chain.leaf.cert), ErrNoChain)
	assert.ErrorIs(t, sm2Only.ValidateCertificate(rsaChain.leaf.cert), ErrNoChain)
	assert.NoError(t, both.CheckEncryptionTrust(true))
	assert.NoError(t, both.CheckEncryptionTrust(false))
	assert.ErrorIs(t, rsaOnly.CheckEncryptionTrust(true), ErrNoChain)
	assert.ErrorIs(t, sm2Only.CheckEncryptionTrust(false), ErrNoChain)
	assert.NoError(t, sm2Only.CheckEncryptionTrust(true))
	other := newSM2TestChain(t, "Other", nil)
	assert.Equal(t, UnknownAuthority, reasonOf(both.ValidateCertificate(other.leaf.cert)))
	enc := issueSM2(t, certSpec{cn: "041@1@" + OwnerUnionPay + "@enc", keyUsage: 0x0004 | 0x0008}, sm2Chain.middle)
	assert.NoError(t, both.ValidateEncryptionCertificate(enc.cert))
	assert.ErrorIs(t, rsaOnly.ValidateEncryptionCertificate(enc.cert), ErrNoChain)
}

func TestNewVerifierSM2Errors(t *testing.T) {
	t.Parallel()
	sm2Chain := newSM2TestChain(t, "SM2", nil)
	rsaChain := newTestChain(t, "RSA", nil)
	for name, cfg := range map[string]VerifierConfig{
		"SM2Root without SM2Middle":      {SM2Root: sm2Chain.root.cert},
		"RSA chain as SM2":               {SM2Root: rsaChain.root.cert, SM2Middle: rsaChain.middle.cert},
		"SM2 chain as RSA":               {Root: sm2Chain.root.cert, Middle: sm2Chain.middle.cert},
		"RSA certificate in SM2Certs":    {SM2Certs: []*x509.Certificate{rsaChain.leaf.cert}},
		"SM2 certificate in LegacyCerts": {LegacyCerts: []*x509.Certificate{sm2Chain.leaf.cert}},
	} {
		v, err := NewVerifier(cfg)
		assert.Error(t, err, name)
		assert.Nil(t, v, name)
	}
}

// Encrypter, Decrypter and customerInfo work with SM2 certificates and keys
// as with RSA ones.
func TestEncrypterSM2(t *testing.T) {
	t.Parallel()
	cred := loadSM2Credential(t)
	// UnionPay encrypts to the merchant's certificate; here the merchant's
	// own certificate stands in for UnionPay's encryption certificate, so
	// the merchant key can decrypt.
	e, err := NewEncrypter(cred.Certificate)
	require.NoError(t, err)
	assert.Equal(t, sm2CredentialCertID, e.CertID())
	d, err := cred.Decrypter()
	require.NoError(t, err)

	ct, err := e.Encrypt("6216261000000000018")
	require.NoError(t, err)
	raw, err := base64.StdEncoding.DecodeString(ct)
	require.NoError(t, err)
	assert.Equal(t, byte(0x04), raw[0])
	assert.Len(t, raw, 97+19)
	plain, err := d.Decrypt(ct)
	require.NoError(t, err)
	assert.Equal(t, "6216261000000000018", plain)

	pin, err := e.EncryptPIN("123456", "6216261000000000018")
	require.NoError(t, err)
	block, err := PINBlock("123456", "6216261000000000018")
	require.NoError(t, err)
	got, err := d.decrypt(pin)
	require.NoError(t, err)
	assert.Equal(t, block, got)

	info, err := e.CustomerInfo([]Pair{{"certifTp", "01"}, {"certifId", "341126197709218366"}, {"customerNm", "全渠道"},
		{"phoneNo", "13552535506"}, {"cvn2", "123"}, {"expired", "2311"}}, "", true)
	require.NoError(t, err)
	pairs, err := ParseCustomerInfo(info, d)
	require.NoError(t, err)
	assert.Contains(t, pairs, Pair{"phoneNo", "13552535506"})
	assert.Contains(t, pairs, Pair{"cvn2", "123"})
	assert.Contains(t, pairs, Pair{"customerNm", "全渠道"})

	// A Decrypter over an sm2.PrivateKey, as an HSM would offer it.
	d2, err := NewDecrypter(cred.Key)
	require.NoError(t, err)
	plain, err = d2.Decrypt(ct)
	require.NoError(t, err)
	assert.Equal(t, "6216261000000000018", plain)

	// An RSA ciphertext is not an SM2 one, and the reverse.
	rsaPFX := loadTestPFX(t, "acp_test_sign.pfx")
	rsaDec, err := rsaPFX.Decrypter()
	require.NoError(t, err)
	_, err = rsaDec.Decrypt(ct)
	assert.Error(t, err)
	rsaEnc, err := NewEncrypter(rsaPFX.Certificate)
	require.NoError(t, err)
	rsaCT, err := rsaEnc.Encrypt("6216261000000000018")
	require.NoError(t, err)
	_, err = d.Decrypt(rsaCT)
	assert.Error(t, err)

	// Another SM2 key cannot decrypt.
	otherKey, err := sm2.GenerateKey(rand.Reader)
	require.NoError(t, err)
	od, err := NewDecrypter(otherKey)
	require.NoError(t, err)
	_, err = od.Decrypt(ct)
	assert.Error(t, err)
}

// ParseCertificate and LoadCertificateFile read SM2 certificates too.
func TestParseCertificateSM2(t *testing.T) {
	t.Parallel()
	ch := newSM2TestChain(t, "SM2", nil)
	c, err := ParseCertificate([]byte(ch.leaf.pem))
	require.NoError(t, err)
	assert.True(t, isSM2Certificate(c))
	assert.Equal(t, CertID(ch.leaf.cert), CertID(c))
	c, err = ParseCertificate(ch.root.cert.Raw)
	require.NoError(t, err)
	assert.True(t, isSM2Certificate(c))
}

// One Verifier, SM2 signer and Encrypter shared by many goroutines (run
// with -race).
func TestSM2Concurrent(t *testing.T) {
	t.Parallel()
	ch := newSM2TestChain(t, "SM2", nil)
	v, err := NewVerifier(VerifierConfig{SM2Root: ch.root.cert, SM2Middle: ch.middle.cert, CacheSize: 2,
		Now: fixedNow(sm2TestNow)})
	require.NoError(t, err)
	signer, err := sign.NewSM2Signer(ch.leaf.key, CertID(ch.leaf.cert))
	require.NoError(t, err)
	cred := loadSM2Credential(t)
	e, err := NewEncrypter(cred.Certificate)
	require.NoError(t, err)
	d, err := cred.Decrypter()
	require.NoError(t, err)
	errs := make(chan error, 8)
	for i := range 8 {
		go func() {
			for j := range 10 {
				f := sign.Fields{"version": "5.1.0", "encoding": "UTF-8", "orderId": fmt.Sprintf("ORDER%03d-%03d", i, j),
					"txnTime": "20261125120000", FieldSignPubKeyCert: ch.leaf.pem}
				if err := sign.Sign(signer, f); err != nil {
					errs <- err
					return
				}
				if _, err := v.Verify(f); err != nil {
					errs <- err
					return
				}
				ct, err := e.Encrypt(f["orderId"])
				if err != nil {
					errs <- err
					return
				}
				if p, err := d.Decrypt(ct); err != nil || p != f["orderId"] {
					errs <- fmt.Errorf("decrypt: %q, %v", p, err)
					return
				}
			}
			errs <- nil
		}()
	}
	for range 8 {
		assert.NoError(t, <-errs)
	}
}

// TestSM2ChainInRSAFields: UnionPay's SM2 root and middle given as Root and Middle are refused
// naming the field and the one to use (it said "x509: cannot verify signature: algorithm
// unimplemented", a bad signature; found by an SM2 merchant's trial).
func TestSM2ChainInRSAFields(t *testing.T) {
	t.Parallel()
	sm2Chain := newSM2TestChain(t, "SM2", nil)
	_, err := NewVerifier(VerifierConfig{Root: sm2Chain.root.cert, Middle: sm2Chain.middle.cert})
	require.Error(t, err)
	assert.Contains(t, err.Error(), "SM2Root or SM2Middle")
	assert.Contains(t, err.Error(), "VerifierConfig.Root")
	assert.Equal(t, Malformed, reasonOf(err))
}

// TestSM2CertsOnly: a 5.0.0 SM2 configuration (SM2Certs, no SM2Root and SM2Middle) cannot
// validate SM2 certificates: ValidateCertificate, ValidateEncryptionCertificate and
// CheckEncryptionTrust(true) say the chain is missing (ErrNoChain), not that a method was refused.
// The same SM2 certificate given twice is taken once.
func TestSM2CertsOnly(t *testing.T) {
	t.Parallel()
	sm2Chain := newSM2TestChain(t, "SM2Only", nil)
	v, err := NewVerifier(VerifierConfig{SM2Certs: []*x509.Certificate{sm2Chain.leaf.cert, sm2Chain.leaf.cert}})
	require.NoError(t, err, "the same certificate twice")
	twin := issueSM2(t, certSpec{cn: "SM2Only twin", serial: sm2Chain.leaf.cert.SerialNumber.Int64(),
		keyUsage: x509.KeyUsageDigitalSignature}, sm2Chain.middle)
	_, err = NewVerifier(VerifierConfig{SM2Certs: []*x509.Certificate{sm2Chain.leaf.cert, twin.cert}})
	require.ErrorContains(t, err, "two certificates with certId", "two different ones with one certId")
	enc := issueSM2(t, certSpec{cn: "043@1@" + OwnerUnionPay + "@enc", keyUsage: x509.KeyUsageKeyEncipherment}, sm2Chain.middle)
	for name, err := range map[string]error{
		"ValidateCertificate":           v.ValidateCertificate(sm2Chain.leaf.cert),
		"ValidateEncryptionCertificate": v.ValidateEncryptionCertificate(enc.cert),
		"CheckEncryptionTrust":          v.CheckEncryptionTrust(true),
	} {
		require.ErrorIs(t, err, ErrNoChain, name)
		assert.NotErrorIs(t, err, ErrMethod, name)
	}
}

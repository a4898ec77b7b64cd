package cert

import (
	"crypto"
	"crypto/ecdsa"
	"crypto/rsa"
	"crypto/x509"
	"io"
	"math/big"
	"testing"

	"github.com/emmansun/gmsm/sm2"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/goacp/unionpay/sign"
)

// brokenKey is a crypto.Signer and crypto.Decrypter whose Public method
// returns pub and whose other methods are absent (they would panic).
type brokenKey struct {
	crypto.Decrypter
	pub crypto.PublicKey
}

func (k brokenKey) Public() crypto.PublicKey { return k.pub }

func (k brokenKey) Sign(_ io.Reader, _ []byte, _ crypto.SignerOpts) ([]byte, error) {
	panic("brokenKey.Sign")
}

// Each of these calls panicked (a nil pointer inside an interface or a
// nil key in a credential) or returned a value that panicked later.
func TestNilKeysRefused(t *testing.T) {
	t.Parallel()
	pfx := loadTestPFX(t, "acp_test_sign.pfx")
	sm2Cred := loadSM2Credential(t)
	tests := []struct {
		name string
		call func() (any, error)
		want string // what the error names
	}{
		{"NewDecrypter nil *rsa.PrivateKey", func() (any, error) {
			return NewDecrypter((*rsa.PrivateKey)(nil))
		}, "cert: NewDecrypter: key is a nil *rsa.PrivateKey"},
		{"NewDecrypter nil *sm2.PrivateKey", func() (any, error) {
			return NewDecrypter((*sm2.PrivateKey)(nil))
		}, "cert: NewDecrypter: key is a nil *sm2.PrivateKey"},
		{"NewDecrypter zero rsa.PrivateKey", func() (any, error) {
			return NewDecrypter(&rsa.PrivateKey{})
		}, "cert: NewDecrypter: RSA key has no modulus"},
		{"NewDecrypter nil *ecdsa.PublicKey", func() (any, error) {
			return NewDecrypter(brokenKey{pub: (*ecdsa.PublicKey)(nil)})
		}, "has no public key"},
		{"NewDecrypter nil public key", func() (any, error) {
			return NewDecrypter(brokenKey{})
		}, "has no public key"},
		{"NewEncrypter nil *ecdsa.PublicKey", func() (any, error) {
			return NewEncrypter(&x509.Certificate{SerialNumber: big.NewInt(1), PublicKey: (*ecdsa.PublicKey)(nil)})
		}, "cert: NewEncrypter: certificate key is *ecdsa.PublicKey, want RSA or SM2"},
		{"NewEncrypter SM2 point without coordinates", func() (any, error) {
			return NewEncrypter(&x509.Certificate{SerialNumber: big.NewInt(1), PublicKey: &ecdsa.PublicKey{Curve: sm2.P256()}})
		}, "want RSA or SM2"},
		{"NewEncrypter nil *rsa.PublicKey", func() (any, error) {
			return NewEncrypter(&x509.Certificate{SerialNumber: big.NewInt(1), PublicKey: (*rsa.PublicKey)(nil)})
		}, "cert: NewEncrypter: certificate key is *rsa.PublicKey, want RSA or SM2"},
		{"NewEncrypter zero rsa.PublicKey", func() (any, error) {
			return NewEncrypter(&x509.Certificate{SerialNumber: big.NewInt(1), PublicKey: &rsa.PublicKey{}})
		}, "cert: NewEncrypter: certificate's RSA key has no modulus"},
		{"NewEncrypter no serial number", func() (any, error) {
			return NewEncrypter(&x509.Certificate{PublicKey: pfx.Certificate.PublicKey})
		}, "cert: NewEncrypter: certificate has no serial number"},
		{"PFX nil *rsa.PrivateKey Signer", func() (any, error) {
			return (&PFX{Key: (*rsa.PrivateKey)(nil), Certificate: pfx.Certificate}).Signer()
		}, "cert: PFX.Key is nil"},
		{"PFX nil *rsa.PrivateKey Decrypter", func() (any, error) {
			return (&PFX{Key: (*rsa.PrivateKey)(nil)}).Decrypter()
		}, "cert: PFX.Key is nil"},
		{"PFX zero Signer", func() (any, error) { return (&PFX{}).Signer() }, "cert: PFX.Key is nil"},
		{"PFX zero Decrypter", func() (any, error) { return (&PFX{}).Decrypter() }, "cert: PFX.Key is nil"},
		{"PFX without certificate", func() (any, error) {
			return (&PFX{Key: pfx.Key}).Signer()
		}, "cert: PFX.Certificate is nil"},
		{"PFX zero rsa.PrivateKey", func() (any, error) {
			return (&PFX{Key: &rsa.PrivateKey{}, Certificate: pfx.Certificate}).Signer()
		}, "cert: PFX.Signer: sign: RSA signer: key has no modulus"},
		{"nil *PFX Signer", func() (any, error) { return (*PFX)(nil).Signer() }, "cert: nil *PFX"},
		{"nil *PFX Decrypter", func() (any, error) { return (*PFX)(nil).Decrypter() }, "cert: nil *PFX"},
		{"SM2Credential nil *sm2.PrivateKey Signer", func() (any, error) {
			return (&SM2Credential{Key: (*sm2.PrivateKey)(nil), Certificate: sm2Cred.Certificate}).Signer()
		}, "cert: SM2Credential.Key is nil"},
		{"SM2Credential nil *sm2.PrivateKey Decrypter", func() (any, error) {
			return (&SM2Credential{Key: (*sm2.PrivateKey)(nil)}).Decrypter()
		}, "cert: SM2Credential.Key is nil"},
		{"SM2Credential zero Signer", func() (any, error) { return (&SM2Credential{}).Signer() }, "cert: SM2Credential.Key is nil"},
		{"SM2Credential zero Decrypter", func() (any, error) { return (&SM2Credential{}).Decrypter() }, "cert: SM2Credential.Key is nil"},
		{"SM2Credential zero sm2.PrivateKey", func() (any, error) {
			return (&SM2Credential{Key: &sm2.PrivateKey{}, Certificate: sm2Cred.Certificate}).Signer()
		}, "cert: SM2Credential.Key has no private scalar"},
		{"SM2Credential without certificate", func() (any, error) {
			return (&SM2Credential{Key: sm2Cred.Key}).Signer()
		}, "cert: SM2Credential.Certificate is nil"},
		{"nil *SM2Credential Signer", func() (any, error) { return (*SM2Credential)(nil).Signer() }, "cert: nil *SM2Credential"},
		{"nil *SM2Credential Decrypter", func() (any, error) { return (*SM2Credential)(nil).Decrypter() }, "cert: nil *SM2Credential"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			var err error
			require.NotPanics(t, func() { _, err = tt.call() })
			assert.ErrorContains(t, err, tt.want)
		})
	}
	t.Run("CertID of a nil credential", func(t *testing.T) {
		t.Parallel()
		require.NotPanics(t, func() {
			assert.Empty(t, (*PFX)(nil).CertID())
			assert.Empty(t, (*SM2Credential)(nil).CertID())
		})
	})
}

// The zero values and nil pointers of Encrypter and Decrypter panicked on
// every use.
func TestUnusableEncrypterDecrypter(t *testing.T) {
	t.Parallel()
	const (
		pan       = "6216261000000000018"
		wantEnc   = "cert: Encrypter is not initialised: use NewEncrypter"
		wantDec   = "cert: Decrypter is not initialised: use NewDecrypter"
		cipherB64 = "AAAA"
	)
	var nilEnc *Encrypter
	var nilDec *Decrypter
	for _, e := range []struct {
		name string
		e    *Encrypter
	}{{"zero Encrypter", &Encrypter{}}, {"nil *Encrypter", nilEnc}} {
		calls := []struct {
			name string
			call func() (string, error)
		}{
			{"Encrypt", func() (string, error) { return e.e.Encrypt("x") }},
			{"EncryptPIN", func() (string, error) { return e.e.EncryptPIN("123456", pan) }},
			{"CustomerInfo", func() (string, error) {
				return e.e.CustomerInfo([]Pair{{Key: "pin", Value: "123456"}}, pan, true)
			}},
			{"CustomerInfo without pairs", func() (string, error) { return e.e.CustomerInfo(nil, "", false) }},
		}
		for _, c := range calls {
			t.Run(e.name+" "+c.name, func(t *testing.T) {
				t.Parallel()
				require.NotPanics(t, func() {
					out, err := c.call()
					assert.EqualError(t, err, wantEnc)
					assert.Empty(t, out)
				})
			})
		}
		t.Run(e.name+" accessors", func(t *testing.T) {
			t.Parallel()
			require.NotPanics(t, func() {
				assert.Empty(t, e.e.CertID())
				assert.Nil(t, e.e.Certificate())
				assert.EqualError(t, e.e.Check(), wantEnc)
			})
		})
	}
	for _, d := range []struct {
		name string
		d    *Decrypter
	}{{"zero Decrypter", &Decrypter{}}, {"nil *Decrypter", nilDec}} {
		t.Run(d.name, func(t *testing.T) {
			t.Parallel()
			require.NotPanics(t, func() {
				out, err := d.d.Decrypt(cipherB64)
				assert.EqualError(t, err, wantDec)
				assert.Empty(t, out)
				assert.EqualError(t, d.d.Check(), wantDec)
			})
		})
	}
	t.Run("zero Decrypter in ParseCustomerInfo", func(t *testing.T) {
		t.Parallel()
		enc, _ := opensslMerchant(t)
		info, err := enc.CustomerInfo([]Pair{{Key: CustomerPhoneNo, Value: "13552535506"}}, "", true)
		require.NoError(t, err)
		require.NotPanics(t, func() {
			_, err = ParseCustomerInfo(info, &Decrypter{})
			assert.ErrorContains(t, err, wantDec)
		})
	})
}

func TestCheckUsable(t *testing.T) {
	t.Parallel()
	enc, dec := opensslMerchant(t)
	sm2Enc, err := NewEncrypter(loadSM2Credential(t).Certificate)
	require.NoError(t, err)
	sm2Dec, err := loadSM2Credential(t).Decrypter()
	require.NoError(t, err)
	for name, check := range map[string]func() error{
		"RSA Encrypter": enc.Check,
		"SM2 Encrypter": sm2Enc.Check,
		"RSA Decrypter": dec.Check,
		"SM2 Decrypter": sm2Dec.Check,
	} {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			assert.NoError(t, check())
		})
	}
}

// A nil *Verifier panicked in VerifyForm, the Validate methods and String;
// like the zero value, it must refuse everything with ErrMethod.
func TestUnusableVerifier(t *testing.T) {
	t.Parallel()
	rsaCert := loadTestCert(t, "acp_test_enc.cer")
	sm2Cert := loadSM2Credential(t).Certificate
	msg := func(method, version string) sign.Fields {
		return sign.Fields{"version": version, "signMethod": method, "certId": "1", "signature": "c2ln", "a": "1"}
	}
	for _, v := range []struct {
		name string
		v    *Verifier
	}{{"zero Verifier", &Verifier{}}, {"nil *Verifier", nil}} {
		calls := map[string]func() error{
			"Verify 01 5.1.0": func() error { _, err := v.v.Verify(msg(sign.MethodRSA, sign.Version510)); return err },
			"Verify 01 5.0.0": func() error { _, err := v.v.Verify(msg(sign.MethodRSA, sign.Version500)); return err },
			"Verify 11":       func() error { _, err := v.v.Verify(msg(sign.MethodSHA256Key, sign.Version510)); return err },
			"Verify 21":       func() error { _, err := v.v.Verify(msg(sign.MethodSM2, sign.Version510)); return err },
			"VerifyForm": func() error {
				_, _, err := v.v.VerifyForm([]byte("version=5.1.0&signMethod=01&signature=c2ln&a=1"))
				return err
			},
			// A message without signature or signMethod is refused for the
			// Verifier first (the zero value said "no signature field").
			"Verify unsigned": func() error { _, err := v.v.Verify(sign.Fields{"orderId": "1"}); return err },
			"VerifyForm unsigned": func() error {
				_, _, err := v.v.VerifyForm([]byte("orderId=1"))
				return err
			},
			"ValidateCertificate RSA":           func() error { return v.v.ValidateCertificate(rsaCert) },
			"ValidateCertificate SM2":           func() error { return v.v.ValidateCertificate(sm2Cert) },
			"ValidateEncryptionCertificate RSA": func() error { return v.v.ValidateEncryptionCertificate(rsaCert) },
			"ValidateEncryptionCertificate SM2": func() error { return v.v.ValidateEncryptionCertificate(sm2Cert) },
			"CheckEncryptionTrust RSA":          func() error { return v.v.CheckEncryptionTrust(false) },
			"CheckEncryptionTrust SM2":          func() error { return v.v.CheckEncryptionTrust(true) },
		}
		for name, call := range calls {
			t.Run(v.name+" "+name, func(t *testing.T) {
				t.Parallel()
				var err error
				require.NotPanics(t, func() { err = call() })
				assert.ErrorIs(t, err, ErrMethod)
			})
		}
		t.Run(v.name+" String", func(t *testing.T) {
			t.Parallel()
			require.NotPanics(t, func() { _ = v.v.String() + v.v.GoString() })
		})
		t.Run(v.name+" Check", func(t *testing.T) {
			t.Parallel()
			assert.ErrorIs(t, v.v.Check(), ErrMethod)
		})
	}
	made, err := NewVerifier(VerifierConfig{SecureKey: []byte("88888888"), SecureKeyMethods: []string{sign.MethodSHA256Key}})
	require.NoError(t, err)
	assert.NoError(t, made.Check())
}

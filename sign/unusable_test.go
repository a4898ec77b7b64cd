package sign_test

import (
	"crypto"
	"crypto/ecdsa"
	"crypto/rsa"
	"fmt"
	"testing"

	"github.com/emmansun/gmsm/sm2"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/goacp/unionpay/sign"
)

// publicOnly is a crypto.Signer whose Public method returns pub and whose
// Sign method is absent (it would panic): a broken HSM wrapper.
type publicOnly struct {
	crypto.Signer
	pub crypto.PublicKey
}

func (p publicOnly) Public() crypto.PublicKey { return p.pub }

// Each of these constructor calls panicked (a nil pointer inside the
// crypto.Signer interface) or built a signer that panicked later.
func TestNewSignerRefusesNilKeys(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name string
		new  func() (sign.Signer, error)
		want string // the argument the error names
	}{
		{"RSA: nil *rsa.PrivateKey", func() (sign.Signer, error) {
			return sign.NewRSASigner((*rsa.PrivateKey)(nil), "1")
		}, "key is a nil *rsa.PrivateKey"},
		{"RSA: zero rsa.PrivateKey", func() (sign.Signer, error) {
			return sign.NewRSASigner(&rsa.PrivateKey{}, "1")
		}, "key has no modulus"},
		{"RSA: nil *rsa.PublicKey", func() (sign.Signer, error) {
			return sign.NewRSASigner(publicOnly{pub: (*rsa.PublicKey)(nil)}, "1")
		}, "has no public key"},
		{"RSA: nil public key", func() (sign.Signer, error) {
			return sign.NewRSASigner(publicOnly{}, "1")
		}, "has no public key"},
		{"SM2: nil *sm2.PrivateKey", func() (sign.Signer, error) {
			return sign.NewSM2Signer((*sm2.PrivateKey)(nil), sm2CertID)
		}, "key is a nil *sm2.PrivateKey"},
		{"SM2: nil *ecdsa.PrivateKey", func() (sign.Signer, error) {
			return sign.NewSM2Signer((*ecdsa.PrivateKey)(nil), sm2CertID)
		}, "key is a nil *ecdsa.PrivateKey"},
		{"SM2: zero sm2.PrivateKey", func() (sign.Signer, error) {
			return sign.NewSM2Signer(&sm2.PrivateKey{}, sm2CertID)
		}, "not an SM2 key"},
		{"SM2: nil *ecdsa.PublicKey", func() (sign.Signer, error) {
			return sign.NewSM2Signer(publicOnly{pub: (*ecdsa.PublicKey)(nil)}, sm2CertID)
		}, "has no public key"},
		{"SM2: point without coordinates", func() (sign.Signer, error) {
			return sign.NewSM2Signer(publicOnly{pub: &ecdsa.PublicKey{Curve: sm2.P256()}}, sm2CertID)
		}, "not an SM2 key"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			var s sign.Signer
			var err error
			require.NotPanics(t, func() { s, err = tt.new() })
			require.Error(t, err)
			assert.ErrorContains(t, err, tt.want)
			assert.Regexp(t, `^sign: (RSA|SM2) signer: `, err.Error())
			assert.True(t, s == nil || fmt.Sprint(s) == "<nil>", "no signer with an error")
		})
	}
}

// unusableSigners are the zero values and nil pointers of the package's
// signers, each with the constructor its error names.
func unusableSigners() []struct {
	name   string
	s      sign.Signer
	public func() any // the Public method, where there is one
	want   string
} {
	var zeroRSA, zeroSM2 = &sign.RSASigner{}, &sign.SM2Signer{}
	var nilRSA *sign.RSASigner
	var nilSM2 *sign.SM2Signer
	return []struct {
		name   string
		s      sign.Signer
		public func() any
		want   string
	}{
		{"zero RSASigner", zeroRSA, func() any { return zeroRSA.Public() }, "sign: RSASigner is not initialised: use NewRSASigner"},
		{"nil *RSASigner", nilRSA, func() any { return nilRSA.Public() }, "sign: RSASigner is not initialised: use NewRSASigner"},
		{"zero SM2Signer", zeroSM2, func() any { return zeroSM2.Public() }, "sign: SM2Signer is not initialised: use NewSM2Signer"},
		{"nil *SM2Signer", nilSM2, func() any { return nilSM2.Public() }, "sign: SM2Signer is not initialised: use NewSM2Signer"},
		{"zero SecureKeySigner", &sign.SecureKeySigner{}, nil, "sign: SecureKeySigner is not initialised: use NewSecureKeySigner"},
		{"nil *SecureKeySigner", (*sign.SecureKeySigner)(nil), nil, "sign: SecureKeySigner is not initialised: use NewSecureKeySigner"},
	}
}

// Each of these signers panicked in Sign, CertID, Public or [sign.Sign].
func TestUnusableSignerErrors(t *testing.T) {
	t.Parallel()
	for _, tt := range unusableSigners() {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			require.NotPanics(t, func() {
				sig, err := tt.s.Sign(sign.Version510, []byte("a=1"))
				assert.EqualError(t, err, tt.want)
				assert.Empty(t, sig)
				assert.Empty(t, tt.s.Method())
				assert.Empty(t, tt.s.CertID())
				if tt.public != nil {
					assert.Nil(t, tt.public())
				}
				_ = fmt.Sprintf("%v %+v %#v %s", tt.s, tt.s, tt.s, tt.s)

				f := sign.Fields{"version": sign.Version510, "a": "1"}
				assert.EqualError(t, sign.Sign(tt.s, f), tt.want)
				assert.Equal(t, sign.Fields{"version": sign.Version510, "a": "1"}, f, "f is left unchanged")
			})
		})
	}
}

// fakeSigner is a Signer from outside the package.
type fakeSigner struct{ method, certID string }

func (s *fakeSigner) Method() string                      { return s.method }
func (s *fakeSigner) CertID() string                      { return s.certID }
func (s *fakeSigner) Sign(string, []byte) (string, error) { return "sig", nil }

func TestCheckSigner(t *testing.T) {
	t.Parallel()
	key, _ := testKey(t, "acp_test_sign.pfx")
	rsaSigner, err := sign.NewRSASigner(key, "69629715588")
	require.NoError(t, err)
	sm2Signer, err := sign.NewSM2Signer(newSM2Key(t), sm2CertID)
	require.NoError(t, err)
	keySigner, err := sign.NewSecureKeySigner(sign.MethodSM3Key, []byte("88888888"))
	require.NoError(t, err)
	var nilRSA *sign.RSASigner
	var nilFake *fakeSigner

	good := []sign.Signer{rsaSigner, sm2Signer, keySigner, &fakeSigner{method: "01", certID: "7"},
		&fakeSigner{method: "01"}} // a gateway's: its answers carry signPubKeyCert instead
	for _, s := range good {
		t.Run(fmt.Sprintf("good %T %s", s, s.Method()), func(t *testing.T) {
			t.Parallel()
			assert.NoError(t, sign.CheckSigner(s))
		})
	}
	bad := []struct {
		name string
		s    sign.Signer
		want string
	}{
		{"nil interface", nil, "sign: nil Signer"},
		{"nil *RSASigner", nilRSA, "sign: RSASigner is not initialised: use NewRSASigner"},
		{"nil foreign signer", nilFake, "sign: Signer is a nil *sign_test.fakeSigner"},
		{"no method", &fakeSigner{}, "has no signMethod"},
		{"01 with a signed certId", &fakeSigner{method: "01", certID: "-7"}, `signMethod 01 needs a decimal certId, not "-7"`},
		{"21 with hex certId", &fakeSigner{method: "21", certID: "3DC6"}, `signMethod 21 needs a decimal certId, not "3DC6"`},
		{"11 with certId", &fakeSigner{method: "11", certID: "7"}, `signMethod 11 sends no certId, not "7"`},
		// An unknown method passed NewClient, and every answer was then refused after the request took effect.
		{"unknown method 99", &fakeSigner{method: "99"}, `sign: Signer *sign_test.fakeSigner: signMethod "99" is not one of 01, 11, 12 and 21`},
		{"unknown method 1", &fakeSigner{method: "1"}, `signMethod "1" is not one of 01, 11, 12 and 21`},
		{"method with space", &fakeSigner{method: "01 "}, `signMethod "01 " is not one of 01, 11, 12 and 21`},
	}
	for _, tt := range bad {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			err := sign.CheckSigner(tt.s)
			assert.ErrorContains(t, err, tt.want)
			f := sign.Fields{"version": sign.Version510}
			assert.Equal(t, err, sign.Sign(tt.s, f), "Sign refuses the same signers")
			assert.Equal(t, sign.Fields{"version": sign.Version510}, f)
		})
	}
	for _, tt := range unusableSigners() {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			assert.ErrorContains(t, sign.CheckSigner(tt.s), "sign: ")
		})
	}
}

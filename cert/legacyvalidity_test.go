package cert

import (
	"crypto/x509"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/goacp/unionpay/sign"
)

// TestCheckLegacyValidityExcept: UnionPay's encryption certificate, which a 5.0.0 verify-cert
// directory often holds beside the signing certificate, does not count as a valid 5.0.0 signing certificate when excepted, so that it does
// not hide an expired signing certificate; without except it counts, as CheckLegacyValidity's.
func TestCheckLegacyValidityExcept(t *testing.T) {
	t.Parallel()
	ch := newTestChain(t, "LegacyExcept", nil)
	signing := ch.leaf.cert
	at := signing.NotAfter.Add(time.Hour) // the signing certificate has expired
	enc := issue(t, certSpec{cn: "LegacyExcept encryption", serial: 2001, keyUsage: x509.KeyUsageDigitalSignature |
		x509.KeyUsageKeyEncipherment, notBefore: signing.NotBefore, notAfter: signing.NotAfter.AddDate(1, 0, 0)}, ch.middle).cert
	renewed := issue(t, certSpec{cn: "LegacyExcept renewed", serial: 2002, keyUsage: x509.KeyUsageDigitalSignature,
		notBefore: signing.NotAfter, notAfter: signing.NotAfter.AddDate(1, 0, 0)}, ch.middle).cert

	tests := []struct {
		name   string
		certs  []*x509.Certificate
		except []*x509.Certificate
		reason Reason // 0: valid
		is     error
	}{
		{"expired signing beside the encryption certificate", []*x509.Certificate{signing, enc}, []*x509.Certificate{enc}, Expired, nil},
		{"renewed signing beside the encryption certificate", []*x509.Certificate{signing, enc, renewed}, []*x509.Certificate{enc}, 0, nil},
		{"encryption certificate alone", []*x509.Certificate{enc}, []*x509.Certificate{enc}, 0, ErrNoCertificate},
		{"nothing excepted: the encryption certificate counts", []*x509.Certificate{signing, enc}, nil, 0, nil},
		{"nil excepted", []*x509.Certificate{signing, enc}, []*x509.Certificate{nil}, 0, nil},
		{"excepted certificate not configured", []*x509.Certificate{signing}, []*x509.Certificate{enc}, Expired, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			v, err := NewVerifier(VerifierConfig{LegacyCerts: tt.certs, Now: func() time.Time { return at }})
			require.NoError(t, err)
			err = v.CheckLegacyValidityExcept(sign.MethodRSA, tt.except...)
			switch {
			case tt.is != nil:
				require.ErrorIs(t, err, tt.is)
				assert.Contains(t, err.Error(), "encryption certificate")
			case tt.reason != 0:
				var ie *InvalidError
				require.ErrorAs(t, err, &ie)
				assert.Equal(t, tt.reason, ie.Reason, "%v", err)
				assert.Same(t, signing, ie.Cert)
			default:
				require.NoError(t, err)
			}
			if len(tt.except) == 0 {
				assert.Equal(t, err, v.CheckLegacyValidity(sign.MethodRSA), "CheckLegacyValidity is the method without except")
			}
		})
	}
	require.ErrorIs(t, (*Verifier)(nil).CheckLegacyValidityExcept(sign.MethodRSA, enc), ErrMethod)

	// signMethod 21: SM2Certs are excepted the same way (an SM2 encryption certificate among them).
	sm2 := newSM2TestChain(t, "LegacyExceptSM2", nil).leaf.cert
	v, err := NewVerifier(VerifierConfig{SM2Certs: []*x509.Certificate{sm2}, Now: func() time.Time { return sm2.NotBefore.Add(time.Hour) }})
	require.NoError(t, err)
	require.NoError(t, v.CheckLegacyValidityExcept(sign.MethodSM2))
	err = v.CheckLegacyValidityExcept(sign.MethodSM2, sm2)
	require.ErrorIs(t, err, ErrNoCertificate)
	assert.Contains(t, err.Error(), "encryption certificate")
}

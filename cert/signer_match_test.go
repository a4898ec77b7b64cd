//lint:file-ignore SA1019 a certificate whose SM2 key has no point can only be built from the deprecated fields.

package cert

import (
	"crypto"
	"crypto/ecdsa"
	"crypto/rsa"
	"crypto/x509"
	"math/big"
	"testing"

	"github.com/emmansun/gmsm/sm2"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestSignerRefusesMismatchedCertificate: a PFX (or SM2Credential) built by
// hand with another certificate than its key's made a signer that labelled
// every request with that certificate's certId, which the gateway refuses.
// Found in the bad-input review (section 14). Signer now refuses it.
func TestSignerRefusesMismatchedCertificate(t *testing.T) {
	t.Parallel()
	pfx := loadTestPFX(t, "acp_test_sign.pfx")
	app := loadTestPFX(t, "unipayAppCert.pfx")
	enc := loadTestCert(t, "acp_test_enc.cer")
	cred := loadSM2Credential(t)
	otherSM2 := issueSM2(t, leafSpec(), nil)
	serial := big.NewInt(69629715588)
	tests := []struct {
		name   string
		signer func() (certID string, err error)
		want   string // "" for success
	}{
		{"PFX and its certificate", pfxSigner(pfx.Key, pfx.Certificate), ""},
		{"PFX and the file's certificate, by hand", pfxSigner(app.Key, app.Certificate), ""},
		{"PFX and the encryption certificate", pfxSigner(pfx.Key, enc),
			"cert: PFX.Certificate (certId " + CertID(enc) + ") does not match PFX.Key"},
		{"PFX and another merchant certificate", pfxSigner(pfx.Key, app.Certificate),
			"cert: PFX.Certificate (certId " + app.CertID() + ") does not match PFX.Key"},
		{"PFX and an SM2 certificate", pfxSigner(pfx.Key, cred.Certificate),
			"cert: PFX.Certificate (certId " + sm2CredentialCertID + ") does not match PFX.Key"},
		{"PFX and a certificate with a nil RSA key", pfxSigner(pfx.Key,
			&x509.Certificate{SerialNumber: serial, PublicKey: (*rsa.PublicKey)(nil)}),
			"cert: PFX.Certificate (certId 69629715588) does not match PFX.Key"},
		{"PFX and a certificate with an empty RSA key", pfxSigner(pfx.Key,
			&x509.Certificate{SerialNumber: serial, PublicKey: &rsa.PublicKey{}}),
			"cert: PFX.Certificate (certId 69629715588) does not match PFX.Key"},
		{"PFX and a certificate without a key", pfxSigner(pfx.Key, &x509.Certificate{SerialNumber: serial}),
			"cert: PFX.Certificate (certId 69629715588) does not match PFX.Key"},
		{"SM2Credential and its certificate", sm2Signer(cred.Key, cred.Certificate), ""},
		{"SM2Credential and another SM2 certificate", sm2Signer(cred.Key, otherSM2.cert),
			"cert: SM2Credential.Certificate (certId " + CertID(otherSM2.cert) + ") does not match SM2Credential.Key"},
		{"SM2Credential and an RSA certificate", sm2Signer(cred.Key, pfx.Certificate),
			"cert: SM2Credential.Certificate (certId 69629715588) does not match SM2Credential.Key"},
		{"SM2Credential and an SM2 key without a point", sm2Signer(cred.Key,
			&x509.Certificate{SerialNumber: serial, PublicKey: &ecdsa.PublicKey{Curve: sm2.P256()}}),
			"cert: SM2Credential.Certificate (certId 69629715588) does not match SM2Credential.Key"},
		{"SM2Credential and a nil SM2 key", sm2Signer(cred.Key,
			&x509.Certificate{SerialNumber: serial, PublicKey: (*ecdsa.PublicKey)(nil)}),
			"cert: SM2Credential.Certificate (certId 69629715588) does not match SM2Credential.Key"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			var (
				id  string
				err error
			)
			require.NotPanics(t, func() { id, err = tt.signer() })
			if tt.want == "" {
				require.NoError(t, err)
				assert.NotEmpty(t, id)
				return
			}
			require.EqualError(t, err, tt.want)
		})
	}
}

// pfxSigner returns a call to the Signer of a PFX built by hand.
func pfxSigner(key crypto.Signer, c *x509.Certificate) func() (string, error) {
	return func() (string, error) {
		s, err := (&PFX{Key: key, Certificate: c}).Signer()
		if err != nil {
			return "", err
		}
		return s.CertID(), nil
	}
}

// sm2Signer returns a call to the Signer of an SM2Credential built by hand.
func sm2Signer(key *sm2.PrivateKey, c *x509.Certificate) func() (string, error) {
	return func() (string, error) {
		s, err := (&SM2Credential{Key: key, Certificate: c}).Signer()
		if err != nil {
			return "", err
		}
		return s.CertID(), nil
	}
}

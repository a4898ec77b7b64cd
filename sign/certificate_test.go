package sign_test

import (
	"crypto/x509"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/goacp/unionpay/cert"
	"github.com/goacp/unionpay/sign"
)

// TestWithCertificate: a signer holds its certificate only if the certificate is its own (its
// serial the certId, its key the signer's), and says so from Certificate; the signer it was made
// from is unchanged, and signs as before.
func TestWithCertificate(t *testing.T) {
	t.Parallel()
	pfx, err := cert.LoadPFXFile(filepath.Join("..", "testdata", "acp-test-certs", "unipayAppCert.pfx"), "000000")
	require.NoError(t, err)
	other, err := cert.LoadPFXFile(filepath.Join("..", "testdata", "acp-test-certs", "acp_test_sign.pfx"), "000000")
	require.NoError(t, err)
	sm2c, err := cert.LoadSM2File(filepath.Join("..", "testdata", "sm2", "cfca_test.sm2"), "cfca1234")
	require.NoError(t, err)
	enc, err := cert.LoadCertificateFile(filepath.Join("..", "testdata", "acp-test-certs", "acp_test_enc.cer"))
	require.NoError(t, err)

	rsaBare, err := sign.NewRSASigner(pfx.Key, pfx.CertID())
	require.NoError(t, err)
	sm2Bare, err := sign.NewSM2Signer(sm2c.Key, sm2c.CertID())
	require.NoError(t, err)
	// The other PFX's certificate, claimed for this key under its own certId.
	otherKey, err := sign.NewRSASigner(pfx.Key, other.CertID())
	require.NoError(t, err)

	type withCert interface {
		sign.Signer
		Certificate() *x509.Certificate
	}
	rsaWith := func(s *sign.RSASigner) func(*x509.Certificate) (withCert, error) {
		return func(c *x509.Certificate) (withCert, error) { return s.WithCertificate(c) }
	}
	sm2With := func(s *sign.SM2Signer) func(*x509.Certificate) (withCert, error) {
		return func(c *x509.Certificate) (withCert, error) { return s.WithCertificate(c) }
	}
	for _, tt := range []struct {
		name    string
		with    func(*x509.Certificate) (withCert, error)
		c       *x509.Certificate
		wantErr string
	}{
		{"RSA, its own", rsaWith(rsaBare), pfx.Certificate, ""},
		{"SM2, its own", sm2With(sm2Bare), sm2c.Certificate, ""},
		{"RSA, none", rsaWith(rsaBare), nil, "no certificate"},
		{"SM2, none", sm2With(sm2Bare), nil, "no certificate"},
		{"RSA, another certId", rsaWith(rsaBare), enc, "is not the certId " + pfx.CertID()},
		{"SM2, an RSA certificate", sm2With(sm2Bare), pfx.Certificate, "is not the certId"},
		{"RSA, another key", rsaWith(otherKey), other.Certificate, "the certificate's key is not the signer's"},
		{"RSA, zero signer", rsaWith(&sign.RSASigner{}), pfx.Certificate, "not initialised"},
		{"SM2, zero signer", sm2With(&sign.SM2Signer{}), sm2c.Certificate, "not initialised"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			s, err := tt.with(tt.c)
			if tt.wantErr != "" {
				require.Error(t, err)
				assert.Contains(t, err.Error(), tt.wantErr)
				return
			}
			require.NoError(t, err)
			assert.Same(t, tt.c, s.Certificate())
			sig, err := s.Sign("5.1.0", []byte("a=1"))
			require.NoError(t, err)
			assert.NotEmpty(t, sig)
		})
	}
	assert.Nil(t, rsaBare.Certificate(), "the signer WithCertificate was called on holds none")
	assert.Nil(t, sm2Bare.Certificate())
	assert.Nil(t, (*sign.RSASigner)(nil).Certificate())

	fromPFX, err := pfx.Signer()
	require.NoError(t, err)
	assert.Same(t, pfx.Certificate, fromPFX.Certificate(), "PFX.Signer holds the PFX's certificate")
	fromSM2, err := sm2c.Signer()
	require.NoError(t, err)
	assert.Same(t, sm2c.Certificate, fromSM2.Certificate(), "SM2Credential.Signer holds the file's certificate")
}

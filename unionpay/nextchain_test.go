package unionpay_test

import (
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/x509"
	"crypto/x509/pkix"
	"math/big"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/goacp/unionpay/cert"
	"github.com/goacp/unionpay/unionpay"
)

// caChain returns a root and a middle valid until notAfter.
func caChain(t *testing.T, name string, notAfter time.Time) (root, middle *x509.Certificate) {
	t.Helper()
	mk := func(cn string, parent *x509.Certificate, parentKey *ecdsa.PrivateKey, serial int64) (*x509.Certificate, *ecdsa.PrivateKey) {
		key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
		require.NoError(t, err)
		tmpl := &x509.Certificate{SerialNumber: big.NewInt(serial), Subject: pkix.Name{CommonName: cn},
			NotBefore: time.Date(2020, 1, 1, 0, 0, 0, 0, time.UTC), NotAfter: notAfter,
			IsCA: true, BasicConstraintsValid: true, KeyUsage: x509.KeyUsageCertSign}
		if parent == nil {
			parent, parentKey = tmpl, key
		}
		der, err := x509.CreateCertificate(rand.Reader, tmpl, parent, &key.PublicKey, parentKey)
		require.NoError(t, err)
		c, err := x509.ParseCertificate(der)
		require.NoError(t, err)
		return c, key
	}
	root, rootKey := mk(name+" Root", nil, nil, 1)
	middle, _ = mk(name+" Middle", root, rootKey, 2)
	return root, middle
}

// TestNewClientNextChain: NewClient's check of the 5.1.0 chain takes either chain: the
// current one expired with a valid next one is accepted, as is a valid current one with an
// expired next one; both expired is a *ConfigError naming Config.Verifier and the current
// middle.
func TestNewClientNextChain(t *testing.T) {
	t.Parallel()
	root, middle := loadCert(t, "acp_test_root.cer"), loadCert(t, "acp_test_middle.cer") // valid to 2031
	oldRoot, oldMiddle := caChain(t, "Review old", time.Date(2023, 1, 1, 0, 0, 0, 0, time.UTC))
	pfxSigner, err := loadPFX(t).Signer()
	require.NoError(t, err)
	for _, tt := range []struct {
		name string
		vc   cert.VerifierConfig
		at   time.Time
		ok   bool
	}{
		{"current expired, next valid", cert.VerifierConfig{Root: oldRoot, Middle: oldMiddle, NextRoot: root, NextMiddle: middle}, testNow, true},
		{"current valid, next expired", cert.VerifierConfig{Root: root, Middle: middle, NextRoot: oldRoot, NextMiddle: oldMiddle}, testNow, true},
		{"both expired", cert.VerifierConfig{Root: oldRoot, Middle: oldMiddle, NextRoot: root, NextMiddle: middle}, time.Date(2033, 1, 1, 0, 0, 0, 0, time.UTC), false},
	} {
		at := tt.at
		tt.vc.Now = func() time.Time { return at }
		v, err := cert.NewVerifier(tt.vc)
		require.NoError(t, err, tt.name)
		cfg := testConfig(t, "https://gateway.test.95516.com")
		cfg.Signer, cfg.Verifier = pfxSigner, v
		_, err = unionpay.NewClient(cfg)
		if tt.ok {
			require.NoError(t, err, tt.name)
			continue
		}
		var ce *unionpay.ConfigError
		require.ErrorAs(t, err, &ce, tt.name)
		assert.Equal(t, "Config.Verifier", ce.Field)
		assert.Contains(t, ce.Reason, "VerifierConfig.Middle", tt.name)
	}
}

package unionpay_test

import (
	"crypto/x509"
	"errors"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/goacp/unionpay/cert"
	"github.com/goacp/unionpay/sign"
	"github.com/goacp/unionpay/unionpay"
)

// TestNewClientLegacyEncryptionCertificate: a 5.0.0 verify-cert directory often holds UnionPay's
// encryption certificate beside its signing certificate (LoadJavaConfig, as the Java SDK, takes
// every .cer file of it). UnionPay signs no answer with the encryption
// certificate, so NewClient does not count it as the valid 5.0.0 certificate it requires: on
// 2025-08-15 UnionPay's test signing certificate (unipayCertPublicKey.cer) had expired on 31 July
// while acp_test_enc.cer was valid to 11 September, and every answer would have failed
// verification after the money moved.
func TestNewClientLegacyEncryptionCertificate(t *testing.T) {
	t.Parallel()
	signing, enc := loadCert(t, "unipayCertPublicKey.cer"), loadCert(t, "acp_test_enc.cer")
	signerExpired := time.Date(2025, 8, 15, 12, 0, 0, 0, time.UTC)
	pfxSigner, err := loadPFX(t).Signer()
	require.NoError(t, err)
	tests := []struct {
		name   string
		at     time.Time
		legacy []*x509.Certificate
		reason cert.Reason // the *cert.InvalidError's, when NewClient refuses
		is     error       // errors.Is, when NewClient refuses
	}{
		{"both valid", testNow, []*x509.Certificate{signing, enc}, 0, nil},
		{"signing certificate expired, encryption certificate valid", signerExpired, []*x509.Certificate{signing, enc},
			cert.Expired, nil},
		{"encryption certificate alone", testNow, []*x509.Certificate{enc}, 0, cert.ErrNoCertificate},
		{"signing certificate alone, expired", signerExpired, []*x509.Certificate{signing}, cert.Expired, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			v, err := cert.NewVerifier(cert.VerifierConfig{LegacyCerts: tt.legacy, AcceptTestOwner: true,
				Now: func() time.Time { return tt.at }})
			require.NoError(t, err)
			cfg := testConfig(t, "https://gateway.test.95516.com")
			cfg.Signer, cfg.Version, cfg.Verifier = pfxSigner, sign.Version500, v
			cfg.Now = func() time.Time { return tt.at }
			_, err = unionpay.NewClient(cfg)
			if tt.reason == 0 && tt.is == nil {
				require.NoError(t, err)
				return
			}
			var ce *unionpay.ConfigError
			require.ErrorAs(t, err, &ce)
			assert.Equal(t, "Config.Verifier", ce.Field)
			if tt.is != nil {
				assert.ErrorIs(t, err, tt.is)
			}
			if tt.reason != 0 {
				ie, ok := errors.AsType[*cert.InvalidError](err)
				require.True(t, ok, "want a *cert.InvalidError, got %v", err)
				assert.Equal(t, tt.reason, ie.Reason)
				assert.Same(t, signing, ie.Cert, "names UnionPay's signing certificate, not the encryption one")
			}
		})
	}
}

package unionpay_test

import (
	"errors"
	"testing"

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

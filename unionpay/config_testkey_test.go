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

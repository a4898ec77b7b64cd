package unionpay_test

import (
	"context"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/goacp/unionpay/cert"
	"github.com/goacp/unionpay/unionpay"
	"github.com/goacp/unionpay/unionpay/unionpaytest"
)

// TestNewClientRefusesMixedMaterial: RSA and SM2 material mixed up is refused by NewClient,
// naming the field: UnionPay's encryption certificate of the other algorithm than the signature,
// a Decrypter whose key is not the signing key (UnionPay encrypts accNo to the signing
// certificate). They were accepted, card data went out encrypted to the wrong certificate and
// DecryptAccNo failed later (found by an SM2 merchant's trial).
func TestNewClientRefusesMixedMaterial(t *testing.T) {
	t.Parallel()
	rsaSrv := unionpaytest.NewServer(withSharedKeys(t)) // other, below, must not share its merchant key
	t.Cleanup(rsaSrv.Close)
	sm2Srv := unionpaytest.NewServer(withSharedKeys(t), unionpaytest.WithSM2())
	t.Cleanup(sm2Srv.Close)
	rsaEnc, err := rsaSrv.Encrypter()
	require.NoError(t, err)
	sm2Enc, err := cert.NewEncrypter(sm2Srv.SM2EncryptionCertificate())
	require.NoError(t, err)
	other := unionpaytest.NewServer() // its own merchant key
	t.Cleanup(other.Close)
	otherRSA, err := cert.NewDecrypter(other.MerchantKey())
	require.NoError(t, err)
	rsaDec, err := rsaSrv.Decrypter()
	require.NoError(t, err)

	for _, tt := range []struct {
		name  string
		cfg   unionpay.Config
		edit  func(*unionpay.Config)
		field string
	}{
		{"SM2 signer, RSA encrypter", sm2Srv.Config(), func(c *unionpay.Config) { c.Encrypter = rsaEnc }, "Config.Encrypter"},
		{"RSA signer, SM2 encrypter", rsaSrv.Config(), func(c *unionpay.Config) { c.Encrypter = sm2Enc }, "Config.Encrypter"},
		{"RSA signer, another RSA key", rsaSrv.Config(), func(c *unionpay.Config) { c.Decrypter = otherRSA }, "Config.Decrypter"},
		{"SM2 signer, RSA key", sm2Srv.Config(), func(c *unionpay.Config) { c.Decrypter = rsaDec }, "Config.Decrypter"},
		{"SM2, all its own", sm2Srv.Config(), func(*unionpay.Config) {}, ""},
		{"RSA, all its own", rsaSrv.Config(), func(*unionpay.Config) {}, ""},
	} {
		cfg := tt.cfg
		tt.edit(&cfg)
		_, err := unionpay.NewClient(cfg)
		if tt.field == "" {
			require.NoError(t, err, tt.name)
			continue
		}
		var ce *unionpay.ConfigError
		require.ErrorAs(t, err, &ce, tt.name)
		assert.Equal(t, tt.field, ce.Field, tt.name)
	}
}

// TestSM2UpdateNeedsSM2Chain: an SM2 merchant with no Encrypter yet and a 5.0.0 Verifier
// (SM2Certs only) cannot validate UnionPay's SM2 encryption certificate: UpdateEncryptionCertificate
// is a *ConfigError matching cert.ErrNoChain before anything is sent (the SM2 case of the 5.0.0
// one; the algorithm comes from the signer when there is no Encrypter).
func TestSM2UpdateNeedsSM2Chain(t *testing.T) {
	t.Parallel()
	srv := unionpaytest.NewServer(withSharedKeys(t), unionpaytest.WithSM2())
	t.Cleanup(srv.Close)
	cfg := srv.Config()
	vc := srv.VerifierConfig()
	vc.Root, vc.Middle, vc.SM2Root, vc.SM2Middle = nil, nil, nil, nil // 5.0.0: certificates by certId only
	v, err := cert.NewVerifier(vc)
	require.NoError(t, err)
	cfg.Version, cfg.Verifier, cfg.Encrypter = "5.0.0", v, nil
	c, err := unionpay.NewClient(cfg)
	require.NoError(t, err)
	updated, err := c.UpdateEncryptionCertificate(context.Background()) // a sent request would end otherwise
	assert.False(t, updated)
	var ce *unionpay.ConfigError
	require.ErrorAs(t, err, &ce)
	assert.Equal(t, "Config.Verifier", ce.Field)
	assert.ErrorIs(t, err, cert.ErrNoChain)
	assert.Contains(t, err.Error(), "SM2Root")
	assert.Empty(t, srv.Transactions(), "nothing sent")
}

// TestNewClientRefusesExpiredSM2Legacy: the SM2 side of TestNewClientRefusesExpiredLegacy: a
// 5.0.0 SM2 merchant (signMethod 21) whose SM2Certs hold no certificate valid at the Verifier's
// time is refused; its RSA LegacyCerts do not count.
func TestNewClientRefusesExpiredSM2Legacy(t *testing.T) {
	t.Parallel()
	srv := unionpaytest.NewServer(withSharedKeys(t), unionpaytest.WithSM2())
	t.Cleanup(srv.Close)
	for _, tt := range []struct {
		name string
		now  time.Time
		ok   bool
	}{
		{"valid", time.Now(), true},
		{"expired", srv.SM2SigningCertificate().NotAfter.Add(24 * time.Hour), false},
	} {
		vc := srv.VerifierConfig()
		vc.Now = func() time.Time { return tt.now }
		v, err := cert.NewVerifier(vc)
		require.NoError(t, err)
		cfg := srv.Config()
		cfg.Version, cfg.Verifier = "5.0.0", v
		_, err = unionpay.NewClient(cfg)
		if tt.ok {
			require.NoError(t, err, tt.name)
			continue
		}
		requireVerifierExpired(t, err, tt.name)
	}
}

// TestNewClientRefusesExpiredSM2Chain: the SM2 side of TestNewClientRefusesExpiredChain, a 5.1.0
// signMethod 21 configuration whose SM2Middle has expired at the Verifier's time.
func TestNewClientRefusesExpiredSM2Chain(t *testing.T) {
	t.Parallel()
	srv := unionpaytest.NewServer(withSharedKeys(t), unionpaytest.WithSM2())
	t.Cleanup(srv.Close)
	vc := srv.VerifierConfig()
	require.NotNil(t, vc.SM2Middle)
	vc.Now = func() time.Time { return vc.SM2Middle.NotAfter.Add(time.Hour) }
	v, err := cert.NewVerifier(vc)
	require.NoError(t, err)
	cfg := srv.Config()
	cfg.Verifier = v
	_, err = unionpay.NewClient(cfg)
	requireVerifierExpired(t, err, "SM2 5.1.0")
	assert.Contains(t, err.Error(), "VerifierConfig.SM2Middle")
}

// requireVerifierExpired checks that NewClient refused Config.Verifier for a certificate that
// expired (a *ConfigError wrapping the certificate's *cert.InvalidError).
func requireVerifierExpired(t *testing.T, err error, name string) {
	t.Helper()
	var ce *unionpay.ConfigError
	require.ErrorAs(t, err, &ce, name)
	assert.Equal(t, "Config.Verifier", ce.Field, name)
	var ie *cert.InvalidError
	require.ErrorAs(t, err, &ie, name)
	assert.Equal(t, cert.Expired, ie.Reason, name)
}

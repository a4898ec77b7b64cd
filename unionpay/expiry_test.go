package unionpay_test

import (
	"context"
	"crypto/x509"
	"errors"
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/goacp/unionpay/cert"
	"github.com/goacp/unionpay/sign"
	"github.com/goacp/unionpay/unionpay"
	"github.com/goacp/unionpay/unionpay/unionpaytest"
)

// expiryNow is the fake gateway's clock in these tests.
var expiryNow = time.Date(2026, 3, 2, 10, 0, 0, 0, time.FixedZone("CST", 8*3600))

// expiryGateway starts a fake gateway on expiryNow with keys and returns it with its client
// configuration, whose Signer holds the merchant's signing certificate.
func expiryGateway(t *testing.T, keys *unionpaytest.Keys) (*unionpaytest.Server, unionpay.Config) {
	t.Helper()
	srv := unionpaytest.NewServer(unionpaytest.WithKeys(keys), unionpaytest.WithClock(func() time.Time { return expiryNow }))
	t.Cleanup(srv.Close)
	return srv, srv.Config()
}

// expiryEntry is what the tests compare of a cert.Expiry.
type expiryEntry struct {
	role   cert.Role
	certID string
}

func entries(es []cert.Expiry) []expiryEntry {
	var out []expiryEntry
	for _, e := range es {
		out = append(out, expiryEntry{e.Role, e.CertID})
	}
	return out
}

func entry(role cert.Role, c *x509.Certificate) expiryEntry { return expiryEntry{role, cert.CertID(c)} }

// TestClientExpiries: the client lists the merchant's signing certificate, the encryption
// certificate in use (the one txnType 95 swapped in), and its verifier's certificates, with the
// UnionPay signing certificate of the last answer; after each of UnionPay's rotations, the
// certificates it rotated to, once the client has updated or been answered.
func TestClientExpiries(t *testing.T) {
	t.Parallel()
	keys := sharedKeys(t)
	tests := []struct {
		name string
		// rotate changes the gateway once the client is made; next, if set, is called after it
		// and returns the verifier a merchant configured for the switch.
		rotate func(*unionpaytest.Server) error
		next   func(t *testing.T, srv *unionpaytest.Server, before cert.VerifierConfig) *cert.Verifier
	}{
		{name: "no rotation"},
		{name: "encryption certificate", rotate: (*unionpaytest.Server).RotateEncryptionCert},
		{name: "signing certificate", rotate: (*unionpaytest.Server).RotateSigningCert},
		{name: "root, with the next chain configured", rotate: (*unionpaytest.Server).RotateRoot,
			next: func(t *testing.T, srv *unionpaytest.Server, vc cert.VerifierConfig) *cert.Verifier {
				var err error
				vc.NextRoot, err = cert.ParseCertificate(srv.RootPEM())
				require.NoError(t, err)
				vc.NextMiddle, err = cert.ParseCertificate(srv.MiddlePEM())
				require.NoError(t, err)
				v, err := cert.NewVerifier(vc)
				require.NoError(t, err)
				return v
			}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			srv, cfg := expiryGateway(t, keys)
			before := srv.VerifierConfig()
			oldEnc, oldSigning := srv.EncryptionCertificate(), srv.SigningCertificate()
			client, err := unionpay.NewClient(cfg)
			require.NoError(t, err)
			want := []expiryEntry{entry(cert.RoleSigning, srv.MerchantCertificate()), entry(cert.RoleEncryption, oldEnc),
				entry(cert.RoleRoot, before.Root), entry(cert.RoleMiddle, before.Middle)}
			legacy := []expiryEntry{entry(cert.RoleLegacySigning, before.LegacyCerts[0]), entry(cert.RoleLegacySigning, before.LegacyCerts[1])}
			assert.Equal(t, append(append([]expiryEntry(nil), want...), legacy...), entries(client.Expiries()), "before any answer")

			if tt.rotate != nil {
				require.NoError(t, tt.rotate(srv))
			}
			if tt.next != nil {
				cfg.Verifier = tt.next(t, srv, before)
				client, err = unionpay.NewClient(cfg)
				require.NoError(t, err)
				want = append(want, entry(cert.RoleNextRoot, srv.VerifierConfig().Root), entry(cert.RoleNextMiddle, srv.VerifierConfig().Middle))
			}
			updated, err := client.UpdateEncryptionCertificate(context.Background())
			require.NoError(t, err)
			assert.Equal(t, !srv.EncryptionCertificate().Equal(oldEnc), updated)
			want[1] = entry(cert.RoleEncryption, srv.EncryptionCertificate())
			want = append(want, legacy...)
			want = append(want, entry(cert.RoleSeenSigning, srv.SigningCertificate()))
			assert.Equal(t, want, entries(client.Expiries()))
			if tt.rotate != nil && tt.name != "encryption certificate" {
				assert.False(t, srv.SigningCertificate().Equal(oldSigning), "the gateway signs under a new certificate")
			}
		})
	}
}

// TestClientExpiriesSigner: the merchant's signing certificate is listed when the Signer holds
// it (cert.PFX.Signer's, the fake's, or one given to WithCertificate), and not otherwise.
func TestClientExpiriesSigner(t *testing.T) {
	t.Parallel()
	keys := sharedKeys(t)
	srv, _ := expiryGateway(t, keys)
	der, err := srv.MerchantPFX("000000")
	require.NoError(t, err)
	pfx, err := cert.LoadPFX(der, "000000")
	require.NoError(t, err)
	fromPFX, err := pfx.Signer()
	require.NoError(t, err)
	bare, err := sign.NewRSASigner(pfx.Key, pfx.CertID())
	require.NoError(t, err)
	given, err := bare.WithCertificate(pfx.Certificate)
	require.NoError(t, err)

	for _, tt := range []struct {
		name   string
		signer sign.Signer
		listed bool
	}{
		{"the fake's", nil, true},
		{"PFX.Signer", fromPFX, true},
		{"WithCertificate", given, true},
		{"NewRSASigner alone", bare, false},
	} {
		cfg := srv.Config()
		if tt.signer != nil {
			cfg.Signer = tt.signer
		}
		client, err := unionpay.NewClient(cfg)
		require.NoError(t, err, tt.name)
		var roles []cert.Role
		for _, e := range client.Expiries() {
			roles = append(roles, e.Role)
			if e.Role == cert.RoleSigning {
				assert.Equal(t, pfx.CertID(), e.CertID, tt.name)
			}
		}
		assert.Equal(t, tt.listed, slices.Contains(roles, cert.RoleSigning), "%s: %v", tt.name, roles)
	}
}

// TestClientExpiringWithin: the margin counts from Config.Now, the client's clock; a clock
// reading the zero time, and the zero Client, are a *ConfigError.
func TestClientExpiringWithin(t *testing.T) {
	t.Parallel()
	keys := sharedKeys(t)
	srv, cfg := expiryGateway(t, keys)
	vc := srv.VerifierConfig()
	expired := vc.LegacyCerts[1] // the fake's long-expired signing certificate
	require.True(t, expired.NotAfter.Before(expiryNow))
	leaf := srv.MerchantCertificate().NotAfter.Sub(expiryNow) // the leaves' validity left

	tests := []struct {
		name  string
		clock time.Time
		d     time.Duration
		want  []expiryEntry
	}{
		{"expired only", expiryNow, 0, []expiryEntry{entry(cert.RoleLegacySigning, expired)}},
		{"leaves within the margin", expiryNow, leaf + time.Second, []expiryEntry{entry(cert.RoleLegacySigning, expired),
			entry(cert.RoleSigning, srv.MerchantCertificate()), entry(cert.RoleEncryption, srv.EncryptionCertificate()),
			entry(cert.RoleLegacySigning, vc.LegacyCerts[0])}},
		{"the clock moved past the leaves", expiryNow.Add(leaf + time.Second), 0, []expiryEntry{entry(cert.RoleLegacySigning, expired),
			entry(cert.RoleSigning, srv.MerchantCertificate()), entry(cert.RoleEncryption, srv.EncryptionCertificate()),
			entry(cert.RoleLegacySigning, vc.LegacyCerts[0])}},
	}
	for _, tt := range tests {
		c := cfg
		c.Now = func() time.Time { return tt.clock }
		client, err := unionpay.NewClient(c)
		require.NoError(t, err, tt.name)
		got, err := client.ExpiringWithin(tt.d)
		require.NoError(t, err, tt.name)
		assert.Equal(t, tt.want, entries(got), tt.name)
	}

	c := cfg
	c.Now = func() time.Time { return time.Time{} }
	client, err := unionpay.NewClient(c)
	require.NoError(t, err)
	_, err = client.ExpiringWithin(time.Hour)
	var ce *unionpay.ConfigError
	require.True(t, errors.As(err, &ce), "%v", err)
	assert.Equal(t, "Config.Now", ce.Field)

	var zero unionpay.Client
	assert.Nil(t, zero.Expiries())
	_, err = zero.ExpiringWithin(time.Hour)
	require.True(t, errors.As(err, &ce), "%v", err)
	assert.Equal(t, "Client", ce.Field)
}

// TestClientExpiriesConcurrent (run with -race): Expiries reads the encryption certificate while
// UpdateEncryptionCertificate swaps it, and always lists one the gateway handed out.
func TestClientExpiriesConcurrent(t *testing.T) {
	t.Parallel()
	keys := sharedKeys(t)
	srv, cfg := expiryGateway(t, keys)
	client, err := unionpay.NewClient(cfg)
	require.NoError(t, err)
	var mu sync.Mutex
	handedOut := map[string]bool{cert.CertID(srv.EncryptionCertificate()): true}
	stop := make(chan struct{})
	var wg sync.WaitGroup
	wg.Go(func() {
		defer close(stop)
		for range 5 {
			if !assert.NoError(t, srv.RotateEncryptionCert()) {
				return
			}
			mu.Lock()
			handedOut[cert.CertID(srv.EncryptionCertificate())] = true
			mu.Unlock()
			_, err := client.UpdateEncryptionCertificate(context.Background())
			assert.NoError(t, err)
		}
	})
	for range 4 {
		wg.Go(func() {
			for {
				select {
				case <-stop:
					return
				default:
				}
				es := client.Expiries()
				if !assert.GreaterOrEqual(t, len(es), 2) || !assert.Equal(t, cert.RoleEncryption, es[1].Role) {
					return
				}
				mu.Lock()
				ok := handedOut[es[1].CertID]
				mu.Unlock()
				assert.True(t, ok, "encryption certId %s", es[1].CertID)
			}
		})
	}
	wg.Wait()
	es := client.Expiries()
	assert.Equal(t, entry(cert.RoleEncryption, srv.EncryptionCertificate()), entries(es)[1])
}

// TestClientExpiriesLegacyEncryptionCertificate: a 5.0.0 verify-cert directory often holds
// UnionPay's encryption certificate beside its signing certificate (LoadJavaConfig takes every .cer
// file of it). The encryption certificate in use is listed once, as what it is: not again as a
// 5.0.0 signing certificate, which would make ExpiringWithin warn twice of one certificate and a
// dashboard show a signing certificate UnionPay does not sign with. An encryption certificate
// in LegacyCerts that is not the one in use stays listed as configured.
func TestClientExpiriesLegacyEncryptionCertificate(t *testing.T) {
	t.Parallel()
	signing, enc := loadCert(t, "unipayCertPublicKey.cer"), loadCert(t, "acp_test_enc.cer")
	p := loadPFX(t)
	other := p.Certificate // another certificate that allows encryption
	pfxSigner, err := p.Signer()
	require.NoError(t, err)
	pastBoth := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC) // all three expired by then (UnionPay's in 2025)
	require.True(t, enc.NotAfter.Before(pastBoth) && signing.NotAfter.Before(pastBoth))
	tests := []struct {
		name      string
		encrypter *x509.Certificate // Config.Encrypter's
		want      []expiryEntry     // Expiries, after the merchant's signing certificate
		expiring  []expiryEntry     // ExpiringWithin(0) at pastBoth, soonest first
	}{
		{"the encryption certificate in use", enc,
			[]expiryEntry{entry(cert.RoleEncryption, enc), entry(cert.RoleLegacySigning, signing)},
			[]expiryEntry{entry(cert.RoleSigning, p.Certificate), entry(cert.RoleLegacySigning, signing), entry(cert.RoleEncryption, enc)}},
		{"another encryption certificate in use", other,
			[]expiryEntry{entry(cert.RoleEncryption, other), entry(cert.RoleLegacySigning, signing), entry(cert.RoleLegacySigning, enc)},
			[]expiryEntry{entry(cert.RoleSigning, p.Certificate), entry(cert.RoleEncryption, other),
				entry(cert.RoleLegacySigning, signing), entry(cert.RoleLegacySigning, enc)}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			for _, at := range []time.Time{testNow, pastBoth} {
				v, err := cert.NewVerifier(cert.VerifierConfig{LegacyCerts: []*x509.Certificate{enc, signing},
					AcceptTestOwner: true, Now: func() time.Time { return testNow }})
				require.NoError(t, err)
				e, err := cert.NewEncrypter(tt.encrypter)
				require.NoError(t, err)
				cfg := testConfig(t, "https://gateway.test.95516.com")
				cfg.Signer, cfg.Version, cfg.Verifier, cfg.Encrypter = pfxSigner, sign.Version500, v, e
				cfg.Now = func() time.Time { return at }
				client, err := unionpay.NewClient(cfg)
				require.NoError(t, err)
				if at.Equal(testNow) {
					assert.Equal(t, append([]expiryEntry{entry(cert.RoleSigning, p.Certificate)}, tt.want...), entries(client.Expiries()))
					continue
				}
				got, err := client.ExpiringWithin(0)
				require.NoError(t, err)
				assert.Equal(t, tt.expiring, entries(got))
			}
		})
	}
}

package unionpaytest_test

import (
	"crypto/x509"
	"slices"
	"testing"
	"time"

	"github.com/goacp/unionpay/cert"
	"github.com/goacp/unionpay/unionpay"
	"github.com/goacp/unionpay/unionpay/unionpaytest"
)

// TestConfigHealthCheck pins Server.Config's doc: a health check on its configuration
// (Client.ExpiringWithin) reports the expired 5.0.0 certificate FaultExpiredCert signs under,
// and nothing else (with WithSM2, its SM2 one too); a Verifier built as the doc shows, without
// the expired certificates, reports none.
func TestConfigHealthCheck(t *testing.T) {
	for _, tt := range []struct {
		name    string
		opts    []unionpaytest.Option
		expired int
	}{
		{"RSA", nil, 1},
		{"WithSM2", []unionpaytest.Option{unionpaytest.WithSM2()}, 2},
	} {
		srv := unionpaytest.NewServer(append([]unionpaytest.Option{keys(t), unionpaytest.WithClock(unionpaytest.BusinessDayClock())}, tt.opts...)...)
		defer srv.Close()
		cfg := srv.Config()
		client, err := unionpay.NewClient(cfg)
		if err != nil {
			t.Fatalf("%s: %v", tt.name, err)
		}
		soon, err := client.ExpiringWithin(30 * 24 * time.Hour)
		if err != nil {
			t.Fatalf("%s: %v", tt.name, err)
		}
		if len(soon) != tt.expired {
			t.Errorf("%s: Config's health check reports %v, want %d expired 5.0.0 certificate(s)", tt.name, soon, tt.expired)
		}
		for _, e := range soon {
			if e.Role != cert.RoleLegacySigning || !srv.Now().After(e.NotAfter) {
				t.Errorf("%s: reported %v, want only an expired 5.0.0 certificate", tt.name, e)
			}
		}

		// The doc's recipe.
		vc := srv.VerifierConfig()
		expired := func(c *x509.Certificate) bool { return srv.Now().After(c.NotAfter) }
		vc.LegacyCerts = slices.DeleteFunc(vc.LegacyCerts, expired)
		vc.SM2Certs = slices.DeleteFunc(vc.SM2Certs, expired)
		if cfg.Verifier, err = cert.NewVerifier(vc); err != nil {
			t.Fatalf("%s: %v", tt.name, err)
		}
		if client, err = unionpay.NewClient(cfg); err != nil {
			t.Fatalf("%s: %v", tt.name, err)
		}
		if soon, err = client.ExpiringWithin(30 * 24 * time.Hour); err != nil || soon != nil {
			t.Errorf("%s: without the expired certificates the health check reports %v, %v; want none", tt.name, soon, err)
		}
	}
}

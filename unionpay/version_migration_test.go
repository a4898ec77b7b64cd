package unionpay_test

import (
	"context"
	"crypto/x509"
	"net/http/httptest"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/goacp/unionpay/cert"
	"github.com/goacp/unionpay/notify"
	"github.com/goacp/unionpay/sign"
	"github.com/goacp/unionpay/unionpay"
	"github.com/goacp/unionpay/unionpay/unionpaytest"
)

// TestVersionMigration runs a merchant moving from 5.0.0 to 5.1.0 as docs/MIGRATION.md describes
// it: a 5.0.0 and a 5.1.0 Client for one merId share a Verifier holding Root, Middle and
// LegacyCerts, each refunds the other's payments, and one notify.Handler takes the notifications
// of both: each signed in the version of the request that made it, which a handler trusting the
// 5.1.0 chain alone refuses for 5.0.0 (cert.ErrMethod), and a 5.0.0-only one for 5.1.0.
func TestVersionMigration(t *testing.T) {
	t.Parallel()
	srv := unionpaytest.NewServer(withSharedKeys(t), unionpaytest.WithReporter(t),
		unionpaytest.WithClock(unionpaytest.BusinessDayClock()))
	t.Cleanup(srv.Close)
	gw := srv.VerifierConfig()
	verifier := func(root, legacy bool) *cert.Verifier {
		vc := cert.VerifierConfig{Now: gw.Now}
		if root {
			vc.Root, vc.Middle = gw.Root, gw.Middle
		}
		if legacy {
			vc.LegacyCerts = []*x509.Certificate{srv.SigningCertificate()} // the 5.0.0 verify-cert directory
		}
		v, err := cert.NewVerifier(vc)
		require.NoError(t, err)
		return v
	}
	both, chainOnly, legacyOnly := verifier(true, true), verifier(true, false), verifier(false, true)

	var mu sync.Mutex
	got := map[string]*notify.Notification{}
	hs := httptest.NewServer(&notify.Handler{Verifier: both, OnNotify: func(_ context.Context, n *notify.Notification) error {
		mu.Lock()
		defer mu.Unlock()
		got[n.OrderID] = n
		return nil
	}})
	t.Cleanup(hs.Close)

	clients := map[string]*unionpay.Client{}
	for _, version := range []string{sign.Version500, sign.Version510} {
		cfg := srv.Config()
		cfg.Version, cfg.Verifier = version, both
		cfg.Sleep = func(ctx context.Context, _ time.Duration) error { return ctx.Err() }
		c, err := unionpay.NewClient(cfg)
		require.NoError(t, err)
		clients[version] = c
	}
	tests := []struct {
		name         string
		pay, refund  string // the version of the client that pays, and of the one that refunds
		payID, refID string
	}{
		{"5.0.0 payment refunded in 5.0.0", sign.Version500, sign.Version500, "MIGPAY00000001", "MIGREF00000001"},
		{"5.0.0 payment refunded in 5.1.0", sign.Version500, sign.Version510, "MIGPAY00000002", "MIGREF00000002"},
		{"5.1.0 payment refunded in 5.0.0", sign.Version510, sign.Version500, "MIGPAY00000003", "MIGREF00000003"},
		{"5.1.0 payment refunded in 5.1.0", sign.Version510, sign.Version510, "MIGPAY00000004", "MIGREF00000004"},
	}
	ctx := context.Background()
	for _, tt := range tests {
		form, err := clients[tt.pay].FrontConsume(&unionpay.ConsumeRequest{OrderID: tt.payID, Amount: 1000,
			FrontURL: "https://shop.example/return", BackURL: hs.URL})
		require.NoError(t, err, tt.name)
		assert.Equal(t, tt.pay, form.Fields["version"], tt.name)
		ret, err := srv.Pay(ctx, form.Fields, "")
		require.NoError(t, err, tt.name)
		back, err := notify.Verify(both, ret) // the browser return, signed in the form's version
		require.NoError(t, err, tt.name)
		assert.Equal(t, tt.pay, back.Signed.Version, tt.name)

		paid, err := clients[tt.refund].QueryUntilFinal(ctx, form.QueryRequest(), form.Backoff())
		require.NoError(t, err, tt.name)
		require.Equal(t, unionpay.Succeeded, paid.State, tt.name)
		res, err := clients[tt.refund].Refund(ctx, &unionpay.FollowUpRequest{OrderID: tt.refID, OrigQueryID: paid.QueryID,
			Amount: 400, BackURL: hs.URL})
		require.NoError(t, err, tt.name)
		assert.Equal(t, tt.refund, res.Raw["version"], tt.name)
	}
	require.NoError(t, srv.WaitNotifications(ctx))

	mu.Lock()
	defer mu.Unlock()
	for _, tt := range tests {
		for orderID, version := range map[string]string{tt.payID: tt.pay, tt.refID: tt.refund} {
			n := got[orderID]
			require.NotNil(t, n, "%s: no notification of %s", tt.name, orderID)
			assert.Equal(t, notify.Succeeded, n.Status(), "%s: %s", tt.name, orderID)
			assert.Equal(t, version, n.Signed.Version, "%s: %s", tt.name, orderID)
			_, errChain := notify.Verify(chainOnly, n.Raw)
			_, errLegacy := notify.Verify(legacyOnly, n.Raw)
			if version == sign.Version500 {
				assert.ErrorIs(t, errChain, cert.ErrMethod, "%s: %s", tt.name, orderID)
				assert.NoError(t, errLegacy, "%s: %s", tt.name, orderID)
			} else {
				assert.NoError(t, errChain, "%s: %s", tt.name, orderID)
				assert.ErrorIs(t, errLegacy, cert.ErrMethod, "%s: %s", tt.name, orderID)
			}
		}
	}
}

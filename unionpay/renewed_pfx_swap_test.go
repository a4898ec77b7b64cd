package unionpay_test

import (
	"context"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/goacp/unionpay/cert"
	"github.com/goacp/unionpay/sign"
	"github.com/goacp/unionpay/unionpay"
	"github.com/goacp/unionpay/unionpay/unionpaytest"
)

// TestSwapClientForRenewedPFX: the switch to a renewed PFX without a restart that the README's
// certificate rotation describes. The service holds its Client behind an atomic.Pointer; a new
// Client is made from the renewed key with the running one's Encrypter (the certificate txnType
// 95 took, not the configured file's) and stored while calls are in flight: none fails, those
// begun on the old Client finish under it, and the daily update, called through the pointer,
// updates the Client in use.
func TestSwapClientForRenewedPFX(t *testing.T) {
	t.Parallel()
	newKey, newCert := renewedMerchant(t, time.Now().AddDate(-1, 0, 0), time.Now().AddDate(2, 0, 0))
	e := newE2E(t, unionpaytest.WithMerchantCertificates(newCert))
	ctx := context.Background()
	configured := e.c.Encrypter().CertID() // the file the configuration loads
	require.NoError(t, e.srv.RotateEncryptionCert())
	updated, err := e.c.UpdateEncryptionCertificate(ctx)
	require.NoError(t, err)
	require.True(t, updated)

	var current atomic.Pointer[unionpay.Client]
	current.Store(e.c)
	var wg sync.WaitGroup
	var failed atomic.Int32
	started := make(chan struct{}, 4)
	for i := range 4 {
		wg.Go(func() {
			for j := range 4 {
				if j == 0 {
					started <- struct{}{} // buffered for every goroutine: never blocks
				}
				if _, err := current.Load().Payout(ctx, e.card(e.order("SWAP"), int64(100+10*i+j))); err != nil {
					failed.Add(1)
					t.Errorf("payout during the switch: %v", err)
				}
			}
		})
	}
	for range 4 {
		<-started // calls are in flight on the old Client
	}

	old := current.Load()
	s, err := sign.NewRSASigner(newKey, cert.CertID(newCert))
	require.NoError(t, err)
	s, err = s.WithCertificate(newCert)
	require.NoError(t, err)
	d, err := cert.NewDecrypter(newKey)
	require.NoError(t, err)
	cfg := e.srv.Config()
	cfg.Signer, cfg.Decrypter, cfg.Encrypter = s, d, old.Encrypter()
	renewed, err := unionpay.NewClient(cfg)
	require.NoError(t, err)
	current.Store(renewed)
	wg.Wait()
	old.CloseIdleConnections()
	assert.Zero(t, failed.Load())

	assert.NotEqual(t, configured, renewed.Encrypter().CertID(), "the renewed Client keeps the certificate txnType 95 took")
	assert.Equal(t, cert.CertID(e.srv.EncryptionCertificate()), renewed.Encrypter().CertID())
	assert.Equal(t, entry(cert.RoleSigning, newCert), entries(renewed.Expiries())[0], "the renewed PFX is the one monitored")
	_, err = current.Load().Payout(ctx, e.card(e.order("SWAP"), 500))
	require.NoError(t, err, "signed with the renewed PFX")

	require.NoError(t, e.srv.RotateEncryptionCert())
	updated, err = current.Load().UpdateEncryptionCertificate(ctx)
	require.NoError(t, err)
	assert.True(t, updated)
	assert.Equal(t, cert.CertID(e.srv.EncryptionCertificate()), current.Load().Encrypter().CertID())
}

package unionpaytest_test

import (
	"context"
	"crypto/x509"
	"sync"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/goacp/unionpay/unionpay"
	"github.com/goacp/unionpay/unionpay/unionpaytest"
)

// TestRotationsDoNotInterleave: a signing or encryption rotation running while RotateRoot
// switches the chain waits for it, so that the certificate it issues is under the chain the
// gateway ends with, never under the one RotateRoot replaced.
func TestRotationsDoNotInterleave(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name   string
		rotate func(*unionpaytest.Server) error
		leaf   func(*unionpaytest.Server) *x509.Certificate
	}{
		{"RotateSigningCert", (*unionpaytest.Server).RotateSigningCert, (*unionpaytest.Server).SigningCertificate},
		{"RotateEncryptionCert", (*unionpaytest.Server).RotateEncryptionCert, (*unionpaytest.Server).EncryptionCertificate},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			srv := unionpaytest.NewServer(keys(t), unionpaytest.WithClock(newClock().Now), unionpaytest.WithNotifySchedule(0))
			t.Cleanup(srv.Close)
			done := make(chan struct{})
			var wg sync.WaitGroup
			wg.Go(func() {
				for {
					select {
					case <-done:
						return
					default:
					}
					assert.NoError(t, tt.rotate(srv))
				}
			})
			require.NoError(t, srv.RotateRoot())
			close(done)
			wg.Wait()
			middle := parsePEM(t, srv.MiddlePEM())
			require.NoError(t, tt.leaf(srv).CheckSignatureFrom(middle), "the current %s certificate is not under the current middle", tt.name)
		})
	}
}

// TestRotationAccessorsRaceFree: each accessor that returns a certificate a rotation replaces
// reads it under the server lock (for the race detector: the reader below synchronizes with the
// rotations in no other way, and is alone so that the detector keeps track of its reads).
func TestRotationAccessorsRaceFree(t *testing.T) {
	t.Parallel()
	accessors := map[string]func(*unionpaytest.Server){
		"VerifierConfig":           func(s *unionpaytest.Server) { _ = s.VerifierConfig() },
		"RootPEM":                  func(s *unionpaytest.Server) { _ = s.RootPEM() },
		"MiddlePEM":                func(s *unionpaytest.Server) { _ = s.MiddlePEM() },
		"SigningPEM":               func(s *unionpaytest.Server) { _ = s.SigningPEM() },
		"EncryptionPEM":            func(s *unionpaytest.Server) { _ = s.EncryptionPEM() },
		"SM2SigningCertificate":    func(s *unionpaytest.Server) { _ = s.SM2SigningCertificate() },
		"SM2EncryptionCertificate": func(s *unionpaytest.Server) { _ = s.SM2EncryptionCertificate() },
	}
	for name, read := range accessors {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			srv := unionpaytest.NewServer(keys(t), unionpaytest.WithClock(newClock().Now), unionpaytest.WithNotifySchedule(0),
				unionpaytest.WithSM2())
			t.Cleanup(srv.Close)
			done := make(chan struct{})
			var wg sync.WaitGroup
			wg.Go(func() {
				for {
					select {
					case <-done:
						return
					default:
					}
					read(srv)
				}
			})
			require.NoError(t, srv.RotateSigningCert())
			require.NoError(t, srv.RotateRoot())
			require.NoError(t, srv.RotateEncryptionCert())
			close(done)
			wg.Wait()
		})
	}
}

// TestRotateRootEncryptionCertDecrypts: after RotateRoot, a merchant that trusts the new chain
// takes the new RSA encryption certificate (txnType 95), and the gateway decrypts the card data
// encrypted to it.
func TestRotateRootEncryptionCertDecrypts(t *testing.T) {
	t.Parallel()
	srv := unionpaytest.NewServer(keys(t), unionpaytest.WithClock(newClock().Now), unionpaytest.WithNotifySchedule(0))
	t.Cleanup(srv.Close)
	cfg := srv.Config()
	require.NoError(t, srv.RotateRoot())
	v, err := srv.NotifyVerifier()
	require.NoError(t, err)
	cfg.Verifier = v
	client, err := unionpay.NewClient(cfg)
	require.NoError(t, err)
	ctx := context.Background()
	updated, err := client.UpdateEncryptionCertificate(ctx)
	require.NoError(t, err)
	require.True(t, updated)
	_, err = client.BackConsume(ctx, rotationCard("ROOTROTATEDENC1", "http://127.0.0.1:1/n"))
	require.NoError(t, err, "card data encrypted to the new chain's encryption certificate")
}

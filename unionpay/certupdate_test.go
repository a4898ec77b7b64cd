package unionpay_test

import (
	"bytes"
	"context"
	"crypto/rand"
	"crypto/rsa"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/pem"
	"io"
	"math/big"
	"net/http"
	"os"
	"path/filepath"
	"strings"
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

func encPEM(t *testing.T) string {
	t.Helper()
	b, err := os.ReadFile(filepath.Join(testCerts, "acp_test_enc.cer"))
	require.NoError(t, err)
	// UnionPay sends PEM with CRLF line ends.
	return strings.ReplaceAll(strings.TrimSpace(string(b)), "\n", "\r\n")
}

func certAnswer(pemText string) func(sign.Fields) reply {
	return accept(sign.Fields{"certType": "01", "encryptPubKeyCert": pemText})
}

func TestUpdateEncryptionCertificate(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name    string
		current func(*unionpay.Config) // the configured encrypter
		updated bool
	}{
		{"none configured", func(c *unionpay.Config) { c.Encrypter = nil }, true},
		{"same serial", func(*unionpay.Config) {}, false}, // testConfig has acp_test_enc.cer
		{"different serial", func(c *unionpay.Config) { c.Encrypter = ownedEncrypter(t, "00040000:SIGN") }, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			g := newGateway(t, certAnswer(encPEM(t)))
			c := newTestClient(t, g, tt.current)
			updated, err := c.UpdateEncryptionCertificate(context.Background())
			require.NoError(t, err)
			assert.Equal(t, tt.updated, updated)
			assert.Equal(t, "69683525138", c.Encrypter().CertID())
			req := g.last()
			assert.Equal(t, "95", req["txnType"])
			assert.Equal(t, "01", req["certType"])
			assert.Equal(t, "000000", req["bizType"])
			assert.Equal(t, "/gateway/api/backTransReq.do", g.paths[0])
			assert.Regexp(t, `^cert20240105103000[0-9]{8}$`, req["orderId"])
		})
	}
}

// Two updates in the same second (the test clock does not move) send different orderIds: the
// second would otherwise be refused as a duplicate (12).
func TestUpdateEncryptionCertificateOrderIDs(t *testing.T) {
	t.Parallel()
	g := newGateway(t, certAnswer(encPEM(t)))
	c := newTestClient(t, g)
	seen := map[string]bool{}
	for range 5 {
		_, err := c.UpdateEncryptionCertificate(context.Background())
		require.NoError(t, err)
		id := g.last()["orderId"]
		assert.Len(t, id, 26)
		assert.False(t, seen[id], "orderId %s sent twice", id)
		seen[id] = true
	}
}

func TestUpdateEncryptionCertificateRejectsUntrusted(t *testing.T) {
	t.Parallel()
	key, err := rsa.GenerateKey(rand.Reader, 2048)
	require.NoError(t, err)
	tmpl := &x509.Certificate{SerialNumber: big.NewInt(42), Subject: pkix.Name{CommonName: "rogue"},
		NotBefore: testNow.Add(-time.Hour), NotAfter: testNow.Add(time.Hour), KeyUsage: x509.KeyUsageKeyEncipherment}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &key.PublicKey, key)
	require.NoError(t, err)
	rogue := string(pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: der}))
	tests := []struct {
		name   string
		answer func(sign.Fields) reply
	}{
		{"self-signed", certAnswer(rogue)},
		{"not a certificate", certAnswer("-----BEGIN CERTIFICATE-----\r\nAAAA\r\n-----END CERTIFICATE-----")},
		{"no certificate", accept(sign.Fields{"certType": "01"})},
		{"tampered", func(r sign.Fields) reply {
			return reply{fields: answerTo(r, "00", sign.Fields{"certType": "01", "encryptPubKeyCert": rogue}), tamper: true}
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			g := newGateway(t, tt.answer)
			c := newTestClient(t, g)
			before := c.Encrypter()
			updated, err := c.UpdateEncryptionCertificate(context.Background())
			require.Error(t, err)
			assert.False(t, updated)
			assert.Same(t, before, c.Encrypter(), "nothing swapped")
		})
	}
}

// TestUpdateEncryptionCertificateConcurrent runs updates beside requests using the encrypter
// (go test -race checks the atomic swap).
func TestUpdateEncryptionCertificateConcurrent(t *testing.T) {
	t.Parallel()
	g := newGateway(t, func(r sign.Fields) reply {
		if r["txnType"] == "95" {
			return certAnswer(encPEM(t))(r)
		}
		return accept(nil)(r)
	})
	c := newTestClient(t, g, func(cfg *unionpay.Config) { cfg.Encrypter = ownedEncrypter(t, "00040000:SIGN") })
	var wg sync.WaitGroup
	swaps := make(chan bool, 4)
	for range 4 {
		wg.Go(func() {
			updated, err := c.UpdateEncryptionCertificate(context.Background())
			assert.NoError(t, err)
			swaps <- updated
		})
		wg.Go(func() {
			_, err := c.Collect(context.Background(), cardReq())
			assert.NoError(t, err)
		})
	}
	wg.Wait()
	close(swaps)
	n := 0
	for s := range swaps {
		if s {
			n++
		}
	}
	assert.Equal(t, 1, n, "exactly one update swapped")
	assert.Equal(t, "69683525138", c.Encrypter().CertID())
}

// ownedEncrypter returns an encrypter for a self-made certificate whose owner field is owner:
// the configured encryption certificate an update starts from.
func ownedEncrypter(t *testing.T, owner string) *cert.Encrypter {
	t.Helper()
	key, err := rsa.GenerateKey(rand.Reader, 2048)
	require.NoError(t, err)
	tmpl := &x509.Certificate{SerialNumber: big.NewInt(7), Subject: pkix.Name{CommonName: "YCCA@test@" + owner + "@7"},
		NotBefore: testNow.Add(-time.Hour), NotAfter: testNow.Add(time.Hour), KeyUsage: x509.KeyUsageKeyEncipherment}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &key.PublicKey, key)
	require.NoError(t, err)
	c, err := x509.ParseCertificate(der)
	require.NoError(t, err)
	e, err := cert.NewEncrypter(c)
	require.NoError(t, err)
	return e
}

// TestUpdateEncryptionCertificateKeepsOwner: the middle CA issues certificates with key
// encipherment to every merchant, so a validly signed answer carrying a merchant's certificate
// (owner 700000000000001:SIGN) must not replace UnionPay's (00040000:SIGN in the test
// environment): card data would be encrypted to the merchant's key. Found in the third
// session's review. The refusal is a *cert.InvalidError whose Reason is cert.WrongOwner, as a
// certificate refused by the chain is one, so that a monitor tells a refused certificate from a
// failed call without reading the text.
func TestUpdateEncryptionCertificateKeepsOwner(t *testing.T) {
	t.Parallel()
	app, err := cert.LoadPFXFile(filepath.Join(testCerts, "unipayAppCert.pfx"), "000000") // valid at testNow
	require.NoError(t, err)
	merchant := string(pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: app.Certificate.Raw}))
	g := newGateway(t, certAnswer(merchant))
	c := newTestClient(t, g) // configured with acp_test_enc.cer
	before := c.Encrypter()
	updated, err := c.UpdateEncryptionCertificate(context.Background())
	require.ErrorContains(t, err, "owner")
	var inv *cert.InvalidError
	require.ErrorAs(t, err, &inv)
	assert.Equal(t, cert.WrongOwner, inv.Reason)
	assert.Equal(t, cert.CertID(app.Certificate), cert.CertID(inv.Cert), "names the certificate refused")
	assert.False(t, updated)
	assert.Same(t, before, c.Encrypter())
}

// TestUpdateEncryptionCertificateNeedsChain: a 5.0.0 configuration (UnionPay's signing
// certificate in LegacyCerts, no Root and Middle) cannot validate the certificate a txnType 95
// answer carries: a *ConfigError naming Config.Verifier, matching cert.ErrNoChain, before anything
// is sent (it sent the request, then refused the answer's certificate as a "signature method not
// accepted"; found by a 5.0.0 merchant's trial).
func TestUpdateEncryptionCertificateNeedsChain(t *testing.T) {
	t.Parallel()
	g := newGateway(t, accept(nil))
	v, err := cert.NewVerifier(cert.VerifierConfig{LegacyCerts: []*x509.Certificate{loadCert(t, "unipayCertPublicKey.cer")},
		Now: func() time.Time { return testNow }})
	require.NoError(t, err)
	signer, err := loadPFX(t).Signer()
	require.NoError(t, err)
	c := newTestClient(t, g, func(cfg *unionpay.Config) { cfg.Signer, cfg.Version, cfg.Verifier = signer, sign.Version500, v })
	updated, err := c.UpdateEncryptionCertificate(context.Background())
	assert.False(t, updated)
	var ce *unionpay.ConfigError
	require.ErrorAs(t, err, &ce)
	assert.Equal(t, "Config.Verifier", ce.Field)
	assert.ErrorIs(t, err, cert.ErrNoChain)
	assert.NotErrorIs(t, err, cert.ErrMethod)
	assert.Zero(t, g.count(), "nothing sent")
}

// TestNewClientRefusesExpiredLegacy: a 5.0.0 configuration whose LegacyCerts hold no certificate
// valid at the Verifier's time is refused by NewClient, naming Config.Verifier with the
// certificate's *cert.InvalidError (Expired): every answer would have failed verification after
// the money moved, the refund answered 00 at UnionPay and pending for ever here (a 5.0.0
// merchant's trial). Valid at that time, it is taken.
func TestNewClientRefusesExpiredLegacy(t *testing.T) {
	t.Parallel()
	legacy := loadCert(t, "unipayCertPublicKey.cer")
	signer, err := loadPFX(t).Signer()
	require.NoError(t, err)
	for _, tt := range []struct {
		name string
		now  time.Time
		ok   bool
	}{
		{"valid", legacy.NotBefore.Add(24 * time.Hour), true},
		{"expired", legacy.NotAfter.Add(24 * time.Hour), false},
	} {
		v, err := cert.NewVerifier(cert.VerifierConfig{LegacyCerts: []*x509.Certificate{legacy}, Now: func() time.Time { return tt.now }})
		require.NoError(t, err)
		cfg := testConfig(t, "https://gateway.test.95516.com")
		cfg.Signer, cfg.Version, cfg.Verifier = signer, sign.Version500, v
		_, err = unionpay.NewClient(cfg)
		if tt.ok {
			require.NoError(t, err, tt.name)
			continue
		}
		requireVerifierExpired(t, err, tt.name)
	}
}

// TestNewClientRefusesExpiredChain: a 5.1.0 certificate configuration (signMethod 01) whose Root
// or Middle is not valid at the Verifier's time is refused by NewClient, naming Config.Verifier
// with the certificate's *cert.InvalidError: every answer, signed under that chain, would fail
// verification after the money moved (an operations trial). Valid, it is taken; a secure-key
// configuration does not use the chain.
func TestNewClientRefusesExpiredChain(t *testing.T) {
	t.Parallel()
	root, middle := loadCert(t, "acp_test_root.cer"), loadCert(t, "acp_test_middle.cer")
	signer, err := loadPFX(t).Signer()
	require.NoError(t, err)
	for _, tt := range []struct {
		name string
		now  time.Time
		ok   bool
	}{
		{"valid", testNow, true},
		{"middle expired", middle.NotAfter.Add(time.Hour), false},
		{"root expired too", root.NotAfter.Add(time.Hour), false},
	} {
		v, err := cert.NewVerifier(cert.VerifierConfig{Root: root, Middle: middle, Now: func() time.Time { return tt.now }})
		require.NoError(t, err)
		cfg := testConfig(t, "https://gateway.test.95516.com")
		cfg.Signer, cfg.Verifier = signer, v
		_, err = unionpay.NewClient(cfg)
		if tt.ok {
			require.NoError(t, err, tt.name)
			continue
		}
		requireVerifierExpired(t, err, tt.name)
		assert.Contains(t, err.Error(), "VerifierConfig.Middle", tt.name)
	}
	// A secure-key Signer's answers are verified with the key, not the chain.
	v, err := cert.NewVerifier(cert.VerifierConfig{Root: root, Middle: middle, SecureKey: []byte(testKey),
		SecureKeyMethods: []string{sign.MethodSHA256Key}, Now: func() time.Time { return middle.NotAfter.Add(time.Hour) }})
	require.NoError(t, err)
	cfg := testConfig(t, "https://gateway.test.95516.com")
	cfg.Verifier = v
	_, err = unionpay.NewClient(cfg)
	require.NoError(t, err)
}

// TestUpdateEncryptionCertificateKeepsAlgorithm: a Verifier holding both chains validates an
// encryption certificate of either algorithm, but a merchant encrypts card data with one (its
// Encrypter's, or its Signer's without one): an answer carrying the other is refused and nothing
// is swapped (it was taken, and card data went out encrypted with the wrong algorithm), a
// *cert.InvalidError whose Reason is cert.Malformed (a key not of the algorithm expected).
func TestUpdateEncryptionCertificateKeepsAlgorithm(t *testing.T) {
	t.Parallel()
	sm2Srv, both := bothChains(t)
	sm2PEM := strings.ReplaceAll(string(pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE",
		Bytes: sm2Srv.SM2EncryptionCertificate().Raw})), "\n", "\r\n")
	sm2Enc, err := cert.NewEncrypter(sm2Srv.SM2EncryptionCertificate())
	require.NoError(t, err)
	sm2Signer := sm2Srv.Config().Signer
	// An SM2 merchant's answers are signed with SM2 (the client refuses another method): by the
	// fake gateway, in UnionPay's raw format.
	sm2Answer := func(pemText string) func(sign.Fields) reply {
		return func(req sign.Fields) reply {
			signed, err := sm2Srv.Sign(answerTo(req, "00", sign.Fields{"certType": "01", "encryptPubKeyCert": pemText,
				"signMethod": sign.MethodSM2}))
			require.NoError(t, err)
			parts := make([]string, 0, len(signed))
			for k, v := range signed {
				parts = append(parts, k+"="+v)
			}
			return reply{raw: strings.Join(parts, "&")}
		}
	}

	for _, tt := range []struct {
		name   string
		answer func(sign.Fields) reply
		edit   func(*unionpay.Config)
		want   string // "" for a swap
	}{
		{"RSA merchant, SM2 answer", certAnswer(sm2PEM), func(*unionpay.Config) {}, "the answer's certificate is SM2, the merchant encrypts with RSA"},
		{"RSA signer, no encrypter, SM2 answer", certAnswer(sm2PEM), func(c *unionpay.Config) { c.Encrypter = nil },
			"the answer's certificate is SM2, the merchant encrypts with RSA"},
		{"SM2 merchant, RSA answer", sm2Answer(encPEM(t)), func(c *unionpay.Config) { c.Signer, c.Encrypter = sm2Signer, sm2Enc },
			"the answer's certificate is RSA, the merchant encrypts with SM2"},
		{"SM2 signer, no encrypter, RSA answer", sm2Answer(encPEM(t)), func(c *unionpay.Config) { c.Signer, c.Encrypter = sm2Signer, nil },
			"the answer's certificate is RSA, the merchant encrypts with SM2"},
		{"SM2 signer, no encrypter, SM2 answer", sm2Answer(sm2PEM), func(c *unionpay.Config) { c.Signer, c.Encrypter = sm2Signer, nil }, ""},
		{"RSA merchant, RSA answer", certAnswer(encPEM(t)), func(c *unionpay.Config) { c.Encrypter = nil }, ""},
	} {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			g := newGateway(t, tt.answer)
			g.check = func(sign.Fields) error { return nil } // SM2-signed requests too
			c := newTestClient(t, g, func(c *unionpay.Config) { c.Verifier = both }, tt.edit)
			before := c.Encrypter()
			updated, err := c.UpdateEncryptionCertificate(context.Background())
			if tt.want == "" {
				require.NoError(t, err)
				assert.True(t, updated)
				return
			}
			require.ErrorContains(t, err, tt.want)
			var inv *cert.InvalidError
			require.ErrorAs(t, err, &inv)
			assert.Equal(t, cert.Malformed, inv.Reason)
			assert.False(t, updated)
			assert.Same(t, before, c.Encrypter(), "nothing swapped")
		})
	}
}

// TestUpdateEncryptionCertificateEncrypterFirst: the algorithm kept is the configured
// Encrypter's, before the Signer's: a secure-key merchant (signMethod 11, which says nothing of
// the algorithm) encrypting with SM2 refuses an RSA certificate.
func TestUpdateEncryptionCertificateEncrypterFirst(t *testing.T) {
	t.Parallel()
	sm2Srv, both := bothChains(t)
	sm2Enc, err := cert.NewEncrypter(sm2Srv.SM2EncryptionCertificate())
	require.NoError(t, err)
	g := newGateway(t, certAnswer(encPEM(t)))
	c := newTestClient(t, g, func(c *unionpay.Config) { c.Verifier, c.Encrypter = both, sm2Enc })
	updated, err := c.UpdateEncryptionCertificate(context.Background())
	require.ErrorContains(t, err, "the answer's certificate is RSA, the merchant encrypts with SM2")
	assert.False(t, updated)
	assert.Same(t, sm2Enc, c.Encrypter())
}

// bothChains starts an SM2 fake gateway on the test clock and returns it with a Verifier
// trusting UnionPay's RSA test chain, that gateway's SM2 chain and the test secure key.
func bothChains(t *testing.T) (*unionpaytest.Server, *cert.Verifier) {
	t.Helper()
	clock := func() time.Time { return testNow }
	sm2Srv := unionpaytest.NewServer(withSharedKeys(t), unionpaytest.WithSM2(), unionpaytest.WithClock(clock))
	t.Cleanup(sm2Srv.Close)
	svc := sm2Srv.VerifierConfig()
	both, err := cert.NewVerifier(cert.VerifierConfig{
		Root: loadCert(t, "acp_test_root.cer"), Middle: loadCert(t, "acp_test_middle.cer"),
		SM2Root: svc.SM2Root, SM2Middle: svc.SM2Middle,
		SecureKey: []byte(testKey), SecureKeyMethods: []string{sign.MethodSHA256Key}, Now: clock,
	})
	require.NoError(t, err)
	return sm2Srv, both
}

// heldTransport holds the answer to the first encryption-certificate query (txnType 95) it
// carries until release is closed, telling got once it has the answer.
type heldTransport struct {
	next    http.RoundTripper
	n       atomic.Int32
	got     chan struct{}
	release chan struct{}
}

func (h *heldTransport) RoundTrip(r *http.Request) (*http.Response, error) {
	body, err := io.ReadAll(r.Body)
	if err != nil {
		return nil, err
	}
	r.Body = io.NopCloser(bytes.NewReader(body))
	resp, err := h.next.RoundTrip(r)
	if err == nil && bytes.Contains(body, []byte("txnType=95")) && h.n.Add(1) == 1 {
		close(h.got)
		<-h.release
	}
	return resp, err
}

// TestUpdateEncryptionCertificateKeepsNewest: an update whose answer comes late (a slow
// connection) must not put back the certificate it fetched over a newer one that an update
// begun after it has already put in place. UnionPay rotates the certificate between the two
// fetches; the client then held the older one, reported as swapped, until the next update.
func TestUpdateEncryptionCertificateKeepsNewest(t *testing.T) {
	t.Parallel()
	srv := unionpaytest.NewServer(withSharedKeys(t))
	t.Cleanup(srv.Close)
	cfg := srv.Config()
	held := &heldTransport{next: cfg.HTTPClient.Transport, got: make(chan struct{}), release: make(chan struct{})}
	cfg.HTTPClient.Transport = held
	c, err := unionpay.NewClient(cfg)
	require.NoError(t, err)
	ctx := context.Background()

	require.NoError(t, srv.RotateEncryptionCert())
	first := make(chan bool, 1)
	go func() {
		updated, err := c.UpdateEncryptionCertificate(ctx) // fetches the first rotation's, held
		assert.NoError(t, err)
		first <- updated
	}()
	<-held.got
	require.NoError(t, srv.RotateEncryptionCert())
	newest := cert.CertID(srv.EncryptionCertificate())
	second := make(chan bool, 1)
	go func() {
		updated, err := c.UpdateEncryptionCertificate(ctx)
		assert.NoError(t, err)
		second <- updated
	}()
	var secondUpdated, secondDone bool
	select {
	case secondUpdated = <-second: // it went ahead of the held one (before the fix)
		secondDone = true
	case <-time.After(time.Second): // it waits for the held one
	}
	close(held.release)
	assert.True(t, <-first, "the first update swapped")
	if !secondDone {
		secondUpdated = <-second
	}
	assert.True(t, secondUpdated, "the later update swapped")
	assert.Equal(t, newest, c.Encrypter().CertID(), "the newest certificate stays in use")
}

// TestUpdateEncryptionCertificateWaitEnds: an update waiting for another to finish gives up when
// its ctx ends, as not sent.
func TestUpdateEncryptionCertificateWaitEnds(t *testing.T) {
	t.Parallel()
	srv := unionpaytest.NewServer(withSharedKeys(t))
	t.Cleanup(srv.Close)
	cfg := srv.Config()
	held := &heldTransport{next: cfg.HTTPClient.Transport, got: make(chan struct{}), release: make(chan struct{})}
	cfg.HTTPClient.Transport = held
	c, err := unionpay.NewClient(cfg)
	require.NoError(t, err)
	first := make(chan error, 1)
	go func() {
		_, err := c.UpdateEncryptionCertificate(context.Background())
		first <- err
	}()
	<-held.got
	ctx, cancel := context.WithTimeout(context.Background(), 50*time.Millisecond)
	defer cancel()
	updated, err := c.UpdateEncryptionCertificate(ctx)
	assert.False(t, updated)
	require.ErrorIs(t, err, unionpay.ErrNotSent)
	require.ErrorIs(t, err, context.DeadlineExceeded)
	close(held.release)
	require.NoError(t, <-first)
	assert.EqualValues(t, 1, held.n.Load(), "the waiting update sent nothing")
}

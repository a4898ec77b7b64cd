package unionpaytest_test

import (
	"context"
	"crypto/x509"
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"sync/atomic"
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

// merchantSite is a merchant's notification endpoint whose notify.Handler is replaced as a
// restart with a new configuration would replace it (a Handler is not modified once it serves).
type merchantSite struct {
	h   atomic.Pointer[notify.Handler]
	srv *httptest.Server

	mu  sync.Mutex
	got map[string]int // accepted notifications by orderId
}

func newMerchantSite(t *testing.T) *merchantSite {
	t.Helper()
	m := &merchantSite{got: map[string]int{}}
	m.srv = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { m.h.Load().ServeHTTP(w, r) }))
	t.Cleanup(m.srv.Close)
	return m
}

// restart serves notifications with a Handler verifying with v.
func (m *merchantSite) restart(v *cert.Verifier) {
	m.h.Store(&notify.Handler{Verifier: v, OnNotify: func(_ context.Context, n *notify.Notification) error {
		m.mu.Lock()
		defer m.mu.Unlock()
		m.got[n.OrderID]++
		return nil
	}})
}

func (m *merchantSite) accepted(orderID string) int {
	m.mu.Lock()
	defer m.mu.Unlock()
	return m.got[orderID]
}

// statuses returns the HTTP statuses the merchant answered for orderID's notifications.
func statuses(srv *unionpaytest.Server, orderID string) []int {
	var out []int
	for _, d := range srv.Deliveries() {
		if d.OrderID == orderID {
			out = append(out, d.Status)
		}
	}
	return out
}

func rotationCard(orderID, backURL string) *unionpay.CardRequest {
	return &unionpay.CardRequest{OrderID: orderID, Amount: 1000, BackURL: backURL, AccNo: unionpaytest.TestCard,
		Customer: &unionpay.Customer{IDType: "01", IDNumber: "341126197709218366", Name: "互联网",
			Phone: "13552535506", SMSCode: "123456", PIN: "111111"}}
}

func parsePEM(t *testing.T, data []byte) *x509.Certificate {
	t.Helper()
	c, err := x509.ParseCertificate(pemBlock(t, data))
	require.NoError(t, err)
	return c
}

// TestRotationEndToEnd rehearses UnionPay's signing-certificate renewal and root switch against
// a unionpay.Client and a notify.Handler configured from the gateway before the rotation: either
// their messages keep verifying, or every answer is unverified (pending for a payment that
// succeeded at the gateway) and every notification refused, with a typed error, until the
// merchant configures what the rotation needs (the new 5.0.0 certificate, the next chain); then
// the payment is queried as succeeded, its notification accepted, and new payments work.
func TestRotationEndToEnd(t *testing.T) {
	t.Parallel()
	// fixNext gives a 5.1.0 verifier the gateway's new chain as its next one.
	fixNext := func(srv *unionpaytest.Server, vc *cert.VerifierConfig) {
		if srv.SM2() {
			vc.NextSM2Root, vc.NextSM2Middle = srv.SM2RootCertificate(), srv.SM2MiddleCertificate()
			return
		}
		vc.NextRoot, vc.NextMiddle = parsePEM(t, srv.RootPEM()), parsePEM(t, srv.MiddlePEM())
	}
	// fixLegacy adds the gateway's new signing certificate for 5.0.0.
	fixLegacy := func(srv *unionpaytest.Server, vc *cert.VerifierConfig) {
		if srv.SM2() {
			vc.SM2Certs = append(vc.SM2Certs, srv.SM2SigningCertificate())
			return
		}
		vc.LegacyCerts = append(vc.LegacyCerts, srv.SigningCertificate())
	}
	unknownAuthority := func(t *testing.T, err error) {
		t.Helper()
		var ie *cert.InvalidError
		require.ErrorAs(t, err, &ie)
		assert.Equal(t, cert.UnknownAuthority, ie.Reason, "%v", err)
	}
	unknownCert := func(t *testing.T, err error) {
		t.Helper()
		require.ErrorIs(t, err, cert.ErrNoCertificate)
	}
	rotateSigning := (*unionpaytest.Server).RotateSigningCert
	rotateRoot := (*unionpaytest.Server).RotateRoot
	for _, tt := range []struct {
		name    string
		sm2     bool
		version string
		rotate  func(*unionpaytest.Server) error
		refused func(*testing.T, error) // nil: the old configuration keeps working
		fix     func(*unionpaytest.Server, *cert.VerifierConfig)
	}{
		{name: "signing 5.1.0", version: sign.Version510, rotate: rotateSigning},
		{name: "signing 5.0.0", version: sign.Version500, rotate: rotateSigning, refused: unknownCert, fix: fixLegacy},
		{name: "root 5.1.0", version: sign.Version510, rotate: rotateRoot, refused: unknownAuthority, fix: fixNext},
		{name: "root 5.0.0", version: sign.Version500, rotate: rotateRoot, refused: unknownCert, fix: fixLegacy},
		{name: "SM2 signing 5.1.0", sm2: true, version: sign.Version510, rotate: rotateSigning},
		{name: "SM2 signing 5.0.0", sm2: true, version: sign.Version500, rotate: rotateSigning, refused: unknownCert, fix: fixLegacy},
		{name: "SM2 root 5.1.0", sm2: true, version: sign.Version510, rotate: rotateRoot, refused: unknownAuthority, fix: fixNext},
		{name: "SM2 root 5.0.0", sm2: true, version: sign.Version500, rotate: rotateRoot, refused: unknownCert, fix: fixLegacy},
	} {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			opts := []unionpaytest.Option{keys(t), unionpaytest.WithClock(newClock().Now), unionpaytest.WithNotifySchedule(0)}
			if tt.sm2 {
				opts = append(opts, unionpaytest.WithSM2())
			}
			srv := unionpaytest.NewServer(opts...)
			t.Cleanup(srv.Close)
			ctx := context.Background()
			// The merchant's configuration, made before the rotation.
			vc := srv.VerifierConfig()
			cfg := srv.Config()
			cfg.Version = tt.version
			client, err := unionpay.NewClient(cfg)
			require.NoError(t, err)
			site := newMerchantSite(t)
			site.restart(cfg.Verifier)
			oldSigning, oldRoot := srv.SigningCertificate(), srv.RootPEM()

			require.NoError(t, tt.rotate(srv))
			if tt.sm2 {
				assert.NotEqual(t, oldSigning, srv.SigningCertificate(), "the RSA side rotates with the SM2 one")
			}
			assert.NotEqual(t, cert.CertID(oldSigning), cert.CertID(srv.SigningCertificate()), "a new certId")
			assert.Equal(t, strings.Contains(tt.name, "root"), string(oldRoot) != string(srv.RootPEM()),
				"only a root switch changes the root")

			paid := func(c *unionpay.Client, orderID string) (*unionpay.Result, error) {
				return c.BackConsume(ctx, rotationCard(orderID, site.srv.URL+"/notify"))
			}
			res, err := paid(client, "ROTATION1")
			delivered := func(orderID string) []int {
				t.Helper()
				require.Eventually(t, func() bool { return len(statuses(srv, orderID)) == 1 }, 5*time.Second, 5*time.Millisecond)
				return statuses(srv, orderID)
			}
			if tt.refused == nil {
				require.NoError(t, err)
				require.Equal(t, []int{http.StatusOK}, delivered("ROTATION1"))
				assert.Equal(t, 1, site.accepted("ROTATION1"))
				return
			}
			// Unverified: pending, never a failure nor a success.
			require.Nil(t, res)
			var pe *unionpay.PendingError
			require.ErrorAs(t, err, &pe)
			require.ErrorIs(t, err, unionpay.ErrUnverified)
			var ue *unionpay.Error
			require.False(t, errors.As(err, &ue), "not a rejection")
			tt.refused(t, err)
			tx, err := client.Query(ctx, &unionpay.QueryRequest{OrderID: "ROTATION1", TxnTime: pe.TxnTime})
			require.Nil(t, tx)
			require.ErrorIs(t, err, unionpay.ErrUnverified, "a query's answer is unverified too")
			tt.refused(t, err)
			// The notification is refused (400: UnionPay sends it again), with the same error.
			assert.Equal(t, []int{http.StatusBadRequest}, delivered("ROTATION1"))
			assert.Zero(t, site.accepted("ROTATION1"))
			note, err := srv.SignNotification(sign.Fields{"orderId": "ROTATION1", "respCode": "00", "version": tt.version,
				"signMethod": cfg.Signer.Method()})
			require.NoError(t, err)
			_, err = notify.Parse(cfg.Verifier, []byte(note.Encode()))
			tt.refused(t, err)
			assert.Equal(t, map[bool]string{true: "certificate", false: "unknown_cert"}[tt.version == sign.Version510],
				notify.Reason(err))

			// The merchant configures what the rotation needs, and restarts.
			tt.fix(srv, &vc)
			v, err := cert.NewVerifier(vc)
			require.NoError(t, err)
			cfg.Verifier = v
			client, err = unionpay.NewClient(cfg)
			require.NoError(t, err)
			site.restart(v)
			tx, err = client.Query(ctx, &unionpay.QueryRequest{OrderID: "ROTATION1", TxnTime: pe.TxnTime})
			require.NoError(t, err)
			assert.Equal(t, unionpay.Succeeded, tx.State, "the unverified payment had succeeded")
			require.NoError(t, srv.Notify(ctx, "ROTATION1"))
			assert.Equal(t, 1, site.accepted("ROTATION1"))
			_, err = paid(client, "ROTATION2")
			require.NoError(t, err)
			require.Equal(t, []int{http.StatusOK}, delivered("ROTATION2"))
		})
	}
}

// TestRotationAccessors: after rotations, the accessors return the current certificates, which
// chain to the current root and middle; VerifierConfig keeps the replaced signing certificates
// for 5.0.0, and a verifier built from it verifies what the gateway signs; MerchantPFX keeps
// the chain that issued the merchant's certificate.
func TestRotationAccessors(t *testing.T) {
	t.Parallel()
	srv := unionpaytest.NewServer(keys(t), unionpaytest.WithClock(newClock().Now), unionpaytest.WithSM2())
	t.Cleanup(srv.Close)
	firstRoot, firstSigning := parsePEM(t, srv.RootPEM()), srv.SigningCertificate()
	firstSM2Signing := srv.SM2SigningCertificate()
	require.NoError(t, srv.RotateSigningCert())
	require.NoError(t, srv.RotateRoot())
	require.NoError(t, srv.RotateSigningCert())

	root, middle := parsePEM(t, srv.RootPEM()), parsePEM(t, srv.MiddlePEM())
	assert.NotEqual(t, firstRoot.Raw, root.Raw)
	assert.Equal(t, srv.SigningCertificate().Raw, parsePEM(t, srv.SigningPEM()).Raw)
	pool := func(c *x509.Certificate) *x509.CertPool { p := x509.NewCertPool(); p.AddCert(c); return p }
	for _, c := range []*x509.Certificate{srv.SigningCertificate(), srv.EncryptionCertificate()} {
		_, err := c.Verify(x509.VerifyOptions{Roots: pool(root), Intermediates: pool(middle), CurrentTime: srv.Now(),
			KeyUsages: []x509.ExtKeyUsage{x509.ExtKeyUsageAny}})
		require.NoError(t, err, c.Subject.CommonName)
	}
	vc := srv.VerifierConfig()
	assert.Equal(t, root.Raw, vc.Root.Raw)
	assert.Equal(t, middle.Raw, vc.Middle.Raw)
	ids := map[string]bool{}
	for _, c := range append(vc.LegacyCerts, vc.SM2Certs...) {
		require.False(t, ids[cert.CertID(c)], "certId %s twice", cert.CertID(c))
		ids[cert.CertID(c)] = true
	}
	assert.True(t, ids[cert.CertID(firstSigning)] && ids[cert.CertID(firstSM2Signing)], "the replaced certificates are kept")
	assert.Len(t, vc.LegacyCerts, 5, "the current signing certificate, the three it replaced, and the expired one")
	v, err := srv.NotifyVerifier()
	require.NoError(t, err)
	for _, c := range []*x509.Certificate{srv.SigningCertificate(), srv.SM2SigningCertificate()} {
		require.NoError(t, v.ValidateCertificate(c))
	}
	for _, c := range []*x509.Certificate{srv.EncryptionCertificate(), srv.SM2EncryptionCertificate()} {
		require.NoError(t, v.ValidateEncryptionCertificate(c))
	}
	for _, method := range []string{sign.MethodRSA, sign.MethodSM2} {
		for _, version := range []string{sign.Version510, sign.Version500} {
			f, err := srv.Sign(sign.Fields{"orderId": "ACCESSORS1", "signMethod": method, "version": version})
			require.NoError(t, err)
			_, err = v.Verify(f)
			require.NoError(t, err, "%s %s", method, version)
			for _, fault := range []unionpaytest.Fault{unionpaytest.FaultWrongKey, unionpaytest.FaultExpiredCert, unionpaytest.FaultWrongName} {
				f, err := srv.SignWithFault(sign.Fields{"orderId": "ACCESSORS1", "signMethod": method, "version": version}, fault)
				require.NoError(t, err)
				_, err = v.Verify(f)
				require.Error(t, err, "%s %s %v", method, version, fault)
				if version == sign.Version510 && fault != unionpaytest.FaultWrongKey {
					var ie *cert.InvalidError
					require.ErrorAs(t, err, &ie)
					assert.Contains(t, []cert.Reason{cert.Expired, cert.WrongOwner}, ie.Reason,
						"the faults' certificates are issued by the current middle: %v", err)
				}
			}
		}
	}
	pfx, err := srv.MerchantPFX("000000")
	require.NoError(t, err)
	p, err := loadPFX(pfx, "000000")
	require.NoError(t, err)
	var issued bool
	for _, ca := range p.CACerts {
		issued = issued || p.Certificate.CheckSignatureFrom(ca) == nil
	}
	assert.True(t, issued, "MerchantPFX keeps the chain that issued the merchant's certificate")
}

// TestRotationConcurrent rotates while requests, signatures and accessors run (for the race
// detector), on both the RSA and the SM2 side: every answer is either verified or unverified,
// never anything else, and afterwards a verifier from VerifierConfig verifies what the gateway
// signs, and a client built before takes the new chain's encryption certificate.
func TestRotationConcurrent(t *testing.T) {
	t.Parallel()
	srv := unionpaytest.NewServer(keys(t), unionpaytest.WithClock(newClock().Now), unionpaytest.WithNotifySchedule(0),
		unionpaytest.WithSM2())
	t.Cleanup(srv.Close)
	before := srv.Config() // signMethod 21; SignWithFault below signs 01
	client, err := unionpay.NewClient(before)
	require.NoError(t, err)
	ctx := context.Background()
	done := make(chan struct{})
	var workers, rotations sync.WaitGroup
	for i := range 3 {
		workers.Go(func() {
			for j := 0; ; j++ {
				select {
				case <-done:
					return
				default:
				}
				_, err := client.BackConsume(ctx, rotationCard(fmt.Sprintf("CONCURRENT%d%d", i, j), "http://127.0.0.1:1/n"))
				if err != nil && !errors.Is(err, unionpay.ErrUnverified) {
					t.Errorf("BackConsume: %v", err)
				}
				_, err = srv.SignWithFault(sign.Fields{"orderId": "CONCURRENT"}, unionpaytest.FaultExpiredCert)
				assert.NoError(t, err)
				_ = srv.VerifierConfig()
				_, _, _ = srv.SigningPEM(), srv.RootPEM(), srv.MiddlePEM()
			}
		})
	}
	rotations.Go(func() { assert.NoError(t, srv.RotateSigningCert()) })
	rotations.Go(func() { assert.NoError(t, srv.RotateRoot()) })
	rotations.Go(func() { assert.NoError(t, srv.RotateEncryptionCert()) })
	rotations.Wait()
	close(done)
	workers.Wait()
	v, err := srv.NotifyVerifier()
	require.NoError(t, err)
	f, err := srv.Sign(sign.Fields{"orderId": "CONC"})
	require.NoError(t, err)
	_, err = v.Verify(f)
	require.NoError(t, err)
	// The merchant's configuration from before, with the current trust: it validates and takes
	// the encryption certificate of the new chain.
	before.Verifier = v
	client, err = unionpay.NewClient(before)
	require.NoError(t, err)
	updated, err := client.UpdateEncryptionCertificate(ctx)
	require.NoError(t, err)
	require.True(t, updated)
	_, err = client.BackConsume(ctx, rotationCard("CONCURRENTLAST", "http://127.0.0.1:1/n"))
	require.NoError(t, err)
}

// TestClaimsRotatedNotificationSentAgainAsItWas pins "a notification already sent is sent again
// as it was" (RotateSigningCert, RotateRoot): a retry after a rotation carries the signature and
// certificate of its first attempt. The merchant holds the first attempt until the rotation is
// over, so the retry (200 ms after the first attempt ends) is made after it: with the retry on a
// plain timer, a rotation under -race (new RSA keys) often outlasted it and the test compared the
// first attempt with a retry made before the rotation.
func TestClaimsRotatedNotificationSentAgainAsItWas(t *testing.T) {
	t.Parallel()
	for name, rotate := range map[string]func(*unionpaytest.Server) error{
		"signing": (*unionpaytest.Server).RotateSigningCert, "root": (*unionpaytest.Server).RotateRoot,
	} {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			srv, c, _ := clientGateway(t, unionpaytest.WithNotifySchedule(0, 200*time.Millisecond))
			in := newInbox(t, mustVerifier(t, srv), http.StatusInternalServerError)
			rotated := make(chan struct{})
			var attempts atomic.Int32
			held := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				if attempts.Add(1) == 1 {
					<-rotated // the gateway waits up to 10 s for an answer
				}
				in.serve(w, r)
			}))
			t.Cleanup(held.Close)
			release := sync.OnceFunc(func() { close(rotated) })
			t.Cleanup(release) // before held.Close, should the test stop early
			_, err := c.BackConsume(context.Background(), rotationCard("CLAIMROT1", held.URL))
			require.NoError(t, err)
			require.Eventually(t, func() bool { return attempts.Load() == 1 }, 5*time.Second, 5*time.Millisecond)
			err = rotate(srv)
			release()
			require.NoError(t, err)
			require.NoError(t, srv.WaitNotifications(context.Background()))
			got := in.wait(t, 2, 5*time.Second)
			first := got[0]
			for _, k := range []string{sign.FieldSignature, "signPubKeyCert"} {
				assert.Equal(t, first[k], got[1][k], k)
			}
			now, err := srv.Sign(sign.Fields{"orderId": "CLAIMROT2"})
			require.NoError(t, err)
			assert.NotEqual(t, now["signPubKeyCert"], first["signPubKeyCert"], "the gateway now signs with another certificate")
		})
	}
}

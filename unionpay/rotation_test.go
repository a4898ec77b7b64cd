package unionpay_test

import (
	"context"
	"crypto/rand"
	"crypto/rsa"
	"crypto/x509"
	"crypto/x509/pkix"
	"errors"
	"math/big"
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

// review15c: during a rotation (a renewed certificate registered next to the generated one) an order
// signed under the generated (old) certificate still gets an accNo its own key opens.
func TestReview15cAccNoOfOldCertOrderDuringRotation(t *testing.T) {
	_, newCert := renewedMerchant(t, time.Now().AddDate(-1, 0, 0), time.Now().AddDate(2, 0, 0))
	e := newE2E(t, unionpaytest.WithMerchantCertificates(newCert))
	form, err := e.c.FrontConsume(e.consumeReq(e.order("OLD"), 1000))
	require.NoError(t, err)
	tx := e.paid(t, form)
	require.NotEmpty(t, tx.AccNo)
	pan, err := e.c.DecryptAccNo(tx)
	require.NoError(t, err, "accNo of an order signed under the generated certificate")
	require.Equal(t, "6216***********0018", pan)
}

// Certificate-rotation day, walked through with the fake gateway (trial-rotation).

// renewedMerchant makes a merchant key and certificate valid from notBefore to notAfter (CFCA's
// renewal: a new key, a new serial, so a new certId).
func renewedMerchant(t *testing.T, notBefore, notAfter time.Time) (*rsa.PrivateKey, *x509.Certificate) {
	t.Helper()
	key, err := rsa.GenerateKey(rand.Reader, 2048)
	require.NoError(t, err)
	serial, err := rand.Int(rand.Reader, big.NewInt(1<<62))
	require.NoError(t, err)
	tpl := &x509.Certificate{SerialNumber: serial, Subject: pkix.Name{CommonName: "041@Z12@merchant@00000002"},
		NotBefore: notBefore, NotAfter: notAfter, KeyUsage: x509.KeyUsageDigitalSignature | x509.KeyUsageKeyEncipherment}
	der, err := x509.CreateCertificate(rand.Reader, tpl, tpl, &key.PublicKey, key)
	require.NoError(t, err)
	c, err := x509.ParseCertificate(der)
	require.NoError(t, err)
	return key, c
}

// Step 1: the merchant's PFX renewed. Old and new certIds both registered during the overlap
// (WithMerchantCertificates), half the fleet on each.
func TestTrialRotationMerchantPFXRenewed(t *testing.T) {
	newKey, newCert := renewedMerchant(t, time.Now().AddDate(-1, 0, 0), time.Now().AddDate(2, 0, 0))
	e := newE2E(t, unionpaytest.WithMerchantCertificates(newCert))
	ctx := context.Background()
	oldClient := e.c
	newClient := e.client(t, func(c *unionpay.Config) {
		s, err := sign.NewRSASigner(newKey, cert.CertID(newCert))
		require.NoError(t, err)
		d, err := cert.NewDecrypter(newKey)
		require.NoError(t, err)
		c.Signer, c.Decrypter = s, d
	})
	// A payment signed under the old PFX, refunded by an instance already on the new one.
	res, err := oldClient.BackConsume(ctx, e.card(e.order("OLD"), 1000))
	require.NoError(t, err)
	tx, err := newClient.Query(ctx, &unionpay.QueryRequest{OrderID: res.OrderID, TxnTime: res.TxnTime})
	require.NoError(t, err)
	require.Equal(t, unionpay.Succeeded, tx.State)
	_, err = newClient.Refund(ctx, e.followUp(e.order("RFD"), tx.QueryID, 400))
	require.NoError(t, err, "a refund signed with the new PFX of a payment made under the old one")
	_, err = oldClient.Refund(ctx, e.followUp(e.order("RFD"), tx.QueryID, 600))
	require.NoError(t, err, "the other half of the fleet, still on the old PFX")

	// The new client's Decrypter must be the new key (NewClient checks): an accNo encrypted to
	// the old key needs a second Decrypter of the old key.
	if tx.AccNo != "" {
		_, err = newClient.DecryptAccNo(tx)
		t.Logf("new client, accNo encrypted to the old key: %v", err)
		oldDec, err := cert.NewDecrypter(e.srv.MerchantKey())
		require.NoError(t, err)
		pan, err := oldDec.Decrypt(tx.AccNo)
		require.NoError(t, err)
		t.Logf("old key decrypts: %s", pan)
	}
	// Can a client hold the old Decrypter with the new Signer? (it cannot: documented)
	_, err = unionpay.NewClient(func() unionpay.Config {
		c := e.srv.Config()
		s, _ := sign.NewRSASigner(newKey, cert.CertID(newCert))
		c.Signer = s
		return c
	}())
	t.Logf("new signer + old decrypter: %v", err)
}

// Step 5a: the merchant's PFX expires at midnight (gateway clock), with an order pending.
func TestTrialRotationMerchantPFXExpires(t *testing.T) {
	start := unionpaytest.BusinessDayClock()()
	var now atomic.Int64
	now.Store(start.UnixNano())
	clock := func() time.Time { return time.Unix(0, now.Load()).In(start.Location()) }
	expiry := start.Add(time.Hour)
	key, c := renewedMerchant(t, start.AddDate(-1, 0, 0), expiry)
	srv := unionpaytest.NewServer(unionpaytest.WithReporter(quietReporter{t}), unionpaytest.WithTimeScale(1.0/600),
		unionpaytest.WithClock(clock), unionpaytest.WithMerchantCertificates(c))
	t.Cleanup(srv.Close)
	cfg := srv.Config()
	s, err := sign.NewRSASigner(key, cert.CertID(c))
	require.NoError(t, err)
	cfg.Signer, cfg.Decrypter = s, nil
	cl, err := unionpay.NewClient(cfg)
	require.NoError(t, err)
	e := &e2e{srv: srv, c: cl, inbox: newInbox(t)}
	ctx := context.Background()
	id := e.order("EXP")
	srv.Script(id, unionpaytest.Succeed, unionpaytest.Pending, unionpaytest.Succeed)
	res, err := cl.Collect(ctx, e.card(id, 1000))
	require.NoError(t, err)

	now.Store(expiry.Add(time.Second).UnixNano()) // midnight passed
	_, err = cl.Collect(ctx, e.card(e.order("EXP"), 1000))
	var ue *unionpay.Error
	t.Logf("new payment after expiry: %v (is *Error: %v, pending: %v)", err, errors.As(err, &ue), errors.Is(err, unionpay.ErrPending))
	tx, err := cl.QueryUntilFinal(ctx, &unionpay.QueryRequest{OrderID: id, TxnTime: res.TxnTime}, unionpay.Backoff{Delays: []time.Duration{time.Millisecond, time.Millisecond}})
	var pe *unionpay.PendingError
	t.Logf("query of a pending order after expiry: tx=%v err=%v", tx, err)
	require.True(t, errors.As(err, &pe), "the order stays pending")
}

type quietReporter struct{ t *testing.T }

func (r quietReporter) Errorf(format string, args ...any) { r.t.Logf("gateway: "+format, args...) }

// Step 4: encryption certificate rotated; a restarted process that lost the update; concurrent updates.
func TestTrialRotationEncryptionCertificate(t *testing.T) {
	e := newE2E(t)
	ctx := context.Background()
	oldEnc := e.c.Encrypter()
	require.NoError(t, e.srv.RotateEncryptionCert())
	// Before the daily update: a payout encrypted with the old certificate.
	_, err := e.c.Payout(ctx, e.card(e.order("PAY"), 100))
	require.NoError(t, err, "old encryption certificate during the overlap")
	// A restarted process configured with the old file.
	restarted := e.client(t, func(c *unionpay.Config) { c.Encrypter = oldEnc })
	var wg sync.WaitGroup
	var swapped atomic.Int32
	for range 8 {
		wg.Go(func() {
			ok, err := restarted.UpdateEncryptionCertificate(ctx)
			assert.NoError(t, err)
			if ok {
				swapped.Add(1)
			}
		})
	}
	wg.Wait()
	assert.EqualValues(t, 1, swapped.Load())
	assert.Equal(t, e.srv.EncryptionCertificate().SerialNumber.String(), restarted.Encrypter().CertID())
	_, err = restarted.Payout(ctx, e.card(e.order("PAY"), 100))
	require.NoError(t, err)
}

func trialNotification() sign.Fields {
	return sign.Fields{"version": "5.1.0", "encoding": "UTF-8", "signMethod": "01", "txnType": "01", "txnSubType": "01",
		"bizType": "000201", "accessType": "0", "merId": unionpaytest.DefaultMerchantID, "orderId": "ROT00000001",
		"txnTime": "20261127100000", "txnAmt": "1000", "currencyCode": "156", "queryId": "201611271000000000001",
		"respCode": "00", "respMsg": "success", "settleDate": "1127", "traceNo": "000001", "traceTime": "1127100000"}
}

// Steps 2 and 3: UnionPay's signing leaf renewed under the same middle; then a new root and middle.
func TestTrialRotationUnionPayChain(t *testing.T) {
	keys := sharedKeys(t)
	clk := unionpaytest.BusinessDayClock()
	old := unionpaytest.NewServer(unionpaytest.WithKeys(keys), unionpaytest.WithClock(clk))
	t.Cleanup(old.Close)
	renewed := unionpaytest.NewServer(unionpaytest.WithKeys(keys), unionpaytest.WithClock(clk)) // same names and keys: a new leaf the old middle verifies
	t.Cleanup(renewed.Close)
	next := unionpaytest.NewServer(unionpaytest.WithClock(clk)) // a new root and middle
	t.Cleanup(next.Close)

	verify := func(cfg cert.VerifierConfig, s *unionpaytest.Server, fault unionpaytest.Fault) error {
		t.Helper()
		v, err := cert.NewVerifier(cfg)
		require.NoError(t, err)
		var f sign.Fields
		if fault == unionpaytest.FaultNone {
			f, err = s.Sign(trialNotification())
		} else {
			f, err = s.SignWithFault(trialNotification(), fault)
		}
		require.NoError(t, err)
		_, err = v.Verify(f)
		return err
	}
	before := old.VerifierConfig()
	t.Logf("leaf serials: old %v renewed %v, same bytes %v", old.SigningCertificate().SerialNumber, renewed.SigningCertificate().SerialNumber, string(old.SigningPEM()) == string(renewed.SigningPEM()))
	assert.NoError(t, verify(before, old, unionpaytest.FaultNone), "old leaf")
	assert.NoError(t, verify(before, renewed, unionpaytest.FaultNone), "renewed leaf, same middle: nothing to do")

	during := before
	during.NextRoot, during.NextMiddle = next.VerifierConfig().Root, next.VerifierConfig().Middle
	assert.Error(t, verify(before, next, unionpaytest.FaultNone), "before: the new chain is not trusted")
	assert.NoError(t, verify(during, old, unionpaytest.FaultNone), "during: old chain")
	assert.NoError(t, verify(during, next, unionpaytest.FaultNone), "during: new chain")
	for _, f := range []unionpaytest.Fault{unionpaytest.FaultWrongName, unionpaytest.FaultExpiredCert, unionpaytest.FaultWrongKey} {
		assert.Error(t, verify(during, next, f), "during, new chain, %v", f)
		assert.Error(t, verify(during, old, f), "during, old chain, %v", f)
	}
	vd, err := cert.NewVerifier(during)
	require.NoError(t, err)
	assert.NoError(t, vd.ValidateEncryptionCertificate(next.EncryptionCertificate()), "encryption certificate under the new chain")
	assert.NoError(t, vd.ValidateEncryptionCertificate(old.EncryptionCertificate()))
	t.Logf("merchant certificate of the new middle as an encryption certificate: %v (documented: owner not checked here)", vd.ValidateEncryptionCertificate(next.MerchantCertificate()))

	after := next.VerifierConfig()
	assert.NoError(t, verify(after, next, unionpaytest.FaultNone), "after")
	err = verify(after, old, unionpaytest.FaultNone)
	var inv *cert.InvalidError
	assert.ErrorAs(t, err, &inv)
	t.Logf("after, old chain: %v", err)
}

// Step 5b: UnionPay's signing leaf expired: the answer to a money-moving request and the queries
// after it fail verification; the payment stays pending.
func TestTrialRotationUnionPayLeafExpired(t *testing.T) {
	e := newE2E(t)
	ctx := context.Background()
	id := e.order("LEAF")
	e.srv.FailOrder(id, unionpaytest.FaultExpiredCert)
	_, err := e.c.BackConsume(ctx, e.card(id, 1000))
	var pe *unionpay.PendingError
	require.ErrorAs(t, err, &pe)
	require.ErrorIs(t, err, unionpay.ErrUnverified)
	e.srv.FailEndpoint(unionpaytest.EndpointQuery, unionpaytest.FaultExpiredCert)
	tx, err := e.c.QueryUntilFinal(ctx, &unionpay.QueryRequest{OrderID: id, TxnTime: pe.TxnTime}, unionpay.Backoff{Delays: []time.Duration{time.Millisecond}})
	require.ErrorAs(t, err, &pe, "tx %v", tx)
	require.ErrorIs(t, err, unionpay.ErrUnverified)
	tx, err = e.c.Query(ctx, &unionpay.QueryRequest{OrderID: id, TxnTime: pe.TxnTime})
	require.NoError(t, err)
	require.Equal(t, unionpay.Succeeded, tx.State)
}

// A restart with a renewed PFX (new key, new certId): a refund sent under the old certificate is
// queried, and its notification verified, by the new process.
func TestDeployRenewedPFX(t *testing.T) {
	clk := newDClock()
	key, err := rsa.GenerateKey(rand.Reader, 2048)
	require.NoError(t, err)
	tmpl := &x509.Certificate{SerialNumber: big.NewInt(73120000001), Subject: pkix.Name{CommonName: "renewed merchant"},
		NotBefore: clk.Now().Add(-time.Hour), NotAfter: clk.Now().Add(365 * 24 * time.Hour)}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &key.PublicKey, key)
	require.NoError(t, err)
	renewed, err := x509.ParseCertificate(der)
	require.NoError(t, err)
	srv := dGateway(t, clk, unionpaytest.WithMerchantCertificates(renewed))
	front := newDFront(t)
	store := newDStore()
	p := dStart(t, srv, front, store)
	q := dPaid(t, srv, p.c, "PFX00000000000001", 5000)
	t0 := clk.Now()
	srv.Script("PFXREF00000000001", unionpaytest.Succeed, unionpaytest.Pending, unionpaytest.Succeed)
	store.put(dRec{Kind: "refund", OrderID: "PFXREF00000000001", TxnTime: t0, Amount: 100, OrigQueryID: q, State: "pending"})
	_, err = p.c.Refund(context.Background(), &unionpay.FollowUpRequest{OrderID: "PFXREF00000000001", OrigQueryID: q,
		Amount: 100, TxnTime: t0, BackURL: front.url})
	require.NoError(t, err)
	p.kill(front)

	signer, err := sign.NewRSASigner(key, renewed.SerialNumber.String())
	require.NoError(t, err)
	dec, err := cert.NewDecrypter(key)
	require.NoError(t, err)
	p2 := dStart(t, srv, front, store, func(c *unionpay.Config) { c.Signer, c.Decrypter = signer, dec })
	require.Empty(t, recoverAll(t, srv, store, p2, clk))
	r, _ := store.get("PFXREF00000000001")
	require.Equal(t, "succeeded", r.State)
	require.Equal(t, 1, r.Applied)
}

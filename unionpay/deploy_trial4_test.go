package unionpay_test

import (
	"context"
	"crypto/rand"
	"crypto/rsa"
	"crypto/x509"
	"crypto/x509/pkix"
	"math/big"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/goacp/unionpay/cert"
	"github.com/goacp/unionpay/sign"
	"github.com/goacp/unionpay/unionpay"
	"github.com/goacp/unionpay/unionpay/unionpaytest"
)

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

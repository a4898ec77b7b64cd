package unionpay_test

import (
	"context"
	"crypto/rand"
	"crypto/rsa"
	"encoding/base64"
	"errors"
	"html"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/goacp/unionpay/cert"
	"github.com/goacp/unionpay/sign"
	"github.com/goacp/unionpay/unionpay"
	"github.com/goacp/unionpay/unionpay/unionpaytest"
)

// TestClaimsDecryptAccNoOrder pins DecryptAccNo's doc and CHANGELOG entry for a client without
// Config.Decrypter: a nil or empty transaction is ErrNoAccNo (before the missing Decrypter), an
// accNo in clear of at most 19 characters is returned as it is, an encrypted one (or a longer
// run of digits, which is not a card number in clear) is a *ConfigError.
func TestClaimsDecryptAccNoOrder(t *testing.T) {
	t.Parallel()
	c := newTestClient(t, newGateway(t, accept(nil)), func(cfg *unionpay.Config) { cfg.Decrypter = nil })
	for _, tx := range []*unionpay.Transaction{nil, {}} {
		_, err := c.DecryptAccNo(tx)
		require.ErrorIs(t, err, unionpay.ErrNoAccNo)
		var ce *unionpay.ConfigError
		require.False(t, errors.As(err, &ce), "%v", err)
	}
	got, err := c.DecryptAccNo(&unionpay.Transaction{AccNo: "621626*********0018"}) // 19
	require.NoError(t, err)
	assert.Equal(t, "621626*********0018", got)
	for _, enc := range []string{"bm90IGVuY3J5cHRlZA==", "62162610000000000189"} {
		_, err := c.DecryptAccNo(&unionpay.Transaction{AccNo: enc})
		var ce *unionpay.ConfigError
		require.ErrorAs(t, err, &ce, enc)
		assert.Equal(t, "Config.Decrypter", ce.Field)
	}
}

// review15c: a 13-digit card (the fake's cashier takes 13 to 19 digits) is masked by the fake as
// UnionPay's files do, ******0018 (10 characters); Client.DecryptAccNo refuses it as "not a card
// number".
func TestReview15cDecryptAccNoShortCard(t *testing.T) {
	e := newE2E(t)
	ctx := context.Background()
	form, err := e.c.FrontConsume(e.consumeReq(e.order("SHORT"), 1000))
	require.NoError(t, err)
	submitted := sign.Fields{}
	for _, m := range inputRE.FindAllStringSubmatch(string(form.HTML()), -1) {
		submitted[html.UnescapeString(m[1])] = html.UnescapeString(m[2])
	}
	front, err := e.srv.Pay(ctx, submitted, "6216261000018")
	require.NoError(t, err)
	require.Equal(t, "00", front["respCode"])
	tx, err := e.c.Query(ctx, &unionpay.QueryRequest{OrderID: form.OrderID, TxnTime: form.TxnTime})
	require.NoError(t, err)
	require.NotEmpty(t, tx.AccNo)
	pan, err := e.c.DecryptAccNo(tx)
	require.NoError(t, err)
	require.Equal(t, "******0018", pan)
}

// review15c: the plausibility check's edges: masked and full 12 and 19 digits pass; 11, 20, a
// space, a letter do not.
func TestReview15cDecryptAccNoEdges(t *testing.T) {
	e := newE2E(t)
	for _, tc := range []struct {
		plain string
		ok    bool
	}{
		{"621626******0018", true}, {"6216***********0018", true}, {"621626100018", true},
		{"6216261000000000018", true}, {"62162610000000000180", false}, {"62162610001", false},
		{"6216261000 18", false}, {"621626100001A", false}, {"", false},
		{"******0018", true}, {"*****0018", false}, {"6216261018", false},
	} {
		//lint:ignore SA1019 UnionPay encrypts accNo with RSA PKCS #1 v1.5.
		ct, err := rsa.EncryptPKCS1v15(rand.Reader, &e.srv.MerchantKey().PublicKey, []byte(tc.plain))
		require.NoError(t, err)
		pan, err := e.c.DecryptAccNo(&unionpay.Transaction{OrderID: "EDGE0001", AccNo: base64.StdEncoding.EncodeToString(ct)})
		if tc.ok {
			require.NoError(t, err, tc.plain)
			require.Equal(t, tc.plain, pan)
		} else {
			require.Error(t, err, "%q -> %q", tc.plain, pan)
		}
	}
}

// review15c: a certificate given with WithMerchantCertificates whose certId is the generated one's
// (another fake's merchant certificate: the serial is fixed) must not take over accNo encryption
// for orders the gateway verified with its own generated key (merchantKey prefers that one).
func TestReview15cAccNoCertIDCollision(t *testing.T) {
	other := unionpaytest.NewServer()
	t.Cleanup(other.Close)
	e := newE2E(t, unionpaytest.WithMerchantCertificates(other.MerchantCertificate()))
	require.Equal(t, e.srv.MerchantCertID(), other.MerchantCertID())
	form, err := e.c.FrontConsume(e.consumeReq(e.order("COL"), 1000))
	require.NoError(t, err)
	tx := e.paid(t, form)
	require.NotEmpty(t, tx.AccNo)
	_, err = e.c.DecryptAccNo(tx)
	require.NoError(t, err)
}

// Client.DecryptAccNo with a key that is not the one accNo was encrypted to (the PFX after a
// renewal) must not return the random bytes a lucky PKCS #1 v1.5 unpadding gives.
func TestTrialRotationClientDecryptAccNoRefusesNonPAN(t *testing.T) {
	e := newE2E(t)
	garbage := []byte{0x8f, 0x11, 0xc3, 0x00, 0x7e, 0x42, 0x99, 0xfe, 0x01, 0x02, 0x03, 0x04, 0x05}
	//lint:ignore SA1019 UnionPay encrypts accNo with RSA PKCS #1 v1.5.
	ct, err := rsa.EncryptPKCS1v15(rand.Reader, &e.srv.MerchantKey().PublicKey, garbage)
	require.NoError(t, err)
	pan, err := e.c.DecryptAccNo(&unionpay.Transaction{OrderID: "ROT00000001", AccNo: base64.StdEncoding.EncodeToString(ct)})
	require.Error(t, err, "got %q", pan)
}

// UnionPay encrypts accNo to the certificate the request was signed with (cmd/unionpay decrypt's
// hint says so): an order placed by an instance on the renewed PFX gets an accNo its Decrypter
// (which NewClient requires to be the new Signer's key) opens. The fake gateway encrypts to its
// generated merchant key whatever certificate signed the order.
func TestTrialRotationAccNoEncryptedToSigningCert(t *testing.T) {
	newKey, newCert := renewedMerchant(t, time.Now().AddDate(-1, 0, 0), time.Now().AddDate(2, 0, 0))
	e := newE2E(t, unionpaytest.WithMerchantCertificates(newCert))
	newClient := e.client(t, func(c *unionpay.Config) {
		s, err := sign.NewRSASigner(newKey, cert.CertID(newCert))
		require.NoError(t, err)
		d, err := cert.NewDecrypter(newKey)
		require.NoError(t, err)
		c.Signer, c.Decrypter = s, d
	})
	form, err := newClient.FrontConsume(e.consumeReq(e.order("NEW"), 1000))
	require.NoError(t, err)
	paid := e.paid(t, form)
	tx, err := newClient.Query(context.Background(), &unionpay.QueryRequest{OrderID: paid.OrderID, TxnTime: paid.TxnTime})
	require.NoError(t, err)
	require.NotEmpty(t, tx.AccNo)
	_, err = newClient.DecryptAccNo(tx)
	require.NoError(t, err, "accNo of an order signed under the renewed certificate decrypts with its key")
}

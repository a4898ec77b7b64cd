package unionpay_test

import (
	"context"
	"crypto/rand"
	"crypto/rsa"
	"encoding/base64"
	"html"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/goacp/unionpay/sign"
	"github.com/goacp/unionpay/unionpay"
	"github.com/goacp/unionpay/unionpay/unionpaytest"
)

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

package unionpaytest_test

import (
	"context"
	"net/http/httptest"
	"sync"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/goacp/unionpay/cert"
	"github.com/goacp/unionpay/notify"
	"github.com/goacp/unionpay/sign"
	"github.com/goacp/unionpay/unionpay"
	"github.com/goacp/unionpay/unionpay/unionpaytest"
)

// A 国密 merchant (WithSM2) runs on the fake gateway with the real client and notify.Handler:
// requests signed with signMethod 21, card data SM2-encrypted and decrypted by the gateway,
// answers and notifications signed with SM2 and verified through the SM2 chain.
func TestSM2Merchant(t *testing.T) {
	t.Parallel()
	c := newClock()
	srv := unionpaytest.NewServer(unionpaytest.WithClock(c.Now), keys(t), unionpaytest.WithSM2(),
		unionpaytest.WithReporter(t))
	t.Cleanup(srv.Close)
	require.True(t, srv.SM2())

	var mu sync.Mutex
	var got []*notify.Notification
	v, err := srv.NotifyVerifier()
	require.NoError(t, err)
	hook := httptest.NewServer(&notify.Handler{Verifier: v, OnNotify: func(_ context.Context, n *notify.Notification) error {
		mu.Lock()
		defer mu.Unlock()
		got = append(got, n)
		return nil
	}})
	t.Cleanup(hook.Close)

	cfg := srv.Config()
	assert.Equal(t, sign.MethodSM2, cfg.Signer.Method())
	assert.Equal(t, cert.CertID(srv.SM2EncryptionCertificate()), cfg.Encrypter.CertID())
	client, err := unionpay.NewClient(cfg)
	require.NoError(t, err)
	ctx := context.Background()

	res, err := client.BackConsume(ctx, &unionpay.CardRequest{OrderID: "SM2BACK0001", Amount: 1000, BackURL: hook.URL,
		AccNo: "6216261000000000018", Customer: &unionpay.Customer{Phone: "13552535506", SMSCode: "111111"}})
	require.NoError(t, err)
	assert.Equal(t, "21", res.Raw["signMethod"])
	assert.Contains(t, res.Raw["signPubKeyCert"], "BEGIN CERTIFICATE")

	tx, err := client.Query(ctx, &unionpay.QueryRequest{OrderID: "SM2BACK0001", TxnTime: res.TxnTime})
	require.NoError(t, err)
	assert.Equal(t, "21", tx.Raw["signMethod"])

	require.NoError(t, srv.Notify(ctx, "SM2BACK0001"))
	mu.Lock()
	require.NotEmpty(t, got)
	assert.Equal(t, "21", got[0].Signed.Method)
	assert.Equal(t, cert.CertID(srv.SM2SigningCertificate()), got[0].Signed.CertID)
	mu.Unlock()

	// The encryption-certificate query answers with the SM2 certificate, which the client
	// validates against the SM2 chain.
	_, err = client.UpdateEncryptionCertificate(ctx)
	require.NoError(t, err)
	assert.Equal(t, cert.CertID(srv.SM2EncryptionCertificate()), client.Encrypter().CertID())

	// A Verifier that trusts only the RSA chain cannot verify the SM2 answers: NewClient refuses
	// it up front, naming Config.Verifier and wrapping cert.ErrMethod.
	rsaOnly := srv.VerifierConfig()
	rsaOnly.SM2Root, rsaOnly.SM2Middle, rsaOnly.SM2Certs = nil, nil, nil
	cfg.Verifier, err = cert.NewVerifier(rsaOnly)
	require.NoError(t, err)
	strict, err := unionpay.NewClient(cfg)
	require.Nil(t, strict)
	var ce *unionpay.ConfigError
	require.ErrorAs(t, err, &ce)
	require.Equal(t, "Config.Verifier", ce.Field)
	require.ErrorIs(t, err, cert.ErrMethod)
}

// Without WithSM2 the gateway refuses signMethod 21, as a merchant without the 国密 permission
// would be refused.
func TestSM2NotEnabled(t *testing.T) {
	t.Parallel()
	srv := unionpaytest.NewServer(unionpaytest.WithClock(newClock().Now), keys(t))
	t.Cleanup(srv.Close)
	assert.False(t, srv.SM2())
	_, err := srv.SM2MerchantSigner()
	assert.Error(t, err)
}

// The answer faults that model a bad UnionPay signature apply to the SM2 gateway too: each
// answer is refused by the client with the reason of its RSA counterpart.
func TestSM2ResponseFaults(t *testing.T) {
	t.Parallel()
	srv, client, consume := newSM2Merchant(t)
	ctx := context.Background()
	res, err := consume("SM2FAULT01")
	require.NoError(t, err)
	query := &unionpay.QueryRequest{OrderID: "SM2FAULT01", TxnTime: res.TxnTime}

	for _, tt := range []struct {
		fault  unionpaytest.Fault
		reason cert.Reason // 0 for a signature that does not verify
	}{
		{unionpaytest.FaultWrongKey, 0},
		{unionpaytest.FaultExpiredCert, cert.Expired},
		{unionpaytest.FaultWrongName, cert.WrongOwner},
	} {
		srv.FailEndpoint(unionpaytest.EndpointQuery, tt.fault)
		_, err := client.Query(ctx, query)
		var ve *unionpay.VerifyError
		require.ErrorAs(t, err, &ve, tt.fault.String())
		if tt.reason == 0 {
			assert.ErrorIs(t, err, sign.ErrSignature, tt.fault.String())
			continue
		}
		var ie *cert.InvalidError
		require.ErrorAs(t, err, &ie, tt.fault.String())
		assert.Equal(t, tt.reason, ie.Reason, tt.fault.String())
	}
	_, err = client.Query(ctx, query)
	assert.NoError(t, err, "one fault per queued entry")
}

// RotateEncryptionCert rotates the SM2 encryption certificate of a server started WithSM2: card
// data encrypted to the old certificate still decrypts, txnType 95 hands out the new one, and
// data encrypted to it decrypts too.
func TestSM2RotateEncryptionCert(t *testing.T) {
	t.Parallel()
	srv, client, consume := newSM2Merchant(t)
	ctx := context.Background()

	before := cert.CertID(srv.SM2EncryptionCertificate())
	rsaBefore := cert.CertID(srv.EncryptionCertificate())
	require.NoError(t, srv.RotateEncryptionCert())
	after := cert.CertID(srv.SM2EncryptionCertificate())
	assert.NotEqual(t, before, after)
	assert.NotEqual(t, rsaBefore, cert.CertID(srv.EncryptionCertificate()), "the RSA one rotates too")

	assert.Equal(t, before, client.Encrypter().CertID())
	_, err := consume("SM2ROT0001")
	require.NoError(t, err, "encrypted to the previous certificate")

	_, err = client.UpdateEncryptionCertificate(ctx)
	require.NoError(t, err)
	assert.Equal(t, after, client.Encrypter().CertID())
	_, err = consume("SM2ROT0002")
	require.NoError(t, err, "encrypted to the new certificate")
}

// newSM2Merchant starts a gateway WithSM2 and a client configured for it, and returns a function
// that makes a back consume with an SM2-encrypted card number.
func newSM2Merchant(t *testing.T) (*unionpaytest.Server, *unionpay.Client,
	func(orderID string) (*unionpay.Result, error)) {
	t.Helper()
	srv := unionpaytest.NewServer(unionpaytest.WithClock(newClock().Now), keys(t), unionpaytest.WithSM2(),
		unionpaytest.WithReporter(t))
	t.Cleanup(srv.Close)
	client, err := unionpay.NewClient(srv.Config())
	require.NoError(t, err)
	return srv, client, func(orderID string) (*unionpay.Result, error) {
		return client.BackConsume(context.Background(), &unionpay.CardRequest{OrderID: orderID, Amount: 1000,
			BackURL: "http://127.0.0.1:1/n", AccNo: "6216261000000000018",
			Customer: &unionpay.Customer{Phone: "13552535506", SMSCode: "111111"}})
	}
}

// TestSM2MerchantAccNo: a 国密 merchant's accNo (a front consume's notification and query answer)
// is encrypted to its SM2 certificate, and both the client's Config.Decrypter and
// Server.Decrypter decrypt it to the card as UnionPay masks it.
func TestSM2MerchantAccNo(t *testing.T) {
	t.Parallel()
	c := newClock()
	srv := unionpaytest.NewServer(unionpaytest.WithClock(c.Now), keys(t), unionpaytest.WithSM2(),
		unionpaytest.WithReporter(t))
	t.Cleanup(srv.Close)
	client, err := unionpay.NewClient(srv.Config())
	require.NoError(t, err)
	ctx := context.Background()
	form, err := client.FrontConsume(&unionpay.ConsumeRequest{OrderID: "SM2FRONT001", Amount: 1000,
		FrontURL: "https://shop.example/return", BackURL: "https://shop.example/notify"})
	require.NoError(t, err)
	back, err := srv.Pay(ctx, form.Fields, "")
	require.NoError(t, err)
	require.Equal(t, "00", back["respCode"])

	tx, err := client.Query(ctx, &unionpay.QueryRequest{OrderID: "SM2FRONT001", TxnTime: form.TxnTime})
	require.NoError(t, err)
	require.NotEmpty(t, tx.AccNo, "a front consume's answer carries accNo")
	pan, err := client.DecryptAccNo(tx)
	require.NoError(t, err)
	assert.Equal(t, "6216***********0018", pan)

	d, err := srv.Decrypter()
	require.NoError(t, err)
	pan, err = d.Decrypt(tx.AccNo)
	require.NoError(t, err, "Server.Decrypter holds the SM2 merchant's key")
	assert.Equal(t, "6216***********0018", pan)
}

package unionpaytest_test

import (
	"context"
	"crypto/rand"
	"crypto/rsa"
	"crypto/x509"
	"crypto/x509/pkix"
	"math/big"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/goacp/unionpay/cert"
	"github.com/goacp/unionpay/sign"
	"github.com/goacp/unionpay/unionpay"
	"github.com/goacp/unionpay/unionpay/unionpaytest"
)

const reviewLocked = "6221558812340000"

func lockedOrder(srv *unionpaytest.Server, id string) *unionpay.ConsumeRequest {
	now := srv.Now()
	return &unionpay.ConsumeRequest{OrderID: id, Amount: 1000, TxnTime: now,
		FrontURL: "https://edu.example.com/return", BackURL: "https://edu.example.com/notify",
		PayTimeout: now.Add(15 * time.Minute), AccNo: reviewLocked,
		Reserved: sign.Fields{"cardNumberLock": "1", "other": "x"}}
}

// The lock holds with accNo in clear (PlainCardData), encrypted (RSA) and under SM2.
func TestReviewLateLockedCardConfigurations(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	for _, tc := range []struct {
		name  string
		opts  []unionpaytest.Option
		plain bool
	}{
		{"rsa encrypted", nil, false},
		{"plain", nil, true},
		{"sm2 encrypted", []unionpaytest.Option{unionpaytest.WithSM2()}, false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			srv := unionpaytest.NewServer(append([]unionpaytest.Option{keys(t),
				unionpaytest.WithClock(unionpaytest.BusinessDayClock())}, tc.opts...)...)
			t.Cleanup(srv.Close)
			cfg := srv.Config()
			cfg.PlainCardData = tc.plain
			c, err := unionpay.NewClient(cfg)
			require.NoError(t, err)
			form, err := c.FrontConsume(lockedOrder(srv, "LOCKCFG0001"))
			require.NoError(t, err)
			if tc.plain {
				require.Equal(t, reviewLocked, form.Fields["accNo"])
			} else {
				require.NotEqual(t, reviewLocked, form.Fields["accNo"])
			}
			_, err = srv.Pay(ctx, form.Fields, unionpaytest.TestCard)
			require.ErrorIs(t, err, unionpaytest.ErrCashier)
			back, err := srv.Pay(ctx, form.Fields, "")
			require.NoError(t, err)
			assert.Equal(t, "00", back["respCode"])
			_, err = c.AppConsume(ctx, lockedOrder(srv, "LOCKCFG0002"))
			require.NoError(t, err)
			_, err = srv.Complete("LOCKCFG0002", unionpaytest.TestCard)
			require.Error(t, err)
			code, err := srv.Complete("LOCKCFG0002", "")
			require.NoError(t, err)
			assert.Equal(t, "00", code)
		})
	}
}

// A locked order whose accNo the gateway cannot decrypt (encrypted to a certificate it never
// issued): the fake neither refuses the order nor keeps the lock; it pre-fills TestCard and is
// paid with any card.
func TestReviewLateLockedCardUndecryptable(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	srv := unionpaytest.NewServer(keys(t), unionpaytest.WithClock(unionpaytest.BusinessDayClock()))
	t.Cleanup(srv.Close)
	key, err := rsa.GenerateKey(rand.Reader, 2048)
	require.NoError(t, err)
	tmpl := &x509.Certificate{SerialNumber: big.NewInt(424242), Subject: pkix.Name{CommonName: "not the gateway's"},
		NotBefore: srv.Now().Add(-time.Hour), NotAfter: srv.Now().Add(time.Hour)}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &key.PublicKey, key)
	require.NoError(t, err)
	other, err := x509.ParseCertificate(der)
	require.NoError(t, err)
	cfg := srv.Config()
	cfg.Encrypter, err = cert.NewEncrypter(other)
	require.NoError(t, err)
	c, err := unionpay.NewClient(cfg)
	require.NoError(t, err)
	form, err := c.FrontConsume(lockedOrder(srv, "LOCKBAD0001"))
	require.NoError(t, err)
	back, err := srv.Pay(ctx, form.Fields, unionpaytest.TestCard)
	if err == nil && back["respCode"] == "00" {
		t.Errorf("an order locking a card the gateway cannot read was paid with TestCard")
	}
}

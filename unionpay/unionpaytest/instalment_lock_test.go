package unionpaytest_test

import (
	"context"
	"crypto/rand"
	"crypto/rsa"
	"crypto/x509"
	"crypto/x509/pkix"
	"errors"
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

// newEduShop is a client of a fresh fake gateway on a business-day clock.
func newEduShop(t *testing.T) (*unionpaytest.Server, *unionpay.Client) {
	t.Helper()
	srv := unionpaytest.NewServer(keys(t), unionpaytest.WithClock(unionpaytest.BusinessDayClock()))
	t.Cleanup(srv.Close)
	c, err := unionpay.NewClient(srv.Config())
	require.NoError(t, err)
	return srv, c
}

// An order whose card the merchant pre-filled and locked (accNo with reserved
// {cardNumberLock=1}) is paid with that card only, at the cashier and through Complete; the
// cashier pre-fills it, and the settlement record carries it (an education merchant's trial: the
// fake took any card and booked TestCard's).
func TestLockedCardIsTheOnlyCard(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	const locked = "6221558812340000"
	srv, c := newEduShop(t)
	req := func(id string) *unionpay.ConsumeRequest {
		now := srv.Now()
		return &unionpay.ConsumeRequest{OrderID: id, Amount: 1_200_000, TxnTime: now, Channel: unionpay.ChannelMobile,
			FrontURL: "https://edu.example.com/return", BackURL: "https://edu.example.com/notify",
			PayTimeout: now.Add(15 * time.Minute), AccNo: locked, Reserved: sign.Fields{"cardNumberLock": "1"}}
	}

	form, err := c.FrontConsume(req("EDULOCKPC01"))
	require.NoError(t, err)
	_, err = srv.Pay(ctx, form.Fields, unionpaytest.TestCard)
	require.ErrorIs(t, err, unionpaytest.ErrCashier, "another card than the locked one")
	tx, ok := srv.Transaction("EDULOCKPC01")
	require.True(t, ok)
	assert.NotEqual(t, "00", tx.RespCode, "not paid with the other card")
	back, err := srv.Pay(ctx, form.Fields, "") // the pre-filled card: the locked one
	require.NoError(t, err)
	assert.Equal(t, "00", back["respCode"])

	_, err = c.AppConsume(ctx, req("EDULOCKAP01"))
	require.NoError(t, err)
	_, err = srv.Complete("EDULOCKAP01", unionpaytest.TestCard)
	require.Error(t, err, "the app order locks its card too")
	code, err := srv.Complete("EDULOCKAP01", locked)
	require.NoError(t, err)
	assert.Equal(t, "00", code)

	// An order that pre-fills without locking may be paid with another card.
	r := req("EDUFREEPC01")
	r.Reserved = nil
	form, err = c.FrontConsume(r)
	require.NoError(t, err)
	back, err = srv.Pay(ctx, form.Fields, unionpaytest.TestCard)
	require.NoError(t, err)
	assert.Equal(t, "00", back["respCode"])

	cards := map[string]string{}
	for _, rec := range srv.Records(srv.Now()) {
		cards[rec.OrderID] = rec.AccNo
	}
	assert.Equal(t, "622155******0000", cards["EDULOCKPC01"])
	assert.Equal(t, "622155******0000", cards["EDULOCKAP01"])
	assert.Equal(t, "621626******0018", cards["EDUFREEPC01"])
}

// An instalment consume's count reaches the settlement file (field 39), two digits.
func TestInstalmentCountSettles(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	srv, c := newEduShop(t)
	now := srv.Now()
	_, err := c.AppConsume(ctx, &unionpay.ConsumeRequest{OrderID: "EDUINST0001", Amount: 1_200_000, TxnTime: now,
		BackURL: "https://edu.example.com/notify", Installments: true, InstallmentCount: 6})
	require.NoError(t, err)
	code, err := srv.Complete("EDUINST0001", "")
	require.NoError(t, err)
	require.Equal(t, "00", code)
	_, err = c.AppConsume(ctx, &unionpay.ConsumeRequest{OrderID: "EDUINST0002", Amount: 1_200_000, TxnTime: now,
		BackURL: "https://edu.example.com/notify", Installments: true}) // the cardholder chooses: no count sent
	require.NoError(t, err)
	_, err = srv.Complete("EDUINST0002", "")
	require.NoError(t, err)
	got := map[string][2]string{}
	for _, rec := range srv.Records(now) {
		got[rec.OrderID] = [2]string{rec.TxnSubType, rec.InstallmentCount}
	}
	assert.Equal(t, [2]string{"03", "06"}, got["EDUINST0001"])
	assert.Equal(t, [2]string{"03", ""}, got["EDUINST0002"])
}

// A payment refunded in parts gets back, in all, the fee it paid, never more: each part's share
// is computed on the running total (each part's fee rounded on its own gave 6.01 yuan back of 6.00).
func TestRefundFeeSharesAddUpToTheFee(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	srv, c := newEduShop(t)
	now := srv.Now()
	const amount = 100_000 // 1,000.00 yuan: a fee of 600 fen
	_, err := c.AppConsume(ctx, &unionpay.ConsumeRequest{OrderID: "EDUFEE00001", Amount: amount, TxnTime: now,
		BackURL: "https://edu.example.com/notify"})
	require.NoError(t, err)
	_, err = srv.Complete("EDUFEE00001", "")
	require.NoError(t, err)
	paid, err := c.Query(ctx, &unionpay.QueryRequest{OrderID: "EDUFEE00001", TxnTime: now})
	require.NoError(t, err)
	require.Equal(t, unionpay.Succeeded, paid.State)
	for i, part := range []int64{25_084, 25_084, 25_084, 24_748} {
		_, err := c.Refund(ctx, &unionpay.FollowUpRequest{OrderID: "EDUFEERF" + string(rune('1'+i)) + "00",
			OrigQueryID: paid.QueryID, Amount: part, TxnTime: srv.Now(), BackURL: "https://edu.example.com/notify"})
		var pe *unionpay.PendingError
		if err != nil && !errors.As(err, &pe) {
			require.NoError(t, err)
		}
	}
	var paidFee, returned int64
	refunds := 0
	for _, rec := range srv.Records(now) {
		switch rec.TxnType {
		case "01":
			paidFee = rec.MerchantFee
		case "04":
			returned += rec.MerchantFee
			refunds++
		}
	}
	require.Equal(t, 4, refunds)
	assert.Equal(t, int64(-600), paidFee, "0.6% of 1,000 yuan, debited")
	assert.Equal(t, int64(600), returned, "the four parts give back the fee, exactly")
}

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

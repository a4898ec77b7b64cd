package unionpaytest_test

import (
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/goacp/unionpay/unionpay/unionpaytest"
)

func TestOptions(t *testing.T) {
	t.Parallel()
	app := func(m *merchant, orderID, amount string, age time.Duration) string {
		f := m.fields("01", "01", "000201", "orderId", orderID, "txnAmt", amount, "currencyCode", "156",
			"channelType", "08", "backUrl", "http://127.0.0.1:1/n")
		f["txnTime"] = m.clock.Now().Add(-age).Format("20060102150405")
		return m.call(unionpaytest.EndpointApp, f)["respCode"]
	}
	t.Run("merchant ID", func(t *testing.T) {
		t.Parallel()
		m := newMerchant(t, unionpaytest.WithMerchantID("777290058110097"))
		assert.Equal(t, "777290058110097", m.srv.Config().MerchantID)
		assert.Contains(t, m.srv.MerchantCertificate().Subject.CommonName, "777290058110097")
		assert.Equal(t, "00", app(m, "OPTMERID1", "100", 0))
	})
	t.Run("txnTime window", func(t *testing.T) {
		t.Parallel()
		m := newMerchant(t, unionpaytest.WithTxnTimeWindow(time.Minute))
		assert.Equal(t, "00", app(m, "OPTWINDOW1", "100", 50*time.Second))
		assert.Equal(t, "10", app(m, "OPTWINDOW2", "100", 70*time.Second))
	})
	t.Run("max amount", func(t *testing.T) {
		t.Parallel()
		m := newMerchant(t, unionpaytest.WithMaxAmount(1000))
		assert.Equal(t, "00", app(m, "OPTAMOUNT1", "1000", 0))
		assert.Equal(t, "33", app(m, "OPTAMOUNT2", "1001", 0))
	})
	t.Run("notify schedule", func(t *testing.T) {
		t.Parallel()
		m := newMerchant(t, unionpaytest.WithNotifySchedule(0, 50*time.Millisecond))
		in := newInbox(t, m.verifier, 500, 500, 500)
		m.appConsume("OPTNOTIFY1", "100", in.URL())
		in.wait(t, 2, 5*time.Second)
		time.Sleep(300 * time.Millisecond)
		assert.Equal(t, 2, in.count(), "two sends, as the schedule says")
	})
	t.Run("config", func(t *testing.T) {
		t.Parallel()
		m := newMerchant(t)
		cfg := m.srv.Config()
		require.NotNil(t, cfg.Signer)
		require.NotNil(t, cfg.Verifier)
		require.NotNil(t, cfg.Encrypter)
		require.NotNil(t, cfg.Decrypter)
		assert.Equal(t, m.srv.MerchantCertID(), cfg.Signer.CertID())
		assert.Equal(t, m.srv.URLFor(unionpaytest.EndpointFile), cfg.Endpoints.File)
		assert.True(t, cfg.Now().Equal(m.clock.Now()), "the gateway clock")
		assert.Nil(t, cfg.HTTPClient.Jar)
	})
}

// TestZeroKeys: a Keys not made by NewKeys is refused by name, not with a nil dereference.
func TestZeroKeys(t *testing.T) {
	t.Parallel()
	assert.PanicsWithError(t, "unionpaytest: WithKeys: a Keys not made by NewKeys", func() {
		unionpaytest.NewServer(unionpaytest.WithKeys(&unionpaytest.Keys{}))
	})
}

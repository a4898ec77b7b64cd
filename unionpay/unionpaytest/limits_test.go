package unionpaytest_test

import (
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/goacp/unionpay/unionpay/unionpaytest"
)

// TestOriginalTimeLimits: a cancel must come the same day (the whole date: a year later the same
// MMDD used to pass), a refund within 11 months and a pre-authorisation completion within 30 days
// (UnionPay's interface specification), as the real gateway refuses them. Found in the third session's review.
func TestOriginalTimeLimits(t *testing.T) {
	t.Parallel()
	t.Run("cancel a year later", func(t *testing.T) {
		t.Parallel()
		m := newMerchant(t)
		qid := m.appConsume("LIMCAN001", "1000", "http://127.0.0.1:1/n")
		m.clock.Advance(365 * 24 * time.Hour)
		r := m.back("31", "LIMCAN002", qid, "1000", "http://127.0.0.1:1/n")
		assert.Equal(t, unionpaytest.CodeBadOriginal, r["respCode"], r["respMsg"])
	})
	t.Run("refund after 11 months", func(t *testing.T) {
		t.Parallel()
		m := newMerchant(t)
		qid := m.appConsume("LIMREF001", "1000", "http://127.0.0.1:1/n")
		m.clock.Advance(300 * 24 * time.Hour)
		r := m.back("04", "LIMREF002", qid, "100", "http://127.0.0.1:1/n")
		require.Equal(t, "00", r["respCode"], "within 11 months: %s", r["respMsg"])
		m.clock.Advance(65 * 24 * time.Hour)
		r = m.back("04", "LIMREF003", qid, "100", "http://127.0.0.1:1/n")
		assert.Equal(t, unionpaytest.CodeBadOriginal, r["respCode"], r["respMsg"])
	})
	t.Run("completion after 30 days", func(t *testing.T) {
		t.Parallel()
		m := newMerchant(t)
		resp := m.call(unionpaytest.EndpointApp, m.fields("02", "01", "000201", "orderId", "LIMPRE001", "txnAmt", "1000",
			"currencyCode", "156", "channelType", "08", "backUrl", "http://127.0.0.1:1/n"))
		require.Equal(t, "00", resp["respCode"])
		code, err := m.srv.Complete("LIMPRE001", "")
		require.NoError(t, err)
		require.Equal(t, "00", code)
		qid := m.query("LIMPRE001", m.clock.Now().Format("20060102150405"))["queryId"]
		m.clock.Advance(31 * 24 * time.Hour)
		r := m.back("03", "LIMPRE002", qid, "1000", "http://127.0.0.1:1/n")
		assert.Equal(t, unionpaytest.CodeBadOriginal, r["respCode"], r["respMsg"])
	})
}

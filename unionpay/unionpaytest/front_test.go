package unionpaytest_test

import (
	"context"
	"crypto/x509"
	"io"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/goacp/unionpay/sign"
	"github.com/goacp/unionpay/unionpay/unionpaytest"
)

func (m *merchant) frontForm(orderID, amount, backURL string) sign.Fields {
	return m.sign(m.fields("01", "01", "000201", "orderId", orderID, "txnAmt", amount, "currencyCode", "156",
		"channelType", "07", "backUrl", backURL, "frontUrl", "http://127.0.0.1:1/return",
		"payTimeout", m.clock.Now().Add(15*time.Minute).Format("20060102150405")))
}

func TestPayThroughCashier(t *testing.T) {
	t.Parallel()
	m := newMerchant(t)
	in := newInbox(t, m.verifier)
	result, err := m.srv.Pay(context.Background(), m.frontForm("FRONTPAY1", "2500", in.URL()), "")
	require.NoError(t, err)
	_, err = m.verifier.Verify(result)
	require.NoError(t, err, "the frontUrl result verifies after the HTML round trip (CRLF kept)")
	assert.Equal(t, "00", result["respCode"])
	assert.Equal(t, "FRONTPAY1", result["orderId"])
	assert.Len(t, result["queryId"], 21)
	got := in.wait(t, 1, 5*time.Second)
	assert.Equal(t, result["queryId"], got[0]["queryId"])

	_, err = m.srv.Pay(context.Background(), m.frontForm("FRONTPAY1", "2500", in.URL()), "")
	require.ErrorIs(t, err, unionpaytest.ErrCashier, "orderId paid already")
	assert.Contains(t, err.Error(), "respCode 12")

	bad := m.frontForm("FRONTPAY2", "2500", in.URL())
	bad["txnAmt"] = "1"
	_, err = m.srv.Pay(context.Background(), bad, "")
	require.ErrorIs(t, err, unionpaytest.ErrCashier)
	assert.Contains(t, err.Error(), "respCode 11")

	result, err = m.srv.Pay(context.Background(), m.frontForm("FRONTPAY3", "2500", in.URL()), unionpaytest.DeclinedCard)
	require.NoError(t, err)
	assert.Equal(t, "64", result["respCode"])
	q := m.query("FRONTPAY3", m.clock.Now().Format("20060102150405"))
	assert.Equal(t, "64", q["origRespCode"])
	time.Sleep(200 * time.Millisecond)
	assert.Equal(t, 1, in.count(), "no backUrl notification for a failed front payment")
}

func TestCashierPage(t *testing.T) {
	t.Parallel()
	m := newMerchant(t)
	body, err := sign.Encode(m.frontForm("CASHIER01", "100", "http://127.0.0.1:1/n"))
	require.NoError(t, err)
	resp, err := m.hc.Post(m.srv.URLFor(unionpaytest.EndpointFront), "application/x-www-form-urlencoded",
		strings.NewReader(body))
	require.NoError(t, err)
	defer resp.Body.Close()
	page, err := io.ReadAll(resp.Body)
	require.NoError(t, err)
	assert.Equal(t, http.StatusOK, resp.StatusCode)
	assert.Contains(t, string(page), `id="pay"`)
	assert.Contains(t, string(page), "CASHIER01")
	assert.Equal(t, "34", m.query("CASHIER01", m.clock.Now().Format("20060102150405"))["respCode"], "not paid yet")
	code, err := m.srv.Complete("CASHIER01", "")
	require.NoError(t, err)
	assert.Equal(t, "00", code)
	assert.Equal(t, "00", m.query("CASHIER01", m.clock.Now().Format("20060102150405"))["origRespCode"])
}

func TestSHA1Chain(t *testing.T) {
	t.Parallel()
	m := newMerchant(t, unionpaytest.WithSHA1Chain())
	assert.Equal(t, x509.SHA1WithRSA, m.srv.SigningCertificate().SignatureAlgorithm)
	c, err := x509.ParseCertificate(pemBlock(t, m.srv.MiddlePEM()))
	require.NoError(t, err)
	assert.Equal(t, x509.SHA1WithRSA, c.SignatureAlgorithm)
	resp := m.call(unionpaytest.EndpointApp, m.fields("01", "01", "000201", "orderId", "SHA1CHAIN", "txnAmt", "100",
		"currencyCode", "156", "channelType", "08", "backUrl", "http://127.0.0.1:1/n"))
	assert.Equal(t, "00", resp["respCode"], "the cert package walks a SHA-1 chain")
}

func TestPayTimeout(t *testing.T) {
	t.Parallel()
	m := newMerchant(t)
	form := m.frontForm("TIMEOUT01", "100", "http://127.0.0.1:1/n") // payTimeout: now + 15 min
	m.clock.Advance(10 * time.Minute)
	body, err := sign.Encode(form)
	require.NoError(t, err)
	resp, err := m.hc.Post(m.srv.URLFor(unionpaytest.EndpointFront), "application/x-www-form-urlencoded", strings.NewReader(body))
	require.NoError(t, err)
	_ = resp.Body.Close()
	m.clock.Advance(6 * time.Minute)
	code, err := m.srv.Complete("TIMEOUT01", "")
	require.Error(t, err)
	assert.Equal(t, "39", code)
	assert.Equal(t, "34", m.query("TIMEOUT01", form["txnTime"])["respCode"], "never paid")
}

func TestPayGBK(t *testing.T) {
	t.Parallel()
	m := newMerchant(t)
	in := newInbox(t, m.verifier)
	f := m.fields("01", "01", "000201", "orderId", "GBKFRONT1", "txnAmt", "100", "currencyCode", "156",
		"channelType", "07", "backUrl", in.URL(), "frontUrl", "http://127.0.0.1:1/return", "reqReserved", "中文备注")
	f["encoding"] = "GBK"
	result, err := m.srv.Pay(context.Background(), m.sign(f), "")
	require.NoError(t, err)
	assert.Equal(t, "中文备注", result["reqReserved"])
	_, err = m.verifier.Verify(result)
	require.NoError(t, err)
	got := in.wait(t, 1, 5*time.Second)
	assert.Equal(t, "中文备注", got[0]["reqReserved"], "the GBK notification decodes")
}

// TestMutationReviewTwoFrontResubmit: a browser resubmitting an unpaid front order gets its
// session back only for the very same order; another amount under its orderId is a duplicate.
func TestMutationReviewTwoFrontResubmit(t *testing.T) {
	t.Parallel()
	m := newMerchant(t)
	form := m.frontForm("MUT2FRONT1", "100", "http://127.0.0.1:1/n")
	other := form.Clone()
	other["txnAmt"] = "200"
	other = m.sign(other)
	tests := []struct {
		name      string
		f         sign.Fields
		duplicate bool
	}{
		{"first submit", form, false},
		{"same order again", form, false},
		{"another amount", other, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			status, body, err := m.postRaw(unionpaytest.EndpointFront, tt.f)
			require.NoError(t, err)
			require.Equal(t, 200, status)
			if tt.duplicate {
				require.Contains(t, body, "already used")
			} else {
				require.NotContains(t, body, "already used")
			}
		})
	}
}

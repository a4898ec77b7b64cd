package unionpaytest_test

import (
	"io"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/goacp/unionpay/sign"
	"github.com/goacp/unionpay/unionpay/unionpaytest"
)

// TestLedgerLimitForgetsCashierSession: a front order WithLedgerLimit forgets takes its cashier
// session with it (the sessions stay bounded too): the cashier page's pay endpoint then knows
// the session no more, for a cancel as for a payment.
func TestLedgerLimitForgetsCashierSession(t *testing.T) {
	t.Parallel()
	m := newMerchant(t, unionpaytest.WithLedgerLimit(1))
	post := func(target string, form url.Values) string {
		resp, err := m.hc.Post(target, "application/x-www-form-urlencoded", strings.NewReader(form.Encode()))
		require.NoError(t, err)
		defer resp.Body.Close()
		require.Equal(t, http.StatusOK, resp.StatusCode)
		b, err := io.ReadAll(resp.Body)
		require.NoError(t, err)
		return string(b)
	}
	body, err := sign.Encode(m.frontForm("LEDGSESS1", "100", "http://127.0.0.1:1/n"))
	require.NoError(t, err)
	form, err := url.ParseQuery(body)
	require.NoError(t, err)
	s := cashierSession.FindStringSubmatch(post(m.srv.URLFor(unionpaytest.EndpointFront), form))
	require.NotNil(t, s, "a cashier page")
	payURL := m.srv.URL + "/cashier/pay"
	require.Contains(t, post(payURL, url.Values{"session": {s[1]}, "action": {"cancel"}}), "支付已取消", "the session, before")

	m.call(unionpaytest.EndpointBack, m.consumeByCard("LEDGSESS2", "300")) // LEDGSESS1 forgotten
	page := post(payURL, url.Values{"session": {s[1]}, "action": {"cancel"}})
	assert.Contains(t, page, `data-respcode="`+unionpaytest.CodeNotFound+`"`)
	assert.Contains(t, page, "unknown cashier session")
}

// TestLedgerLimitKeepsReusedOrderID: a request refused after the gateway recorded it (an accNo
// that does not decrypt) leaves the ledger's order of recording; when the limit drops that
// entry, the transaction that reused its orderId since is kept, and the drop is not counted.
func TestLedgerLimitKeepsReusedOrderID(t *testing.T) {
	t.Parallel()
	m := newMerchant(t, unionpaytest.WithLedgerLimit(2))
	bad := m.consumeByCard("LEDGREUSE1", "300", "accNo", "not-a-ciphertext", "encryptCertId", "1")
	require.NotEqual(t, "00", m.call(unionpaytest.EndpointBack, bad)["respCode"])
	resp := m.call(unionpaytest.EndpointBack, m.consumeByCard("LEDGREUSE1", "300")) // the orderId used again
	require.Equal(t, "00", resp["respCode"], resp["respMsg"])
	resp = m.call(unionpaytest.EndpointBack, m.consumeByCard("LEDGREUSE2", "300")) // drops the refused one
	require.Equal(t, "00", resp["respCode"], resp["respMsg"])
	_, found := m.srv.Transaction("LEDGREUSE1")
	assert.True(t, found, "the orderId's live transaction is kept")
	assert.Equal(t, 0, m.srv.Dropped().Transactions)
}

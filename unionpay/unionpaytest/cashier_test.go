package unionpaytest_test

import (
	"io"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/goacp/unionpay/sign"
	"github.com/goacp/unionpay/unionpay/unionpaytest"
)

var cashierSession = regexp.MustCompile(`name="session" value="([^"]*)"`)

// TestCashierPayEndpoint: what the cashier page's pay endpoint does with what a browser may post
// besides a good card (these paths had no test): a GET, an unknown session, a cancel, an invalid
// card number (the cashier again, the order unpaid), a session whose payTimeout has passed, and a
// second submission of a paid session (the same result, paid once).
func TestCashierPayEndpoint(t *testing.T) {
	t.Parallel()
	m := newMerchant(t)
	post := func(target string, form url.Values) (int, string) {
		resp, err := m.hc.Post(target, "application/x-www-form-urlencoded", strings.NewReader(form.Encode()))
		require.NoError(t, err)
		defer resp.Body.Close()
		b, err := io.ReadAll(resp.Body)
		require.NoError(t, err)
		return resp.StatusCode, string(b)
	}
	payURL := m.srv.URL + "/cashier/pay"
	session := func(orderID string) string {
		body, err := sign.Encode(m.frontForm(orderID, "100", "http://127.0.0.1:1/n"))
		require.NoError(t, err)
		form, err := url.ParseQuery(body)
		require.NoError(t, err)
		code, page := post(m.srv.URLFor(unionpaytest.EndpointFront), form)
		require.Equal(t, http.StatusOK, code)
		s := cashierSession.FindStringSubmatch(page)
		require.NotNil(t, s, "a cashier page")
		return s[1]
	}
	paid := func(orderID string) bool {
		return m.query(orderID, m.clock.Now().Format("20060102150405"))["origRespCode"] == "00"
	}

	resp, err := m.hc.Get(payURL)
	require.NoError(t, err)
	resp.Body.Close()
	assert.Equal(t, http.StatusBadRequest, resp.StatusCode, "GET")

	_, page := post(payURL, url.Values{"session": {"nosuch"}, "cardNo": {unionpaytest.TestCard}})
	assert.Contains(t, page, `data-respcode="`+unionpaytest.CodeNotFound+`"`, "unknown session")

	s := session("CASHIER01")
	_, page = post(payURL, url.Values{"session": {s}, "action": {"cancel"}})
	assert.Contains(t, page, "支付已取消")

	_, page = post(payURL, url.Values{"session": {s}, "cardNo": {"1234"}})
	assert.Contains(t, page, "卡号无效")
	assert.Regexp(t, cashierSession, page, "the cashier again")
	assert.False(t, paid("CASHIER01"))

	_, first := post(payURL, url.Values{"session": {s}, "cardNo": {unionpaytest.TestCard}, "action": {"pay"}})
	_, again := post(payURL, url.Values{"session": {s}, "cardNo": {unionpaytest.TestCard}, "action": {"pay"}})
	qid := regexp.MustCompile(`name="queryId" value="([^"]*)"`)
	require.Regexp(t, qid, first)
	assert.Equal(t, qid.FindStringSubmatch(first)[1], qid.FindStringSubmatch(again)[1], "paid once, the same result")
	assert.True(t, paid("CASHIER01"))

	s = session("CASHIER02")
	m.clock.Advance(16 * time.Minute) // past its payTimeout (15 minutes)
	_, page = post(payURL, url.Values{"session": {s}, "cardNo": {unionpaytest.TestCard}, "action": {"pay"}})
	assert.Contains(t, page, `data-respcode="`+unionpaytest.CodeExpired+`"`)
}

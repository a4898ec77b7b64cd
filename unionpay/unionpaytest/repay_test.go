package unionpaytest_test

import (
	"context"
	"io"
	"net/http"
	"net/url"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/goacp/unionpay/sign"
	"github.com/goacp/unionpay/unionpay/unionpaytest"
)

// TestPayAgainAfterDecline: a front order the cashier declined (64) may be paid again, with
// another card, until its payTimeout, as the SDK's front backoff assumes (a 64 before payTimeout
// is not final): a query says 64, then 00 once paid, and the notification comes. After the
// payTimeout a declined order stays declined (39). An order paid stays paid. (A QA engineer's
// trial found Complete returning ("64", nil) without paying, so a shop failing the order on the
// first 64 passed every test.)
func TestPayAgainAfterDecline(t *testing.T) {
	t.Parallel()
	m := newMerchant(t)
	in := newInbox(t, m.verifier)
	txnTime := m.clock.Now().Format("20060102150405")
	_, err := m.srv.Pay(context.Background(), m.frontForm("REPAY0001", "1500", in.URL()), unionpaytest.DeclinedCard)
	require.NoError(t, err)
	assert.Equal(t, unionpaytest.CodeDeclined, m.query("REPAY0001", txnTime)["origRespCode"])

	m.clock.Add(5 * time.Minute)
	code, err := m.srv.Complete("REPAY0001", unionpaytest.DeclinedCard)
	require.NoError(t, err)
	assert.Equal(t, unionpaytest.CodeDeclined, code, "declined again")
	code, err = m.srv.Complete("REPAY0001", unionpaytest.TestCard)
	require.NoError(t, err)
	assert.Equal(t, unionpaytest.CodeSuccess, code, "paid with another card")
	assert.Equal(t, "00", m.query("REPAY0001", txnTime)["origRespCode"])
	got := in.wait(t, 1, 5*time.Second)
	assert.Equal(t, "REPAY0001", got[0]["orderId"])
	code, err = m.srv.Complete("REPAY0001", unionpaytest.DeclinedCard)
	require.NoError(t, err)
	assert.Equal(t, unionpaytest.CodeSuccess, code, "paid stays paid")

	_, err = m.srv.Pay(context.Background(), m.frontForm("REPAY0002", "1500", in.URL()), unionpaytest.DeclinedCard)
	require.NoError(t, err)
	m.clock.Add(16 * time.Minute) // past its payTimeout
	code, err = m.srv.Complete("REPAY0002", unionpaytest.TestCard)
	require.Error(t, err)
	assert.Equal(t, unionpaytest.CodeExpired, code)
	assert.Equal(t, unionpaytest.CodeDeclined, m.query("REPAY0002", m.clock.Now().Add(-16*time.Minute).Format("20060102150405"))["origRespCode"])
}

// TestFormPostedAfterPayTimeout: a front form the browser posts after its payTimeout (a shopper
// clicking a pay button late) is refused 39, as the cashier refuses a late payment, and it is
// not reported as the merchant's protocol mistake (it was answered 10 "txnTime not current" and
// failed a test using WithReporter, with payTimeout = txnTime + 15 minutes as the docs advise).
func TestFormPostedAfterPayTimeout(t *testing.T) {
	t.Parallel()
	rec := &recorder{}
	m := newMerchant(t, unionpaytest.WithReporter(rec))
	body, err := sign.Encode(m.frontForm("LATEFORM1", "100", "http://127.0.0.1:1/n"))
	require.NoError(t, err)
	form, err := url.ParseQuery(body)
	require.NoError(t, err)
	m.clock.Add(15*time.Minute + time.Second)
	resp, err := m.hc.PostForm(m.srv.URLFor(unionpaytest.EndpointFront), form)
	require.NoError(t, err)
	defer resp.Body.Close()
	require.Equal(t, http.StatusOK, resp.StatusCode)
	b, err := io.ReadAll(resp.Body)
	require.NoError(t, err)
	page := string(b)
	assert.Contains(t, page, `data-respcode="`+unionpaytest.CodeExpired+`"`)
	assert.Zero(t, rec.count(), "the shopper's timing is not a protocol violation")
}

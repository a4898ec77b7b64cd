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

	m.clock.Advance(5 * time.Minute)
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
	m.clock.Advance(16 * time.Minute) // past its payTimeout
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
	m.clock.Advance(15*time.Minute + time.Second)
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

// TestOnlyDeclineRepayable: only a card the cashier declined (DeclinedCard, 64) may be
// paid again; an order refused by its Script keeps its result, whatever the code (RiskDenied,
// 38, or NoBalance, 64: a Script's final step is final).
func TestOnlyDeclineRepayable(t *testing.T) {
	t.Parallel()
	m := newMerchant(t)
	in := newInbox(t, m.verifier)
	m.srv.Script("REVRISK01", unionpaytest.RiskDenied)
	res, err := m.srv.Pay(context.Background(), m.frontForm("REVRISK01", "100", in.URL()), "")
	require.NoError(t, err)
	require.Equal(t, string(unionpaytest.RiskDenied), res["respCode"])
	code, err := m.srv.Complete("REVRISK01", "")
	require.NoError(t, err)
	assert.Equal(t, string(unionpaytest.RiskDenied), code, "a 38 is not paid again")

	m.srv.Script("REVNOBAL1", unionpaytest.NoBalance)
	res, err = m.srv.Pay(context.Background(), m.frontForm("REVNOBAL1", "100", in.URL()), "")
	require.NoError(t, err)
	require.Equal(t, string(unionpaytest.NoBalance), res["respCode"])
	code, err = m.srv.Complete("REVNOBAL1", "")
	require.NoError(t, err)
	assert.Equal(t, string(unionpaytest.NoBalance), code, "a scripted 64 is not paid again")
}

// TestPayTimeoutNotADate: a payTimeout of 14 digits that is no date is a format error (10,
// reported), not an order that never expires.
func TestPayTimeoutNotADate(t *testing.T) {
	t.Parallel()
	rec := &recorder{}
	m := newMerchant(t, unionpaytest.WithReporter(rec))
	f := m.frontForm("REVPTBAD1", "100", "http://127.0.0.1:1/n")
	f["payTimeout"] = "20261325000000"
	delete(f, "signature")
	_, err := m.srv.Pay(context.Background(), m.sign(f), "")
	require.ErrorContains(t, err, "respCode 10")
	assert.Equal(t, 1, rec.count())
}

// TestRepayAtPayTimeout: a declined order may be paid again at its payTimeout's very
// second ("beyond which ... refused": not at it), and not a second later.
func TestRepayAtPayTimeout(t *testing.T) {
	t.Parallel()
	m := newMerchant(t)
	in := newInbox(t, m.verifier)
	_, err := m.srv.Pay(context.Background(), m.frontForm("REVEDGE01", "100", in.URL()), unionpaytest.DeclinedCard)
	require.NoError(t, err)
	_, err = m.srv.Pay(context.Background(), m.frontForm("REVEDGE02", "100", in.URL()), unionpaytest.DeclinedCard)
	require.NoError(t, err)
	m.clock.Advance(15 * time.Minute) // at payTimeout
	code, err := m.srv.Complete("REVEDGE01", "")
	require.NoError(t, err)
	assert.Equal(t, unionpaytest.CodeSuccess, code)
	m.clock.Advance(time.Second)
	code, err = m.srv.Complete("REVEDGE02", "")
	require.Error(t, err)
	assert.Equal(t, unionpaytest.CodeExpired, code)
}

// TestRepayIsANewAttempt: the paying attempt has its own queryId and is settled at its
// own time, with the card it was paid with (not the declined one): across Beijing midnight the
// settle date is the payment's.
func TestRepayIsANewAttempt(t *testing.T) {
	t.Parallel()
	m := newMerchant(t)
	in := newInbox(t, m.verifier)
	res, err := m.srv.Pay(context.Background(), m.frontForm("REVNEWAT1", "100", in.URL()), unionpaytest.DeclinedCard)
	require.NoError(t, err)
	m.clock.Advance(2 * time.Minute)
	paidAt := m.clock.Now()
	code, err := m.srv.Complete("REVNEWAT1", unionpaytest.TestCard)
	require.NoError(t, err)
	require.Equal(t, unionpaytest.CodeSuccess, code)
	x, ok := m.srv.Transaction("REVNEWAT1")
	require.True(t, ok)
	assert.NotEqual(t, res["queryId"], x.QueryID, "a new attempt, a new queryId")
	assert.True(t, x.Settled.Equal(paidAt), "settled when paid (%v), not when declined", x.Settled)
	recs := m.srv.Records(paidAt)
	require.NotEmpty(t, recs)
	assert.Equal(t, "621626******0018", recs[0].AccNo, "the card that paid")
}

// TestCompletePaidAfterPayTimeout: Complete on an order already paid returns its
// result, with no error, even after its payTimeout.
func TestCompletePaidAfterPayTimeout(t *testing.T) {
	t.Parallel()
	m := newMerchant(t)
	in := newInbox(t, m.verifier)
	_, err := m.srv.Pay(context.Background(), m.frontForm("REVPAIDT1", "100", in.URL()), "")
	require.NoError(t, err)
	m.clock.Advance(time.Hour)
	code, err := m.srv.Complete("REVPAIDT1", unionpaytest.DeclinedCard)
	require.NoError(t, err)
	assert.Equal(t, unionpaytest.CodeSuccess, code)
}

package unionpaytest_test

import (
	"context"
	"net/http"
	"net/http/httptest"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/goacp/unionpay/sign"
	"github.com/goacp/unionpay/unionpay/unionpaytest"
)

// TestFaultPendingIsForOneRequest: FaultPending on a request the gateway refuses leaves nothing
// behind; the corrected request, which has no fault, succeeds. (It used to come back 05.)
func TestFaultPendingIsForOneRequest(t *testing.T) {
	t.Parallel()
	m := newMerchant(t)
	qid := m.appConsume("FPEND0001", "1000", "http://127.0.0.1:1/n")
	m.srv.FailOrder("FPEND0002", unionpaytest.FaultPending)
	bad := m.fields("04", "00", "000201", "orderId", "FPEND0002", "origQryId", qid, "txnAmt", "0100",
		"channelType", "07", "backUrl", "http://127.0.0.1:1/n")
	r := m.call(unionpaytest.EndpointBack, bad)
	assert.NotEqual(t, "00", r["respCode"], "the malformed refund is refused")
	r = m.back("04", "FPEND0002", qid, "100", "http://127.0.0.1:1/n")
	assert.Equal(t, "00", r["respCode"], r["respMsg"])
}

// TestForgedNotifyDoesNotHoldTheAnswer: the forged copy of FaultForgedNotify is sent in the
// background: a merchant slow to answer it does not delay the synchronous answer. (It was sent
// from the handler, and the answer waited for the merchant: 3 s here.)
func TestForgedNotifyDoesNotHoldTheAnswer(t *testing.T) {
	t.Parallel()
	m := newMerchant(t)
	slow := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		time.Sleep(2 * time.Second)
		w.WriteHeader(http.StatusBadRequest)
	}))
	t.Cleanup(slow.Close)
	qid := m.appConsume("FFORG0001", "1000", "http://127.0.0.1:1/n")
	m.srv.FailOrder("FFORG0002", unionpaytest.FaultForgedNotify)
	start := time.Now()
	r := m.back("04", "FFORG0002", qid, "100", slow.URL)
	assert.Equal(t, "00", r["respCode"])
	assert.Less(t, time.Since(start), time.Second)
}

// TestFrontLeavesFaultsItCannotShow: a signing fault queued for an order is not used up by the
// cashier page, which cannot show it, but waits for the order's next request (here its query).
// It used to be taken by the page and lost.
func TestFrontLeavesFaultsItCannotShow(t *testing.T) {
	t.Parallel()
	m := newMerchant(t)
	m.srv.FailOrder("FFRONT001", unionpaytest.FaultWrongKey)
	res, err := m.srv.Pay(context.Background(), m.frontForm("FFRONT001", "100", "http://127.0.0.1:1/n"), "")
	require.NoError(t, err)
	_, err = m.verifier.Verify(res)
	require.NoError(t, err, "the frontUrl result is signed as usual")
	q := m.sign(m.fields("00", "00", "000000", "orderId", "FFRONT001", "txnTime", res["txnTime"]))
	status, body, err := m.postRaw(unionpaytest.EndpointQuery, q)
	require.NoError(t, err)
	require.Equal(t, http.StatusOK, status)
	answer, err := sign.ParseRaw(body)
	require.NoError(t, err)
	_, err = m.verifier.Verify(answer)
	assert.Error(t, err, "the query takes the wrong-key fault")
}

package unionpaytest_test

import (
	"context"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"net/url"
	"sync"
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
	// The notification is held until the test ends, or 20 s have passed (so that a gateway that
	// waits for it fails the test below instead of hanging it).
	release := make(chan struct{})
	var once sync.Once
	free := func() { once.Do(func() { close(release) }) }
	slow := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		<-release
		w.WriteHeader(http.StatusBadRequest)
	}))
	t.Cleanup(slow.Close)
	t.Cleanup(free) // runs first: Close waits for the handler
	time.AfterFunc(20*time.Second, free)
	qid := m.appConsume("FFORG0001", "1000", "http://127.0.0.1:1/n")
	m.srv.FailOrder("FFORG0002", unionpaytest.FaultForgedNotify)
	start := time.Now()
	r := m.back("04", "FFORG0002", qid, "100", slow.URL)
	assert.Equal(t, "00", r["respCode"])
	// A gateway that delivered the forged copy before answering would answer only when its 10 s
	// notification timeout gave up on the held handler: half of it is the bound.
	assert.Less(t, time.Since(start), 5*time.Second, "answered while the notification is still held")
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

// TestQueryByQueryIDTakesTheOrdersNotifyFault: a query naming a transaction by queryId alone
// that makes the gateway notify hands that notification the fault FailOrder queued for the
// transaction's order. (The queue was looked up by the query's own orderId, empty here, so the
// fault was never used.)
func TestQueryByQueryIDTakesTheOrdersNotifyFault(t *testing.T) {
	t.Parallel()
	m := newMerchant(t)
	in := newInbox(t, m.verifier)
	qid := m.appConsume("FQID00001", "1000", "http://127.0.0.1:1/n")
	m.srv.Script("FQID00002", unionpaytest.Pending, unionpaytest.Succeed)
	r := m.back("04", "FQID00002", qid, "100", in.URL())
	require.Equal(t, "05", r["respCode"], r["respMsg"])
	m.srv.FailOrder("FQID00002", unionpaytest.FaultForgedNotify)
	q := m.call(unionpaytest.EndpointQuery, m.fields("00", "00", "000000", "queryId", r["queryId"]))
	require.Equal(t, "00", q["origRespCode"], "the query finds the refund done and notifies")
	in.wait(t, 2, 10*time.Second)
	var forged []string
	for _, d := range m.srv.Deliveries() {
		if d.Forged {
			forged = append(forged, d.OrderID)
		}
	}
	assert.Equal(t, []string{"FQID00002"}, forged)
}

// TestFaultDelaySendsNothingToAClientThatGaveUp: a FaultDelay cut short by the client (here a
// half-closed connection, which the server sees as the client leaving) sends no answer. It used
// to send an empty 200, and net/http hands such a response to a client whose cancel raced it:
// the SDK then reported "empty answer" instead of the caller's context.Canceled (a flaky CI test).
func TestFaultDelaySendsNothingToAClientThatGaveUp(t *testing.T) {
	t.Parallel()
	srv := unionpaytest.NewServer(keys(t), unionpaytest.WithPlainHTTP(), unionpaytest.WithFaultDelay(20*time.Second))
	t.Cleanup(srv.Close)
	srv.FailEndpoint(unionpaytest.EndpointQuery, unionpaytest.FaultDelay)
	u, err := url.Parse(srv.URLFor(unionpaytest.EndpointQuery))
	require.NoError(t, err)
	conn, err := net.Dial("tcp", u.Host)
	require.NoError(t, err)
	defer conn.Close()
	body := "orderId=X"
	_, err = fmt.Fprintf(conn, "POST %s HTTP/1.1\r\nHost: %s\r\nContent-Type: application/x-www-form-urlencoded\r\n"+
		"Content-Length: %d\r\n\r\n%s", u.Path, u.Host, len(body), body)
	require.NoError(t, err)
	time.Sleep(100 * time.Millisecond) // the request is read and held
	require.NoError(t, conn.(*net.TCPConn).CloseWrite())
	require.NoError(t, conn.SetReadDeadline(time.Now().Add(10*time.Second)))
	got, err := io.ReadAll(conn)
	require.NoError(t, err, "the server closes the connection")
	assert.Empty(t, string(got), "nothing is answered to a client that gave up")
}

package unionpaytest_test

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/goacp/unionpay/cert"
	"github.com/goacp/unionpay/sign"
	"github.com/goacp/unionpay/unionpay/unionpaytest"
)

func TestResponseFaults(t *testing.T) {
	t.Parallel()
	tests := []struct {
		fault   unionpaytest.Fault
		check   func(t *testing.T, status int, body string, err error, v *cert.Verifier)
		applied bool // the transaction took effect anyway
	}{
		{unionpaytest.Fault5xx, func(t *testing.T, status int, _ string, err error, _ *cert.Verifier) {
			require.NoError(t, err)
			assert.Equal(t, http.StatusServiceUnavailable, status)
		}, false},
		{unionpaytest.FaultDrop, func(t *testing.T, _ int, _ string, err error, _ *cert.Verifier) {
			require.Error(t, err, "connection closed without an answer")
		}, true},
		{unionpaytest.FaultTruncate, func(t *testing.T, _ int, _ string, err error, _ *cert.Verifier) {
			require.ErrorIs(t, err, io.ErrUnexpectedEOF)
		}, true},
		{unionpaytest.FaultDelay, func(t *testing.T, _ int, _ string, err error, _ *cert.Verifier) {
			var ne interface{ Timeout() bool }
			require.ErrorAs(t, err, &ne)
			assert.True(t, ne.Timeout())
		}, true},
		{unionpaytest.FaultWrongKey, verifyFails(func(t *testing.T, err error) {
			require.ErrorIs(t, err, sign.ErrSignature)
		}), true},
		{unionpaytest.FaultExpiredCert, verifyFails(func(t *testing.T, err error) {
			var ie *cert.InvalidError
			require.ErrorAs(t, err, &ie)
			assert.Equal(t, cert.Expired, ie.Reason)
		}), true},
		{unionpaytest.FaultWrongName, verifyFails(func(t *testing.T, err error) {
			var ie *cert.InvalidError
			require.ErrorAs(t, err, &ie)
			assert.Equal(t, cert.WrongOwner, ie.Reason)
		}), true},
	}
	for _, tt := range tests {
		t.Run(tt.fault.String(), func(t *testing.T) {
			t.Parallel()
			m := newMerchant(t, unionpaytest.WithFaultDelay(10*time.Second))
			m.hc.Timeout = 2 * time.Second // generous: the machine may be loaded
			qid := m.appConsume("FAULTORD1", "1000", "http://127.0.0.1:1/n")
			m.srv.FailEndpoint(unionpaytest.EndpointBack, tt.fault)
			status, body, err := m.postRaw(unionpaytest.EndpointBack, m.sign(m.fields("04", "00", "000201",
				"orderId", "FAULTREF1", "origQryId", qid, "txnAmt", "100", "channelType", "07",
				"backUrl", "http://127.0.0.1:1/n")))
			tt.check(t, status, body, err, m.verifier)
			q := m.query("FAULTREF1", m.clock.Now().Format("20060102150405"))
			if tt.applied {
				assert.Equal(t, "00", q["origRespCode"], "the refund took effect; only its answer was lost")
			} else {
				assert.Equal(t, "34", q["respCode"], "a 5xx has no effect")
			}
			assert.Equal(t, "00", m.back("04", "FAULTREF2", qid, "100", "http://127.0.0.1:1/n")["respCode"],
				"one fault per queued entry")
		})
	}
}

func verifyFails(check func(*testing.T, error)) func(*testing.T, int, string, error, *cert.Verifier) {
	return func(t *testing.T, status int, body string, err error, v *cert.Verifier) {
		require.NoError(t, err)
		require.Equal(t, http.StatusOK, status)
		resp, err := sign.ParseRaw(body)
		require.NoError(t, err)
		assert.Equal(t, "00", resp["respCode"])
		_, err = v.Verify(resp)
		check(t, err)
	}
}

func TestFailOrderOnlyTouchesItsOrder(t *testing.T) {
	t.Parallel()
	m := newMerchant(t)
	m.srv.FailOrder("FAILED001", unionpaytest.FaultDrop, unionpaytest.Fault5xx)
	app := func(orderID string) (int, error) {
		status, _, err := m.postRaw(unionpaytest.EndpointApp, m.sign(m.fields("01", "01", "000201", "orderId", orderID,
			"txnAmt", "100", "currencyCode", "156", "channelType", "08", "backUrl", "http://127.0.0.1:1/n")))
		return status, err
	}
	status, err := app("UNTOUCHED")
	require.NoError(t, err)
	assert.Equal(t, http.StatusOK, status)
	_, err = app("FAILED001")
	require.Error(t, err, "dropped")
	status, err = app("FAILED002")
	require.NoError(t, err)
	assert.Equal(t, http.StatusOK, status)
	status, err = app("FAILED001")
	require.NoError(t, err)
	assert.Equal(t, http.StatusServiceUnavailable, status, "second queued fault")
}

// outcomes runs the same request sequence against a server with random faults and classifies
// each answer.
func outcomes(t *testing.T, seed uint64) []string {
	m := newMerchant(t, unionpaytest.WithFaults(seed, unionpaytest.FaultRates{
		unionpaytest.Fault5xx: 0.2, unionpaytest.FaultDrop: 0.2, unionpaytest.FaultWrongKey: 0.2,
	}))
	var out []string
	for i := range 30 {
		f := m.fields("00", "00", "000000", "orderId", "RANDOM"+string(rune('A'+i%26))+"00")
		status, body, err := m.postRaw(unionpaytest.EndpointQuery, m.sign(f))
		switch {
		case err != nil:
			out = append(out, "drop")
		case status != http.StatusOK:
			out = append(out, "5xx")
		default:
			resp, perr := sign.ParseRaw(body)
			require.NoError(t, perr)
			if _, verr := m.verifier.Verify(resp); errors.Is(verr, sign.ErrSignature) {
				out = append(out, "wrong-key")
			} else {
				out = append(out, resp["respCode"])
			}
		}
	}
	return out
}

func TestRandomFaultsAreSeeded(t *testing.T) {
	t.Parallel()
	a, b, c := outcomes(t, 42), outcomes(t, 42), outcomes(t, 7)
	assert.Equal(t, a, b, "same seed, same faults")
	assert.NotEqual(t, a, c)
	for _, want := range []string{"drop", "5xx", "wrong-key", "34"} {
		assert.Contains(t, a, want)
	}
}

func TestFaultPending(t *testing.T) {
	t.Parallel()
	m := newMerchant(t)
	qid := m.appConsume("PENDORDER", "1000", "http://127.0.0.1:1/n")
	m.srv.FailEndpoint(unionpaytest.EndpointBack, unionpaytest.FaultPending)
	assert.Equal(t, "05", m.back("04", "PENDREF01", qid, "100", "http://127.0.0.1:1/n")["respCode"])
	txnTime := m.clock.Now().Format("20060102150405")
	assert.Equal(t, "05", m.query("PENDREF01", txnTime)["origRespCode"])
	assert.Equal(t, "00", m.query("PENDREF01", txnTime)["origRespCode"])
	assert.Equal(t, "00", m.back("04", "PENDREF02", qid, "100", "http://127.0.0.1:1/n")["respCode"], "one fault, one request")

	m.srv.FailEndpoint(unionpaytest.EndpointFront, unionpaytest.FaultPending)
	result, err := m.srv.Pay(context.Background(), m.frontForm("PENDFRONT", "300", "http://127.0.0.1:1/n"), "")
	require.NoError(t, err)
	assert.Equal(t, "05", result["respCode"], "the browser comes back with a pending result")
	assert.Equal(t, "05", m.query("PENDFRONT", txnTime)["origRespCode"])
	assert.Equal(t, "00", m.query("PENDFRONT", txnTime)["origRespCode"])
}

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

// TestFaultDelayGivenUpStillNotifies: a refund whose answer FaultDelay holds until the merchant
// gives up was processed (FaultDelay's doc), so its notification is still delivered, as UnionPay
// notifies a transaction whatever became of the synchronous answer. Since the fix that sends
// nothing to a client that gave up (panic(http.ErrAbortHandler) in writeRaw), the handler
// stopped before delivering it: the refund succeeded and no notification ever came.
func TestFaultDelayGivenUpStillNotifies(t *testing.T) {
	t.Parallel()
	m := newMerchant(t, unionpaytest.WithTimeScale(scale), unionpaytest.WithFaultDelay(20*time.Second))
	in := newInbox(t, m.verifier)
	qid := m.appConsume("DLYNOTE01", "100", in.URL())
	in.wait(t, 1, 10*time.Second)

	m.srv.FailOrder("DLYNOTE02", unionpaytest.FaultDelay)
	body, err := sign.Encode(m.sign(m.fields("04", "00", "000201", "orderId", "DLYNOTE02", "origQryId", qid,
		"txnAmt", "50", "channelType", "07", "backUrl", in.URL())))
	require.NoError(t, err)
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	go func() { // the merchant gives up once the gateway holds the answer
		for len(m.srv.FaultLog()) == 0 {
			select {
			case <-ctx.Done(): // the test ended first: stop polling
				return
			case <-time.After(time.Millisecond):
			}
		}
		cancel()
	}()
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, m.srv.URLFor(unionpaytest.EndpointBack), strings.NewReader(body))
	require.NoError(t, err)
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded;charset=UTF-8")
	resp, err := m.hc.Do(req)
	if err == nil {
		resp.Body.Close()
	}
	require.ErrorIs(t, err, context.Canceled, "no answer while held")

	got := in.wait(t, 2, 10*time.Second)
	assert.Equal(t, "DLYNOTE02", got[1]["orderId"], "the processed refund's notification")
	assert.Equal(t, "00", got[1]["respCode"])
	_, ok := m.srv.Transaction("DLYNOTE02")
	assert.True(t, ok)
}

// TestReview15CloseWhileDelayedSendsNothing: a FaultDelay answer held when the test closes the
// gateway is not sent either (writeRaw: "or the server is closing"): an empty 200 then would be
// the very answer the FaultDelay fix removed, read by the SDK as "empty answer".
func TestReview15CloseWhileDelayedSendsNothing(t *testing.T) {
	t.Parallel()
	srv := unionpaytest.NewServer(keys(t), unionpaytest.WithPlainHTTP(), unionpaytest.WithFaultDelay(20*time.Second))
	defer srv.Close()
	srv.FailEndpoint(unionpaytest.EndpointQuery, unionpaytest.FaultDelay)
	type answer struct {
		status int
		body   string
		err    error
	}
	got := make(chan answer, 1)
	go func() {
		resp, err := http.Post(srv.URLFor(unionpaytest.EndpointQuery), "application/x-www-form-urlencoded",
			strings.NewReader("orderId=X"))
		if err != nil {
			got <- answer{err: err}
			return
		}
		defer resp.Body.Close()
		b, err := io.ReadAll(resp.Body)
		got <- answer{status: resp.StatusCode, body: string(b), err: err}
	}()
	require.Eventually(t, func() bool { return len(srv.FaultLog()) > 0 }, 10*time.Second, time.Millisecond, "the answer is held")
	time.Sleep(50 * time.Millisecond) // let the handler reach the hold (it takes the fault first); either way nothing may be sent
	srv.Close()
	select {
	case a := <-got:
		assert.Error(t, a.err, "the held answer was sent on Close: %d %q", a.status, a.body)
	case <-time.After(10 * time.Second):
		t.Fatal("the held request outlived Close")
	}
}

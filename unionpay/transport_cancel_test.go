package unionpay_test

import (
	"context"
	"crypto/tls"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"net/http/httptrace"
	"runtime"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/goacp/unionpay/internal/goroutinetest"
	"github.com/goacp/unionpay/unionpay"
	"github.com/goacp/unionpay/unionpay/unionpaytest"
)

// Concurrency, cancellation and cleanup audit (helper "audit-conc"). Run these alone:
//
//	go test -race ./unionpay -run ConcAudit -count=1
//
// The goroutine tests compare runtime.NumGoroutine with a baseline, so they do not call
// t.Parallel and must not run beside other tests of the package.

// concE2E starts a gateway, an inbox and a client without t.Cleanup, so that the test closes
// them itself before it counts goroutines.
func concE2E(t *testing.T, opts ...unionpaytest.Option) (e *e2e, closeAll func()) {
	t.Helper()
	srv := unionpaytest.NewServer(append([]unionpaytest.Option{withSharedKeys(t), unionpaytest.WithReporter(t),
		unionpaytest.WithTimeScale(1.0 / 600), unionpaytest.WithClock(unionpaytest.BusinessDayClock())}, opts...)...)
	in := &inbox{}
	in.srv = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		_, _ = io.Copy(io.Discard, r.Body)
		_, _ = io.WriteString(w, "ok")
	}))
	c, err := unionpay.NewClient(srv.Config())
	require.NoError(t, err)
	e = &e2e{srv: srv, c: c, inbox: in}
	return e, func() {
		c.CloseIdleConnections()
		srv.Close()
		in.srv.Close()
	}
}

// TestConcAuditNoGoroutineLeak runs every kind of call, including ones cancelled while the
// gateway holds its answer, then closes the client's idle connections and the gateway: the
// goroutine count must come back to where it was.
func TestConcAuditNoGoroutineLeak(t *testing.T) {
	base := runtime.NumGoroutine()
	func() {
		e, closeAll := concE2E(t, unionpaytest.WithFaultDelay(20*time.Second))
		defer closeAll()
		ctx := context.Background()
		res, err := e.c.Collect(ctx, e.card(e.order("LEAK"), 100))
		require.NoError(t, err)
		_, err = e.c.QueryUntilFinal(ctx, &unionpay.QueryRequest{OrderID: res.OrderID, TxnTime: res.TxnTime},
			unionpay.Backoff{Delays: []time.Duration{0, time.Millisecond}})
		require.NoError(t, err)
		_, err = e.c.UpdateEncryptionCertificate(ctx)
		require.NoError(t, err)
		_, err = e.c.DownloadFile(ctx, &unionpay.FileRequest{SettleDate: e.srv.Now()})
		require.NoError(t, err)

		// Cancelled while the gateway holds the answer: the deadline ends once the refund has
		// taken the FaultDelay, not on a 200 ms timer that a loaded -race run could beat (the
		// refund then not sent and the fault left over, which the gateway's Close reports).
		e.srv.FailEndpoint(unionpaytest.EndpointBack, unionpaytest.FaultDelay)
		ref := e.followUp(e.order("REF"), res.QueryID, 10)
		cctx, cancel := endWhen(ctx, context.DeadlineExceeded, delayTaken(e.srv, unionpaytest.EndpointBack, ref.OrderID))
		_, err = e.c.Refund(cctx, ref)
		cancel()
		require.ErrorIs(t, err, context.DeadlineExceeded)
		// A QueryUntilFinal cancelled during its wait.
		cctx, cancel = context.WithCancel(ctx)
		time.AfterFunc(100*time.Millisecond, cancel)
		_, err = e.c.QueryUntilFinal(cctx, &unionpay.QueryRequest{OrderID: "NOSUCH0001", TxnTime: e.srv.Now()},
			unionpay.Backoff{Delays: []time.Duration{time.Hour}})
		require.ErrorIs(t, err, context.Canceled)
	}()
	goroutinetest.Settle(t, base, 5*time.Second)
}

// TestConcAuditCancelBeforeCall: a ctx already cancelled fails every I/O call at once with an
// error matching context.Canceled, and no money-moving call reads as failed or succeeded.
func TestConcAuditCancelBeforeCall(t *testing.T) {
	e := newE2E(t)
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	start := time.Now()
	tx, err := e.c.Query(ctx, &unionpay.QueryRequest{OrderID: "CANCEL0001", TxnTime: e.srv.Now()})
	assert.Nil(t, tx)
	assert.ErrorIs(t, err, context.Canceled)
	_, err = e.c.Payout(ctx, e.card(e.order("CXL"), 100))
	assert.ErrorIs(t, err, context.Canceled)
	var ue *unionpay.Error
	assert.False(t, errors.As(err, &ue), "a cancelled payout must not read as refused")
	_, err = e.c.QueryUntilFinal(ctx, &unionpay.QueryRequest{OrderID: "CANCEL0001", TxnTime: e.srv.Now()},
		unionpay.BackBackoff())
	assert.ErrorIs(t, err, context.Canceled)
	assert.ErrorIs(t, err, unionpay.ErrPending)
	_, err = e.c.UpdateEncryptionCertificate(ctx)
	assert.ErrorIs(t, err, context.Canceled)
	_, err = e.c.DownloadFile(ctx, &unionpay.FileRequest{SettleDate: e.srv.Now()})
	assert.ErrorIs(t, err, context.Canceled)
	assert.Less(t, time.Since(start), 2*time.Second)
}

// TestConcAuditCancelDuringSlowAnswer: a refund cancelled while the gateway holds the answer
// returns promptly, pending (never failed), matching context.Canceled. The context ends once the
// gateway has the request (endWhen), not on a timer: a 200 ms timer could fire before a loaded
// -race run had sent the request (each subtest's calls open a new TLS connection, the cancelled
// call's one being closed), which then was rightly "not sent", not pending.
func TestConcAuditCancelDuringSlowAnswer(t *testing.T) {
	e := newE2E(t, unionpaytest.WithFaultDelay(20*time.Second))
	ctx := context.Background()
	// A consume to refund (it was a Collect, txnType 11, which no refund may name: the gateway
	// answered 36 to every refund, unseen while the cancel came first).
	res, err := e.c.BackConsume(ctx, e.card(e.order("PAY"), 100))
	require.NoError(t, err)
	for _, end := range []struct {
		name string
		want error
	}{
		{"cancel", context.Canceled},
		{"deadline", context.DeadlineExceeded},
	} {
		t.Run(end.name, func(t *testing.T) {
			e.srv.FailEndpoint(unionpaytest.EndpointBack, unionpaytest.FaultDelay)
			ref := e.followUp(e.order("REF"), res.QueryID, 10)
			cctx, cancel := endWhen(ctx, end.want, recorded(e.srv, ref.OrderID))
			defer cancel()
			start := time.Now()
			_, err := e.c.Refund(cctx, ref)
			assert.Less(t, time.Since(start), 10*time.Second, "well before the 20 s hold ends")
			assert.ErrorIs(t, err, end.want)
			assert.ErrorIs(t, err, unionpay.ErrPending, "the refund was sent: its outcome is unknown")
			_, ok := e.srv.Transaction(ref.OrderID)
			assert.True(t, ok, "the gateway has the refund")

			e.srv.FailEndpoint(unionpaytest.EndpointQuery, unionpaytest.FaultDelay)
			cctx2, cancel2 := endWhen(ctx, end.want, delayTaken(e.srv, unionpaytest.EndpointQuery, res.OrderID))
			defer cancel2()
			start = time.Now()
			_, err = e.c.QueryUntilFinal(cctx2, &unionpay.QueryRequest{OrderID: res.OrderID, TxnTime: res.TxnTime},
				unionpay.Backoff{Delays: []time.Duration{0}})
			assert.Less(t, time.Since(start), 10*time.Second, "well before the 20 s hold ends")
			assert.ErrorIs(t, err, end.want)
			assert.ErrorIs(t, err, unionpay.ErrPending)
		})
	}
}

// TestConcAuditParallelEverything calls every method of one Client from many goroutines at
// once, while the encryption certificate is rotated and updated, under -race.
func TestConcAuditParallelEverything(t *testing.T) {
	e := newE2E(t)
	ctx := context.Background()
	var wg sync.WaitGroup
	var n atomic.Int64
	for i := range 8 {
		wg.Go(func() {
			for j := range 4 {
				id := fmt.Sprintf("P%02d%02d%08d", i, j, n.Add(1))
				form, err := e.c.FrontConsume(e.consumeReq(id, 1000))
				if !assert.NoError(t, err) {
					return
				}
				_ = form.HTML()
				res, err := e.c.BackConsume(ctx, e.card(id+"C", 300))
				if !assert.NoError(t, err) {
					return
				}
				tx, err := e.c.Query(ctx, &unionpay.QueryRequest{OrderID: res.OrderID, TxnTime: res.TxnTime})
				if assert.NoError(t, err) {
					_, _ = e.c.DecryptAccNo(tx)
				}
				_, err = e.c.Refund(ctx, e.followUp(id+"R", res.QueryID, 100))
				assert.NoError(t, err)
				_, _ = e.c.QueryUntilFinal(ctx, &unionpay.QueryRequest{OrderID: res.OrderID, TxnTime: res.TxnTime},
					unionpay.Backoff{Delays: []time.Duration{0}})
				_, err = e.c.RealNameAuth(ctx, &unionpay.AccountRequest{OrderID: id + "A", AccNo: unionpaytest.TestCard,
					Customer: &unionpay.Customer{IDType: "01", IDNumber: "341126197709218366", Name: "互联网", Phone: "13552535506"}})
				assert.NoError(t, err)
				_, err = e.c.AppConsume(ctx, e.consumeReq(id+"P", 100))
				assert.NoError(t, err)
				_, _ = e.c.UpdateEncryptionCertificate(ctx)
				_ = e.c.Encrypter()
				if j == 0 {
					_, err = e.c.DownloadFile(ctx, &unionpay.FileRequest{SettleDate: e.srv.Now()})
					assert.NoError(t, err)
					b, err := e.c.SubmitBatch(ctx, &unionpay.BatchRequest{Type: unionpay.BatchPayout,
						BatchNo: fmt.Sprintf("%04d", i+1), Records: []unionpay.BatchRecord{{OrderID: id + "B", Amount: 100,
							AccType: "01", AccNo: unionpaytest.TestCard, CustomerName: "互联网"}}})
					if assert.NoError(t, err) {
						_, _ = e.c.QueryBatch(ctx, &unionpay.BatchQueryRequest{Type: unionpay.BatchPayout,
							BatchNo: b.BatchNo, TxnTime: b.TxnTime})
					}
				}
			}
		})
	}
	wg.Go(func() {
		for range 5 {
			assert.NoError(t, e.srv.RotateEncryptionCert())
			_, _ = e.c.UpdateEncryptionCertificate(ctx)
			time.Sleep(20 * time.Millisecond)
		}
	})
	wg.Wait()
	_, err := e.c.UpdateEncryptionCertificate(ctx)
	require.NoError(t, err)
	assert.Equal(t, e.srv.EncryptionCertificate().SerialNumber.String(), e.c.Encrypter().CertID())
}

// TestConcAuditConnectionReusedAfterErrorStatus: a gateway answering 503 (with the short error
// page a proxy sends) must not cost a new connection, a TLS handshake on the real gateway, per
// call: the client should drain the small body so that net/http can reuse the connection.
func TestConcAuditConnectionReusedAfterErrorStatus(t *testing.T) {
	var conns atomic.Int64
	srv := httptest.NewUnstartedServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		_, _ = io.Copy(io.Discard, r.Body)
		w.Header().Set("Content-Type", "text/html")
		w.WriteHeader(http.StatusServiceUnavailable)
		_, _ = io.WriteString(w, "<html><body><h1>503 Service Temporarily Unavailable</h1>"+strings.Repeat(" ", 512)+"</body></html>")
	}))
	srv.Config.ConnState = func(_ net.Conn, s http.ConnState) {
		if s == http.StateNew {
			conns.Add(1)
		}
	}
	srv.Start()
	defer srv.Close()
	cfg := testConfig(t, srv.URL)
	cfg.HTTPClient = srv.Client()
	c, err := unionpay.NewClient(cfg)
	require.NoError(t, err)
	for range 5 {
		_, err := c.Query(context.Background(), &unionpay.QueryRequest{OrderID: testOrder, TxnTime: testNow})
		var se *unionpay.StatusError
		require.ErrorAs(t, err, &se)
	}
	assert.Equal(t, int64(1), conns.Load(), "connections opened for 5 calls answered 503")
}

// TestConcAuditCancelWhileReadingBody: the gateway sends the status line and half the answer,
// then stalls; cancelling ctx then must give an error matching context.Canceled (pending for
// the refund, and from QueryUntilFinal), promptly.
func TestConcAuditCancelWhileReadingBody(t *testing.T) {
	release := make(chan struct{})
	defer close(release)
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		_, _ = io.Copy(io.Discard, r.Body)
		w.Header().Set("Content-Length", "1000")
		w.WriteHeader(http.StatusOK)
		_, _ = io.WriteString(w, "respCode=00&")
		w.(http.Flusher).Flush()
		select {
		case <-release:
		case <-r.Context().Done():
		}
	}))
	defer srv.Close()
	c, err := unionpay.NewClient(testConfig(t, srv.URL))
	require.NoError(t, err)
	for _, end := range []struct {
		name string
		want error
	}{
		{"cancel", context.Canceled},
		{"deadline", context.DeadlineExceeded},
	} {
		t.Run(end.name, func(t *testing.T) {
			// The context ends once the client has the answer's first bytes (endWhen), so
			// while it reads the body, not on a 200 ms timer that a loaded -race run could
			// beat to the request's sending (it was then "not sent", not pending).
			var gotFirst atomic.Bool
			reading := httptrace.WithClientTrace(context.Background(), &httptrace.ClientTrace{
				GotFirstResponseByte: func() { gotFirst.Store(true) }})
			readingBody := func() bool { return gotFirst.Swap(false) }
			ctx, cancel := endWhen(reading, end.want, readingBody)
			defer cancel()
			start := time.Now()
			_, err := c.Refund(ctx, &unionpay.FollowUpRequest{OrderID: "REFUND0001", OrigQueryID: "782401051030000000011",
				Amount: 1, BackURL: testNotify})
			assert.Less(t, time.Since(start), 10*time.Second, "the answer stalls for ever")
			assert.ErrorIs(t, err, unionpay.ErrPending)
			assert.ErrorIs(t, err, end.want, "%v", err)

			ctx, cancel = endWhen(reading, end.want, readingBody)
			defer cancel()
			_, err = c.QueryUntilFinal(ctx, &unionpay.QueryRequest{OrderID: testOrder, TxnTime: testNow},
				unionpay.Backoff{Delays: []time.Duration{0}})
			assert.ErrorIs(t, err, unionpay.ErrPending)
			assert.ErrorIs(t, err, end.want, "%v", err)
		})
	}
}

// slowConn returns from each Write only some time after handing the bytes on: the gateway has
// them while the writing goroutine is still in Write (a goroutine descheduled after its write
// system call, stretched so that the test is deterministic).
type slowConn struct {
	net.Conn
	delay time.Duration
}

func (c slowConn) Write(p []byte) (int, error) {
	n, err := c.Conn.Write(p)
	time.Sleep(c.delay)
	return n, err
}

// TestConcAuditHTTP2CancelAfterRequestArrivedIsPending: over HTTP/2 (a caller's *http.Transport
// that negotiates h2), a refund that the gateway has received in full, cancelled before the
// answer, must be pending, not "request not sent": net/http's HTTP/2 RoundTrip returns on ctx's
// end without waiting for its writer, so the WroteRequest trace may not have fired yet.
func TestConcAuditHTTP2CancelAfterRequestArrivedIsPending(t *testing.T) {
	for _, h2 := range []bool{false, true} { // HTTP/1.1 is the control: it passes
		t.Run(map[bool]string{false: "http1.1", true: "h2"}[h2], func(t *testing.T) { cancelAfterArrival(t, h2) })
	}
	t.Run("h2c", cancelAfterArrivalH2C)
}

// cancelAfterArrivalH2C is cancelAfterArrival over HTTP/2 without TLS (h2c, which a caller's
// transport enables with Protocols; a loopback host may be spoken to in clear): no TLS state
// says which protocol went out.
func cancelAfterArrivalH2C(t *testing.T) {
	srv, tr, got, proto := h2cServer(t)
	err := refundCancelledOnArrival(t, srv.URL, tr, got, nil)
	require.Equal(t, "HTTP/2.0", proto.Load())
	require.ErrorIs(t, err, context.Canceled)
	assert.ErrorIs(t, err, unionpay.ErrPending, "the gateway has the whole refund: its outcome is unknown (%v)", err)
}

// h2cServer starts a server speaking HTTP/2 in clear (h2c), closed with the test, which records
// each request's protocol in proto and reports on got when one has arrived whole (arrived); and
// returns a transport that speaks h2c to it, dialling slowly (slowDial).
func h2cServer(t *testing.T) (srv *httptest.Server, tr *http.Transport, got chan struct{}, proto *atomic.Value) {
	t.Helper()
	got, proto = make(chan struct{}, 1), new(atomic.Value)
	srv = httptest.NewUnstartedServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		proto.Store(r.Proto)
		arrived(r, got)
	}))
	srv.Config.Protocols = new(http.Protocols)
	srv.Config.Protocols.SetUnencryptedHTTP2(true)
	srv.Start()
	t.Cleanup(srv.Close)
	tr = &http.Transport{Protocols: new(http.Protocols), DialContext: slowDial}
	tr.Protocols.SetUnencryptedHTTP2(true)
	return srv, tr, got, proto
}

func cancelAfterArrival(t *testing.T, h2 bool) {
	got := make(chan struct{}, 1)
	srv := httptest.NewUnstartedServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { arrived(r, got) }))
	srv.EnableHTTP2 = h2
	srv.StartTLS()
	defer srv.Close()
	tr := srv.Client().Transport.(*http.Transport).Clone()
	tr.ForceAttemptHTTP2 = h2
	tr.DialContext = slowDial
	var proto atomic.Value
	err := refundCancelledOnArrival(t, srv.URL, tr, got, &httptrace.ClientTrace{GotConn: func(i httptrace.GotConnInfo) {
		if tc, ok := i.Conn.(*tls.Conn); ok {
			proto.Store(tc.ConnectionState().NegotiatedProtocol)
		}
	}})
	require.Equal(t, map[bool]string{false: "", true: "h2"}[h2], proto.Load())
	require.ErrorIs(t, err, context.Canceled)
	assert.ErrorIs(t, err, unionpay.ErrPending, "the gateway has the whole refund: its outcome is unknown (%v)", err)
}

// arrived is the gateway's side: it reads the whole refund (UnionPay would now process it),
// says so on got, and holds the answer until the client goes away.
func arrived(r *http.Request, got chan<- struct{}) {
	_, _ = io.ReadAll(r.Body)
	got <- struct{}{}
	<-r.Context().Done()
}

// slowDial dials as a net.Dialer does, through a slowConn whose writes return late.
func slowDial(ctx context.Context, network, addr string) (net.Conn, error) {
	var d net.Dialer
	c, err := d.DialContext(ctx, network, addr)
	if err != nil {
		return nil, err
	}
	return slowConn{Conn: c, delay: 300 * time.Millisecond}, nil
}

// refundCancelledOnArrival sends a refund to the gateway at url through tr, its ctx (traced by
// trace, if not nil) cancelled as soon as got says the gateway has all of it, and returns the
// refund's error.
func refundCancelledOnArrival(t *testing.T, url string, tr *http.Transport, got <-chan struct{},
	trace *httptrace.ClientTrace) error {
	t.Helper()
	defer tr.CloseIdleConnections()
	cfg := testConfig(t, url)
	cfg.HTTPClient = &http.Client{Transport: tr}
	c, err := unionpay.NewClient(cfg)
	require.NoError(t, err)
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	go func() { <-got; cancel() }()
	if trace != nil {
		ctx = httptrace.WithClientTrace(ctx, trace)
	}
	_, err = c.Refund(ctx, &unionpay.FollowUpRequest{OrderID: "REFUND0001", OrigQueryID: "782401051030000000011",
		Amount: 1, BackURL: testNotify})
	return err
}

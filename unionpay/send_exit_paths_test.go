package unionpay_test

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/http/httptrace"
	"runtime"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/goacp/unionpay/internal/goroutinetest"
	"github.com/goacp/unionpay/sign"
	"github.com/goacp/unionpay/unionpay"
)

// The exits of the Client's send that the network-fault table (TestNetworkFaultOutcomes) and the
// cancellation audit (transport_cancel_test.go) do not reach: a ctx that ends while the
// connection is being dialled, while its TLS handshake stalls, or while the call waits for a
// connection of a full pool (each "not sent": nothing was written), and a kept-alive connection
// the gateway closes once it has read a request (pending, and not sent again by net/http).

// moneyCalls is every call that moves money that inFlightCalls marks sendExits (all but the
// pre-authorisation cancels), and a consume by token (whose unknown outcome is pending too).
func moneyCalls() []inFlightCall {
	var calls []inFlightCall
	for _, c := range inFlightCalls() {
		if c.also&sendExits != 0 {
			calls = append(calls, c)
		}
	}
	byToken := func(ctx context.Context, c *unionpay.Client) error {
		_, err := c.BackConsume(ctx, tokenConsumeReq())
		return err
	}
	return append(calls, inFlightCall{"BackConsume by token", unionpay.ErrPending, 0, byToken})
}

// stalledListener accepts connections and reads from them without ever answering (a TLS
// ClientHello goes unanswered): accepted reports when one came. Closed with the test, it closes
// them.
type stalledListener struct {
	addr     string
	accepted atomic.Bool
}

func newStalledListener(t *testing.T) *stalledListener {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	require.NoError(t, err)
	s := &stalledListener{addr: ln.Addr().String()}
	var mu sync.Mutex
	var conns []net.Conn
	t.Cleanup(func() {
		_ = ln.Close()
		mu.Lock()
		defer mu.Unlock()
		for _, c := range conns {
			_ = c.Close()
		}
	})
	go func() {
		for {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			mu.Lock()
			conns = append(conns, c)
			mu.Unlock()
			s.accepted.Store(true)
			go func() { _, _ = io.Copy(io.Discard, c) }()
		}
	}()
	return s
}

// exitPath is one way a call ends before its request was written: start prepares cfg and
// returns the ctx of the call.
type exitPath struct {
	name  string
	want  error // ctx's error, which the call's must match
	start func(t *testing.T, h *hostile, cfg *unionpay.Config) context.Context
}

func exitPathsBeforeSending() []exitPath {
	return []exitPath{
		{"ctx cancelled before the call", context.Canceled, func(t *testing.T, h *hostile, cfg *unionpay.Config) context.Context {
			ctx, cancel := context.WithCancel(context.Background())
			cancel()
			return ctx
		}},
		{"deadline passed before the call", context.DeadlineExceeded, func(t *testing.T, h *hostile, cfg *unionpay.Config) context.Context {
			ctx, cancel := context.WithDeadline(context.Background(), time.Now().Add(-time.Second))
			t.Cleanup(cancel)
			return ctx
		}},
		{"ctx cancelled while dialling", context.Canceled, func(t *testing.T, h *hostile, cfg *unionpay.Config) context.Context {
			// net/http dials on a context of its own (a later request may use the connection):
			// the dial is held until the test ends, then fails.
			release := make(chan struct{})
			var dialling atomic.Bool
			tr := &http.Transport{DialContext: func(context.Context, string, string) (net.Conn, error) {
				dialling.Store(true)
				<-release
				return nil, errors.New("dial released")
			}}
			t.Cleanup(func() { close(release); tr.CloseIdleConnections() })
			cfg.HTTPClient = &http.Client{Transport: tr}
			ctx, cancel := endWhen(context.Background(), context.Canceled, dialling.Load)
			t.Cleanup(cancel)
			return ctx
		}},
		{"deadline while the TLS handshake stalls", context.DeadlineExceeded, func(t *testing.T, h *hostile, cfg *unionpay.Config) context.Context {
			s := newStalledListener(t)
			g := "https://" + s.addr + "/gateway/api/"
			cfg.Endpoints = unionpay.Endpoints{Front: g + "frontTransReq.do", Back: g + "backTransReq.do", Query: g + "queryTrans.do",
				Batch: g + "batchTrans.do", App: g + "appTransReq.do"}
			cfg.HTTPClient = nil // the Client's own transport
			ctx, cancel := endWhen(context.Background(), context.DeadlineExceeded, s.accepted.Load)
			t.Cleanup(cancel)
			return ctx
		}},
		{"deadline while waiting for a connection", context.DeadlineExceeded, func(t *testing.T, h *hostile, cfg *unionpay.Config) context.Context {
			// One connection per host, taken by a request the gateway holds: the call waits for it.
			release := make(chan struct{})
			var held atomic.Bool
			httpGateway(t, h, func(w http.ResponseWriter, r *http.Request) {
				held.Store(true)
				select {
				case <-release:
				case <-r.Context().Done():
				}
			})
			cfg.Endpoints = testConfig(t, h.url).Endpoints // this gateway's
			tr := &http.Transport{MaxConnsPerHost: 1}
			t.Cleanup(func() { close(release); tr.CloseIdleConnections() })
			go func() { // the holder
				req, _ := http.NewRequest(http.MethodPost, h.url, nil)
				if resp, err := tr.RoundTrip(req); err == nil {
					_ = resp.Body.Close()
				}
			}()
			require.Eventually(t, held.Load, 10*time.Second, time.Millisecond)
			cfg.HTTPClient = &http.Client{Transport: tr}
			var waiting atomic.Bool
			traced := httptrace.WithClientTrace(context.Background(), &httptrace.ClientTrace{
				GetConn: func(string) { waiting.Store(true) }})
			ctx, cancel := endWhen(traced, context.DeadlineExceeded, waiting.Load)
			t.Cleanup(cancel)
			return ctx
		}},
	}
}

// TestSendExitBeforeSendingIsNotSent: every call that moves money, its ctx ended before the
// request was written (before the call, while dialling, during a stalled TLS handshake, while
// waiting for a pooled connection), is "not sent": a *NotSentError naming the order, matching
// ErrNotSent and ctx's error, never ErrPending, and Config.OnCall is told OutcomeNotSent. The
// gateway has nothing.
func TestSendExitBeforeSendingIsNotSent(t *testing.T) {
	t.Parallel()
	for _, p := range exitPathsBeforeSending() {
		for _, call := range moneyCalls() {
			t.Run(p.name+"/"+call.method, func(t *testing.T) {
				t.Parallel()
				exitBeforeSending(t, p, call)
			})
		}
	}
}

// TestSendExitLeavesNoGoroutine: a refund ended at each of those exits leaves no goroutine once
// the test's gateways, dials and listeners are closed and the Client's idle connections dropped
// (net/http goes on dialling for a request that gave up, for a later one: until its dial ends).
// It counts goroutines: no t.Parallel.
func TestSendExitLeavesNoGoroutine(t *testing.T) {
	base := runtime.NumGoroutine()
	refund := moneyCalls()[0]
	require.Equal(t, "Refund", refund.method)
	for _, p := range exitPathsBeforeSending() {
		t.Run(p.name, func(t *testing.T) { exitBeforeSending(t, p, refund) })
	}
	goroutinetest.Settle(t, base, 5*time.Second)
}

// exitBeforeSending runs call with its ctx ended at p and checks it was not sent.
func exitBeforeSending(t *testing.T, p exitPath, call inFlightCall) {
	t.Helper()
	var h hostile
	httpGateway(t, &h, func(w http.ResponseWriter, _ *http.Request) { _, _ = io.WriteString(w, "respCode=00") })
	cfg := testConfig(t, h.url)
	ctx := p.start(t, &h, &cfg)
	before := h.hits.Load()
	var ends []unionpay.CallEnd
	cfg.OnCall = func(_ context.Context, e unionpay.CallEnd) { ends = append(ends, e) }
	c, err := unionpay.NewClient(cfg)
	require.NoError(t, err)
	t.Cleanup(c.CloseIdleConnections)
	start := time.Now()
	err = call.do(ctx, c)
	assert.Less(t, time.Since(start), 10*time.Second)
	require.Error(t, err)
	assert.ErrorIs(t, err, unionpay.ErrNotSent, "%v", err)
	assert.NotErrorIs(t, err, unionpay.ErrPending)
	assert.ErrorIs(t, err, p.want)
	var ns *unionpay.NotSentError
	if assert.ErrorAs(t, err, &ns) && call.method != "SubmitBatch" {
		assert.NotEmpty(t, ns.OrderID)
	}
	if assert.Len(t, ends, 1) {
		assert.Equal(t, unionpay.OutcomeNotSent, ends[0].Outcome)
		assert.True(t, ends[0].MovesMoney)
	}
	assert.Equal(t, before, h.hits.Load(), "the gateway has nothing")
}

// TestSendExitReusedConnectionClosedAfterRequest: a kept-alive connection that the gateway
// closes once it has read a refund whole, without answering (a load balancer's idle close
// racing the request, a gateway that crashed), leaves the refund pending (OutcomePending), and
// net/http does not send it again on a new connection, as it would a request it may replay.
func TestSendExitReusedConnectionClosedAfterRequest(t *testing.T) {
	t.Parallel()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	require.NoError(t, err)
	t.Cleanup(func() { _ = ln.Close() })
	var requests atomic.Int32
	go func() {
		for {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			go func() {
				defer func() { _ = c.Close() }()
				br := bufio.NewReader(c)
				for {
					req, err := http.ReadRequest(br)
					if err != nil {
						return
					}
					_, _ = io.Copy(io.Discard, req.Body)
					if requests.Add(1) > 1 {
						return // read whole, then closed without an answer
					}
					// The first request (the query that opens the connection) is answered and
					// the connection kept.
					_, _ = io.WriteString(c, "HTTP/1.1 200 OK\r\nContent-Length: 11\r\n\r\nrespCode=00")
				}
			}()
		}
	}()
	cfg := testConfig(t, "http://"+ln.Addr().String())
	var ends []unionpay.CallEnd
	cfg.OnCall = func(_ context.Context, e unionpay.CallEnd) { ends = append(ends, e) }
	c, err := unionpay.NewClient(cfg)
	require.NoError(t, err)
	t.Cleanup(c.CloseIdleConnections)
	_, err = c.Query(context.Background(), &unionpay.QueryRequest{OrderID: testOrder, TxnTime: testNow})
	require.Error(t, err) // an unsigned answer: what matters is the connection it leaves idle
	require.Equal(t, int32(1), requests.Load())

	var reused atomic.Bool
	ctx := httptrace.WithClientTrace(context.Background(), &httptrace.ClientTrace{
		GotConn: func(i httptrace.GotConnInfo) { reused.Store(i.Reused) }})
	_, err = c.Refund(ctx, followUp())
	require.True(t, reused.Load(), "the refund went out on the kept-alive connection")
	require.Error(t, err)
	assert.ErrorIs(t, err, unionpay.ErrPending, "%v", err)
	assert.NotErrorIs(t, err, unionpay.ErrNotSent)
	var pe *unionpay.PendingError
	require.ErrorAs(t, err, &pe)
	assert.Equal(t, followUp().OrderID, pe.QueryRequest().OrderID)
	time.Sleep(100 * time.Millisecond) // a resend, if any, would have come by now
	assert.Equal(t, int32(2), requests.Load(), "the refund reached the gateway once")
	require.Len(t, ends, 2)
	assert.Equal(t, unionpay.OutcomePending, ends[1].Outcome)
}

// TestSendExitConcurrentCancellations shares one Client between goroutines whose refunds end at
// every moment of their course (before the request, while it is written, while the gateway holds
// the answer, while it is read), through the Client's own transport and through a wrapper that
// does not trace: each ends accepted, pending or not sent, never otherwise; "not sent" only when
// the gateway never read it whole, accepted only when it did; and none reaches the gateway
// twice. Run it under -race.
func TestSendExitConcurrentCancellations(t *testing.T) {
	t.Parallel()
	g := newGateway(t, func(req sign.Fields) reply {
		// Some answers come at once, others after the client may have given up.
		return reply{fields: answerTo(req, "00", nil), delay: time.Duration(req["orderId"][len(req["orderId"])-1]%4) * time.Millisecond}
	})
	inner := &http.Transport{}
	t.Cleanup(inner.CloseIdleConnections)
	errs := map[string]error{}
	var mu sync.Mutex
	for _, via := range []string{"own", "wrapped"} {
		cfg := testConfig(t, g.srv.URL)
		if via == "wrapped" {
			cfg.HTTPClient = &http.Client{Transport: roundTripFunc(func(r *http.Request) (*http.Response, error) {
				return inner.RoundTrip(r)
			})}
		}
		c, err := unionpay.NewClient(cfg)
		require.NoError(t, err)
		var wg sync.WaitGroup
		for w := range 8 {
			wg.Go(func() {
				for i := range 25 {
					r := followUp()
					r.OrderID = fmt.Sprintf("CX%s%02d%04d", via, w, i)
					ctx, cancel := context.WithTimeout(context.Background(), time.Duration((w+i)%6)*time.Millisecond)
					_, err := c.Refund(ctx, r)
					cancel()
					mu.Lock()
					errs[r.OrderID] = err
					mu.Unlock()
				}
			})
		}
		wg.Wait()
		c.CloseIdleConnections()
	}
	g.mu.Lock()
	received := map[string]int{}
	for _, req := range g.reqs {
		received[req["orderId"]]++
	}
	g.mu.Unlock()
	var count [3]int
	for id, err := range errs {
		assert.LessOrEqual(t, received[id], 1, "%s reached the gateway %d times", id, received[id])
		switch {
		case err == nil:
			count[0]++
			assert.Equal(t, 1, received[id], "%s accepted", id)
		case errors.Is(err, unionpay.ErrNotSent):
			count[1]++
			assert.Zero(t, received[id], "%s reported not sent, but the gateway read it: %v", id, err)
			assert.NotErrorIs(t, err, unionpay.ErrPending)
		case errors.Is(err, unionpay.ErrPending):
			count[2]++
			var rejected *unionpay.Error
			assert.False(t, errors.As(err, &rejected), "%s: %v", id, err)
		default:
			t.Errorf("%s: neither accepted, pending nor not sent: %v", id, err)
		}
	}
	t.Logf("accepted %d, not sent %d, pending %d", count[0], count[1], count[2])
}

package unionpay_test

import (
	"context"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"reflect"
	"runtime"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/goacp/unionpay/internal/goroutinetest"
	"github.com/goacp/unionpay/unionpay"
)

// inFlightCall is one method of *Client that does I/O, for TestEveryCallCancelledInFlight and
// TestEveryCallRefusesNilContext, and as its also says for the network-fault tests.
type inFlightCall struct {
	method string // the *Client method's name
	// outcome is what the call's error must match once its request reached the gateway, or may
	// have: ErrPending for a call that moves money and for QueryUntilFinal, nil for one that
	// moves none (its error then matches neither ErrPending nor ErrNotSent).
	outcome error
	also    faultTests // the network-fault tests that run it too
	do      func(ctx context.Context, c *unionpay.Client) error
}

// faultTests is a set of the network-fault tests that run an inFlightCall besides the in-flight
// ones.
type faultTests uint8

const (
	// networkFaults: TestNetworkFaultOutcomes (networkCalls) runs it.
	networkFaults faultTests = 1 << iota
	// sendExits: TestSendExitBeforeSendingIsNotSent (moneyCalls) runs it; it moves money.
	sendExits
)

// inFlightCalls is every method of *Client that takes a ctx, each once.
func inFlightCalls() []inFlightCall {
	query := &unionpay.QueryRequest{OrderID: testOrder, TxnTime: testNow}
	return []inFlightCall{
		{"Refund", unionpay.ErrPending, networkFaults | sendExits, func(ctx context.Context, c *unionpay.Client) error {
			_, err := c.Refund(ctx, followUp())
			return err
		}},
		{"CancelConsume", unionpay.ErrPending, networkFaults | sendExits, func(ctx context.Context, c *unionpay.Client) error {
			_, err := c.CancelConsume(ctx, followUp())
			return err
		}},
		{"CompletePreAuth", unionpay.ErrPending, networkFaults | sendExits, func(ctx context.Context, c *unionpay.Client) error {
			_, err := c.CompletePreAuth(ctx, followUp())
			return err
		}},
		{"CancelPreAuth", unionpay.ErrPending, 0, func(ctx context.Context, c *unionpay.Client) error {
			_, err := c.CancelPreAuth(ctx, followUp())
			return err
		}},
		{"CancelPreAuthCompletion", unionpay.ErrPending, 0, func(ctx context.Context, c *unionpay.Client) error {
			_, err := c.CancelPreAuthCompletion(ctx, followUp())
			return err
		}},
		{"BackConsume", unionpay.ErrPending, networkFaults | sendExits, func(ctx context.Context, c *unionpay.Client) error {
			_, err := c.BackConsume(ctx, cardReq())
			return err
		}},
		{"Collect", unionpay.ErrPending, networkFaults | sendExits, func(ctx context.Context, c *unionpay.Client) error {
			_, err := c.Collect(ctx, cardReq())
			return err
		}},
		{"Payout", unionpay.ErrPending, networkFaults | sendExits, func(ctx context.Context, c *unionpay.Client) error {
			_, err := c.Payout(ctx, cardReq())
			return err
		}},
		{"QRConsume", unionpay.ErrPending, networkFaults | sendExits, func(ctx context.Context, c *unionpay.Client) error {
			_, err := c.QRConsume(ctx, qrConsumeReq())
			return err
		}},
		{"ApplyQRCode", unionpay.ErrPending, sendExits, func(ctx context.Context, c *unionpay.Client) error {
			_, err := c.ApplyQRCode(ctx, qrApplyReq())
			return err
		}},
		{"AppConsume", unionpay.ErrPending, sendExits, func(ctx context.Context, c *unionpay.Client) error {
			r := consumeReq()
			r.FrontURL = ""
			_, err := c.AppConsume(ctx, r)
			return err
		}},
		{"AppPreAuth", unionpay.ErrPending, sendExits, func(ctx context.Context, c *unionpay.Client) error {
			r := consumeReq()
			r.FrontURL = ""
			_, err := c.AppPreAuth(ctx, r)
			return err
		}},
		{"SubmitBatch", unionpay.ErrPending, networkFaults | sendExits, func(ctx context.Context, c *unionpay.Client) error {
			_, err := c.SubmitBatch(ctx, &unionpay.BatchRequest{Type: unionpay.BatchPayout, BatchNo: "0003", Records: batchRecords()})
			return err
		}},
		{"QueryUntilFinal", unionpay.ErrPending, 0, func(ctx context.Context, c *unionpay.Client) error {
			_, err := c.QueryUntilFinal(ctx, query, unionpay.Backoff{Delays: []time.Duration{0, time.Hour}})
			return err
		}},
		{"Query", nil, networkFaults, func(ctx context.Context, c *unionpay.Client) error {
			_, err := c.Query(ctx, query)
			return err
		}},
		{"QueryOpen", nil, 0, func(ctx context.Context, c *unionpay.Client) error {
			_, err := c.QueryOpen(ctx, &unionpay.OpenQueryRequest{OrderID: testOrder, TxnTime: testNow})
			return err
		}},
		{"QueryBatch", nil, 0, func(ctx context.Context, c *unionpay.Client) error {
			_, err := c.QueryBatch(ctx, &unionpay.BatchQueryRequest{Type: unionpay.BatchPayout, BatchNo: "0003", TxnTime: testNow})
			return err
		}},
		{"DownloadFile", nil, networkFaults, func(ctx context.Context, c *unionpay.Client) error {
			_, err := c.DownloadFile(ctx, &unionpay.FileRequest{SettleDate: testNow})
			return err
		}},
		{"DownloadFileTo", nil, networkFaults, func(ctx context.Context, c *unionpay.Client) error {
			_, err := c.DownloadFileTo(ctx, &unionpay.FileRequest{SettleDate: testNow}, io.Discard)
			return err
		}},
		{"UpdateEncryptionCertificate", nil, 0, func(ctx context.Context, c *unionpay.Client) error {
			_, err := c.UpdateEncryptionCertificate(ctx)
			return err
		}},
		{"RealNameAuth", nil, 0, func(ctx context.Context, c *unionpay.Client) error {
			_, err := c.RealNameAuth(ctx, accountReq())
			return err
		}},
		{"SendSMS", nil, 0, func(ctx context.Context, c *unionpay.Client) error {
			_, err := c.SendSMS(ctx, accountReq())
			return err
		}},
		{"OpenCard", nil, 0, func(ctx context.Context, c *unionpay.Client) error {
			_, err := c.OpenCard(ctx, accountReq())
			return err
		}},
		{"DeleteToken", nil, 0, func(ctx context.Context, c *unionpay.Client) error {
			_, err := c.DeleteToken(ctx, tokenDeleteReq())
			return err
		}},
		{"UpdateToken", nil, 0, func(ctx context.Context, c *unionpay.Client) error {
			_, err := c.UpdateToken(ctx, tokenUpdateReq())
			return err
		}},
	}
}

// TestInFlightCallsListEveryContextMethod: inFlightCalls names every method of *Client whose
// first parameter is a context.Context, so that a new one is cancelled in flight too.
func TestInFlightCallsListEveryContextMethod(t *testing.T) {
	t.Parallel()
	listed := map[string]bool{}
	for _, c := range inFlightCalls() {
		listed[c.method] = true
		if c.also&sendExits != 0 {
			assert.ErrorIs(t, c.outcome, unionpay.ErrPending, "%s is marked sendExits: it moves money", c.method)
		}
	}
	ctxType := reflect.TypeFor[context.Context]()
	ct := reflect.TypeFor[*unionpay.Client]()
	n := 0
	for i := range ct.NumMethod() {
		m := ct.Method(i)
		if m.Type.NumIn() > 1 && m.Type.In(1) == ctxType {
			n++
			assert.True(t, listed[m.Name], "Client.%s takes a ctx: add it to inFlightCalls", m.Name)
		}
	}
	assert.Equal(t, len(listed), n, "inFlightCalls lists a method that takes no ctx, or one twice")
}

// TestEveryCallCancelledInFlight: every call that does I/O, its ctx cancelled or its deadline
// passed while the gateway holds the request it has read, returns within a second of the ctx's
// end, whatever the gateway does, with an error matching the ctx's. A call that moves money (and
// QueryUntilFinal) is then pending, never "not sent" nor a rejection (*Error): the request may
// have been acted on, so the caller must query, not report it failed or send it again. Nothing
// is sent twice, and no goroutine is left once the gateway is closed. It counts goroutines: no
// t.Parallel.
func TestEveryCallCancelledInFlight(t *testing.T) {
	base := runtime.NumGoroutine()
	func() {
		var hits, held atomic.Int32
		srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			_, _ = io.Copy(io.Discard, r.Body)
			hits.Add(1)
			held.Add(1)
			defer held.Add(-1)
			<-r.Context().Done() // a gateway that never answers, until the client hangs up
		}))
		defer srv.Close()
		c, err := unionpay.NewClient(testConfig(t, srv.URL))
		require.NoError(t, err)
		defer c.CloseIdleConnections()
		for _, call := range inFlightCalls() {
			for _, end := range []error{context.Canceled, context.DeadlineExceeded} {
				t.Run(call.method+"/"+end.Error(), func(t *testing.T) {
					require.Eventually(t, func() bool { return held.Load() == 0 }, 5*time.Second, time.Millisecond,
						"the gateway still holds the last call's request")
					hits.Store(0)
					var ended atomic.Int64 // when ctx ended (endWhen ends it once this reports true), in UnixNano
					ctx, cancel := endWhen(context.Background(), end, func() bool {
						if held.Load() == 0 {
							return false
						}
						ended.Store(time.Now().UnixNano())
						return true
					})
					defer cancel()
					done := make(chan error, 1)
					go func() { done <- call.do(ctx, c) }()
					var err error
					select {
					case err = <-done:
					case <-time.After(10 * time.Second):
						t.Fatal("the call did not end with its ctx")
					}
					returned := time.Now()
					require.NotZero(t, ended.Load(), "the call ended before its ctx: %v", err)
					assert.Less(t, returned.Sub(time.Unix(0, ended.Load())), 2*time.Second, "returned late after ctx ended")
					require.ErrorIs(t, err, end)
					assert.EqualValues(t, 1, hits.Load(), "the request reached the gateway once")
					assert.NotErrorIs(t, err, unionpay.ErrNotSent, "the gateway had the request: %v", err)
					if call.outcome != nil {
						assert.ErrorIs(t, err, call.outcome, "its outcome is unknown")
						var ue *unionpay.Error
						assert.False(t, errors.As(err, &ue), "a request lost to its ctx must not read as refused: %v", err)
					} else {
						assert.NotErrorIs(t, err, unionpay.ErrPending, "it moves no money: %v", err)
					}
					require.Eventually(t, func() bool { return held.Load() == 0 }, 5*time.Second, time.Millisecond,
						"the gateway still holds the request: the client did not hang up")
				})
			}
		}
	}()
	goroutinetest.Settle(t, base, 5*time.Second)
}

// TestEveryCallRefusesNilContext: every method that takes a ctx, the five TestNilContext does not
// name (QRConsume, ApplyQRCode, QueryOpen, DeleteToken, UpdateToken) included, refuses a nil one
// with a *RequestError naming ctx, never a pending outcome, and sends nothing.
func TestEveryCallRefusesNilContext(t *testing.T) {
	t.Parallel()
	g := newGateway(t, queryAnswer("00", "00"))
	c := newTestClient(t, g)
	var nilCtx context.Context
	for _, call := range inFlightCalls() {
		var err error
		require.NotPanics(t, func() { err = call.do(nilCtx, c) }, call.method)
		var re *unionpay.RequestError
		if assert.ErrorAs(t, err, &re, call.method) {
			assert.Equal(t, "ctx", re.Field, call.method)
		}
		assert.NotErrorIs(t, err, unionpay.ErrPending, call.method)
	}
	assert.Zero(t, g.count())
}

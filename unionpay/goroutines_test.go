package unionpay_test

import (
	"context"
	"io"
	"net/http"
	"net/http/httptest"
	"net/http/httptrace"
	"runtime"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/goacp/unionpay/internal/goroutinetest"
	"github.com/goacp/unionpay/unionpay"
	"github.com/goacp/unionpay/unionpay/unionpaytest"
)

// These tests count goroutines against a baseline (goroutinetest.Settle): they do not call
// t.Parallel.

// TestEveryCallLeavesNoGoroutine runs every kind of call once against the fake gateway (the
// matrix's transactions with their front forms paid, and the QR code, open and batch queries),
// then closes the client's idle connections and the gateway: the goroutine count comes back to
// its baseline.
func TestEveryCallLeavesNoGoroutine(t *testing.T) {
	base := runtime.NumGoroutine()
	func() {
		e, closeAll := concE2E(t)
		defer closeAll()
		ctx := context.Background()
		for _, op := range matrixOps() {
			_ = op.setup(t, e)(ctx, e.order("GR"))
		}
		_, err := e.c.FrontOpenCard(e.tokenOpenReq("GROPEN"))
		require.NoError(t, err)
		open, err := e.c.OpenCard(ctx, &unionpay.AccountRequest{OrderID: e.order("GROPENB"), AccNo: unionpaytest.TestCard})
		require.NoError(t, err)
		_, err = e.c.QueryOpen(ctx, &unionpay.OpenQueryRequest{OrderID: open.OrderID, TxnTime: open.TxnTime})
		require.NoError(t, err)
		_, err = e.c.ApplyQRCode(ctx, &unionpay.QRCodeRequest{OrderID: e.order("GRQR"), Amount: 100, BackURL: e.inbox.URL()})
		require.NoError(t, err)
		b, err := e.c.SubmitBatch(ctx, &unionpay.BatchRequest{Type: unionpay.BatchPayout, BatchNo: "0901",
			Records: []unionpay.BatchRecord{{OrderID: e.order("GRBAT"), Amount: 100, AccType: "01",
				AccNo: unionpaytest.TestCard, CustomerName: "互联网"}}})
		require.NoError(t, err)
		_, err = e.c.QueryBatch(ctx, &unionpay.BatchQueryRequest{Type: unionpay.BatchPayout, BatchNo: "0901", TxnTime: b.TxnTime})
		require.NoError(t, err)
		require.NoError(t, e.srv.WaitNotifications(ctx))
	}()
	goroutinetest.Settle(t, base, 5*time.Second)
}

// TestCancelledReadsEndPromptly: a settlement file whose answer stalls after its first bytes,
// and a QueryUntilFinal asleep between queries, end within a short bound of their ctx's
// cancellation, with an error matching context.Canceled, and leave no goroutine behind.
func TestCancelledReadsEndPromptly(t *testing.T) {
	base := runtime.NumGoroutine()
	func() {
		release := make(chan struct{})
		srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			_, _ = io.Copy(io.Discard, r.Body)
			w.Header().Set("Content-Length", "100000")
			w.WriteHeader(http.StatusOK)
			_, _ = io.WriteString(w, "respCode=00&fileContent=")
			w.(http.Flusher).Flush()
			select {
			case <-release:
			case <-r.Context().Done():
			}
		}))
		defer srv.Close()
		defer close(release)
		c, err := unionpay.NewClient(testConfig(t, srv.URL))
		require.NoError(t, err)
		defer c.CloseIdleConnections()

		for _, tc := range []struct {
			name string
			call func(ctx context.Context) error
			// started reports, once the call is where the test means to cancel it, nil before.
			started func(ctx context.Context) (context.Context, func() bool)
		}{
			{"DownloadFile reading the body", func(ctx context.Context) error {
				_, err := c.DownloadFile(ctx, &unionpay.FileRequest{SettleDate: testNow})
				return err
			}, func(ctx context.Context) (context.Context, func() bool) {
				var got atomic.Bool
				ctx = httptrace.WithClientTrace(ctx, &httptrace.ClientTrace{GotFirstResponseByte: func() { got.Store(true) }})
				return ctx, got.Load
			}},
			{"QueryUntilFinal asleep", func(ctx context.Context) error {
				_, err := c.QueryUntilFinal(ctx, &unionpay.QueryRequest{OrderID: testOrder, TxnTime: testNow},
					unionpay.Backoff{Delays: []time.Duration{time.Hour}})
				return err
			}, func(ctx context.Context) (context.Context, func() bool) {
				return ctx, func() bool { return true } // the first thing it does is sleep an hour
			}},
		} {
			t.Run(tc.name, func(t *testing.T) {
				ctx, cancel := context.WithCancel(context.Background())
				defer cancel()
				ctx, started := tc.started(ctx)
				done := make(chan error, 1)
				go func() { done <- tc.call(ctx) }()
				require.Eventually(t, started, 10*time.Second, time.Millisecond)
				time.Sleep(20 * time.Millisecond) // inside the read or the sleep
				cancelled := time.Now()
				cancel()
				select {
				case err := <-done:
					assert.Less(t, time.Since(cancelled), time.Second)
					assert.ErrorIs(t, err, context.Canceled, "%v", err)
				case <-time.After(10 * time.Second):
					t.Fatal("the call did not end on its ctx's cancellation")
				}
			})
		}
	}()
	goroutinetest.Settle(t, base, 5*time.Second)
}

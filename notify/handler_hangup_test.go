package notify_test

import (
	"context"
	"io"
	"log/slog"
	"net"
	"net/http"
	"net/http/httptest"
	"runtime"
	"strconv"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/goacp/unionpay/internal/goroutinetest"
	"github.com/goacp/unionpay/internal/logtest"
	"github.com/goacp/unionpay/notify"
)

// TestHandlerHangUpCancelsOnNotify: OnNotify receives the request's context, which ends, as the
// Handler's doc says, when UnionPay hangs up: an OnNotify that waits on ctx (a store call that
// honours it) returns within a second of the hang-up with an error matching context.Canceled,
// ServeHTTP returns, the OnNotify failure is still logged (with a ctx not cancelled), and no
// goroutine is left while the server keeps running. Counts goroutines: no t.Parallel.
func TestHandlerHangUpCancelsOnNotify(t *testing.T) {
	p := testPKI()
	body := encode(t, signWith(t, p.leaf, consumeFields("HANGUP0001")))
	started := make(chan struct{}, 1)
	ended := make(chan error, 1)
	var logs logtest.Buffer
	h := &notify.Handler{Verifier: p.verifier(t),
		Logger: slog.New(slog.NewTextHandler(&logs, logtest.Untimed())),
		OnNotify: func(ctx context.Context, _ *notify.Notification) error {
			started <- struct{}{}
			select {
			case <-ctx.Done():
			case <-time.After(10 * time.Second):
			}
			ended <- ctx.Err()
			return ctx.Err()
		}}
	served := make(chan struct{}, 1)
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		h.ServeHTTP(w, r)
		served <- struct{}{}
	}))
	defer srv.Close()
	base := runtime.NumGoroutine()

	c, err := net.Dial("tcp", srv.Listener.Addr().String())
	require.NoError(t, err)
	_, err = io.WriteString(c, "POST /notify HTTP/1.1\r\nHost: shop\r\n"+
		"Content-Type: application/x-www-form-urlencoded;charset=UTF-8\r\n"+
		"Content-Length: "+strconv.Itoa(len(body))+"\r\n\r\n"+body)
	require.NoError(t, err)
	select {
	case <-started:
	case <-time.After(10 * time.Second):
		t.Fatal("OnNotify was not called")
	}
	hungUp := time.Now()
	require.NoError(t, c.Close()) // UnionPay gives up waiting for the answer
	select {
	case err := <-ended:
		assert.Less(t, time.Since(hungUp), 2*time.Second, "OnNotify's ctx ended late")
		assert.ErrorIs(t, err, context.Canceled)
	case <-time.After(10 * time.Second):
		t.Fatal("OnNotify's ctx did not end when the sender hung up")
	}
	select {
	case <-served:
		assert.Less(t, time.Since(hungUp), 2*time.Second, "ServeHTTP returned late")
	case <-time.After(10 * time.Second):
		t.Fatal("ServeHTTP did not return")
	}
	out := logs.String()
	assert.Contains(t, out, "OnNotify failed", "the failure is logged after the hang-up")
	assert.Contains(t, out, "context canceled")

	goroutinetest.Settle(t, base, 5*time.Second)
}

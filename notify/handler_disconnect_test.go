package notify_test

import (
	"context"
	"io"
	"net"
	"net/http/httptest"
	"runtime"
	"strconv"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/goacp/unionpay/internal/goroutinetest"
	"github.com/goacp/unionpay/notify"
)

// TestHandlerSenderGoneMidBody: senders that hang up after half the body (with and without
// Content-Length) reach no OnNotify, and the server's goroutines for them end while the server
// keeps running: the goroutine count comes back to the running server's. Counts goroutines: no
// t.Parallel.
func TestHandlerSenderGoneMidBody(t *testing.T) {
	p := testPKI()
	body := encode(t, signWith(t, p.leaf, consumeFields("ORDER20260601")))
	var called atomic.Int32
	h := &notify.Handler{Verifier: p.verifier(t), OnNotify: func(context.Context, *notify.Notification) error {
		called.Add(1)
		return nil
	}}
	srv := httptest.NewServer(h)
	defer srv.Close()
	base := runtime.NumGoroutine()
	for _, head := range []string{
		"Content-Length: " + strconv.Itoa(len(body)) + "\r\n\r\n" + body[:len(body)/2],
		"Transfer-Encoding: chunked\r\n\r\n" + strconv.FormatInt(int64(len(body)), 16) + "\r\n" + body[:len(body)/2],
	} {
		for range 20 {
			c, err := net.Dial("tcp", srv.Listener.Addr().String())
			require.NoError(t, err)
			_, err = io.WriteString(c, "POST /notify HTTP/1.1\r\nHost: shop\r\n"+
				"Content-Type: application/x-www-form-urlencoded;charset=UTF-8\r\n"+head)
			require.NoError(t, err)
			require.NoError(t, c.Close())
		}
	}
	goroutinetest.Settle(t, base, 5*time.Second)
	assert.Zero(t, called.Load(), "OnNotify called for a half body")
}

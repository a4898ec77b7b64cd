package unionpay

import (
	"context"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestDefaultHTTPClient: 30 s timeout, no cookie jar, TLS verification on, no redirects, and a
// caller's client is copied, not changed.
func TestDefaultHTTPClient(t *testing.T) {
	t.Parallel()
	hc := newResty(nil).GetClient()
	assert.Equal(t, 30*time.Second, hc.Timeout)
	assert.Nil(t, hc.Jar)
	nr, ok := hc.Transport.(noReplay)
	require.True(t, ok, "every transport is wrapped so that it cannot resend a request")
	tr, ok := nr.next.(*http.Transport)
	require.True(t, ok)
	require.NotNil(t, tr.Protocols)
	assert.True(t, tr.Protocols.HTTP1())
	assert.False(t, tr.Protocols.HTTP2(), "HTTP/2 resends requests whose stream was reset")
	require.NotNil(t, tr.TLSClientConfig)
	assert.False(t, tr.TLSClientConfig.InsecureSkipVerify)
	require.NotNil(t, hc.CheckRedirect)
	assert.ErrorIs(t, hc.CheckRedirect(nil, nil), http.ErrUseLastResponse)

	mine := &http.Client{Timeout: time.Second}
	got := newResty(mine).GetClient()
	assert.NotSame(t, mine, got)
	assert.Equal(t, time.Second, got.Timeout)
	assert.Nil(t, mine.CheckRedirect)

	// A given client without a Timeout (as an otelhttp wrapper is often made) gets the default
	// one: with a ctx without deadline, a call would otherwise wait as long as the connection
	// stays open. Found by an on-call review. The caller's client is left as it was.
	for _, timeout := range []time.Duration{0, -time.Second} {
		mine = &http.Client{Transport: http.DefaultTransport, Timeout: timeout}
		got = newResty(mine).GetClient()
		assert.Equal(t, defaultTimeout, got.Timeout, "given Timeout %v", timeout)
		assert.Equal(t, timeout, mine.Timeout)
	}
}

// TestCloseIdleConnections: a dropped client's pooled connections can be closed.
func TestCloseIdleConnections(t *testing.T) {
	var open atomic.Int32
	srv := httptest.NewUnstartedServer(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) { _, _ = io.WriteString(w, "x") }))
	srv.Config.ConnState = func(_ net.Conn, s http.ConnState) {
		switch s {
		case http.StateNew:
			open.Add(1)
		case http.StateClosed, http.StateHijacked:
			open.Add(-1)
		}
	}
	srv.Start()
	defer srv.Close()
	// The client's own transport, and a caller's client without Transport (http.DefaultTransport).
	for _, hc := range []*http.Client{nil, {Timeout: time.Minute}} {
		c := &Client{http: newResty(hc), cfg: Config{MaxResponseBytes: 1 << 10}}
		for range 3 {
			_, _, err := c.post(context.Background(), srv.URL, "a=1")
			require.NoError(t, err)
		}
		require.Equal(t, int32(1), open.Load(), "one kept-alive connection")
		c.CloseIdleConnections()
		require.Eventually(t, func() bool { return open.Load() == 0 }, 5*time.Second, 10*time.Millisecond)
	}
}

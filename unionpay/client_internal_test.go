package unionpay

import (
	"net/http"
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
}

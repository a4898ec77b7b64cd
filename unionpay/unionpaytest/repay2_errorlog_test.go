package unionpaytest_test

import (
	"io"
	"log"
	"net"
	"net/url"
	"os"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/goacp/unionpay/internal/logtest"
	"github.com/goacp/unionpay/unionpay/unionpaytest"
)

// TestErrorLogDiscarded: a connection cut during the TLS handshake is not logged to
// the standard logger (not parallel: it swaps the standard logger's output).
func TestErrorLogDiscarded(t *testing.T) {
	var buf logtest.Buffer
	log.SetOutput(&buf)
	defer log.SetOutput(os.Stderr)
	srv := unionpaytest.NewServer(keys(t))
	u, err := url.Parse(srv.URL)
	require.NoError(t, err)
	require.Equal(t, "https", u.Scheme)
	c, err := net.Dial("tcp", u.Host)
	require.NoError(t, err)
	_, _ = c.Write([]byte{0x16, 0x03, 0x01, 0x00, 0x01, 0x00}) // a truncated handshake record
	require.NoError(t, c.(*net.TCPConn).CloseWrite())
	_, _ = io.ReadAll(c) // the server logs the handshake error, then closes the connection
	require.NoError(t, c.Close())
	srv.Close()
	t.Logf("LOG: %q", buf.String())
	assert.NotContains(t, buf.String(), "TLS handshake error")
}

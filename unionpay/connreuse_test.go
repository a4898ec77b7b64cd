package unionpay_test

import (
	"context"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"sync/atomic"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/goacp/unionpay/unionpay"
)

// TestConnectionReusedAfterRefusedAnswer: a 200 answer the client refuses (unverified, a page
// instead of a message) is still read to its end, so that net/http keeps the connection: five
// such calls open one connection, not five (a TLS handshake each against UnionPay). An answer
// over MaxResponseBytes is not drained: its connection is dropped.
func TestConnectionReusedAfterRefusedAnswer(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		name string
		body string
		want error
	}{
		{"unverified", "respCode=00&respMsg=ok&signMethod=11&version=5.1.0&signature=forged", unionpay.ErrUnverified},
		{"page", "<html><body>blocked by policy</body></html>", nil},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			var conns atomic.Int64
			srv := httptest.NewUnstartedServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				_, _ = io.Copy(io.Discard, r.Body)
				_, _ = io.WriteString(w, tc.body)
			}))
			srv.Config.ConnState = func(_ net.Conn, s http.ConnState) {
				if s == http.StateNew {
					conns.Add(1)
				}
			}
			srv.Start()
			defer srv.Close()
			cfg := testConfig(t, srv.URL)
			c, err := unionpay.NewClient(cfg)
			require.NoError(t, err)
			defer c.CloseIdleConnections()
			for range 5 {
				_, err := c.Query(context.Background(), &unionpay.QueryRequest{OrderID: testOrder, TxnTime: testNow})
				require.Error(t, err)
				if tc.want != nil {
					require.ErrorIs(t, err, tc.want)
				}
			}
			assert.Equal(t, int64(1), conns.Load(), "connections opened for 5 calls")
		})
	}
}

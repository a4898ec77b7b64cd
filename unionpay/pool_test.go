package unionpay_test

import (
	"context"
	"net"
	"net/http"
	"net/http/httptest"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/goacp/unionpay/sign"
	"github.com/goacp/unionpay/unionpay"
)

// TestConnectionsReused: a Client made without Config.HTTPClient keeps enough idle connections
// per host for concurrent calls to reuse them. With net/http's default of two, eight workers
// opened a new connection (a TLS handshake, against UnionPay) for about a fifth of their queries.
func TestConnectionsReused(t *testing.T) {
	t.Parallel()
	g := newGateway(t, accept(sign.Fields{"origRespCode": "00", "origRespMsg": "success"}))
	var conns atomic.Int32
	srv := httptest.NewUnstartedServer(http.HandlerFunc(g.serve))
	srv.Config.ConnState = func(_ net.Conn, s http.ConnState) {
		if s == http.StateNew {
			conns.Add(1)
		}
	}
	srv.Start()
	t.Cleanup(srv.Close)
	c, err := unionpay.NewClient(testConfig(t, srv.URL))
	require.NoError(t, err)
	t.Cleanup(c.CloseIdleConnections)

	const workers, each = 8, 40
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	var wg sync.WaitGroup
	var failed atomic.Int32
	for range workers {
		wg.Go(func() {
			for range each {
				if _, err := c.Query(ctx, &unionpay.QueryRequest{OrderID: testOrder, TxnTime: testNow}); err != nil {
					failed.Add(1)
				}
			}
		})
	}
	wg.Wait()
	require.Zero(t, failed.Load())
	assert.LessOrEqual(t, conns.Load(), int32(2*workers), "new connections for %d queries", workers*each)
}

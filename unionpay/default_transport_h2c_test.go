package unionpay_test

import (
	"context"
	"net/http"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/goacp/unionpay/unionpay"
)

// TestReplacedDefaultTransportH2CStaysPending: a Config.HTTPClient without Transport, whose
// http.DefaultTransport the program replaced after NewClient with one that speaks HTTP/2 in clear
// (h2c, Protocols), is judged by that one at each call: a refund the gateway received in full,
// cancelled before the answer, is pending, as it is through the same transport given as
// HTTPClient.Transport (TestConcAuditHTTP2CancelAfterRequestArrivedIsPending), never "not sent".
//
// It swaps http.DefaultTransport, so it does not call t.Parallel.
func TestReplacedDefaultTransportH2CStaysPending(t *testing.T) { //nolint:paralleltest // swaps http.DefaultTransport
	orig := http.DefaultTransport
	t.Cleanup(func() { http.DefaultTransport = orig })
	srv, tr, got, proto := h2cServer(t)
	defer tr.CloseIdleConnections()

	cfg := testConfig(t, srv.URL)
	cfg.HTTPClient = &http.Client{} // no Transport: http.DefaultTransport
	c, err := unionpay.NewClient(cfg)
	require.NoError(t, err)
	http.DefaultTransport = tr // replaced after NewClient

	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	go func() { <-got; cancel() }()
	_, err = c.Refund(ctx, &unionpay.FollowUpRequest{OrderID: "REFUND0001", OrigQueryID: "782401051030000000011",
		Amount: 1, BackURL: testNotify})
	require.Equal(t, "HTTP/2.0", proto.Load())
	require.ErrorIs(t, err, context.Canceled)
	assert.ErrorIs(t, err, unionpay.ErrPending, "the gateway has the whole refund: its outcome is unknown (%v)", err)
	assert.NotErrorIs(t, err, unionpay.ErrNotSent)
}

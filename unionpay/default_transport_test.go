package unionpay_test

import (
	"context"
	"errors"
	"io"
	"net/http"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/goacp/unionpay/unionpay"
)

// TestReplacedDefaultTransportStaysPending: a Config.HTTPClient without Transport sends through
// http.DefaultTransport as it is at each call, which a program may replace after NewClient (a
// tracing or hedging layer installed at start-up, a library's init). A wrapper that detaches
// the request from its context silences the httptrace hooks the Client reads: a refund it sent
// and then gave up on must be pending, as it is when the wrapper was there before NewClient,
// never "not sent" (a refund sent again under a new orderId pays twice).
//
// It swaps http.DefaultTransport, so it does not call t.Parallel.
func TestReplacedDefaultTransportStaysPending(t *testing.T) { //nolint:paralleltest // swaps http.DefaultTransport
	orig := http.DefaultTransport
	inner, ok := orig.(*http.Transport)
	require.True(t, ok, "http.DefaultTransport is net/http's")
	inner = inner.Clone()
	t.Cleanup(func() {
		http.DefaultTransport = orig
		inner.CloseIdleConnections()
	})
	// detaching sends the request without its context (the Client's hooks stay silent), reads
	// the answer and reports a failure of its own, as a hedging layer past its own deadline.
	detaching := roundTripFunc(func(r *http.Request) (*http.Response, error) {
		resp, err := inner.RoundTrip(r.WithContext(context.Background()))
		if err != nil {
			return nil, err
		}
		_, _ = io.Copy(io.Discard, resp.Body)
		_ = resp.Body.Close()
		return nil, errors.New("hedge: gave up waiting")
	})
	for _, when := range []string{"before NewClient", "after NewClient"} {
		t.Run(when, func(t *testing.T) {
			var h hostile
			httpGateway(t, &h, func(w http.ResponseWriter, _ *http.Request) { _, _ = io.WriteString(w, "respCode=00") })
			cfg := testConfig(t, h.url)
			cfg.HTTPClient = &http.Client{} // no Transport: http.DefaultTransport
			http.DefaultTransport = orig
			if when == "before NewClient" {
				http.DefaultTransport = detaching
			}
			c, err := unionpay.NewClient(cfg)
			require.NoError(t, err)
			http.DefaultTransport = detaching
			defer func() { http.DefaultTransport = orig }()

			_, err = c.Refund(context.Background(), followUp())
			require.Error(t, err)
			assert.Equal(t, int32(1), h.hits.Load(), "the gateway has the refund")
			assert.ErrorIs(t, err, unionpay.ErrPending, "%v", err)
			assert.NotErrorIs(t, err, unionpay.ErrNotSent)
		})
	}
}

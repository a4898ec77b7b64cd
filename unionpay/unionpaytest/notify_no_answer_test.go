package unionpaytest_test

import (
	"context"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/goacp/unionpay/unionpay/unionpaytest"
)

// hungURL returns the URL of a backUrl that reads a notification and never answers it.
func hungURL(t *testing.T) string {
	t.Helper()
	hung := httptest.NewServer(http.HandlerFunc(func(_ http.ResponseWriter, r *http.Request) {
		_, _ = io.Copy(io.Discard, r.Body) // then the server sees the gateway hang up
		<-r.Context().Done()
	}))
	t.Cleanup(hung.Close)
	return hung.URL + "/notify"
}

// TestNotifyNoAnswer: a backUrl that did not answer within UnionPay's deadline (10 s, 2 s at the
// least under WithTimeScale) was reported as "context deadline exceeded", words of Go's, not of
// the merchant's. Now Notify's error and the Delivery say "no answer within 2s", naming the URL,
// and still wrap context.DeadlineExceeded and the transport's *url.Error; a deadline of the
// caller's own ctx is reported as it was.
func TestNotifyNoAnswer(t *testing.T) {
	t.Parallel()
	srv, c, _ := clientGateway(t, unionpaytest.WithTimeScale(1.0/3600), unionpaytest.WithNotifySchedule(1000*time.Hour))
	u := hungURL(t)
	_, err := c.BackConsume(context.Background(), rotationCard("NOANSWER01", u))
	require.NoError(t, err)

	err = srv.Notify(context.Background(), "NOANSWER01")
	require.ErrorIs(t, err, context.DeadlineExceeded)
	var ue *url.Error
	require.ErrorAs(t, err, &ue)
	assert.EqualError(t, err, "unionpaytest: notification to "+u+": no answer within 2s (UnionPay's deadline for a notification)")
	ds := srv.Deliveries()
	require.Len(t, ds, 1)
	require.ErrorIs(t, ds[0].Err, context.DeadlineExceeded)
	assert.EqualError(t, ds[0].Err, "no answer within 2s (UnionPay's deadline for a notification)")

	ctx, cancel := context.WithTimeout(context.Background(), 100*time.Millisecond)
	defer cancel()
	err = srv.Notify(ctx, "NOANSWER01")
	require.ErrorIs(t, err, context.DeadlineExceeded)
	assert.NotContains(t, err.Error(), "no answer within", "the caller's deadline, not UnionPay's")
}

package unionpay_test

import (
	"context"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/goacp/unionpay/sign"
	"github.com/goacp/unionpay/unionpay"
)

// TestReview14ErrorStatusStalledBody: a proxy answers 503, sends the start of its page and then
// stalls. Before the drain was added, the call returned the *StatusError at once; the drain must
// not make it wait for ctx (here 4 s; with no deadline and a caller's client without Timeout, it
// would wait for ever).
func TestReview14ErrorStatusStalledBody(t *testing.T) {
	release := make(chan struct{})
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		_, _ = io.Copy(io.Discard, r.Body)
		w.Header().Set("Content-Type", "text/html")
		w.Header().Set("Content-Length", "1000")
		w.WriteHeader(http.StatusServiceUnavailable)
		_, _ = io.WriteString(w, "<html><body>503")
		w.(http.Flusher).Flush()
		select {
		case <-release:
		case <-r.Context().Done():
		}
	}))
	defer srv.Close()
	defer close(release)
	cfg := testConfig(t, srv.URL)
	cfg.HTTPClient = &http.Client{} // a caller's client without Timeout
	c, err := unionpay.NewClient(cfg)
	require.NoError(t, err)
	ctx, cancel := context.WithTimeout(context.Background(), 4*time.Second)
	defer cancel()
	start := time.Now()
	_, err = c.Query(ctx, &unionpay.QueryRequest{OrderID: testOrder, TxnTime: testNow})
	var se *unionpay.StatusError
	require.ErrorAs(t, err, &se)
	assert.Less(t, time.Since(start), 2*time.Second, "the 503 waited for its stalled page")
}

// TestReview14ErrorStatusEndlessBody: a 502 whose page never ends is read up to the drain's
// bound, not until ctx ends.
func TestReview14ErrorStatusEndlessBody(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		_, _ = io.Copy(io.Discard, r.Body)
		w.WriteHeader(http.StatusBadGateway)
		chunk := []byte(strings.Repeat("<p>bad gateway</p>", 1000))
		for r.Context().Err() == nil {
			if _, err := w.Write(chunk); err != nil {
				return
			}
		}
	}))
	defer srv.Close()
	c, err := unionpay.NewClient(testConfig(t, srv.URL))
	require.NoError(t, err)
	ctx, cancel := context.WithTimeout(context.Background(), 4*time.Second)
	defer cancel()
	start := time.Now()
	_, err = c.Query(ctx, &unionpay.QueryRequest{OrderID: testOrder, TxnTime: testNow})
	var se *unionpay.StatusError
	require.ErrorAs(t, err, &se)
	assert.Less(t, time.Since(start), 2*time.Second, "the endless 502 page was read until ctx ended")
}

// TestReview14PageAfterWhitespaceOrBOM: a page is recognised after leading white space or a
// UTF-8 byte order mark, and the error quotes only its start.
func TestReview14PageAfterWhitespaceOrBOM(t *testing.T) {
	t.Parallel()
	for _, page := range []string{
		"\r\n  \t<html><body>blocked</body></html>",
		"\ufeff<?xml version=\"1.0\"?><error>denied</error>",
		"<html>" + strings.Repeat("x", 100000) + "</html>",
	} {
		g := newGateway(t, func(sign.Fields) reply { return reply{raw: page} })
		c := newTestClient(t, g)
		_, err := c.Query(context.Background(), &unionpay.QueryRequest{OrderID: testOrder, TxnTime: testNow})
		require.Error(t, err)
		assert.NotErrorIs(t, err, unionpay.ErrUnverified, "%q", page[:10])
		assert.Contains(t, err.Error(), "not a UnionPay message")
		assert.Less(t, len(err.Error()), 400, "the error quotes the whole page")
	}
}

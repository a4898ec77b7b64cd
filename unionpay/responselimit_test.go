package unionpay_test

import (
	"context"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"net/http/httptrace"
	"strconv"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/goacp/unionpay/unionpay"
)

// TestAnswerAnnouncedOverResponseLimit: an answer whose Content-Length is over
// Config.MaxResponseBytes is refused from its header, at once, the way its body would have
// been: the client neither waits for nor holds up to MaxResponseBytes of an answer it will
// refuse (here the body stalls after a few bytes; it had waited for the ctx's deadline). A
// settlement file still gets its advice, and a refund is pending.
func TestAnswerAnnouncedOverResponseLimit(t *testing.T) {
	t.Parallel()
	const limit = 1024
	release := make(chan struct{})
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		_, _ = io.Copy(io.Discard, r.Body)
		w.Header().Set("Content-Length", strconv.Itoa(limit+1))
		w.WriteHeader(http.StatusOK)
		_, _ = io.WriteString(w, "respCode=00&")
		w.(http.Flusher).Flush()
		select {
		case <-release:
		case <-r.Context().Done():
		}
	}))
	t.Cleanup(srv.Close)
	t.Cleanup(func() { close(release) })
	cfg := testConfig(t, srv.URL)
	cfg.MaxResponseBytes = limit
	c, err := unionpay.NewClient(cfg)
	require.NoError(t, err)
	t.Cleanup(c.CloseIdleConnections)
	for _, tt := range []struct {
		name    string
		do      func(context.Context) error
		advice  bool
		pending bool
	}{
		{"query", func(ctx context.Context) error {
			_, err := c.Query(ctx, &unionpay.QueryRequest{OrderID: testOrder, TxnTime: testNow})
			return err
		}, false, false},
		{"file download", func(ctx context.Context) error {
			_, err := c.DownloadFile(ctx, &unionpay.FileRequest{SettleDate: testNow})
			return err
		}, true, false},
		{"refund", func(ctx context.Context) error {
			_, err := c.Refund(ctx, followUp())
			return err
		}, false, true},
	} {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			// The bound counts from the answer's first byte: the time to sign and send the request
			// is the machine's load, not a wait for the body (it failed at 2.3 s under a CPU hog).
			// The ctx's deadline is far past the bound, so a client that waited for the body fails
			// on the bound, never on the deadline first.
			ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
			defer cancel()
			var firstByte atomic.Int64 // UnixNano of the answer's first byte
			ctx = httptrace.WithClientTrace(ctx, &httptrace.ClientTrace{GotFirstResponseByte: func() {
				firstByte.Store(time.Now().UnixNano())
			}})
			err := tt.do(ctx)
			require.NotZero(t, firstByte.Load(), "the answer's headers came: %v", err)
			assert.Less(t, time.Since(time.Unix(0, firstByte.Load())), 2*time.Second, "waited for the body of an answer over the limit")
			require.ErrorContains(t, err, "answer longer than MaxResponseBytes (1024)")
			assert.NotErrorIs(t, err, context.DeadlineExceeded)
			assert.Equal(t, tt.advice, strings.Contains(err.Error(), "raise Config.MaxResponseBytes"), "%v", err)
			assert.Equal(t, tt.pending, errors.Is(err, unionpay.ErrPending), "%v", err)
		})
	}
}

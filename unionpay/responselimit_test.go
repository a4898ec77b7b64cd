package unionpay_test

import (
	"bytes"
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
			assert.ErrorIs(t, err, unionpay.ErrResponseTooLarge)
			assert.Equal(t, 1, strings.Count(err.Error(), "unionpay: "), "said once, before the call's name: %v", err)
			assert.NotErrorIs(t, err, context.DeadlineExceeded)
			assert.Equal(t, tt.advice, strings.Contains(err.Error(), "raise Config.MaxResponseBytes"), "%v", err)
			assert.Equal(t, tt.pending, errors.Is(err, unionpay.ErrPending), "%v", err)
		})
	}
}

// TestAnswerAnnouncedAtResponseLimit: the limit is inclusive for an announced length as for a
// body read: an answer whose Content-Length is MaxResponseBytes exactly is read and verified, one
// announcing a byte more is refused from its header.
func TestAnswerAnnouncedAtResponseLimit(t *testing.T) {
	t.Parallel()
	const limit = 8192
	for _, tt := range []struct {
		name      string
		announced int64
		ok        bool
	}{
		{"at the limit", limit, true},
		{"one byte over", limit + 1, false},
	} {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			g := newGateway(t, accept(nil))
			c := newTestClient(t, g, func(cfg *unionpay.Config) {
				cfg.MaxResponseBytes = limit
				cfg.HTTPClient = &http.Client{Transport: announcedLength(tt.announced)}
			})
			res, err := c.Refund(context.Background(), followUp())
			if tt.ok {
				require.NoError(t, err)
				assert.Equal(t, "00", res.RespCode)
				return
			}
			require.ErrorContains(t, err, "answer longer than MaxResponseBytes (8192)")
			assert.ErrorIs(t, err, unionpay.ErrResponseTooLarge)
			assert.ErrorIs(t, err, unionpay.ErrPending)
		})
	}
}

// announcedLength is a transport whose answers announce that Content-Length, whatever their
// body's (shorter here: a client reads a body only up to what it announces).
type announcedLength int64

func (n announcedLength) RoundTrip(r *http.Request) (*http.Response, error) {
	resp, err := http.DefaultTransport.RoundTrip(r)
	if err == nil {
		resp.ContentLength = int64(n)
	}
	return resp, err
}

// TestAnswerAtResponseLimit: an answer of MaxResponseBytes exactly, of no announced length
// (chunked), is read and verified; one byte less of limit refuses it.
func TestAnswerAtResponseLimit(t *testing.T) {
	t.Parallel()
	g := newGateway(t, accept(nil))
	var size unannounced
	c := newTestClient(t, g, func(cfg *unionpay.Config) { cfg.HTTPClient = &http.Client{Transport: &size} })
	_, err := c.Refund(context.Background(), followUp())
	require.NoError(t, err)
	require.Positive(t, size.n.Load())
	for _, tt := range []struct {
		name  string
		limit int64
		ok    bool
	}{
		{"at the limit", size.n.Load(), true},
		{"one byte over", size.n.Load() - 1, false},
	} {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			c := newTestClient(t, g, func(cfg *unionpay.Config) {
				cfg.MaxResponseBytes = tt.limit
				cfg.HTTPClient = &http.Client{Transport: &unannounced{}}
			})
			res, err := c.Refund(context.Background(), followUp())
			if tt.ok {
				require.NoError(t, err)
				assert.Equal(t, "00", res.RespCode)
				return
			}
			require.ErrorContains(t, err, "answer longer than MaxResponseBytes")
		})
	}
}

// unannounced is a transport whose answers announce no Content-Length; n is the length of the
// last body.
type unannounced struct{ n atomic.Int64 }

func (u *unannounced) RoundTrip(r *http.Request) (*http.Response, error) {
	resp, err := http.DefaultTransport.RoundTrip(r)
	if err != nil {
		return nil, err
	}
	b, err := io.ReadAll(resp.Body)
	_ = resp.Body.Close()
	if err != nil {
		return nil, err
	}
	u.n.Store(int64(len(b)))
	resp.Body, resp.ContentLength = io.NopCloser(bytes.NewReader(b)), -1
	return resp, nil
}

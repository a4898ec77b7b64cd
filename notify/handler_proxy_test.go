package notify_test

import (
	"bytes"
	"compress/gzip"
	"context"
	"encoding/json"
	"io"
	"log/slog"
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/goacp/unionpay/notify"
)

// Trial "infra": notify.Handler behind a load balancer: re-chunked bodies, no Content-Length,
// a proxy's gzip, health checks, two pods at once, a stalled body, X-Forwarded-For.

// chunkReader hands out its data n bytes at a time (the LB re-chunking the body).
type chunkReader struct {
	data []byte
	n    int
}

func (c *chunkReader) Read(p []byte) (int, error) {
	if len(c.data) == 0 {
		return 0, io.EOF
	}
	k := min(c.n, len(p), len(c.data))
	copy(p, c.data[:k])
	c.data = c.data[k:]
	return k, nil
}

func infraServer(t *testing.T, h http.Handler) *httptest.Server {
	srv := httptest.NewServer(h)
	t.Cleanup(srv.Close)
	return srv
}

// TestInfraNotifyRechunked: a body re-chunked by a proxy (Transfer-Encoding: chunked, no
// Content-Length) in small chunks is read whole and accepted.
func TestInfraNotifyRechunked(t *testing.T) {
	t.Parallel()
	p := testPKI()
	body := encode(t, signWith(t, p.leaf, consumeFields("ORDER20260601")))
	var got atomic.Int32
	srv := infraServer(t, &notify.Handler{Verifier: p.verifier(t), OnNotify: func(context.Context, *notify.Notification) error {
		got.Add(1)
		return nil
	}})
	for _, n := range []int{1, 7, 1000} {
		req, err := http.NewRequest(http.MethodPost, srv.URL, &chunkReader{data: []byte(body), n: n})
		require.NoError(t, err)
		req.ContentLength = -1 // chunked
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded;charset=UTF-8")
		resp, err := srv.Client().Do(req)
		require.NoError(t, err)
		b, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		assert.Equal(t, http.StatusOK, resp.StatusCode, "chunks of %d: %s", n, b)
	}
	assert.EqualValues(t, 3, got.Load())
}

// TestInfraNotifyGzipFromProxy: a proxy that gzips the request body (Content-Encoding: gzip).
// Today: 400 and a Warn "notification rejected" that reads like a forgery; UnionPay resends, each
// copy refused the same way, until it gives up. The Handler should either decode it (bounded by
// MaxBytes) or refuse it with 415 naming Content-Encoding, so the proxy is found at once.
func TestInfraNotifyGzipFromProxy(t *testing.T) {
	t.Parallel()
	p := testPKI()
	body := encode(t, signWith(t, p.leaf, consumeFields("ORDER20260601")))
	var zipped bytes.Buffer
	zw := gzip.NewWriter(&zipped)
	_, _ = zw.Write([]byte(body))
	require.NoError(t, zw.Close())
	var logs bytes.Buffer
	h := &notify.Handler{Verifier: p.verifier(t), OnNotify: func(context.Context, *notify.Notification) error { return nil },
		Logger: slog.New(slog.NewTextHandler(&logs, nil))}
	r := newRequest(http.MethodPost, "/notify", zipped.String())
	r.Header.Set("Content-Encoding", "gzip")
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, r)
	t.Logf("status %d, log: %s", rec.Code, logs.String())
	if rec.Code != http.StatusOK {
		assert.Equal(t, http.StatusUnsupportedMediaType, rec.Code, "a gzipped body is not a bad signature")
		assert.Contains(t, logs.String(), "Content-Encoding")
	}
}

// TestInfraNotifyHealthChecks: a load balancer's GET and HEAD health checks to the notify path
// are answered 405, and each is logged at Warn as "notification rejected": with a check every
// few seconds per pod, the Warn stream that should show forgeries and misconfigured Verifiers
// is mostly health checks.
func TestInfraNotifyHealthChecks(t *testing.T) {
	t.Parallel()
	p := testPKI()
	var logs bytes.Buffer
	h := &notify.Handler{Verifier: p.verifier(t), OnNotify: func(context.Context, *notify.Notification) error { return nil },
		Logger: slog.New(slog.NewTextHandler(&logs, &slog.HandlerOptions{Level: slog.LevelWarn}))}
	srv := infraServer(t, h)
	for _, m := range []string{http.MethodGet, http.MethodHead} {
		req, _ := http.NewRequest(m, srv.URL+"/unionpay/notify", nil)
		req.Header.Set("User-Agent", "kube-probe/1.31")
		resp, err := srv.Client().Do(req)
		require.NoError(t, err)
		resp.Body.Close()
		assert.Equal(t, http.StatusMethodNotAllowed, resp.StatusCode)
		assert.Equal(t, "POST", resp.Header.Get("Allow"))
	}
	assert.Empty(t, logs.String(), "a health check is not a rejected notification worth a Warn")
}

// TestInfraNotifyTwoPodsAtOnce: the same notification delivered to two Handler instances (two
// pods) at the same moment, the store doing the documented conditional update: applied once,
// both answered 200.
func TestInfraNotifyTwoPodsAtOnce(t *testing.T) {
	t.Parallel()
	p := testPKI()
	body := encode(t, signWith(t, p.leaf, consumeFields("ORDER20260601")))
	// The shared database: UPDATE orders SET state='paid' WHERE key=? AND state='pending'.
	var mu sync.Mutex
	state := map[string]string{}
	var applied, ignored atomic.Int32
	onNotify := func(_ context.Context, n *notify.Notification) error {
		mu.Lock()
		defer mu.Unlock()
		if state[n.Key()] == "" {
			state[n.Key()] = "paid"
			applied.Add(1)
		} else {
			ignored.Add(1)
		}
		return nil
	}
	pods := []*httptest.Server{
		infraServer(t, &notify.Handler{Verifier: p.verifier(t), OnNotify: onNotify}),
		infraServer(t, &notify.Handler{Verifier: p.verifier(t), OnNotify: onNotify}),
	}
	for range 20 {
		var wg sync.WaitGroup
		codes := make([]int, len(pods))
		for i, pod := range pods {
			wg.Go(func() {
				resp, err := pod.Client().Post(pod.URL, "application/x-www-form-urlencoded;charset=UTF-8", strings.NewReader(body))
				if err == nil {
					codes[i] = resp.StatusCode
					resp.Body.Close()
				}
			})
		}
		wg.Wait()
		assert.Equal(t, []int{200, 200}, codes)
	}
	assert.EqualValues(t, 1, applied.Load())
	assert.EqualValues(t, 39, ignored.Load())
}

// TestInfraNotifyStalledBody: a client that sends the headers and half the body, then nothing.
// Against a server configured as the examples configure theirs (ReadHeaderTimeout only) the
// Handler is still reading when the test stops waiting: nothing in the Handler bounds the read
// (Handler's doc). With http.Server.ReadTimeout set, as that doc says to, the read fails and the
// Handler answers 400 without calling OnNotify.
func TestInfraNotifyStalledBody(t *testing.T) {
	t.Parallel()
	p := testPKI()
	body := encode(t, signWith(t, p.leaf, consumeFields("ORDER20260601")))
	for _, tt := range []struct {
		name        string
		readTimeout time.Duration
		wait        time.Duration
		want        int // the Handler's answer; 0: still reading after wait
	}{
		{name: "ReadHeaderTimeout only", wait: 500 * time.Millisecond},
		{name: "ReadTimeout", readTimeout: time.Second, wait: 10 * time.Second, want: http.StatusBadRequest},
	} {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			done := make(chan int, 1)
			var calls atomic.Int32
			h := &notify.Handler{Verifier: p.verifier(t), OnNotify: func(context.Context, *notify.Notification) error {
				calls.Add(1)
				return nil
			}}
			srv := httptest.NewUnstartedServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				rec := &statusRecorder{ResponseWriter: w}
				h.ServeHTTP(rec, r)
				done <- rec.code
			}))
			srv.Config.ReadHeaderTimeout = 10 * time.Second // as examples/webshop and examples/quickstart
			srv.Config.ReadTimeout = tt.readTimeout
			srv.Start()
			defer srv.Close()
			c, err := net.Dial("tcp", srv.Listener.Addr().String())
			require.NoError(t, err)
			defer c.Close()
			_, err = io.WriteString(c, "POST / HTTP/1.1\r\nHost: x\r\nContent-Type: application/x-www-form-urlencoded\r\n"+
				"Content-Length: "+itoa(len(body))+"\r\n\r\n"+body[:len(body)/2])
			require.NoError(t, err)
			got := 0
			select {
			case got = <-done:
			case <-time.After(tt.wait):
			}
			assert.Equal(t, tt.want, got, "the Handler's answer after %v (0: still reading)", tt.wait)
			assert.Zero(t, calls.Load(), "OnNotify called with half a body")
		})
	}
}

type statusRecorder struct {
	http.ResponseWriter
	code int
}

func (s *statusRecorder) WriteHeader(code int) { s.code = code; s.ResponseWriter.WriteHeader(code) }

// Unwrap lets http.ResponseController reach the connection, as through any middleware's writer.
func (s *statusRecorder) Unwrap() http.ResponseWriter { return s.ResponseWriter }

func itoa(n int) string {
	var b [20]byte
	i := len(b)
	for {
		i--
		b[i] = byte('0' + n%10)
		if n /= 10; n == 0 {
			return string(b[i:])
		}
	}
}

// TestInfraNotifyForwardedFor: behind a load balancer, r.RemoteAddr is the balancer's address.
// A rejected message's record names only that as "remote": the sender's address, which the
// balancer put in X-Forwarded-For, is lost for the forensics the "claimed" group is there for.
func TestInfraNotifyForwardedFor(t *testing.T) {
	t.Parallel()
	p := testPKI()
	var logs bytes.Buffer
	h := &notify.Handler{Verifier: p.verifier(t), OnNotify: func(context.Context, *notify.Notification) error { return nil },
		Logger: slog.New(slog.NewTextHandler(&logs, nil))}
	f := signWith(t, p.leaf, consumeFields("ORDER20260601"))
	f["txnAmt"] = "1" // tampered
	r := newRequest(http.MethodPost, "/notify", encode(t, f))
	r.RemoteAddr = "10.0.0.7:41234" // the load balancer
	r.Header.Set("X-Forwarded-For", "203.0.113.9, 10.0.0.7")
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, r)
	require.Equal(t, http.StatusBadRequest, rec.Code)
	t.Log(logs.String())
	assert.Contains(t, logs.String(), "203.0.113.9", "the forwarded-for chain (unverified) should be in the record")
}

// TestReview14ForwardedForKeepsTheProxysEntry: X-Forwarded-For is appended to by each proxy, so
// its last entries are the ones the merchant's own load balancer wrote and its first are
// whatever the sender claimed. A forger that sends a long X-Forwarded-For of its own must not
// push the address the load balancer saw out of the record: the cut must keep the tail.
func TestReview14ForwardedForKeepsTheProxysEntry(t *testing.T) {
	t.Parallel()
	p := testPKI()
	var logs bytes.Buffer
	h := &notify.Handler{Verifier: p.verifier(t), OnNotify: func(context.Context, *notify.Notification) error { return nil },
		Logger: slog.New(slog.NewTextHandler(&logs, nil))}
	f := signWith(t, p.leaf, consumeFields("ORDER20260601"))
	f["txnAmt"] = "1" // tampered: a forgery
	r := newRequest(http.MethodPost, "/notify", encode(t, f))
	r.RemoteAddr = "10.0.0.7:41234" // the load balancer
	claimed := strings.Repeat("198.51.100.1, ", 10)
	r.Header.Set("X-Forwarded-For", claimed+"203.0.113.9") // the load balancer appended the real peer
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, r)
	require.Equal(t, http.StatusBadRequest, rec.Code)
	assert.Contains(t, logs.String(), "203.0.113.9", "the address the load balancer saw was cut off: %s", logs.String())

	// A proxy may add its entry as a header line of its own: every line is logged, in order.
	logs.Reset()
	r = newRequest(http.MethodPost, "/notify", encode(t, f))
	r.Header["X-Forwarded-For"] = []string{"198.51.100.1", "203.0.113.9"}
	h.ServeHTTP(httptest.NewRecorder(), r)
	assert.Contains(t, logs.String(), "198.51.100.1, 203.0.113.9", logs.String())
}

// TestReview14ContentEncodingIdentity: "identity" (any case, padded) and an empty
// Content-Encoding are no encoding: the notification is accepted; anything else is 415, and the
// value the error names is cut and printable.
func TestReview14ContentEncodingIdentity(t *testing.T) {
	t.Parallel()
	p := testPKI()
	body := encode(t, signWith(t, p.leaf, consumeFields("ORDER20260601")))
	for _, tc := range []struct {
		ce   []string
		want int
	}{
		{[]string{"identity"}, http.StatusOK},
		{[]string{" Identity "}, http.StatusOK},
		{[]string{""}, http.StatusOK},
		{[]string{"identity", "br"}, http.StatusUnsupportedMediaType},
		{[]string{"gzip"}, http.StatusUnsupportedMediaType},
	} {
		h := &notify.Handler{Verifier: p.verifier(t), OnNotify: func(context.Context, *notify.Notification) error { return nil }}
		r := newRequest(http.MethodPost, "/notify", body)
		r.Header["Content-Encoding"] = tc.ce
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, r)
		assert.Equal(t, tc.want, rec.Code, "Content-Encoding %q", tc.ce)
	}
	r := newRequest(http.MethodPost, "/notify", body)
	r.Header.Set("Content-Encoding", "x\xff\x1b"+strings.Repeat("z", 500))
	_, err := notify.ReadRequest(nil, r, p.verifier(t), 0)
	require.ErrorIs(t, err, notify.ErrContentEncoding)
	assert.Equal(t, http.StatusUnsupportedMediaType, notify.HTTPStatus(err))
	assert.NotContains(t, err.Error(), "\xff")
	assert.NotContains(t, err.Error(), "\x1b")
	assert.Less(t, len(err.Error()), 300, "the value is cut: %s", err)
}

// TestReview14ForwardedForPrintable: forwardedFor is made printable (tabs and obs-text bytes,
// which net/http lets through in a header value, become '?') and cut at 100 bytes.
func TestReview14ForwardedForPrintable(t *testing.T) {
	t.Parallel()
	p := testPKI()
	var logs bytes.Buffer
	h := &notify.Handler{Verifier: p.verifier(t), OnNotify: func(context.Context, *notify.Notification) error { return nil },
		Logger: slog.New(slog.NewJSONHandler(&logs, &slog.HandlerOptions{Level: slog.LevelDebug}))}
	r := newRequest(http.MethodGet, "/notify", "")
	r.Header.Set("X-Forwarded-For", "203.0.113.9\t\xff\xfe"+strings.Repeat("1", 200))
	h.ServeHTTP(httptest.NewRecorder(), r)
	var rec struct {
		ForwardedFor string `json:"forwardedFor"`
	}
	require.NoError(t, json.Unmarshal(logs.Bytes(), &rec), logs.String())
	for _, c := range []byte(strings.Trim(rec.ForwardedFor, ".")) {
		assert.True(t, c >= ' ' && c < 0x7f, "byte %#x in forwardedFor %q", c, rec.ForwardedFor)
	}
	assert.LessOrEqual(t, len(rec.ForwardedFor), 103, rec.ForwardedFor)
	assert.True(t, strings.HasPrefix(rec.ForwardedFor, "...") || strings.HasSuffix(rec.ForwardedFor, "..."),
		"a cut value says so: %q", rec.ForwardedFor)

	logs.Reset()
	exact := strings.Repeat("1", 100) // exactly the limit: not cut
	r = newRequest(http.MethodGet, "/notify", "")
	r.Header.Set("X-Forwarded-For", exact)
	h.ServeHTTP(httptest.NewRecorder(), r)
	require.NoError(t, json.Unmarshal(logs.Bytes(), &rec), logs.String())
	assert.Equal(t, exact, rec.ForwardedFor)
}

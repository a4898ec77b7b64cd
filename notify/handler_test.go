package notify_test

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/url"
	"runtime"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/goacp/unionpay/cert"
	"github.com/goacp/unionpay/internal/goroutinetest"
	"github.com/goacp/unionpay/internal/logtest"
	"github.com/goacp/unionpay/notify"
	"github.com/goacp/unionpay/sign"
)

type ctxKey struct{}

func TestHandlerAccepts(t *testing.T) {
	t.Parallel()
	p := testPKI()
	body := encode(t, signWith(t, p.leaf, consumeFields("ORDER20260601")))
	var got *notify.Notification
	h := &notify.Handler{Verifier: p.verifier(t), OnNotify: func(ctx context.Context, n *notify.Notification) error {
		assert.Equal(t, "request-scoped", ctx.Value(ctxKey{}), "OnNotify must get the request's context")
		got = n
		return nil
	}}
	r := newRequest(http.MethodPost, "/notify", body)
	r = r.WithContext(context.WithValue(r.Context(), ctxKey{}, "request-scoped"))
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, r)

	assert.Equal(t, http.StatusOK, rec.Code)
	assert.Equal(t, "ok", rec.Body.String())
	require.NotNil(t, got)
	assert.Equal(t, "ORDER20260601", got.OrderID)
	assert.Equal(t, int64(1000), got.TxnAmt)
	assert.Equal(t, notify.Succeeded, got.Status())
	require.NotNil(t, got.Signed)
	assert.Equal(t, sign.MethodRSA, got.Signed.Method)
	assert.Equal(t, p.leaf.cert.Raw, got.Signed.Certificate.Raw)
}

// The Handler reuses its read buffers: a Notification kept by OnNotify
// must not change when later notifications, of other lengths, are read.
func TestHandlerKeptNotificationsStayIntact(t *testing.T) {
	t.Parallel()
	p := testPKI()
	var kept []*notify.Notification
	h := &notify.Handler{Verifier: p.verifier(t), OnNotify: func(_ context.Context, n *notify.Notification) error {
		kept = append(kept, n)
		return nil
	}}
	var want []sign.Fields
	for i, orderID := range []string{"KEPT1", "KEPT2-LONGER-ORDER-ID", "K3", "KEPT4"} {
		f := consumeFields(orderID)
		f["txnAmt"] = fmt.Sprint(100 + i)
		f["reqReserved"] = strings.Repeat("r", 1+10*i)
		f = signWith(t, p.leaf, f)
		want = append(want, f)
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, newRequest(http.MethodPost, "/notify", encode(t, f)))
		require.Equal(t, http.StatusOK, rec.Code, rec.Body.String())
		// A rejected request in between reads into the same buffers.
		rec = httptest.NewRecorder()
		h.ServeHTTP(rec, newRequest(http.MethodPost, "/notify", encode(t, f)+"&extra=%41"))
		require.Equal(t, http.StatusBadRequest, rec.Code)
	}
	require.Len(t, kept, len(want))
	for i, n := range kept {
		assert.Equal(t, want[i], n.Raw, "notification %d", i)
		assert.Equal(t, want[i]["orderId"], n.OrderID)
		assert.Equal(t, int64(100+i), n.TxnAmt)
	}
}

func TestHandlerCallbackErrorIs500(t *testing.T) {
	t.Parallel()
	p := testPKI()
	body := encode(t, signWith(t, p.leaf, consumeFields("ORDER20260602")))
	h := &notify.Handler{Verifier: p.verifier(t), OnNotify: func(context.Context, *notify.Notification) error {
		return errors.New("database down")
	}}
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, newRequest(http.MethodPost, "/notify", body))
	assert.Equal(t, http.StatusInternalServerError, rec.Code)
}

// TestHandlerIgnoresQueryString: fields in the URL (a merchant's backUrl
// may carry a query string) neither break verification nor reach OnNotify.
func TestHandlerIgnoresQueryString(t *testing.T) {
	t.Parallel()
	p := testPKI()
	f := consumeFields("ORDER20260603")
	f["respCode"], f["respMsg"] = "61", "超出金额限制[1000061]"
	body := encode(t, signWith(t, p.leaf, f))
	var got *notify.Notification
	h := &notify.Handler{Verifier: p.verifier(t), OnNotify: func(_ context.Context, n *notify.Notification) error {
		got = n
		return nil
	}}
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, newRequest(http.MethodPost, "/notify?shop=7&respCode=00&txnAmt=1", body))

	require.Equal(t, http.StatusOK, rec.Code, rec.Body.String())
	require.NotNil(t, got)
	assert.Equal(t, "61", got.RespCode)
	assert.Equal(t, notify.Failed, got.Status())
	assert.Equal(t, int64(1000), got.TxnAmt)
	assert.NotContains(t, got.Raw, "shop")
}

// TestHandlerNotConfigured: a Handler missing its Verifier or OnNotify answers every
// notification 500, and Check, called at start-up, says which is missing.
func TestHandlerNotConfigured(t *testing.T) {
	t.Parallel()
	p := testPKI()
	body := encode(t, signWith(t, p.leaf, consumeFields("ORDER20260604")))
	onNotify := func(context.Context, *notify.Notification) error { return nil }
	for _, tt := range []struct {
		name string
		h    *notify.Handler
		want error
	}{
		{"no verifier", &notify.Handler{OnNotify: onNotify}, notify.ErrNoVerifier},
		{"zero verifier", &notify.Handler{Verifier: &cert.Verifier{}, OnNotify: onNotify}, notify.ErrNoVerifier},
		{"no callback", &notify.Handler{Verifier: p.verifier(t)}, notify.ErrNoOnNotify},
		{"neither: the Verifier is named first", &notify.Handler{}, notify.ErrNoVerifier},
		{"configured", &notify.Handler{Verifier: p.verifier(t), OnNotify: onNotify}, nil},
		// A nil *Handler (a field never set) is an error and a 500, not a panic.
		{"nil handler", nil, notify.ErrNoVerifier},
	} {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			err := tt.h.Check()
			rec := httptest.NewRecorder()
			tt.h.ServeHTTP(rec, newRequest(http.MethodPost, "/notify", body))
			if tt.want == nil {
				require.NoError(t, err)
				assert.Equal(t, http.StatusOK, rec.Code)
				return
			}
			require.ErrorIs(t, err, tt.want)
			if tt.h == nil {
				require.ErrorIs(t, err, notify.ErrNoOnNotify)
			}
			assert.Equal(t, http.StatusInternalServerError, rec.Code)
		})
	}
}

// TestHandlerLogsNoSecrets: whatever happens, the log holds no card number,
// signature or certificate, but does say which order was concerned.
func TestHandlerLogsNoSecrets(t *testing.T) {
	t.Parallel()
	p := testPKI()
	const pan = "6216261000000000018"
	f := consumeFields("ORDER20260605")
	f["accNo"] = pan
	signed := signWith(t, p.leaf, f)
	forged := signed.Clone()
	forged["txnAmt"] = "1"

	var buf bytes.Buffer
	var fail atomic.Bool
	h := &notify.Handler{
		Verifier: p.verifier(t),
		Logger:   slog.New(slog.NewTextHandler(&buf, func() *slog.HandlerOptions { o := logtest.Untimed(); o.Level = slog.LevelDebug; return o }())),
		OnNotify: func(_ context.Context, n *notify.Notification) error {
			assert.Equal(t, pan, n.AccNo)
			if fail.Load() {
				return errors.New("store unavailable")
			}
			return nil
		},
	}
	serve := func(fields sign.Fields) int {
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, newRequest(http.MethodPost, "/notify", encode(t, fields)))
		return rec.Code
	}
	assert.Equal(t, http.StatusOK, serve(signed))
	fail.Store(true)
	assert.Equal(t, http.StatusInternalServerError, serve(signed))
	assert.Equal(t, http.StatusBadRequest, serve(forged))

	log := buf.String()
	assert.Contains(t, log, "ORDER20260605")
	assert.Contains(t, log, "store unavailable")
	assert.Contains(t, log, "signature does not verify")
	assert.NotContains(t, log, pan)
	assert.NotContains(t, log, pan[6:15])
	assert.NotContains(t, log, signed["signature"][:16])
	assert.NotContains(t, log, "CERTIFICATE")
}

// TestHandlerBodyLength: a body without Content-Length is read to its end;
// a body that disagrees with its Content-Length is rejected, never cut to
// fit.
func TestHandlerBodyLength(t *testing.T) {
	t.Parallel()
	p := testPKI()
	body := encode(t, signWith(t, p.leaf, consumeFields("ORDER20260606")))
	tests := []struct {
		name   string
		body   string
		length int64
		want   int
	}{
		{"exact Content-Length", body, int64(len(body)), http.StatusOK},
		{"no Content-Length", body, -1, http.StatusOK},
		{"body longer than Content-Length", body + "&txnAmt=1", int64(len(body)), http.StatusBadRequest},
		{"body shorter than Content-Length", body, int64(len(body)) + 10, http.StatusBadRequest},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			calls := 0
			h := &notify.Handler{Verifier: p.verifier(t), OnNotify: func(context.Context, *notify.Notification) error {
				calls++
				return nil
			}}
			r := newRequest(http.MethodPost, "/notify", tt.body)
			r.Body = io.NopCloser(r.Body) // hide the reader's length
			r.ContentLength = tt.length
			rec := httptest.NewRecorder()
			h.ServeHTTP(rec, r)
			assert.Equal(t, tt.want, rec.Code)
			assert.Equal(t, tt.want == http.StatusOK, calls == 1)
		})
	}
}

// TestHandlerPromisedBodyHoldsNoMemory: a request whose Content-Length
// promises a large body (within MaxBytes) and which then sends a few bytes
// holds memory for what it sent, not for what it promised. The buffer used
// to be allocated at the promised size before any byte came, so idle
// connections could hold MaxBytes each.
func TestHandlerPromisedBodyHoldsNoMemory(t *testing.T) {
	p := testPKI()
	h := &notify.Handler{Verifier: p.verifier(t), MaxBytes: 256 << 20, OnNotify: func(context.Context, *notify.Notification) error {
		t.Error("OnNotify called")
		return nil
	}}
	r := newRequest(http.MethodPost, "/notify", "orderId=1")
	r.Body = io.NopCloser(r.Body)
	r.ContentLength = 200 << 20
	var before, after runtime.MemStats
	runtime.ReadMemStats(&before)
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, r)
	runtime.ReadMemStats(&after)
	assert.Equal(t, http.StatusBadRequest, rec.Code, "the body ended before Content-Length")
	assert.Less(t, after.TotalAlloc-before.TotalAlloc, uint64(1<<20), "bytes allocated for a 9-byte body")
}

// Concurrency audit (helper "audit-conc"): go test -race ./notify -run ConcAudit -count=1

// TestConcAuditHandlerParallel serves genuine, tampered, oversized and cancelled notifications
// from many clients at once through one Handler (pooled buffers, the Verifier's certificate
// cache and value cache, a Logger), under -race: every genuine one reaches OnNotify intact,
// and no goroutine is left once the server is closed.
func TestConcAuditHandlerParallel(t *testing.T) {
	base := runtime.NumGoroutine()
	p := testPKI()
	v := p.verifier(t)
	bodies := make([]string, 16)
	for i := range bodies {
		f := consumeFields(fmt.Sprintf("ORDER%08d", i))
		f["reqReserved"] = strings.Repeat("x", i*300+1) // bodies of many lengths
		bodies[i] = encode(t, signWith(t, p.leaf, f))
	}
	bad := tampered(t, func(f sign.Fields) { f["txnAmt"] = "1" })
	var mu sync.Mutex
	seen := map[string]int{}
	var logs bytes.Buffer
	var logMu sync.Mutex
	h := &notify.Handler{Verifier: v, Logger: slog.New(slog.NewTextHandler(lockedWriter{&logMu, &logs}, nil)),
		OnNotify: func(ctx context.Context, n *notify.Notification) error {
			if n.Raw["reqReserved"] != strings.Repeat("x", len(n.Raw["reqReserved"])) {
				t.Errorf("notification %s altered", n.OrderID)
			}
			mu.Lock()
			seen[n.OrderID]++
			mu.Unlock()
			return nil
		}}
	func() {
		srv := httptest.NewServer(h)
		defer srv.Close()
		client := srv.Client()
		defer client.CloseIdleConnections()
		var wg sync.WaitGroup
		for w := range 8 {
			wg.Go(func() {
				for i := range 40 {
					body := bodies[(w+i)%len(bodies)]
					want := http.StatusOK
					switch i % 5 {
					case 1:
						body, want = bad, http.StatusBadRequest
					case 2:
						body, want = strings.Repeat("a", notify.DefaultMaxBytes+1), http.StatusRequestEntityTooLarge
					case 3: // cancelled by the client mid-body: nothing to check but cleanup
						ctx, cancel := context.WithCancel(context.Background())
						pr, pw := io.Pipe()
						req, _ := http.NewRequestWithContext(ctx, http.MethodPost, srv.URL, pr)
						req.ContentLength = int64(len(body))
						go func() { _, _ = pw.Write([]byte(body[:len(body)/2])); cancel(); pw.Close() }()
						if resp, err := client.Do(req); err == nil {
							_, _ = io.Copy(io.Discard, resp.Body)
							resp.Body.Close()
						}
						continue
					}
					resp, err := client.Post(srv.URL, "application/x-www-form-urlencoded;charset=UTF-8", strings.NewReader(body))
					if !assert.NoError(t, err) {
						return
					}
					_, _ = io.Copy(io.Discard, resp.Body)
					resp.Body.Close()
					assert.Equal(t, want, resp.StatusCode)
				}
			})
		}
		wg.Wait()
	}()
	total := 0
	for _, n := range seen {
		total += n
	}
	assert.Equal(t, 8*40*2/5, total) // i%5 == 0 or 4
	goroutinetest.Settle(t, base, 5*time.Second)
}

type lockedWriter struct {
	mu *sync.Mutex
	w  io.Writer
}

func (l lockedWriter) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.w.Write(p)
}

// TestSecTrialProbes: attacks on the notification path from the penetration brief that the
// attack catalogue does not name. Each must be refused before OnNotify.
func TestSecTrialProbes(t *testing.T) {
	t.Parallel()
	p := testPKI()
	v := p.verifier(t)
	genuine := signWith(t, p.leaf, consumeFields("PROBE0001"))
	body := encode(t, genuine)
	withCert := func(pemText string) string {
		f := genuine.Clone()
		f["signPubKeyCert"] = pemText
		return encode(t, f)
	}
	probes := map[string]string{
		"two certificates in signPubKeyCert":   withCert(genuine["signPubKeyCert"] + "\r\n" + p.middle.pemCRLF()),
		"trailing junk after the PEM":          withCert(genuine["signPubKeyCert"] + "\r\nX"),
		"middle certificate as the leaf":       withCert(p.middle.pemCRLF()),
		"root certificate as the leaf":         withCert(p.root.pemCRLF()),
		"key differing in case added":          body + "&RespCode=00",
		"key with a trailing space":            body + "&respCode+=00",
		"percent-encoded duplicate key":        body + "&resp%43ode=00",
		"duplicate key with an empty value":    body + "&respCode=",
		"empty value first, then the real":     "txnAmt=&" + body,
		"BOM before the first key":             "\ufeff" + body,
		"semicolon separated extra pair":       body + ";respCode=00",
		"encoding switched to GBK":             strings.Replace(body, "encoding=UTF-8", "encoding=GBK", 1),
		"encoding lower case":                  strings.Replace(body, "encoding=UTF-8", "encoding=utf-8", 1),
		"respMsg re-encoded as GBK bytes":      strings.Replace(body, url.QueryEscape(genuine["respMsg"]), "%B3%C9%B9%A6%5B0000000%5D", 1),
		"signature with whitespace":            strings.Replace(body, "signature=", "signature=+", 1),
		"signMethod 21 without SM2 configured": strings.Replace(body, "signMethod=01", "signMethod=21", 1),
		"version 5.0.1 without signMethod":     strings.Replace(strings.Replace(body, "signMethod=01&", "", 1), "version=5.1.0", "version=5.0.1", 1),
		"version 5.1.0 with trailing space":    strings.Replace(body, "version=5.1.0", "version=5.1.0+", 1),
	}
	for name, b := range probes {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			var calls int
			h := &notify.Handler{Verifier: v, OnNotify: func(context.Context, *notify.Notification) error { calls++; return nil }}
			rec := httptest.NewRecorder()
			h.ServeHTTP(rec, newRequest(http.MethodPost, "/notify", b))
			assert.Equal(t, http.StatusBadRequest, rec.Code)
			assert.Zero(t, calls)
		})
	}
	t.Run("baseline accepted", func(t *testing.T) {
		_, err := notify.Parse(v, []byte(body))
		require.NoError(t, err)
	})
}

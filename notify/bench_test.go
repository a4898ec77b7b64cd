package notify_test

import (
	"context"
	"crypto"
	"crypto/rsa"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/goacp/unionpay/notify"
	"github.com/goacp/unionpay/sign"
)

// BenchmarkNotify compares, in one run, the Handler serving a notification
// (form decoding, certificate cache lookup, string to sign, two SHA-256,
// RSA-2048 verification, decoding, OnNotify, response) with the bare RSA
// verification it cannot avoid: rsa.VerifyPKCS1v15 over a precomputed
// digest. The steps in between are measured too, to show where the time
// goes. Everything runs on every core (b.RunParallel); the throughput ratio
// is raw ns/op divided by handler ns/op.
//
// Each sub-benchmark also reports cpu-ns/op, the process's CPU time per
// operation: on a machine shared with other work, wall-clock ns/op varies
// with the load while CPU time per operation, and so throughput per core,
// stays comparable.
func BenchmarkNotify(b *testing.B) {
	p := testPKI()
	signed := signWith(b, p.leaf, consumeFields("BENCH0001"))
	body := encode(b, signed)

	newHandler := func(b *testing.B) *notify.Handler {
		h := &notify.Handler{
			Verifier: p.verifier(b),
			OnNotify: func(context.Context, *notify.Notification) error { return nil },
		}
		warm := httptest.NewRecorder()
		h.ServeHTTP(warm, newBenchRequest(body))
		require.Equal(b, http.StatusOK, warm.Code, "warm-up: %s", warm.Body)
		return h
	}

	// The handler as a server calls it: a new *http.Request per
	// notification (the server's allocation, as net/http makes one per
	// request) and a response writer that, like the server's, is reused.
	serveAll := func(b *testing.B, h *notify.Handler) {
		b.ReportAllocs()
		b.ResetTimer()
		defer reportCPU(b)()
		b.RunParallel(func(pb *testing.PB) {
			serve := newServer(h, body)
			for pb.Next() {
				if err := serve(); err != nil {
					b.Error(err)
					return
				}
			}
		})
	}
	b.Run("handler", func(b *testing.B) { serveAll(b, newHandler(b)) })

	// The same with a Logger enabled at Warn, as in production: accepted notifications are not
	// logged (Info), but every body is copied first, for the claim of one that is refused.
	b.Run("handler-warn-logger", func(b *testing.B) {
		h := newHandler(b)
		h.Logger = slog.New(slog.NewTextHandler(io.Discard, &slog.HandlerOptions{Level: slog.LevelWarn}))
		serveAll(b, h)
	})

	// The same through httptest: a new ResponseRecorder (which copies the
	// header map and buffers the body) and request per notification.
	b.Run("handler-httptest", func(b *testing.B) {
		h := newHandler(b)
		b.ReportAllocs()
		b.ResetTimer()
		defer reportCPU(b)()
		b.RunParallel(func(pb *testing.PB) {
			for pb.Next() {
				rec := httptest.NewRecorder()
				h.ServeHTTP(rec, newBenchRequest(body))
				if rec.Code != http.StatusOK {
					b.Errorf("status %d", rec.Code)
					return
				}
			}
		})
	})

	// Where the handler's time goes beyond the RSA operation.
	// Each run decodes a fresh copy of the body (they consume it), as the
	// handler decodes the buffer it read.
	b.Run("sign.ParseFormCanonical", func(b *testing.B) {
		c := sign.NewValueCache("signPubKeyCert")
		b.ReportAllocs()
		defer reportCPU(b)()
		b.RunParallel(func(pb *testing.PB) {
			buf, dst := make([]byte, len(body)), make([]byte, 0, len(body))
			for pb.Next() {
				copy(buf, body)
				if _, _, err := c.ParseFormCanonical(buf, dst); err != nil {
					b.Error(err)
					return
				}
			}
		})
	})
	b.Run("cert.Verifier.VerifyForm", func(b *testing.B) {
		v := p.verifier(b)
		_, _, err := v.VerifyForm([]byte(body))
		require.NoError(b, err)
		b.ReportAllocs()
		b.ResetTimer()
		defer reportCPU(b)()
		b.RunParallel(func(pb *testing.PB) {
			buf := make([]byte, len(body))
			for pb.Next() {
				copy(buf, body)
				if _, _, err := v.VerifyForm(buf); err != nil {
					b.Error(err)
					return
				}
			}
		})
	})
	b.Run("notify.Parse", func(b *testing.B) {
		v := p.verifier(b)
		raw := []byte(body)
		_, err := notify.Parse(v, raw)
		require.NoError(b, err)
		b.ReportAllocs()
		b.ResetTimer()
		defer reportCPU(b)()
		b.RunParallel(func(pb *testing.PB) {
			for pb.Next() {
				if _, err := notify.Parse(v, raw); err != nil {
					b.Error(err)
					return
				}
			}
		})
	})

	b.Run("raw-rsa-verify", func(b *testing.B) {
		verify := rawVerifier(b, p, signed)
		b.ReportAllocs()
		b.ResetTimer()
		defer reportCPU(b)()
		b.RunParallel(func(pb *testing.PB) {
			for pb.Next() {
				if err := verify(); err != nil {
					b.Error(err)
					return
				}
			}
		})
	})
}

// BenchmarkNotifyRatio measures the throughput ratio of BenchmarkNotify with
// the two sides interleaved: on every core (b.RunParallel) each iteration
// serves one notification through the Handler and does one raw
// rsa.VerifyPKCS1v15, alternating which goes first, and times each. It
// reports ratio = median raw time / median handler time (target >= 0.8),
// and the two medians. On a shared, loaded machine separate benchmarks
// drift apart by tens of percent between runs; interleaving exposes both
// sides to the same load, and medians discard the operations hit by
// descheduling. (Background garbage collection, which medians also tend to
// discard, costs the handler about 2%: compare BenchmarkNotify with
// GOGC=off.)
func BenchmarkNotifyRatio(b *testing.B) {
	p := testPKI()
	signed := signWith(b, p.leaf, consumeFields("BENCH0001"))
	body := encode(b, signed)
	h := &notify.Handler{
		Verifier: p.verifier(b),
		OnNotify: func(context.Context, *notify.Notification) error { return nil },
	}
	verify := rawVerifier(b, p, signed)

	var (
		mu      sync.Mutex
		handler []time.Duration
		raw     []time.Duration
	)
	b.ReportAllocs()
	b.ResetTimer()
	b.RunParallel(func(pb *testing.PB) {
		serve := newServer(h, body)
		var times [2][]time.Duration
		for i := 0; pb.Next(); i++ {
			for j := range 2 {
				k := (i + j) % 2
				op := serve
				if k == 1 {
					op = verify
				}
				start := time.Now()
				if err := op(); err != nil {
					b.Error(err)
					return
				}
				times[k] = append(times[k], time.Since(start))
			}
		}
		mu.Lock()
		handler = append(handler, times[0]...)
		raw = append(raw, times[1]...)
		mu.Unlock()
	})
	if len(handler) == 0 || len(raw) == 0 {
		return
	}
	mh, mr := median(handler), median(raw)
	b.ReportMetric(float64(mr)/float64(mh), "ratio")
	b.ReportMetric(float64(mh), "handler-ns")
	b.ReportMetric(float64(mr), "raw-ns")
}

// rawVerifier returns the raw neighbour of the benchmarks: the bare
// rsa.VerifyPKCS1v15 of signed's signature, over a digest computed once.
func rawVerifier(b testing.TB, p *pki, signed sign.Fields) func() error {
	canonical, err := sign.Canonical(signed)
	require.NoError(b, err)
	inner := sha256.Sum256(canonical)
	digest := sha256.Sum256([]byte(hex.EncodeToString(inner[:])))
	sig, err := base64.StdEncoding.DecodeString(signed["signature"])
	require.NoError(b, err)
	pub := &p.leaf.key.PublicKey
	verify := func() error { return rsa.VerifyPKCS1v15(pub, crypto.SHA256, digest[:], sig) }
	require.NoError(b, verify())
	return verify
}

// newServer returns a function that serves body to h as a server does: a
// new *http.Request per notification (net/http makes one per request) and
// a response writer that, like the server's, is reused. Each goroutine
// needs its own.
func newServer(h *notify.Handler, body string) func() error {
	rd := strings.NewReader(body)
	tmpl := newBenchRequest(body)
	tmpl.Body = io.NopCloser(rd)
	w := &benchWriter{header: make(http.Header)}
	return func() error {
		rd.Reset(body)
		w.reset()
		r := new(http.Request)
		*r = *tmpl
		h.ServeHTTP(w, r)
		if w.code != http.StatusOK {
			return fmt.Errorf("status %d", w.code)
		}
		return nil
	}
}

// median returns the median of d, which it sorts.
func median(d []time.Duration) time.Duration {
	slices.Sort(d)
	return d[len(d)/2]
}

// newBenchRequest returns a POST of body as UnionPay sends it.
func newBenchRequest(body string) *http.Request {
	r := httptest.NewRequest(http.MethodPost, "/notify", strings.NewReader(body))
	r.Header.Set("Content-Type", "application/x-www-form-urlencoded;charset=UTF-8")
	r.RemoteAddr = "192.0.2.1:1234"
	return r
}

// benchWriter is a minimal http.ResponseWriter that keeps the status code
// and discards the body, reused across requests as a server reuses its
// connection's buffers.
type benchWriter struct {
	header http.Header
	code   int
}

func (w *benchWriter) Header() http.Header { return w.header }

func (w *benchWriter) WriteHeader(code int) {
	if w.code == 0 {
		w.code = code
	}
}

func (w *benchWriter) Write(p []byte) (int, error) {
	w.WriteHeader(http.StatusOK)
	return len(p), nil
}

func (w *benchWriter) reset() {
	clear(w.header)
	w.code = 0
}

// reportCPU starts measuring the process's CPU time; the function it
// returns reports it per operation as cpu-ns/op.
func reportCPU(b *testing.B) func() {
	start, ok := processCPU()
	return func() {
		end, ok2 := processCPU()
		if ok && ok2 && b.N > 0 {
			b.ReportMetric(float64(end-start)/float64(b.N), "cpu-ns/op")
		}
	}
}

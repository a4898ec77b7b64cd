package notify_test

import (
	"context"
	"crypto"
	"crypto/rsa"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/goacp/unionpay/notify"
	"github.com/goacp/unionpay/sign"
)

// BenchmarkNotify compares, in one run, the Handler serving a notification
// (form parsing, certificate cache lookup, canonical string, two SHA-256,
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

	b.Run("handler", func(b *testing.B) {
		h := &notify.Handler{
			Verifier: p.verifier(b),
			OnNotify: func(context.Context, *notify.Notification) error { return nil },
		}
		u := &url.URL{Path: "/notify"}
		header := http.Header{"Content-Type": {"application/x-www-form-urlencoded;charset=UTF-8"}}
		newReq := func() *http.Request {
			return &http.Request{Method: http.MethodPost, URL: u, Header: header, Proto: "HTTP/1.1",
				ProtoMajor: 1, ProtoMinor: 1, Body: io.NopCloser(strings.NewReader(body)),
				ContentLength: int64(len(body)), RemoteAddr: "192.0.2.1:1234"}
		}
		warm := httptest.NewRecorder()
		h.ServeHTTP(warm, newReq().WithContext(context.Background()))
		require.Equal(b, http.StatusOK, warm.Code, "warm-up: %s", warm.Body)

		b.ReportAllocs()
		b.ResetTimer()
		defer reportCPU(b)()
		b.RunParallel(func(pb *testing.PB) {
			ctx := context.Background()
			for pb.Next() {
				rec := httptest.NewRecorder()
				h.ServeHTTP(rec, newReq().WithContext(ctx))
				if rec.Code != http.StatusOK {
					b.Errorf("status %d", rec.Code)
					return
				}
			}
		})
	})

	// Where the handler's time goes beyond the RSA operation.
	b.Run("sign.ParseForm", func(b *testing.B) {
		b.ReportAllocs()
		defer reportCPU(b)()
		b.RunParallel(func(pb *testing.PB) {
			for pb.Next() {
				if _, err := sign.ParseForm(body); err != nil {
					b.Error(err)
					return
				}
			}
		})
	})
	b.Run("cert.Verifier.Verify", func(b *testing.B) {
		v := p.verifier(b)
		_, err := v.Verify(signed)
		require.NoError(b, err)
		b.ReportAllocs()
		b.ResetTimer()
		defer reportCPU(b)()
		b.RunParallel(func(pb *testing.PB) {
			for pb.Next() {
				if _, err := v.Verify(signed); err != nil {
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
		canonical, err := sign.Canonical(signed)
		require.NoError(b, err)
		inner := sha256.Sum256(canonical)
		digest := sha256.Sum256([]byte(hex.EncodeToString(inner[:])))
		sig, err := base64.StdEncoding.DecodeString(signed["signature"])
		require.NoError(b, err)
		pub := &p.leaf.key.PublicKey
		require.NoError(b, rsa.VerifyPKCS1v15(pub, crypto.SHA256, digest[:], sig))

		b.ReportAllocs()
		b.ResetTimer()
		defer reportCPU(b)()
		b.RunParallel(func(pb *testing.PB) {
			for pb.Next() {
				if err := rsa.VerifyPKCS1v15(pub, crypto.SHA256, digest[:], sig); err != nil {
					b.Error(err)
					return
				}
			}
		})
	})
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

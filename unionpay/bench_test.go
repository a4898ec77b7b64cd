package unionpay_test

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/goacp/unionpay/sign"
	"github.com/goacp/unionpay/unionpay"
	"github.com/goacp/unionpay/unionpay/unionpaytest"
)

// BenchmarkFrontForm builds a signed PC consume form (RSA-2048, 5.1.0) and renders its page.
func BenchmarkFrontForm(b *testing.B) {
	srv := unionpaytest.NewServer()
	defer srv.Close()
	c, err := unionpay.NewClient(srv.Config())
	require.NoError(b, err)
	r := &unionpay.ConsumeRequest{OrderID: "BENCH00000001", Amount: 1000, FrontURL: "https://merchant.example/return",
		BackURL: "https://merchant.example/notify", RiskRateInfo: sign.Fields{"commodityName": "测试商品"}}
	b.ReportAllocs()
	for b.Loop() {
		form, err := c.FrontConsume(r)
		if err != nil {
			b.Fatal(err)
		}
		if len(form.HTML()) == 0 {
			b.Fatal("empty page")
		}
	}
}

// BenchmarkRoundTrip compares, in one run on loopback TLS against unionpaytest, a client call
// (build, sign, send, read, parse, verify the answer's signPubKeyCert chain and signature) with a
// bare net/http POST of a body the client signed beforehand, whose answer is only read. The two
// alternate within each iteration, so that the load of a shared machine falls on both alike; the
// metrics are client-ns/op, bare-ns/op and their ratio (ns/op is the sum). The gateway does the
// same work for both: the same query, or distinct payouts.
func BenchmarkRoundTrip(b *testing.B) {
	srv := unionpaytest.NewServer()
	defer srv.Close()
	cfg := srv.Config()
	c, err := unionpay.NewClient(cfg)
	require.NoError(b, err)
	ctx := context.Background()
	// The shop's backUrl answers every notification at once.
	shop := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) { _, _ = io.WriteString(w, "ok") }))
	defer shop.Close()
	notify := shop.URL + "/notify"
	// One paid order to query.
	form, err := c.FrontConsume(&unionpay.ConsumeRequest{OrderID: "BENCHPAY0001", Amount: 1000,
		FrontURL: "https://merchant.example/return", BackURL: notify})
	require.NoError(b, err)
	_, err = srv.Pay(ctx, form.Fields, "")
	require.NoError(b, err)
	query := &unionpay.QueryRequest{OrderID: form.OrderID, TxnTime: form.TxnTime}
	n := 0
	payout := func() *unionpay.CardRequest {
		n++
		return &unionpay.CardRequest{OrderID: fmt.Sprintf("BENCHOUT%08d", n), Amount: 100,
			BackURL: notify, AccNo: unionpaytest.TestCard}
	}

	b.Run("query", func(b *testing.B) {
		body := signedBodies(b, cfg, 1, func(c *unionpay.Client) error {
			_, err := c.Query(ctx, query)
			return err
		})[0]
		alternate(b, func() error { _, err := c.Query(ctx, query); return err },
			cfg.HTTPClient, cfg.Endpoints.Query, func(int) string { return body })
	})
	b.Run("payout", func(b *testing.B) {
		bodies := signedBodies(b, cfg, b.N, func(c *unionpay.Client) error {
			_, err := c.Payout(ctx, payout())
			return err
		})
		alternate(b, func() error { _, err := c.Payout(ctx, payout()); return err },
			cfg.HTTPClient, cfg.Endpoints.Back, func(i int) string { return bodies[i] })
	})
}

// alternate times client() and a bare POST of body(i) in turns, b.N times each.
func alternate(b *testing.B, client func() error, hc *http.Client, url string, body func(i int) string) {
	b.ReportAllocs()
	b.ResetTimer()
	var tc, tb time.Duration
	for i := 0; i < b.N; i++ {
		start := time.Now()
		if err := client(); err != nil {
			b.Fatal(err)
		}
		mid := time.Now()
		bare(b, hc, url, body(i))
		tc, tb = tc+mid.Sub(start), tb+time.Since(mid)
	}
	b.ReportMetric(float64(tc.Nanoseconds())/float64(b.N), "client-ns/op")
	b.ReportMetric(float64(tb.Nanoseconds())/float64(b.N), "bare-ns/op")
	b.ReportMetric(float64(tc)/float64(tb), "client/bare")
}

// signedBodies returns the bodies n client calls would send, captured by a transport that sends
// nothing.
func signedBodies(b *testing.B, cfg unionpay.Config, n int, call func(*unionpay.Client) error) []string {
	b.Helper()
	rec := &capture{}
	cfg.HTTPClient = &http.Client{Transport: rec}
	c, err := unionpay.NewClient(cfg)
	require.NoError(b, err)
	for range n {
		require.ErrorIs(b, call(c), errCaptured)
	}
	return rec.bodies
}

// bare POSTs body and reads the answer, as a minimal hand-written client would.
func bare(b *testing.B, hc *http.Client, url, body string) {
	resp, err := hc.Post(url, "application/x-www-form-urlencoded;charset=UTF-8", strings.NewReader(body))
	if err != nil {
		b.Fatal(err)
	}
	raw, err := io.ReadAll(resp.Body)
	resp.Body.Close()
	if err != nil || resp.StatusCode != http.StatusOK || !strings.Contains(string(raw), "respCode=00") {
		b.Fatalf("bare POST: %v %s %.80s", err, resp.Status, raw)
	}
}

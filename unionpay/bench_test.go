package unionpay_test

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"strings"
	"testing"

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
// (build, sign, send, read, parse, verify the signPubKeyCert chain and signature) with a bare
// net/http POST of the same signed body whose answer is only read. For the query the gateway does
// the same work in both; for the payout the bare replay is answered "duplicate order" after the
// same checks, without creating the order.
func BenchmarkRoundTrip(b *testing.B) {
	srv := unionpaytest.NewServer()
	defer srv.Close()
	cfg := srv.Config()
	c, err := unionpay.NewClient(cfg)
	require.NoError(b, err)
	ctx := context.Background()
	// One paid order to query.
	form, err := c.FrontConsume(&unionpay.ConsumeRequest{OrderID: "BENCHPAY0001", Amount: 1000,
		FrontURL: "https://merchant.example/return", BackURL: "http://127.0.0.1:1/notify"})
	require.NoError(b, err)
	_, err = srv.Pay(ctx, form.Fields, "")
	require.NoError(b, err)
	query := &unionpay.QueryRequest{OrderID: form.OrderID, TxnTime: form.TxnTime}
	payout := func(i int) *unionpay.CardRequest {
		return &unionpay.CardRequest{OrderID: fmt.Sprintf("BENCHOUT%08d", i), Amount: 100,
			BackURL: "http://127.0.0.1:1/notify", AccNo: unionpaytest.TestCard}
	}

	b.Run("client-query", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			if _, err := c.Query(ctx, query); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("bare-query", func(b *testing.B) {
		body := signedBodies(b, cfg, 1, func(c *unionpay.Client, _ int) error {
			_, err := c.Query(ctx, query)
			return err
		})[0]
		bareLoop(b, cfg.HTTPClient, cfg.Endpoints.Query, func(int) string { return body })
	})
	n := 0
	b.Run("client-payout", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			n++
			if _, err := c.Payout(ctx, payout(n)); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("bare-payout", func(b *testing.B) {
		// Distinct orders signed beforehand, so that the gateway does the same work as for the client.
		bodies := signedBodies(b, cfg, b.N, func(c *unionpay.Client, _ int) error {
			n++ // distinct across runs of this function too
			_, err := c.Payout(ctx, payout(n))
			return err
		})
		bareLoop(b, cfg.HTTPClient, cfg.Endpoints.Back, func(i int) string { return bodies[i] })
	})
}

// signedBodies returns the bodies n client calls would send, captured by a transport that sends
// nothing.
func signedBodies(b *testing.B, cfg unionpay.Config, n int, call func(*unionpay.Client, int) error) []string {
	b.Helper()
	rec := &capture{}
	cfg.HTTPClient = &http.Client{Transport: rec}
	c, err := unionpay.NewClient(cfg)
	require.NoError(b, err)
	for i := range n {
		require.ErrorIs(b, call(c, i), errCaptured)
	}
	return rec.bodies
}

func bareLoop(b *testing.B, hc *http.Client, url string, body func(i int) string) {
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		resp, err := hc.Post(url, "application/x-www-form-urlencoded;charset=UTF-8", strings.NewReader(body(i)))
		if err != nil {
			b.Fatal(err)
		}
		raw, err := io.ReadAll(resp.Body)
		resp.Body.Close()
		if err != nil || resp.StatusCode != http.StatusOK || !strings.Contains(string(raw), "respCode=00") {
			b.Fatalf("bare POST: %v %s %.80s", err, resp.Status, raw)
		}
	}
}

package unionpaytest_test

import (
	"context"
	"crypto"
	"crypto/rsa"
	"crypto/sha256"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/goacp/unionpay/unionpay"
	"github.com/goacp/unionpay/unionpay/unionpaytest"
)

func benchServer(b *testing.B) (*unionpaytest.Server, *unionpay.Client) {
	b.Helper()
	k, err := sharedKeys()
	if err != nil {
		b.Fatal(err)
	}
	srv := unionpaytest.NewServer(unionpaytest.WithKeys(k))
	b.Cleanup(srv.Close)
	client, err := unionpay.NewClient(srv.Config())
	if err != nil {
		b.Fatal(err)
	}
	return srv, client
}

// BenchmarkQuery is a status query through the real client against the fake gateway over TLS on
// loopback: sign, POST, verify and parse the request at the gateway, sign the answer, verify it in
// the client. Compare with BenchmarkBarePOST, the same transport with no protocol work.
func BenchmarkQuery(b *testing.B) {
	srv, client := benchServer(b)
	ctx := context.Background()
	app, err := client.AppConsume(ctx, &unionpay.ConsumeRequest{OrderID: "BENCHQUERY", Amount: 100,
		BackURL: "http://127.0.0.1:9/n"})
	if err != nil {
		b.Fatal(err)
	}
	if _, err := srv.Complete("BENCHQUERY", ""); err != nil {
		b.Fatal(err)
	}
	req := &unionpay.QueryRequest{OrderID: "BENCHQUERY", TxnTime: app.TxnTime}
	b.ReportAllocs()
	for b.Loop() {
		if _, err := client.Query(ctx, req); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkRefund is a money-moving back transaction (refund of 1 fen) per iteration.
func BenchmarkRefund(b *testing.B) {
	srv, client := benchServer(b)
	ctx := context.Background()
	if _, err := client.AppConsume(ctx, &unionpay.ConsumeRequest{OrderID: "BENCHREFUND", Amount: 1_000_000_000,
		BackURL: "http://127.0.0.1:9/n"}); err != nil {
		b.Fatal(err)
	}
	if _, err := srv.Complete("BENCHREFUND", ""); err != nil {
		b.Fatal(err)
	}
	paid, _ := srv.Transaction("BENCHREFUND")
	b.ReportAllocs()
	i := 0
	for b.Loop() {
		i++
		_, err := client.Refund(ctx, &unionpay.FollowUpRequest{OrderID: fmt.Sprintf("BENCHREF%08d", i),
			OrigQueryID: paid.QueryID, Amount: 1, BackURL: "http://127.0.0.1:9/n"})
		if err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkBarePOST posts a query-sized form body to a TLS loopback server that answers a
// response-sized canned body: the transport floor under BenchmarkQuery.
func BenchmarkBarePOST(b *testing.B) {
	answer := strings.Repeat("x", 2400)
	ts := httptest.NewTLSServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		_, _ = io.Copy(io.Discard, r.Body)
		_, _ = io.WriteString(w, answer)
	}))
	b.Cleanup(ts.Close)
	c := ts.Client()
	body := strings.Repeat("y", 700)
	b.ReportAllocs()
	for b.Loop() {
		resp, err := c.Post(ts.URL, "application/x-www-form-urlencoded", strings.NewReader(body))
		if err != nil {
			b.Fatal(err)
		}
		_, _ = io.Copy(io.Discard, resp.Body)
		_ = resp.Body.Close()
	}
}

// BenchmarkRSASign is one raw RSA-2048 PKCS#1 v1.5 signature, the unit of protocol work: a
// query costs two (the client's request, the gateway's answer) plus verifications.
func BenchmarkRSASign(b *testing.B) {
	k, err := sharedKeys()
	if err != nil {
		b.Fatal(err)
	}
	srv := unionpaytest.NewServer(unionpaytest.WithKeys(k))
	b.Cleanup(srv.Close)
	key := srv.MerchantKey()
	digest := sha256.Sum256([]byte(strings.Repeat("k=v&", 60)))
	b.ReportAllocs()
	for b.Loop() {
		if _, err := rsa.SignPKCS1v15(nil, key, crypto.SHA256, digest[:]); err != nil {
			b.Fatal(err)
		}
	}
}

//go:build !race

package notify_test

import (
	"context"
	"net/http"
	"net/http/httptest"
	"testing"

	"github.com/goacp/unionpay/notify"
)

// TestAllocBudget pins the allocations notify.Handler adds to the RSA verification of a
// notification (10 today, with the *http.Request a server makes per request and the answer's
// Content-Length; budget 12), served as BenchmarkNotify serves it, so that a change allocating
// per field fails here rather than in a benchmark nobody reran. (Not under -race, whose sync.Pool
// drops items at random.)
func TestAllocBudget(t *testing.T) {
	p := testPKI()
	signed := signWith(t, p.leaf, consumeFields("ALLOC0001"))
	body := encode(t, signed)
	h := &notify.Handler{
		Verifier: p.verifier(t),
		OnNotify: func(context.Context, *notify.Notification) error { return nil },
	}
	warm := httptest.NewRecorder()
	h.ServeHTTP(warm, newBenchRequest(body))
	if warm.Code != http.StatusOK {
		t.Fatalf("warm-up: %d %s", warm.Code, warm.Body)
	}
	serve := newServer(h, body)
	sdk := testing.AllocsPerRun(100, func() {
		if err := serve(); err != nil {
			t.Fatal(err)
		}
	})
	verify := rawVerifier(t, p, signed)
	raw := testing.AllocsPerRun(100, func() {
		if err := verify(); err != nil {
			t.Fatal(err)
		}
	})
	t.Logf("handler %v, raw RSA verification %v", sdk, raw)
	if sdk-raw > 12 {
		t.Errorf("Handler: %v allocations, %v beyond raw RSA's %v; budget 12", sdk, sdk-raw, raw)
	}
}

// TestAllocBudgetServeBody pins the allocations Handler.ServeBody adds to the RSA verification
// of a notification, as TestAllocBudget pins ServeHTTP's: it shares their code, without the
// *http.Request and the written answer (7 today; budget 9).
func TestAllocBudgetServeBody(t *testing.T) {
	p := testPKI()
	signed := signWith(t, p.leaf, consumeFields("ALLOC0002"))
	body := []byte(encode(t, signed))
	h := &notify.Handler{
		Verifier: p.verifier(t),
		OnNotify: func(context.Context, *notify.Notification) error { return nil },
	}
	header := http.Header{"Content-Type": {"application/x-www-form-urlencoded;charset=UTF-8"}}
	ctx := context.Background()
	serve := func() {
		if status, answer := h.ServeBody(ctx, body, header, "192.0.2.1"); status != http.StatusOK {
			t.Fatalf("%d %s", status, answer)
		}
	}
	serve()
	sdk := testing.AllocsPerRun(100, serve)
	verify := rawVerifier(t, p, signed)
	raw := testing.AllocsPerRun(100, func() {
		if err := verify(); err != nil {
			t.Fatal(err)
		}
	})
	t.Logf("ServeBody %v, raw RSA verification %v", sdk, raw)
	if sdk-raw > 9 {
		t.Errorf("ServeBody: %v allocations, %v beyond raw RSA's %v; budget 9", sdk, sdk-raw, raw)
	}
}

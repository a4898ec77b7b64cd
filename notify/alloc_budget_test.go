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

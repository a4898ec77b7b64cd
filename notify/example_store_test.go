package notify_test

import (
	"testing"

	"github.com/goacp/unionpay/notify"
)

// TestExampleStoreKeepsMismatch: the example's store keeps a genuine payment of another amount (or
// currency) for review, with the queryId a refund needs, rather than filing it as an unpaid order.
func TestExampleStoreKeepsMismatch(t *testing.T) {
	store := &orderStore{orders: map[string]*order{"K": {amount: 1999, state: "pending"}}}
	if err := store.settle("K", false, notify.Succeeded, "782606011200000000001"); err != nil {
		t.Fatal(err)
	}
	if o := store.orders["K"]; o.state != "review" || o.queryID != "782606011200000000001" {
		t.Fatalf("a paid mismatch became %+v", *o)
	}
}

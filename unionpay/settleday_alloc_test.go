package unionpay_test

import (
	"testing"
	"time"

	"github.com/goacp/unionpay/unionpay"
)

// TestBeijingHelpersDoNotAllocate: SettleDay and ParseTxnTime, called per order when a day's
// orders are grouped for reconciliation, load the Beijing zone once, not on every call (5.5 µs
// and 10 allocations a call before: seconds for a million orders).
func TestBeijingHelpersDoNotAllocate(t *testing.T) {
	at := time.Date(2026, 11, 27, 10, 0, 0, 0, time.UTC)
	if n := testing.AllocsPerRun(100, func() { _ = unionpay.SettleDay(at) }); n != 0 {
		t.Errorf("SettleDay: %v allocations a call", n)
	}
	if n := testing.AllocsPerRun(100, func() { _, _ = unionpay.ParseTxnTime("20261127100000") }); n != 0 {
		t.Errorf("ParseTxnTime: %v allocations a call", n)
	}
}

// BenchmarkSettleDay: the per-order cost of grouping orders by settle day.
func BenchmarkSettleDay(b *testing.B) {
	at := time.Date(2026, 11, 27, 10, 0, 0, 0, time.UTC)
	for b.Loop() {
		_ = unionpay.SettleDay(at)
	}
}

package unionpaytest

import (
	"math"
	"testing"
)

// TestDrawRates: each fault shows at the rate FaultRates gives it, not at what the faults before
// it in Fault order leave (found in the third session's review: {5xx .5, Drop .5} showed Drop at
// .25).
func TestDrawRates(t *testing.T) {
	o := defaultOptions()
	rates := FaultRates{Fault5xx: 0.5, FaultDrop: 0.5, FaultDuplicateNotify: 0.3, FaultLateNotify: 0.3}
	WithFaults(1, rates)(&o)
	s, err := newServer(o)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	const n = 100000
	got := map[Fault]int{}
	s.mu.Lock()
	for range n {
		got[s.draw(false)]++
		got[s.draw(true)]++
	}
	s.mu.Unlock()
	for f, want := range rates {
		if rate := float64(got[f]) / n; math.Abs(rate-want) > 0.01 {
			t.Errorf("%v shows at %.3f, want %.2f", f, rate, want)
		}
	}
}

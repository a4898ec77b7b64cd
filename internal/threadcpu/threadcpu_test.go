package threadcpu

import (
	"runtime"
	"testing"
	"time"
)

// TestMeasureCountsNoWait: time the thread spends waiting is not counted where the CPU time is
// known (a wall-clock measure would give the whole sleep), and work is counted.
func TestMeasureCountsNoWait(t *testing.T) {
	const sleep = 300 * time.Millisecond
	d, cpu := Measure(func() { time.Sleep(sleep) })
	if !cpu {
		if d < sleep {
			t.Errorf("wall clock %v for a sleep of %v", d, sleep)
		}
		t.Skipf("no thread CPU time on %s", runtime.GOOS)
	}
	if d >= sleep/2 {
		t.Errorf("%v counted for a sleep of %v", d, sleep)
	}
	var sink uint64
	d, _ = Measure(func() {
		for i := range uint64(50_000_000) {
			sink += i * i
		}
	})
	if d <= 0 {
		t.Errorf("%v counted for a busy loop (%d)", d, sink)
	}
}

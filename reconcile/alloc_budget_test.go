//go:build !race

package reconcile

import (
	"bytes"
	"testing"
)

// TestAllocBudget pins what the ZM parser allocates: nothing for a line, and for a stream its
// buffers plus the text blocks the records' strings share, allocated a block at a time (11
// allocations for 100 lines and 36 for 10,000 today; budget 64), so that a change allocating per
// line or per field fails here rather than in a benchmark nobody reran. (Not under -race, whose
// sync.Pool drops items at random.)
func TestAllocBudget(t *testing.T) {
	data := smallZM(t, 10000)
	line := data[609 : 609+607]
	p := newZMParser(settle)
	if n := testing.AllocsPerRun(1000, func() {
		if _, err := p.parse(line, 1); err != nil {
			t.Fatal(err)
		}
	}); n != 0 {
		t.Errorf("parsing a line: %v allocations, want 0", n)
	}
	stream := func(lines []byte) float64 {
		return testing.AllocsPerRun(5, func() {
			for _, err := range ZM(bytes.NewReader(lines), settle) {
				if err != nil {
					t.Fatal(err)
				}
			}
		})
	}
	short, long := stream(data[:100*609]), stream(data)
	t.Logf("100 lines: %v allocations, 10,000 lines: %v", short, long)
	if long > 64 {
		t.Errorf("10,000 lines: %v allocations (100 lines: %v); budget 64", long, short)
	}
}

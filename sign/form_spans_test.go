package sign

import (
	"strings"
	"testing"
)

// TestDecodeFormSpansGrowOnce: a body with more pairs than ParseForm's array on the stack holds
// grows its spans once, to the pairs the rest of the body can hold, whatever their number. They
// grew by append's steps (a quarter at a time past 256), copying all each time: a hostile 64 KiB
// notification of "&b" (32,768 pairs, refused only once decoded, at its second, repeated, key)
// took 17 allocations and 7.9 MB for its 1.5 MB of spans, and ParseForm 10.5 MB and 4 ms in
// all; now 4.3 MB (the spans and the Fields) and 1 ms.
func TestDecodeFormSpansGrowOnce(t *testing.T) {
	tests := []struct {
		name  string
		body  string
		pairs int
	}{
		{"a pair a byte", "a=1" + strings.Repeat("&b", 32<<10-2), 32<<10 - 1},
		{"tiny fields", strings.Repeat("k=1&", 16<<10) + "z=", 16<<10 + 1},
		{"empty pairs between", strings.Repeat("k=1&&&&", 8<<10), 8 << 10},
		{"escaped pairs", strings.Repeat("%41=%42&", 8<<10), 8 << 10},
		{"just over the array", strings.Repeat("k=1&", 49), 49},
		{"within the array", strings.Repeat("k=1&", 48), 48},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			work := make([]byte, len(tt.body))
			var spansBuf [48]formSpan
			var spans []formSpan
			allocs := testing.AllocsPerRun(10, func() {
				copy(work, tt.body) // decoded in place
				var err error
				_, spans, err = decodeForm(work, spansBuf[:0], nil)
				if err != nil {
					t.Fatal(err)
				}
			})
			if len(spans) != tt.pairs {
				t.Fatalf("%d pairs decoded, want %d", len(spans), tt.pairs)
			}
			want := 1.0
			if tt.pairs <= len(spansBuf) {
				want = 0
			}
			if allocs != want {
				t.Errorf("%v allocations for %d pairs, want %v", allocs, tt.pairs, want)
			}
		})
	}
}

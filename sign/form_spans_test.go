//go:build !race

package sign

import (
	"errors"
	"strings"
	"testing"
)

// TestDecodeFormSpansGrowOnce: a body with more pairs than ParseForm's array on the stack holds
// grows its spans once, to the pairs the rest of the body can hold, whatever their number. They
// grew by append's steps (a quarter at a time past 256), copying all each time: a hostile 64 KiB
// notification of "&b" (32,768 pairs, refused only once decoded, at its second, repeated, key)
// took 17 allocations and 7.9 MB for its 1.5 MB of spans, and ParseForm 10.5 MB and 4 ms in
// all; now 4.3 MB (the spans and the Fields) and 1 ms. Since MaxFields they grow to at most
// MaxFields, where decoding stops: a body with more pairs is refused there.
func TestDecodeFormSpansGrowOnce(t *testing.T) {
	tests := []struct {
		name  string
		body  string
		pairs int // MaxFields+1: refused with ErrTooManyFields, MaxFields decoded
	}{
		{"a pair a byte", "a=1" + strings.Repeat("&b", 32<<10-2), MaxFields + 1},
		{"tiny fields", strings.Repeat("k=1&", 16<<10) + "z=", MaxFields + 1},
		{"empty pairs between", strings.Repeat("k=1&&&&", 8<<10), MaxFields + 1},
		{"escaped pairs", strings.Repeat("%41=%42&", 8<<10), MaxFields + 1},
		{"at the limit", strings.Repeat("k=1&", MaxFields), MaxFields},
		{"at the limit, empty pairs between", strings.Repeat("k=1&&&&", MaxFields), MaxFields},
		{"one past the limit", strings.Repeat("k=1&", MaxFields) + "z", MaxFields + 1},
		{"just over the array", strings.Repeat("k=1&", 49), 49},
		{"within the array", strings.Repeat("k=1&", 48), 48},
		{"no trailing '&', just over the array", strings.Repeat("k=1&", 49) + "k=1", 50},
		{"no trailing '&', at the limit", strings.Repeat("k=1&", MaxFields-1) + "k=1", MaxFields},
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
				if tt.pairs > MaxFields {
					if !errors.Is(err, ErrTooManyFields) {
						t.Fatalf("err = %v, want ErrTooManyFields", err)
					}
				} else if err != nil {
					t.Fatal(err)
				}
			})
			if want := min(tt.pairs, MaxFields); len(spans) != want || cap(spans) > MaxFields {
				t.Fatalf("%d pairs decoded (room for %d), want %d (room for at most MaxFields)", len(spans), cap(spans), want)
			}
			want := 1.0
			switch {
			case tt.pairs <= len(spansBuf):
				want = 0
			case tt.pairs > MaxFields:
				want += 3 // the *ParseError and the making of its message
			}
			if allocs != want {
				t.Errorf("%v allocations for %d pairs, want %v", allocs, tt.pairs, want)
			}
		})
	}
}

// TestDecodeFormSpansFromNone: ParseRequestForm decodes into no spans at all; they are grown once,
// at the first pair, to hold that pair and one more after each '&' left, however the body ends.
// Room for one fewer made the last pair allocate again where the size class held no more (as
// for 2, 3, 4 or 6 spans).
func TestDecodeFormSpansFromNone(t *testing.T) {
	for _, pairs := range []int{1, 2, 3, 4, 6, 10, 100} {
		for _, trailing := range []string{"", "&", "&&"} {
			body := strings.Repeat("k=1&", pairs-1) + "k=1" + trailing
			work := make([]byte, len(body))
			var spans []formSpan
			allocs := testing.AllocsPerRun(10, func() {
				copy(work, body)
				var err error
				if _, spans, err = decodeForm(work, nil, nil); err != nil {
					t.Fatal(err)
				}
			})
			if len(spans) != pairs || allocs != 1 {
				t.Errorf("%q: %d pairs decoded in %v allocations, want %d in 1", body, len(spans), allocs, pairs)
			}
		}
	}
}

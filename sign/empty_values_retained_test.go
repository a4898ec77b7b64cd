//go:build !race

package sign_test

import (
	"fmt"
	"runtime"
	"strings"
	"testing"

	"github.com/goacp/unionpay/sign"
)

// TestEmptyValuesRetained: the Fields of a body holding many pairs with an empty value (which
// are dropped) keep no more memory than the body's size, the decoded text every key and value
// shares: the map was sized for every pair and never shrank, so MaxFields-1 empty values and one
// field, 5.9 KB, left the caller 86 KB for one field. (Not under -race, which allocates for
// itself.)
func TestEmptyValuesRetained(t *testing.T) {
	// Not parallel: it reads the process's heap.
	var b strings.Builder
	for i := range sign.MaxFields - 1 {
		fmt.Fprintf(&b, "k%x=&", i)
	}
	body := b.String() + "a=1"
	parsers := []struct {
		name  string
		parse func(string) (sign.Fields, error)
	}{
		{"ParseForm", sign.ParseForm},
		{"ParseRequestForm", sign.ParseRequestForm},
		{"ParseFormCanonical", func(s string) (sign.Fields, error) {
			f, _, err := sign.ParseFormCanonical([]byte(s), nil)
			return f, err
		}},
	}
	const n = 50
	for _, p := range parsers {
		kept := make([]sign.Fields, 0, n)
		var before, after runtime.MemStats
		runtime.GC()
		runtime.ReadMemStats(&before)
		for range n {
			f, err := p.parse(body)
			if err != nil || len(f) != 1 || f["a"] != "1" {
				t.Fatalf("%s: %v, %v", p.name, f, err)
			}
			kept = append(kept, f)
		}
		runtime.GC()
		runtime.ReadMemStats(&after)
		retained := (int64(after.HeapAlloc) - int64(before.HeapAlloc)) / n
		t.Logf("%s: %d bytes kept by the Fields of one field from a %d-byte body", p.name, retained, len(body))
		if retained > int64(len(body))+1<<10 {
			t.Errorf("%s: %d bytes kept by the Fields of one field from a %d-byte body", p.name, retained, len(body))
		}
		runtime.KeepAlive(kept)
	}
}

//go:build !race

package sign_test

import (
	"strings"
	"testing"

	"github.com/goacp/unionpay/sign"
)

// TestDecodeBodyASCIIOneCopy: a body declared GBK but all ASCII, as most answers are, needs no
// decoding and costs one allocation, the string returned; the ASCII check does not copy the
// body first. (Not under -race, which may count its own.)
func TestDecodeBodyASCIIOneCopy(t *testing.T) {
	body := []byte(strings.Repeat("respCode=00&", 200)) // longer than a stack buffer holds
	for _, enc := range []string{"GBK", "UTF-8"} {
		allocs := testing.AllocsPerRun(20, func() {
			if _, err := sign.DecodeBody(body, enc); err != nil {
				t.Fatal(err)
			}
		})
		if allocs != 1 {
			t.Errorf("DecodeBody(%d ASCII bytes, %s): %v allocations, want 1", len(body), enc, allocs)
		}
	}
}

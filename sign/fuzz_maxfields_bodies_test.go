package sign_test

import (
	"fmt"
	"strings"
	"testing"

	"github.com/goacp/unionpay/sign"
)

// fuzzMaxPairs caps the pairs of a body FuzzParseRaw and FuzzParseForm check: well past the 48
// pairs where the parsers' stack buffers end, and an eighth of sign.MaxFields. Bodies at the limit
// are checked by TestFuzzChecksAtMaxFields and FuzzMaxFields. The cap also keeps the bodies of
// MaxFields pairs that earlier campaigns left in the fuzz cache ($GOCACHE/fuzz) from slowing the
// targets down again: they return at once.
const fuzzMaxPairs = 128

// fuzzPairsCapped reports whether body has more than fuzzMaxPairs pairs (counting every '&').
func fuzzPairsCapped(body string) bool { return strings.Count(body, "&") >= fuzzMaxPairs }

// maxFieldsBodies are the bodies at sign.MaxFields that FuzzParseRaw and FuzzParseForm once took
// as seeds: MaxFields distinct pairs (read whole), one more (refused), and two pairs among
// MaxFields-2 empty ones (which buildForm drops, then copies the rest to a smaller map).
func maxFieldsBodies() map[string]string {
	atLimit, _ := distinctPairs(sign.MaxFields)
	overLimit, _ := distinctPairs(sign.MaxFields + 1)
	var empties strings.Builder
	empties.WriteString("orderId=A1&txnAmt=1")
	for i := range sign.MaxFields - 2 {
		fmt.Fprintf(&empties, "&z%x=", i)
	}
	return map[string]string{"MaxFields pairs": atLimit, "MaxFields+1 pairs": overLimit, "MaxFields pairs, most empty": empties.String()}
}

// TestFuzzChecksAtMaxFields runs FuzzParseRaw's and FuzzParseForm's checks, whole, on
// maxFieldsBodies, once each: the fuzz targets no longer take them as seeds (a mutant of one
// costs a thousand pairs' work, which held both targets to about 300 execs/s), so the limit
// stays under the same checks here. TestMaxFields and FuzzMaxFields check the limit itself.
func TestFuzzChecksAtMaxFields(t *testing.T) {
	t.Parallel()
	for name, body := range maxFieldsBodies() {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			t.Run("ParseRaw", func(t *testing.T) { checkParseRaw(t, body) })
			t.Run("ParseForm", func(t *testing.T) { checkParseForm(t, body) })
		})
	}
}

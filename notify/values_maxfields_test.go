package notify_test

import (
	"errors"
	"fmt"
	"strings"
	"testing"

	"github.com/goacp/unionpay/sign"
)

// TestVerifyValuesAtMaxFields runs FuzzVerifyValues' check on signed notifications padded with
// empty pairs (signed without, and sent) to either side of sign.MaxFields pairs once version,
// encoding and signature are added, in UTF-8 and GBK: Parse's limit and VerifyValues' own must
// agree. They were the target's seeds, which held it to a few hundred execs/s (a mutant of one
// costs a thousand pairs' signing and reading). The padding must straddle the limit: some read,
// and some refused with sign.ErrTooManyFields.
func TestVerifyValuesAtMaxFields(t *testing.T) {
	t.Parallel()
	v, s := secureKeyPair(t)
	var accepted, tooMany int
	for pad := sign.MaxFields - 9; pad <= sign.MaxFields-6; pad++ {
		var b strings.Builder
		b.WriteString("orderId=A1&txnTime=20240105103000&txnType=01&respCode=00")
		for i := range pad {
			fmt.Fprintf(&b, "&z%x=", i)
		}
		for _, gbk := range []bool{false, true} {
			read, err := checkVerifyValues(t, v, s, b.String(), gbk, false)
			if !read {
				t.Fatalf("%d empty pairs, GBK %v: no body built", pad, gbk)
			}
			switch {
			case err == nil:
				accepted++
			case errors.Is(err, sign.ErrTooManyFields):
				tooMany++
			default:
				t.Fatalf("%d empty pairs, GBK %v: %v", pad, gbk, err)
			}
		}
	}
	if accepted == 0 || tooMany == 0 {
		t.Fatalf("%d read, %d refused for too many fields: the padding does not straddle sign.MaxFields", accepted, tooMany)
	}
}

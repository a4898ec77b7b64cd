package cert

import (
	"encoding/base64"
	"fmt"
	"strings"
	"testing"

	"github.com/goacp/unionpay/sign"
)

// TestParseCustomerInfoFuzzCheckAtMaxFields runs FuzzParseCustomerInfo's check on customerInfo
// texts of sign.MaxFields pairs (read) and one more (refused), which were the target's seeds: a
// mutant of one costs a thousand pairs' work in two charsets, and minimising one stalled the
// fuzzer. TestParseCustomerInfoLimits checks the limit itself.
func TestParseCustomerInfoFuzzCheckAtMaxFields(t *testing.T) {
	t.Parallel()
	_, d := opensslMerchant(t)
	for _, n := range []int{sign.MaxFields, sign.MaxFields + 1} {
		var b strings.Builder
		for i := range n {
			fmt.Fprintf(&b, "&k%x=1", i)
		}
		t.Run(fmt.Sprint(n), func(t *testing.T) {
			checkParseCustomerInfo(t, d, base64.StdEncoding.EncodeToString([]byte("{"+b.String()[1:]+"}")))
		})
	}
}

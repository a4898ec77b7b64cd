//go:build !race

package notify_test

import (
	"fmt"
	"net/url"
	"testing"

	"github.com/goacp/unionpay/notify"
)

// TestVerifyValuesAllocation: VerifyValues takes the form's ASCII values (nearly all, the same in
// UTF-8 and GBK) as they are, so its allocations are per message, not per field, as Parse's are:
// it copied every value twice (to the []byte sign.DecodeBody takes, then to the string it
// returns), 64 allocations for a genuine notification where Parse makes 17, two more per field.
// (Not under -race, which allocates for itself.)
func TestVerifyValuesAllocation(t *testing.T) {
	p := testPKI()
	v := p.verifier(t)
	genuine := signWith(t, p.leaf, consumeFields("ALLOCVV01"))
	form := url.Values{}
	for k, val := range genuine {
		form.Set(k, val)
	}
	if _, err := notify.VerifyValues(v, form); err != nil {
		t.Fatal(err)
	}
	body := []byte(encode(t, genuine))
	parse := testing.AllocsPerRun(50, func() { _, _ = notify.Parse(v, body) })
	values := testing.AllocsPerRun(50, func() { _, _ = notify.VerifyValues(v, form) })

	const added = 200 // tiny fields: the signature no longer verifies, after all the work
	for i := range added {
		form.Set(fmt.Sprintf("z%04d", i), "1")
	}
	more := testing.AllocsPerRun(20, func() { _, _ = notify.VerifyValues(v, form) })
	t.Logf("Parse %v; VerifyValues %v, with %d fields added %v", parse, values, added, more)
	if values > parse+4 {
		t.Errorf("VerifyValues: %v allocations for a genuine notification; Parse makes %v", values, parse)
	}
	if more-values > added/10 {
		t.Errorf("VerifyValues: %v more allocations for %d fields added", more-values, added)
	}
}

package unionpay_test

import (
	"bytes"
	"testing"

	"github.com/goacp/unionpay/unionpay"
)

// FuzzDecodeFileContent: whatever the answer carries, decoding never panics and never returns
// more than the limit.
func FuzzDecodeFileContent(f *testing.F) {
	f.Add(unionpay.EncodeFileContent([]byte("对账 row\n")))
	f.Add(unionpay.EncodeFileContent(bytes.Repeat([]byte{0}, 10000)))
	f.Add("eJwDAAAAAAE=")
	f.Add("@@")
	f.Fuzz(func(t *testing.T, s string) {
		const limit = 4096
		out, err := unionpay.DecodeFileContent(s, limit)
		if err == nil && len(out) > limit {
			t.Fatalf("decoded %d bytes past the %d limit", len(out), limit)
		}
	})
}

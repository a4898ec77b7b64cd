package reconcile

import (
	"math/rand/v2"
	"testing"

	"github.com/stretchr/testify/require"
)

// TestDecodeGBK checks the in-block GBK decoder against transform.String on
// random bytes (valid and broken GBK, truncated lead bytes, U+FFFD cases).
func TestDecodeGBK(t *testing.T) {
	r := rand.New(rand.NewPCG(5, 6))
	var fast, ref textDecoder
	for round := range 2000 {
		seg := make([]byte, 1+r.IntN(40))
		for i := range seg {
			seg[i] = byte(r.IntN(256))
		}
		if round%3 == 0 {
			copy(seg, "\xb2\xe2\xca\xd4\xc9\xcc\xbb\xa7") // 测试商户
		}
		seg[0] |= 0x80
		require.Equal(t, ref.decode(string(seg)), fast.decodeGBK(seg), "%q", seg)
	}
}

package reconcile

import (
	"math/rand/v2"
	"strings"
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

// TestWordHelpers checks trimLen, isBlank, scanField and scanText, which
// work eight bytes at a time, against byte-by-byte definitions at every
// length and position of a non-space, high or LF byte.
func TestWordHelpers(t *testing.T) {
	for n := range 40 {
		for pos := -1; pos < n; pos++ {
			for _, c := range []byte{'a', 0x80, 0xff, 0x20 | 0x80, '\n', 0x8a, 0x0b, 0x09} {
				b := []byte(strings.Repeat(" ", n))
				if pos >= 0 {
					b[pos] = c
				}
				want := len(strings.TrimRight(string(b), " "))
				require.Equal(t, want, trimLen(b), "%q", b)
				require.Equal(t, want == 0, isBlank(b), "%q", b)
				got, ascii, lf := scanField(b)
				require.Equal(t, want, got, "%q", b)
				require.Equal(t, pos < 0 || c < 0x80, ascii, "%q", b)
				require.Equal(t, pos >= 0 && c == '\n', lf, "%q", b)
				ascii, lf = scanText(b)
				require.Equal(t, pos < 0 || c < 0x80, ascii, "%q", b)
				require.Equal(t, pos >= 0 && c == '\n', lf, "%q", b)
			}
		}
	}
}

// TestShortText checks the word-at-a-time path for narrow fields against
// str, at every width, with spaces, LF, high bytes and what follows the field.
func TestShortText(t *testing.T) {
	r := rand.New(rand.NewPCG(9, 10))
	alphabet := []byte("  aZ9\n\x80\xb2")
	var fast, ref textDecoder
	for range 20000 {
		w := 1 + r.IntN(32)
		b := make([]byte, 32)
		for i := range b {
			b[i] = alphabet[r.IntN(len(alphabet))]
		}
		if r.IntN(3) == 0 {
			for i := r.IntN(w + 1); i < w; i++ {
				b[i] = ' '
			}
		}
		fast.lf, ref.lf = false, false
		got, ok := fast.short(b, w)
		want := ref.str(b[:w])
		if !ok {
			ascii, _ := scanText(b[:trimLen(b[:w])])
			require.False(t, ascii, "%q", b[:w])
			continue
		}
		require.Equal(t, want, got, "%q", b[:w])
		require.Equal(t, ref.lf, fast.lf, "%q", b[:w])
	}
}

package cert

import (
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/goacp/unionpay/internal/canon"
	"github.com/goacp/unionpay/sign"
)

// TestStreamThreshold: a string to sign of streamAbove bytes is built whole (in a pooled
// buffer, which release keeps at that size); one byte more is hashed in pieces, in UTF-8 (the
// encoding spelled, or not at all) and in GBK alike. A field name sign.Canonical refuses is
// never streamed, at any size: Canonical fails, naming it.
func TestStreamThreshold(t *testing.T) {
	t.Parallel()
	sized := func(encoding string, n int) sign.Fields {
		f := sign.Fields{"version": "5.1.0", "txnType": "76", "fileContent": ""}
		if encoding != "" {
			f["encoding"] = encoding
		}
		size, names := canon.Size(f)
		require.True(t, names)
		f["fileContent"] = strings.Repeat("A", n-size)
		size, _ = canon.Size(f)
		require.Equal(t, n, size)
		return f
	}
	for _, encoding := range []string{"", "UTF-8", "utf8", "GBK"} {
		for _, tt := range []struct {
			size   int
			stream bool
		}{
			{streamAbove - 1, false},
			{streamAbove, false},
			{streamAbove + 1, true},
		} {
			f := sized(encoding, tt.size)
			assert.Equal(t, tt.stream, streamed(f), "streamed: %q, %d bytes", encoding, tt.size)
			v := &Verifier{}
			buf, canonical, stream, err := v.canonical(f, nil)
			require.NoError(t, err)
			assert.Equal(t, tt.stream, stream, "canonical: %q, %d bytes", encoding, tt.size)
			if !tt.stream {
				assert.Len(t, canonical, tt.size, "%q", encoding)
			}
			v.release(buf)
		}
		f := sized(encoding, streamAbove+1)
		f["bad name"] = "x"
		assert.False(t, streamed(f), "streamed: %q, a bad name", encoding)
		_, _, stream, err := (&Verifier{}).canonical(f, nil)
		assert.False(t, stream, "canonical: %q, a bad name", encoding)
		assert.ErrorContains(t, err, `field name "bad..."`, "%q: named as sign names a key that is not a field name", encoding)
	}
}

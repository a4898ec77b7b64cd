package sign_test

import (
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/goacp/unionpay/sign"
)

// TestNotGBKErrorKeyCut: Canonical and Encode name the key of a value that GBK cannot hold
// unquoted (it is printable ASCII), whole up to 64 bytes, past that its first 64 bytes, then its
// length.
func TestNotGBKErrorKeyCut(t *testing.T) {
	t.Parallel()
	calls := map[string]func(sign.Fields) error{
		"Canonical": func(f sign.Fields) error { _, err := sign.Canonical(f); return err },
		"Encode":    func(f sign.Fields) error { _, err := sign.Encode(f); return err },
	}
	key64 := strings.Repeat("k", 63) + "z"
	tests := []struct {
		key, want string
	}{
		{"orderId", "field orderId not representable in GBK"},
		{key64, "field " + key64 + " not representable in GBK"},
		{key64 + "9", "field " + key64 + "… (65 bytes) not representable in GBK"},
		{key64 + strings.Repeat("9", 64<<10), "field " + key64 + "… (65600 bytes) not representable in GBK"},
	}
	for name, call := range calls {
		for _, tt := range tests {
			err := call(sign.Fields{"encoding": "GBK", tt.key: "\u00e9\U0001F600"})
			require.ErrorIs(t, err, sign.ErrCharset, "%s, a key of %d bytes", name, len(tt.key))
			assert.Contains(t, err.Error(), tt.want, "%s, a key of %d bytes", name, len(tt.key))
		}
	}
}

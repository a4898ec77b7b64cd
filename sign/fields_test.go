package sign_test

import (
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/goacp/unionpay/sign"
)

// TestCharsetUTF8Spellings: the encoding field may spell UTF-8 in any case,
// with or without the hyphen (Java accepts both names); the bytes are UTF-8.
func TestCharsetUTF8Spellings(t *testing.T) {
	t.Parallel()
	for _, enc := range []string{"", "UTF-8", "utf-8", "UTF8", "utf8", "Utf8"} {
		t.Run(enc, func(t *testing.T) {
			t.Parallel()
			f := sign.Fields{"encoding": enc, "m": "成功"}
			got, err := sign.Canonical(f)
			require.NoError(t, err)
			require.Equal(t, "encoding="+enc+"&m=成功", string(got))
			body, err := sign.Encode(f)
			require.NoError(t, err)
			require.Equal(t, "encoding="+enc+"&m=%E6%88%90%E5%8A%9F", body)
		})
	}
}

// TestEncodeEscapesKeys: Encode percent-encodes keys as well as values, so
// that a key holding '&' or '=' cannot split the body differently. (A key
// with a space or a non-ASCII character is refused: TestCheckKeys.)
func TestEncodeEscapesKeys(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		name string
		f    sign.Fields
		want string
	}{
		{"plain", sign.Fields{"merId": "777290058110048"}, "merId=777290058110048"},
		{"ampersand", sign.Fields{"a&b": "1"}, "a%26b=1"},
		{"equals", sign.Fields{"a=b": "1"}, "a%3Db=1"},
		{"percent and plus", sign.Fields{"a+b%": "1"}, "a%2Bb%25=1"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			got, err := sign.Encode(tc.f)
			require.NoError(t, err)
			require.Equal(t, tc.want, got)
		})
	}
}

package sign_test

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/goacp/unionpay/sign"
)

// TestCanonicalNamesField: with GBK, the string-to-sign error said "field
// value not representable in GBK" without saying which, and an empty key
// was signed and encoded into a body ParseForm (and UnionPay) cannot read.
// Found in the bad-input review (section 16). The error names the field
// (never its value), and an empty key is refused as ParseForm refuses it.
func TestCanonicalNamesField(t *testing.T) {
	t.Parallel()
	const card = "6216261000000000018"
	emptyKey := `sign: malformed message: empty key (field "")`
	tests := []struct {
		name    string
		f       sign.Fields
		want    string // "" for no error
		charset bool   // the error matches ErrCharset, else ErrMalformed
	}{
		{"GBK, emoji in orderDesc", sign.Fields{"encoding": "GBK", "orderDesc": "咖啡 ☕😀", "orderId": "1"},
			"sign: unsupported or unrepresentable charset: field orderDesc not representable in GBK", true},
		{"GBK, card number with an emoji", sign.Fields{"encoding": "GBK", "accNo": card + "😀"},
			"sign: unsupported or unrepresentable charset: field accNo not representable in GBK", true},
		{"GBK, the first of two bad fields", sign.Fields{"encoding": "GBK", "zz": "😀", "reqReserved": "😀"},
			"sign: unsupported or unrepresentable charset: field reqReserved not representable in GBK", true},
		{"GBK, a non-ASCII key", sign.Fields{"encoding": "GBK", "k😀": "v"},
			`sign: malformed message: field name "k...": want printable ASCII (no space, control or non-ASCII character)`, false},
		{"GBK, signature is not signed", sign.Fields{"encoding": "GBK", "signature": "😀", "a": "成功"}, "", false},
		{"GBK, Chinese text", sign.Fields{"encoding": "GBK", "a": "成功"}, "", false},
		{"UTF-8, emoji", sign.Fields{"encoding": "UTF-8", "orderDesc": "😀"}, "", false},
		{"UTF-8, empty key", sign.Fields{"": "x", "a": "b"}, emptyKey, false},
		{"GBK, empty key", sign.Fields{"encoding": "GBK", "": "x"}, emptyKey, false},
		{"empty key and value", sign.Fields{"": "", "version": "5.1.0"}, emptyKey, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			_, err := sign.Canonical(tt.f)
			if tt.want == "" {
				require.NoError(t, err)
				return
			}
			require.EqualError(t, err, tt.want)
			assert.NotContains(t, err.Error(), card)
			if tt.charset {
				require.ErrorIs(t, err, sign.ErrCharset)
			} else {
				require.ErrorIs(t, err, sign.ErrMalformed)
			}
		})
	}
}

// TestEmptyKeyRefused: Encode and Sign refused nothing for an empty key, and
// produced "=x&a=b", which ParseForm refuses.
func TestEmptyKeyRefused(t *testing.T) {
	t.Parallel()
	signer, err := sign.NewSecureKeySigner(sign.MethodSHA256Key, []byte("88888888"))
	require.NoError(t, err)
	tests := []struct {
		name string
		call func(f sign.Fields) error
	}{
		{"Encode", func(f sign.Fields) error { _, err := sign.Encode(f); return err }},
		{"Sign", func(f sign.Fields) error { return sign.Sign(signer, f) }},
		{"Canonical", func(f sign.Fields) error { _, err := sign.Canonical(f); return err }},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			f := sign.Fields{"": "x", "a": "b", "version": sign.Version510}
			err := tt.call(f)
			require.ErrorIs(t, err, sign.ErrMalformed)
			require.EqualError(t, err, `sign: malformed message: empty key (field "")`)
			assert.Equal(t, sign.Fields{"": "x", "a": "b", "version": sign.Version510}, f, "f is left unchanged")

			delete(f, "")
			require.NoError(t, tt.call(f), "without the empty key")
		})
	}
	_, err = sign.ParseForm("=x&a=b")
	require.ErrorIs(t, err, sign.ErrMalformed, "what Encode used to produce")
}

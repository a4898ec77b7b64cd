package sign_test

import (
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/goacp/unionpay/sign"
)

// TestCheckKeys: a field name that is not printable ASCII is refused by Canonical, Sign and
// Encode. UnionPay's official Java SDK, run on such names (the javalive review), signs them
// otherwise: it sorts keys in UTF-16 order ("\uffff" before "😀"; bytes put them the other
// way), leaves "signature " out of the string to sign, and writes a GBK message's non-ASCII key
// in GBK where Encode wrote UTF-8. UnionPay's field names are ASCII letters and digits.
func TestCheckKeys(t *testing.T) {
	t.Parallel()
	signer, err := sign.NewSecureKeySigner(sign.MethodSHA256Key, []byte("88888888"))
	require.NoError(t, err)
	for _, tc := range []struct {
		name string
		key  string
		ok   bool
	}{
		{"letters and digits", "merId2", true},
		{"punctuation", "a&b=c%+_.-~!", true},
		{"trailing space", "signature ", false},
		{"leading space", " signature", false},
		{"inner space", "a b", false},
		{"tab", "a\tb", false},
		{"NUL", "a\x00", false},
		{"DEL", "a\x7f", false},
		{"Chinese", "键", false},
		{"private use", "\ue000", false},
		{"above U+FFFF", "😀", false},
		{"empty", "", false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			for _, enc := range []string{"UTF-8", "GBK"} {
				f := sign.Fields{"version": "5.1.0", "encoding": enc, "orderId": "1", tc.key: "v"}
				require.Equal(t, tc.ok, sign.CheckFieldNames(f) == nil, enc)
				_, cerr := sign.Canonical(f)
				_, eerr := sign.Encode(f)
				serr := sign.Sign(signer, f.Clone())
				if tc.ok {
					require.NoError(t, cerr)
					require.NoError(t, eerr)
					require.NoError(t, serr)
					continue
				}
				for _, err := range []error{cerr, eerr, serr} {
					require.ErrorIs(t, err, sign.ErrMalformed, enc)
					if tc.key != "" { // the empty key has its own message (TestCanonicalNamesField)
						require.ErrorContains(t, err, "field name", enc)
					}
				}
			}
		})
	}
}

// TestSecureKeyASCII: a secure key must be ASCII. UnionPay's Java SDK hashes the key in the
// message charset (the javalive review: "中文密钥" with a GBK message gave a signature other than
// the one from the key's UTF-8 bytes), so no one byte string can stand for a non-ASCII key.
func TestSecureKeyASCII(t *testing.T) {
	t.Parallel()
	for _, key := range []string{"中文密钥", "key\xff", "clé", "\xffkey"} {
		_, err := sign.NewSecureKeySigner(sign.MethodSHA256Key, []byte(key))
		require.ErrorContains(t, err, "secure key is not ASCII", key)
		err = sign.VerifySecureKey(sign.MethodSM3Key, []byte(key), []byte("a=1"), "00")
		require.ErrorContains(t, err, "secure key is not ASCII", key)
		require.NotErrorIs(t, err, sign.ErrSignature, "a configuration error, not a bad signature")
	}
	for _, key := range []string{"88888888", " 8888 ", "!~"} {
		_, err := sign.NewSecureKeySigner(sign.MethodSM3Key, []byte(key))
		require.NoError(t, err, key)
	}
}

// TestParseFormRefusesFieldNames: a notification whose field name is not printable ASCII is
// refused by ParseForm and ParseFormCanonical (Canonical would refuse its string to sign; a
// fuzzer found ParseFormCanonical building one). A pair with an empty value is dropped first,
// and ParseRequestForm (the gateway's side) keeps such names.
func TestParseFormRefusesFieldNames(t *testing.T) {
	t.Parallel()
	for _, body := range []string{" =0", "a+b=1", "%E9%94%AE=1&b=2", "a%00=1", "signature%20=x&a=1"} {
		_, err := sign.ParseForm(body)
		require.ErrorIs(t, err, sign.ErrMalformed, body)
		require.ErrorContains(t, err, "field name is not printable ASCII", body)
		_, _, err = sign.ParseFormCanonical([]byte(body), nil)
		require.ErrorIs(t, err, sign.ErrMalformed, body)
		_, err = sign.ParseRequestForm(body)
		require.NoError(t, err, body)
	}
	f, err := sign.ParseForm("a+b=&c=1")
	require.NoError(t, err)
	require.Equal(t, sign.Fields{"c": "1"}, f)
}

// TestCheckKeysNamesSmallest: with several bad field names the error names the smallest, so
// that it does not depend on map order (CheckFieldNames' documented rule), cut where it stops
// reading as a field name ("a a" as "a...": what follows may be a value).
func TestCheckKeysNamesSmallest(t *testing.T) {
	t.Parallel()
	f := sign.Fields{"version": "5.1.0", "z z": "1", "a a": "1", "m\tm": "1", "键": "1"}
	for range 10 {
		_, err := sign.Canonical(f)
		require.ErrorContains(t, err, `field name "a..."`)
		_, err = sign.Encode(f)
		require.ErrorContains(t, err, `field name "a..."`)
	}
}

// TestParseFormFieldNameError: the refusal of a field name that is not printable ASCII is a
// *ParseError naming the field and where its pair starts, as ParseForm's other errors are.
func TestParseFormFieldNameError(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		body, field string
		pos         int
	}{
		{"abc=1&a+b=2", "a b", 6},
		{"c=1&%E9%94%AE=1", "键", 4},
	} {
		_, err := sign.ParseForm(tc.body)
		var pe *sign.ParseError
		require.ErrorAs(t, err, &pe, tc.body)
		require.Equal(t, tc.field, pe.Field, tc.body)
		require.Equal(t, tc.pos, pe.Pos, tc.body)
		_, _, err = sign.ParseFormCanonical([]byte(tc.body), nil)
		require.ErrorAs(t, err, &pe, tc.body)
		require.Equal(t, tc.field, pe.Field, tc.body)
	}
}

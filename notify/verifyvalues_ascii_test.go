package notify_test

import (
	"net/url"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/goacp/unionpay/notify"
	"github.com/goacp/unionpay/sign"
)

// TestVerifyValuesNonASCIIByteAnywhere: VerifyValues takes a value as it is only when every byte
// of it is ASCII; one non-ASCII byte, first, last or the lowest (0x80), sends it to the GBK
// decoder, which refuses a byte GBK has not as a *sign.ParseError matching sign.ErrCharset
// rather than passing it on to fail the signature check.
func TestVerifyValuesNonASCIIByteAnywhere(t *testing.T) {
	t.Parallel()
	v := testPKI().verifier(t)
	for _, val := range []string{"\xffabc", "abc\xff", "\x80", "a\x80b"} {
		_, err := notify.VerifyValues(v, url.Values{"encoding": {"GBK"}, "respMsg": {val}})
		var pe *sign.ParseError
		if assert.ErrorAs(t, err, &pe, "%q", val) {
			assert.Equal(t, "respMsg", pe.Field, "%q", val)
		}
		assert.ErrorIs(t, err, sign.ErrCharset, "%q", val)
	}
}

// TestVerifyValuesKeyWithoutValue: a key holding no value at all (url.Values built by hand, or
// a middleware's, may have one) is dropped as an empty value is, not read as if it had one.
func TestVerifyValuesKeyWithoutValue(t *testing.T) {
	t.Parallel()
	p := testPKI()
	form, err := url.ParseQuery(encode(t, signWith(t, p.leaf, consumeFields("NOVALUE01"))))
	require.NoError(t, err)
	form["reserved"] = []string{}
	form["nilValues"] = nil
	n, err := notify.VerifyValues(p.verifier(t), form)
	require.NoError(t, err)
	assert.Equal(t, "NOVALUE01", n.OrderID)
	assert.NotContains(t, n.Raw, "reserved")
	assert.NotContains(t, n.Raw, "nilValues")
}

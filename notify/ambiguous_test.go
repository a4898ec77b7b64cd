package notify_test

import (
	"net/url"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/goacp/unionpay/notify"
	"github.com/goacp/unionpay/sign"
)

// Verify and VerifyValues apply the rule against ambiguous pairs
// (sign.Unambiguous) to fields that did not come through sign.ParseForm:
// each message below carries a genuine signature, which cert.Verifier
// accepts, and is refused as malformed all the same (N24 of the mutation
// review). In the "merged" cases two genuine fields arrive as one, with the
// same string to sign.
func TestVerifyRefusesAmbiguousFields(t *testing.T) {
	t.Parallel()
	p := testPKI()
	v := p.verifier(t)
	signed := func(change func(f sign.Fields)) sign.Fields {
		f := consumeFields("AMBIGUOUS01")
		change(f)
		return signWith(t, p.leaf, f)
	}
	merged := func(into, from string) sign.Fields {
		f := signWith(t, p.leaf, consumeFields("AMBIGUOUS01"))
		f[into] += "&" + from + "=" + f[from]
		delete(f, from)
		return f
	}
	tests := []struct {
		name  string
		f     sign.Fields
		field string // the field the error names
	}{
		{"signed value with '&' and '='", signed(func(f sign.Fields) { f["reqReserved"] = "a&b=c" }), "reqReserved"},
		{"signed value with '&' outside braces", signed(func(f sign.Fields) { f["reqReserved"] = "{a}&b" }), "reqReserved"},
		{"signed value leaving '{' open", signed(func(f sign.Fields) { f["reqReserved"] = "{cart=42" }), "reqReserved"},
		{"signed key with '='", signed(func(f sign.Fields) { f["reserved="] = "1" }), "reserved="},
		{"traceNo and traceTime merged", merged("traceNo", "traceTime"), "traceNo"},
		{"accNo and accessType merged", merged("accNo", "accessType"), "accNo"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			_, err := v.Verify(tt.f)
			require.NoError(t, err, "the signature is genuine: only the rule refuses it")

			n, err := notify.Verify(v, tt.f)
			requireAmbiguous(t, err, tt.field)
			assert.Nil(t, n)

			form := url.Values{}
			for k, val := range tt.f {
				form.Set(k, val)
			}
			n, err = notify.VerifyValues(v, form)
			requireAmbiguous(t, err, tt.field)
			assert.Nil(t, n)
		})
	}

	// The same fields without the ambiguity verify.
	n, err := notify.Verify(v, signWith(t, p.leaf, consumeFields("AMBIGUOUS01")))
	require.NoError(t, err)
	assert.Equal(t, "{cart=42&note=a b}", n.ReqReserved, "'&' inside braces is not ambiguous")
}

// requireAmbiguous checks that err is sign's ambiguity error about field.
func requireAmbiguous(t *testing.T, err error, field string) {
	t.Helper()
	require.ErrorIs(t, err, sign.ErrMalformed)
	var pe *sign.ParseError
	require.ErrorAs(t, err, &pe)
	assert.Equal(t, field, pe.Field)
}

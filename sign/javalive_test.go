package sign_test

import (
	"encoding/hex"
	"encoding/json"
	"os"
	"slices"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/goacp/unionpay/cert"
	"github.com/goacp/unionpay/sign"
)

// javaSigned is one record of testdata/javalive/sign-edge-cases.json: what UnionPay's Java SDK
// (signByCertInfo with the test PFX) made of an input map.
type javaSigned struct {
	Name      string      `json:"name"`
	Input     sign.Fields `json:"input"`
	Signed    sign.Fields `json:"java_signed_fields"`
	Canonical string      `json:"java_string_to_sign_hex"`
	Body      string      `json:"java_request_body_latin1"` // each byte as the code point of its value
}

// TestJavaLiveSign: Prepare, Sign, Canonical and Encode against the official Java SDK's output on
// edge cases (GBK characters whose second byte is a letter, the euro sign and the user-defined
// area in GBK, values that trim, NBSP, control characters, blank values): the same signed fields,
// the same string to sign and, pair for pair, the same request body (the SDK writes its HashMap's
// order). Where this module differs on purpose, the test checks what it does instead: it drops a
// value of Unicode white space alone (sign.Blank), refuses field names that are not printable
// ASCII (the SDK sorts them in UTF-16 order and leaves "signature " out of the string to sign),
// and refuses text GBK cannot represent (the SDK signs and sends '?').
func TestJavaLiveSign(t *testing.T) {
	t.Parallel()
	data, err := os.ReadFile("testdata/javalive/sign-edge-cases.json")
	require.NoError(t, err)
	var vecs []javaSigned
	require.NoError(t, json.Unmarshal(data, &vecs))
	require.Len(t, vecs, 12)
	pfx, err := cert.LoadPFXFile("../testdata/acp-test-certs/acp_test_sign.pfx", "000000")
	require.NoError(t, err)
	signer, err := pfx.Signer()
	require.NoError(t, err)

	for _, v := range vecs {
		t.Run(v.Name, func(t *testing.T) {
			t.Parallel()
			f := sign.Prepare(v.Input)
			err := sign.Sign(signer, f)
			switch v.Name {
			case "key-order-utf16-vs-bytes", "key-trims-to-signature":
				require.ErrorIs(t, err, sign.ErrMalformed)
				return
			case "gbk-unrepresentable-becomes-question-mark":
				require.ErrorIs(t, err, sign.ErrCharset)
				return
			case "value-ideographic-space-alone", "value-line-separator-alone":
				require.NoError(t, err)
				require.Contains(t, v.Signed, "orderDesc", "the SDK sends it")
				assert.NotContains(t, f, "orderDesc", "Blank drops it")
				return
			}
			require.NoError(t, err)
			assert.Equal(t, v.Signed, f, "signed fields")
			canon, err := sign.Canonical(f)
			require.NoError(t, err)
			assert.Equal(t, v.Canonical, hex.EncodeToString(canon), "string to sign")
			body, err := sign.Encode(f)
			require.NoError(t, err)
			assert.Equal(t, pairs(latin1Bytes(t, v.Body)), pairs(body), "request body")
		})
	}
}

// latin1Bytes turns a string whose code points are byte values back into those bytes.
func latin1Bytes(t *testing.T, s string) string {
	t.Helper()
	b := make([]byte, 0, len(s))
	for _, r := range s {
		require.Less(t, r, rune(256))
		b = append(b, byte(r))
	}
	return string(b)
}

// pairs returns the key=value pairs of a form body, sorted.
func pairs(body string) []string {
	p := strings.Split(body, "&")
	slices.Sort(p)
	return p
}

// TestJavaLiveParseRaw: ParseRaw against the official SDK's convertResultStringToMap on edge
// cases (testdata/javalive/parse-raw-edge-cases.json). Wherever the SDK returns fields, ParseRaw
// returns the same or an error: it refuses a pair without '=' (the SDK makes it an empty value),
// a repeated key (the SDK keeps the last), an '&' before the first '=' (the SDK puts it in the
// key) and a region left open (the SDK runs it to the end); where the SDK fails or returns
// nothing, ParseRaw returns an error or no fields.
func TestJavaLiveParseRaw(t *testing.T) {
	t.Parallel()
	data, err := os.ReadFile("testdata/javalive/parse-raw-edge-cases.json")
	require.NoError(t, err)
	var vecs []struct {
		Body    string      `json:"body"`
		Outcome string      `json:"java_outcome"`
		Fields  sign.Fields `json:"java_fields"`
	}
	require.NoError(t, json.Unmarshal(data, &vecs))
	require.Len(t, vecs, 20)
	refused := map[string]bool{"a": true, "a=1&b": true, "&a=1": true, "a&b=c": true, "a=1&a=2": true,
		"a={1&b=2": true, "a=[1&b=2": true}
	agreed := 0
	for _, v := range vecs {
		got, err := sign.ParseRaw(v.Body)
		switch {
		case v.Outcome != "map":
			if err == nil {
				assert.Empty(t, got, "body %q: the SDK gave %s", v.Body, v.Outcome)
			}
		case refused[v.Body]:
			assert.ErrorIs(t, err, sign.ErrMalformed, "body %q (the SDK read %q)", v.Body, v.Fields)
		default:
			require.NoError(t, err, "body %q", v.Body)
			want := v.Fields
			if want == nil {
				want = sign.Fields{}
			}
			assert.Equal(t, want, got, "body %q", v.Body)
			agreed++
		}
	}
	assert.Equal(t, 10, agreed)
}

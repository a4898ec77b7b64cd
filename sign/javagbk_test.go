package sign_test

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/goacp/unionpay/sign"
)

// TestJavaGBK: GBK messages are written and read in the JDK's GBK, UnionPay's: the euro sign
// is A2 E3 (x/text's GBK wrote 0x80, which Java cannot read, so UnionPay could not verify the
// request), a character of the user-defined areas (生僻字 in names) is its Private Use Area
// character (it was refused as "a UTF-8 body declared as GBK?"), and a message a Java
// counterpart signed over those bytes verifies.
func TestJavaGBK(t *testing.T) {
	t.Parallel()
	f := sign.Fields{"encoding": "GBK", "orderDesc": "欧洲礼品卡€50", "reqReserved": "\ue000名", "version": sign.Version510}
	canonical, err := sign.Canonical(f)
	require.NoError(t, err)
	assert.Equal(t, "encoding=GBK&orderDesc=\xc5\xb7\xd6\xde\xc0\xf1\xc6\xb7\xbf\xa8\xa2\xe350&reqReserved=\xaa\xa1\xc3\xfb&version=5.1.0", string(canonical))
	body, err := sign.Encode(f)
	require.NoError(t, err)
	assert.Contains(t, body, "%A2%E3")
	assert.Contains(t, body, "reqReserved=%AA%A1%C3%FB")

	// Read back, as a notification or as a raw answer: the same fields, and a secure-key
	// signature made over the JDK's bytes verifies.
	signer, err := sign.NewSecureKeySigner(sign.MethodSHA256Key, []byte("88888888"))
	require.NoError(t, err)
	signed := f.Clone()
	require.NoError(t, sign.Sign(signer, signed))
	body, err = sign.Encode(signed)
	require.NoError(t, err)
	parsed, err := sign.ParseForm(body)
	require.NoError(t, err)
	assert.Equal(t, signed, parsed)
	c, err := sign.Canonical(parsed)
	require.NoError(t, err)
	require.NoError(t, sign.VerifySecureKey(sign.MethodSHA256Key, []byte("88888888"), c, parsed[sign.FieldSignature]))
	raw, err := sign.DecodeBody([]byte("encoding=GBK&orderDesc=\xa2\xe350&reqReserved=\xaa\xa1"), "GBK")
	require.NoError(t, err)
	assert.Equal(t, "encoding=GBK&orderDesc=€50&reqReserved=\ue000", raw)

	// 0x80 is not GBK in Java: refused as invalid, not read as the euro sign.
	_, err = sign.DecodeBody([]byte("encoding=GBK&orderDesc=\x8050"), "GBK")
	require.ErrorIs(t, err, sign.ErrCharset)
	_, err = sign.ParseForm("encoding=GBK&orderDesc=%8050")
	require.ErrorIs(t, err, sign.ErrCharset)
}

// TestEncodeLikeJavaURLEncoder: a body is percent-encoded byte for byte as Java's URLEncoder
// encodes it (letters, digits and ". - * _" kept, space as '+', the rest %XX in upper case), so
// that it equals the Java SDK's (the expected body is java.net.URLEncoder's, OpenJDK 17); net/url
// kept '~' and escaped '*'. It decodes to the same fields.
func TestEncodeLikeJavaURLEncoder(t *testing.T) {
	t.Parallel()
	f := sign.Fields{"encoding": "UTF-8", "orderDesc": "a*b~c d/é+%._-", "version": sign.Version510}
	body, err := sign.Encode(f)
	require.NoError(t, err)
	assert.Equal(t, "encoding=UTF-8&orderDesc=a*b%7Ec+d%2F%C3%A9%2B%25._-&version=5.1.0", body)
	back, err := sign.ParseForm(body)
	require.NoError(t, err)
	assert.Equal(t, f, back)
}

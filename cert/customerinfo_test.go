package cert

import (
	"encoding/base64"
	"encoding/hex"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"golang.org/x/text/encoding/simplifiedchinese"

	"github.com/goacp/unionpay/sign"
)

const testPAN = "6216261000000000018"

// decodeInfo base64-decodes a customerInfo and splits "{a&b&c}" into its
// pairs, in order (values here hold no braces).
func decodeInfo(t *testing.T, info string) []string {
	t.Helper()
	raw, err := base64.StdEncoding.DecodeString(info)
	require.NoError(t, err)
	s := string(raw)
	require.True(t, strings.HasPrefix(s, "{") && strings.HasSuffix(s, "}"), s)
	return strings.Split(s[1:len(s)-1], "&")
}

func TestCustomerInfoWithoutEncryptionPermission(t *testing.T) {
	t.Parallel()
	e, d := opensslMerchant(t)
	pairs := []Pair{
		{"phoneNo", "13552535506"}, {"certifTp", "01"}, {"customerNm", "全渠道"},
		{"pin", "123456"}, {"certifId", "341126197709218366"}, {"cvn2", "123"}, {"expired", "2712"},
	}
	info, err := e.CustomerInfo(pairs, testPAN, false)
	require.NoError(t, err)
	got := decodeInfo(t, info)
	require.Len(t, got, len(pairs))
	for i, p := range pairs {
		key, value, ok := strings.Cut(got[i], "=")
		require.True(t, ok)
		assert.Equal(t, p.Key, key, "order as given")
		if p.Key == "pin" {
			block, err := d.decrypt(value)
			require.NoError(t, err)
			assert.Equal(t, "06122456fffffffe", hex.EncodeToString(block))
			continue
		}
		assert.Equal(t, p.Value, value)
	}
}

// TestPlainCustomerInfo: without the encryption permission and without a PIN, no Encrypter is
// needed, and the result is what Encrypter.CustomerInfo builds for the same pairs.
func TestPlainCustomerInfo(t *testing.T) {
	t.Parallel()
	e, _ := opensslMerchant(t)
	pairs := []Pair{{"phoneNo", "13552535506"}, {"certifTp", "01"}, {"customerNm", "全渠道"}, {"cvn2", "123"}}
	got, err := PlainCustomerInfo(pairs)
	require.NoError(t, err)
	want, err := e.CustomerInfo(pairs, "", false)
	require.NoError(t, err)
	assert.Equal(t, want, got)
	raw, err := base64.StdEncoding.DecodeString(got)
	require.NoError(t, err)
	assert.Equal(t, "{phoneNo=13552535506&certifTp=01&customerNm=全渠道&cvn2=123}", string(raw))

	empty, err := PlainCustomerInfo(nil)
	require.NoError(t, err)
	assert.Equal(t, "{}", empty)

	for _, bad := range [][]Pair{{{"pin", "123456"}}, {{"a&b", "1"}}, {{"k", "{x}"}}, {{"k", "1"}, {"k", "2"}}} {
		_, err := PlainCustomerInfo(bad)
		var ie *InputError
		require.ErrorAs(t, err, &ie, "%v", bad)
	}
}

func TestCustomerInfoWithEncryptionPermission(t *testing.T) {
	t.Parallel()
	e, d := opensslMerchant(t)
	pairs := []Pair{
		{"expired", "2712"}, {"certifTp", "01"}, {"phoneNo", "13552535506"},
		{"customerNm", "全渠道"}, {"pin", "1234"}, {"cvn2", "123"}, {"smsCode", "111111"},
	}
	info, err := e.CustomerInfo(pairs, testPAN, true)
	require.NoError(t, err)
	got := decodeInfo(t, info)
	require.Len(t, got, 5)
	assert.Equal(t, []string{"certifTp=01", "customerNm=全渠道"}, got[:2])
	assert.True(t, strings.HasPrefix(got[2], "pin="))
	assert.Equal(t, "smsCode=111111", got[3])
	key, value, _ := strings.Cut(got[4], "=")
	assert.Equal(t, "encryptedInfo", key, "encryptedInfo is the last pair")
	inner, err := d.Decrypt(value)
	require.NoError(t, err)
	assert.Equal(t, "expired=2712&phoneNo=13552535506&cvn2=123", inner, "sub-fields in the order given")
	block, err := d.decrypt(strings.TrimPrefix(got[2], "pin="))
	require.NoError(t, err)
	assert.Equal(t, "041224fffffffffe", hex.EncodeToString(block))

	// Round trip through the parser.
	parsed, err := ParseCustomerInfo(info, d)
	require.NoError(t, err)
	keys := make([]string, len(parsed))
	for i, p := range parsed {
		keys[i] = p.Key
	}
	assert.Equal(t, []string{"certifTp", "customerNm", "cvn2", "expired", "phoneNo", "pin", "smsCode"}, keys)
	assert.Contains(t, parsed, Pair{"phoneNo", "13552535506"})
	assert.Contains(t, parsed, Pair{"customerNm", "全渠道"})

	// Only encrypted sub-fields: encryptedInfo alone.
	info, err = e.CustomerInfo([]Pair{{"cvn2", "123"}}, "", true)
	require.NoError(t, err)
	got = decodeInfo(t, info)
	require.Len(t, got, 1)
	assert.True(t, strings.HasPrefix(got[0], "encryptedInfo="))
}

func TestCustomerInfoEmpty(t *testing.T) {
	t.Parallel()
	e, _ := opensslMerchant(t)
	for _, withPermission := range []bool{false, true} {
		info, err := e.CustomerInfo(nil, "", withPermission)
		require.NoError(t, err)
		assert.Equal(t, "{}", info)
	}
	pairs, err := ParseCustomerInfo("{}", nil)
	require.NoError(t, err)
	assert.Empty(t, pairs)
}

func TestCustomerInfoBadInput(t *testing.T) {
	t.Parallel()
	e, _ := opensslMerchant(t)
	tests := []struct {
		name  string
		pairs []Pair
		pan   string
		field string
	}{
		{"pin without pan", []Pair{{"pin", "123456"}}, "", "pan"},
		{"bad pin", []Pair{{"pin", "12"}}, testPAN, "pin"},
		{"bad pan", []Pair{{"pin", "123456"}}, "123", "pan"},
		{"duplicate key", []Pair{{"certifTp", "01"}, {"certifTp", "02"}}, "", "customerInfo certifTp"},
		{"empty key", []Pair{{"", "01"}}, "", "customerInfo key"},
		{"key with =", []Pair{{"a=b", "01"}}, "", "customerInfo key"},
		{"value with &", []Pair{{"customerNm", "a&b"}}, "", "customerInfo customerNm"},
		{"value with brace", []Pair{{"customerNm", "{x}"}}, "", "customerInfo customerNm"},
		{"encryptedInfo given", []Pair{{"encryptedInfo", "x"}}, "", "customerInfo encryptedInfo"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			for _, withPermission := range []bool{false, true} {
				_, err := e.CustomerInfo(tt.pairs, tt.pan, withPermission)
				var ie *InputError
				require.ErrorAs(t, err, &ie)
				assert.Equal(t, tt.field, ie.Field)
			}
		})
	}
}

// A customerInfo holding an openssl-encrypted encryptedInfo parses.
func TestParseCustomerInfoOpenSSLVector(t *testing.T) {
	t.Parallel()
	_, d := opensslMerchant(t)
	info := readVector(t, "customerinfo.openssl.b64")
	pairs, err := ParseCustomerInfo(info, d)
	require.NoError(t, err)
	assert.Equal(t, []Pair{
		{"certifId", "341126197709218366"}, {"certifTp", "01"}, {"customerNm", "全渠道"},
		{"cvn2", "123"}, {"expired", "2712"}, {"phoneNo", "13552535506"},
	}, pairs)

	_, err = ParseCustomerInfo(info, nil)
	require.ErrorContains(t, err, "no Decrypter")
	other, err := loadTestPFX(t, "acp_test_sign.pfx").Decrypter()
	require.NoError(t, err)
	_, err = ParseCustomerInfo(info, other)
	require.ErrorContains(t, err, "cert: customerInfo encryptedInfo: cert: decrypt")
}

func TestParseCustomerInfoMalformed(t *testing.T) {
	t.Parallel()
	b64 := func(s string) string { return base64.StdEncoding.EncodeToString([]byte(s)) }
	tests := map[string]string{
		"not base64":     "{certifTp=01}",
		"no braces":      b64("certifTp=01"),
		"pair without =": b64("{certifTp}"),
		"duplicate":      b64("{a=1&a=2}"),
		"trailing &":     b64("{a=1&}"),
		"empty":          "",
		"unbalanced":     b64("{a=1"),
	}
	for name, in := range tests {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			_, err := ParseCustomerInfo(in, nil)
			require.ErrorIs(t, err, sign.ErrMalformed)
			assert.True(t, strings.HasPrefix(err.Error(), "cert: customerInfo"), err.Error())
		})
	}
	pairs, err := ParseCustomerInfo(b64("{certifTp=01&reserved={a=1&b=2}}"), nil)
	require.NoError(t, err)
	assert.Equal(t, []Pair{{"certifTp", "01"}, {"reserved", "{a=1&b=2}"}}, pairs, "raw rule keeps {..} together")
}

// TestParseCustomerInfoGBK: in a GBK message customerInfo and its encryptedInfo are GBK, as the
// official SDK builds and decodes them; read as UTF-8 they are refused, not garbled.
func TestParseCustomerInfoGBK(t *testing.T) {
	t.Parallel()
	e, d := opensslMerchant(t)
	gbk := func(s string) string {
		b, err := simplifiedchinese.GBK.NewEncoder().String(s)
		require.NoError(t, err)
		return b
	}
	secret, err := e.Encrypt(gbk("phoneNo=13552535506&customerNm=全渠道"))
	require.NoError(t, err)
	info := base64.StdEncoding.EncodeToString([]byte(gbk("{certifTp=01&certifId=互联网{x}&encryptedInfo=" + secret + "}")))
	pairs, err := ParseCustomerInfoCharset(info, "GBK", d)
	require.NoError(t, err)
	assert.Equal(t, []Pair{{"certifId", "互联网{x}"}, {"certifTp", "01"}, {"customerNm", "全渠道"}, {"phoneNo", "13552535506"}}, pairs)

	_, err = ParseCustomerInfo(info, d)
	require.ErrorIs(t, err, sign.ErrCharset, "GBK read as UTF-8")
	_, err = ParseCustomerInfoCharset(base64.StdEncoding.EncodeToString([]byte("{customerNm=\xff}")), "GBK", d)
	require.ErrorIs(t, err, sign.ErrCharset, "invalid GBK")
}

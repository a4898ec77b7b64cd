package cert

import (
	"encoding/base64"
	"encoding/hex"
	"slices"
	"strings"
	"testing"
	"unicode/utf8"

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

// FuzzCustomerInfoRoundTrip: what Encrypter.CustomerInfo (with and without encryptedInfo) and
// PlainCustomerInfo build from pairs, ParseCustomerInfo reads back as the same pairs, sorted by
// key. FuzzParseCustomerInfo only checks the shape of what it reads. The pairs come from
// spec: "k=v" items separated by ';' (a pin is left out: it comes back as a PIN block).
func FuzzCustomerInfoRoundTrip(f *testing.F) {
	f.Add("certifTp=01;certifId=341126197709218366;customerNm=全渠道;phoneNo=13552535506;cvn2=123;expired=2912", true)
	f.Add("a=;b==x", false)
	f.Add("phoneNo=1", true)
	e, d := opensslMerchant(f)
	f.Fuzz(func(t *testing.T, spec string, encryptInfo bool) {
		if !utf8.ValidString(spec) {
			return
		}
		var pairs []Pair
		for item := range strings.SplitSeq(spec, ";") {
			k, v, _ := strings.Cut(item, "=")
			if k == CustomerPIN {
				continue
			}
			pairs = append(pairs, Pair{Key: k, Value: v})
		}
		want := slices.Clone(pairs)
		slices.SortFunc(want, func(a, b Pair) int { return strings.Compare(a.Key, b.Key) })
		for _, plain := range []bool{false, true} {
			var s string
			var err error
			if plain {
				s, err = PlainCustomerInfo(pairs)
			} else {
				s, err = e.CustomerInfo(pairs, "", encryptInfo)
			}
			if err != nil {
				continue
			}
			got, err := ParseCustomerInfo(s, d)
			if err != nil || len(got) != len(want) || len(want) > 0 && !slices.Equal(got, want) {
				t.Fatalf("plain %v, encryptInfo %v: %q read back as %q, %v; want %q", plain, encryptInfo, pairs, got, err, want)
			}
		}
	})
}

// TestParseCustomerInfoEmptyBraces: an empty customerInfo is the literal
// "{}", also with white space around it, and gives no pairs and no error.
func TestParseCustomerInfoEmptyBraces(t *testing.T) {
	t.Parallel()
	for _, s := range []string{"{}", " {}", "{} ", "{}\r\n", "\t{}\n"} {
		t.Run(s, func(t *testing.T) {
			t.Parallel()
			pairs, err := ParseCustomerInfo(s, nil)
			require.NoError(t, err)
			require.Empty(t, pairs)
		})
	}
}

// TestParseCustomerInfoRefusesFieldInBothParts: a key both in the plain part
// and in encryptedInfo is malformed; neither value may silently win.
func TestParseCustomerInfoRefusesFieldInBothParts(t *testing.T) {
	t.Parallel()
	p := loadTestPFX(t, "unipayAppCert.pfx")
	e, err := NewEncrypter(p.Certificate)
	require.NoError(t, err)
	d, err := p.Decrypter()
	require.NoError(t, err)

	for _, tc := range []struct {
		name, plain, inner string
		wantErr            bool
	}{
		{"distinct keys", "certifTp=01&customerNm=张三", "phoneNo=13552535506&cvn2=123", false},
		{"phoneNo in both", "phoneNo=13800000000", "phoneNo=13552535506", true},
		{"cvn2 in both", "certifTp=01&cvn2=999", "phoneNo=13552535506&cvn2=123", true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			enc, err := e.Encrypt(tc.inner)
			require.NoError(t, err)
			info := base64.StdEncoding.EncodeToString([]byte("{" + tc.plain + "&" + CustomerEncryptedInfo + "=" + enc + "}"))
			pairs, err := ParseCustomerInfo(info, d)
			if !tc.wantErr {
				require.NoError(t, err)
				require.Len(t, pairs, 4)
				return
			}
			require.ErrorIs(t, err, sign.ErrMalformed)
			require.Nil(t, pairs)
			require.NotContains(t, err.Error(), "13552535506")
		})
	}
}

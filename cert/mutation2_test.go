package cert

import (
	"encoding/base64"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/goacp/unionpay/sign"
)

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

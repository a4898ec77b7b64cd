package cert

import (
	"encoding/base64"
	"errors"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/goacp/unionpay/sign"
)

// TestParseCustomerInfoDuplicateKeyCut: the key a customerInfo's plain part and its encryptedInfo
// both hold is named in the error as mask.Key cuts a key (as CustomerInfo's own refusals name
// one), "phoneNo...": key=value text given whole as a key ("phoneNo 13552535506", a space sent
// for '=') holds the value, and the error reaches logs. It was quoted whole up to 64 bytes.
func TestParseCustomerInfoDuplicateKeyCut(t *testing.T) {
	t.Parallel()
	e, d := opensslMerchant(t)
	b64 := func(s string) string { return base64.StdEncoding.EncodeToString([]byte(s)) }
	for _, tc := range []struct{ key, shown, secret string }{
		{"phoneNo 13552535506", `"phoneNo..."`, "13552535506"},
		{"accNo6216261000000000018", `"accNo..."`, "6216261000000000018"},
		{"phoneNo", `"phoneNo"`, ""},
	} {
		enc, err := e.Encrypt(tc.key + "=1")
		require.NoError(t, err)
		_, err = ParseCustomerInfo(b64("{"+tc.key+"=2&encryptedInfo="+enc+"}"), d)
		require.True(t, errors.Is(err, sign.ErrMalformed), "%v", err)
		assert.Contains(t, err.Error(), tc.shown+" both plain and in encryptedInfo", tc.key)
		if tc.secret != "" {
			assert.NotContains(t, err.Error(), tc.secret[:8], tc.key)
		}
	}
}

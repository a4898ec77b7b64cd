package cert

import (
	"encoding/base64"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/goacp/unionpay/sign"
)

// TestParseCustomerInfoNestedEncryptedInfo: an encryptedInfo whose decrypted text holds an
// encryptedInfo of its own is malformed, as Encrypter.CustomerInfo never writes one: it was merged
// in as a pair, and ParseCustomerInfo returned the "encryptedInfo" its doc says is dropped.
func TestParseCustomerInfoNestedEncryptedInfo(t *testing.T) {
	t.Parallel()
	e, d := opensslMerchant(t)
	for _, inner := range []string{"encryptedInfo=x", "phoneNo=13552535506&encryptedInfo=", "cvn2=123&encryptedInfo=e30="} {
		enc, err := e.Encrypt(inner)
		require.NoError(t, err)
		info := base64.StdEncoding.EncodeToString([]byte("{certifTp=01&encryptedInfo=" + enc + "}"))
		pairs, err := ParseCustomerInfo(info, d)
		require.ErrorIs(t, err, sign.ErrMalformed, "%q", inner)
		assert.Nil(t, pairs)
		assert.Contains(t, err.Error(), "encryptedInfo within encryptedInfo")
		assert.NotContains(t, err.Error(), "13552535506")
	}
}

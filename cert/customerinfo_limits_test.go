package cert

import (
	"encoding/base64"
	"errors"
	"fmt"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/goacp/unionpay/sign"
)

// TestParseCustomerInfoLimits: a customerInfo is read with sign.ParseRaw, so one of more than
// sign.MaxFields pairs is refused (matching sign.ErrTooManyFields); and the key its plain part
// and its encryptedInfo both hold is quoted in the error cut where it stops reading as a field
// name (it was written whole, unquoted, so a control byte in it reached the log as it was).
func TestParseCustomerInfoLimits(t *testing.T) {
	t.Parallel()
	b64 := func(s string) string { return base64.StdEncoding.EncodeToString([]byte(s)) }
	pairs := func(n int) string {
		var b strings.Builder
		for i := range n {
			fmt.Fprintf(&b, "k%x=1&", i)
		}
		return strings.TrimSuffix(b.String(), "&")
	}
	got, err := ParseCustomerInfo(b64("{"+pairs(sign.MaxFields)+"}"), nil)
	require.NoError(t, err)
	assert.Len(t, got, sign.MaxFields)
	_, err = ParseCustomerInfo(b64("{"+pairs(sign.MaxFields+1)+"}"), nil)
	require.ErrorIs(t, err, sign.ErrTooManyFields)
	require.ErrorIs(t, err, sign.ErrMalformed)

	e, d := opensslMerchant(t)
	key := "k\n" + strings.Repeat("x", 150)
	enc, err := e.Encrypt(key + "=1")
	require.NoError(t, err)
	_, err = ParseCustomerInfo(b64("{"+key+"=2&encryptedInfo="+enc+"}"), d)
	require.True(t, errors.Is(err, sign.ErrMalformed), "%v", err)
	assert.Contains(t, err.Error(), `"k..." both plain and in encryptedInfo`) // cut as mask.Key cuts a key
}

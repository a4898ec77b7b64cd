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

// TestParseCustomerInfoMaxFieldsMerged: a customerInfo with its encryptedInfo's fields merged in
// is at most sign.MaxFields pairs, as every decoded message is: one that would be more is refused
// with an error matching sign.ErrTooManyFields and sign.ErrMalformed. Each part was bounded on
// its own, so the result could hold twice MaxFields (SM2 ciphertext has no size limit; RSA's adds
// a hundred-odd tiny pairs).
func TestParseCustomerInfoMaxFieldsMerged(t *testing.T) {
	t.Parallel()
	e, d := opensslMerchant(t)
	var plain strings.Builder
	plain.WriteString("{")
	for i := range sign.MaxFields - 2 { // with encryptedInfo, MaxFields-1 pairs
		fmt.Fprintf(&plain, "k%x=1&", i)
	}
	customerInfo := func(inner string) string {
		enc, err := e.Encrypt(inner)
		require.NoError(t, err)
		return base64.StdEncoding.EncodeToString([]byte(plain.String() + "encryptedInfo=" + enc + "}"))
	}

	got, err := ParseCustomerInfo(customerInfo("phoneNo=13552535506&cvn2=123"), d)
	require.NoError(t, err, "MaxFields pairs in all")
	assert.Len(t, got, sign.MaxFields)

	got, err = ParseCustomerInfo(customerInfo("phoneNo=13552535506&cvn2=123&expired=2311"), d)
	assert.Nil(t, got)
	require.True(t, errors.Is(err, sign.ErrTooManyFields), "%v", err)
	require.True(t, errors.Is(err, sign.ErrMalformed), "%v", err)
	assert.Contains(t, err.Error(), "encryptedInfo")

	// A key both plain and encrypted is still named as such, whatever the count.
	_, err = ParseCustomerInfo(customerInfo("k0=2&cvn2=123&expired=2311"), d)
	require.True(t, errors.Is(err, sign.ErrMalformed), "%v", err)
	assert.Contains(t, err.Error(), `"k0" both plain and in encryptedInfo`)
}

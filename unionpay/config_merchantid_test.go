package unionpay_test

import (
	"errors"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/goacp/unionpay/unionpay"
)

// TestNewClientMerchantIDMessage: NewClient names Config.MerchantID when it is not a merId, and
// when it was never set (a Config from LoadJavaConfig, whose acp_sdk.properties holds no merId)
// says that it is required and where it does not come from, rather than that "" has the wrong
// length.
func TestNewClientMerchantIDMessage(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		name, merID, want string
	}{
		{"unset", "", "unionpay: Config.MerchantID: required: the merId, 15 letters or digits (acp_sdk.properties does not hold it)"},
		{"blank", "   ", "unionpay: Config.MerchantID: must be 15 letters or digits"},
		{"short", "12345", "unionpay: Config.MerchantID: must be 15 letters or digits"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			_, err := unionpay.NewClient(unionpay.Config{MerchantID: tc.merID})
			require.EqualError(t, err, tc.want)
			var ce *unionpay.ConfigError
			require.True(t, errors.As(err, &ce))
			assert.Equal(t, "Config.MerchantID", ce.Field)
		})
	}
}

package notify_test

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/goacp/unionpay/notify"
)

// TestNotificationPermissionFieldsTyped: payCardType and payType (returned to a merchant with
// the permission) and exchangeRate (settlement data) are fields of the Notification, not only in
// Raw (a completeness audit).
func TestNotificationPermissionFieldsTyped(t *testing.T) {
	p := testPKI()
	f := foreignCardFields("XBJPY0101")
	f["payType"] = "0001"
	n, err := notify.Parse(p.verifier(t), []byte(encode(t, signWith(t, p.leaf, f))))
	require.NoError(t, err)
	assert.Equal(t, "02", n.PayCardType)
	assert.Equal(t, "0001", n.PayType)
	assert.Equal(t, "30048300", n.ExchangeRate)
}

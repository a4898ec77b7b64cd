package unionpaytest_test

import (
	"context"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/goacp/unionpay/sign"
	"github.com/goacp/unionpay/unionpay/unionpaytest"
)

// TestB2BConsumeChecks: a consume under the B2B gateway payment's bizType (000202) is taken as
// UnionPay's B2B samples send it, a form with txnSubType 01 and channelType 07, and refused
// otherwise: at another channel, as installments, or at backTransReq.do.
func TestB2BConsumeChecks(t *testing.T) {
	t.Parallel()
	m := newMerchant(t)
	form := func(orderID string, kv ...string) sign.Fields {
		f := m.fields("01", "01", "000202", "orderId", orderID, "txnAmt", "880000", "currencyCode", "156",
			"channelType", "07", "backUrl", "http://127.0.0.1:1/notify", "frontUrl", "http://127.0.0.1:1/return",
			"payTimeout", m.clock.Now().Add(15*time.Minute).Format("20060102150405"))
		for i := 0; i+1 < len(kv); i += 2 {
			f[kv[i]] = kv[i+1]
		}
		return m.sign(f)
	}
	for _, tc := range []struct {
		name    string
		form    sign.Fields
		refused string // the respCode the cashier reports; "" when it takes the payment
	}{
		{"as the samples send it", form("B2BFORM01"), ""},
		{"mobile channel", form("B2BFORM02", "channelType", "08"), "respCode 10"},
		{"installments", form("B2BFORM03", "txnSubType", "03"), "respCode 10"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			result, err := m.srv.Pay(context.Background(), tc.form, "")
			if tc.refused != "" {
				require.ErrorIs(t, err, unionpaytest.ErrCashier)
				assert.Contains(t, err.Error(), tc.refused)
				return
			}
			require.NoError(t, err)
			assert.Equal(t, "00", result["respCode"])
			assert.Equal(t, "000202", result["bizType"])
		})
	}
	back := m.call(unionpaytest.EndpointBack, m.fields("01", "01", "000202", "orderId", "B2BBACK01",
		"txnAmt", "880000", "currencyCode", "156", "channelType", "07", "backUrl", "http://127.0.0.1:1/notify",
		"accNo", unionpaytest.TestCard))
	assert.Equal(t, unionpaytest.CodeNotAllowed, back["respCode"], back["respMsg"])
}

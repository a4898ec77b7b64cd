package unionpaytest_test

import (
	"context"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/goacp/unionpay/unionpay"
)

// TestCurrencyGatewayNamesRefusedCurrency: the fake gateway refuses a currencyCode other than 156. Its
// cashier says why (`currencyCode "840", want 156`); a back-end or app request, without a
// Reporter (the quickstart's and most callers' setup), got only "10 报文格式错误[0000010]", and a
// developer trying a foreign-currency merchant was left to guess which field was wrong.
func TestCurrencyGatewayNamesRefusedCurrency(t *testing.T) {
	_, c, _ := clientGateway(t)
	_, err := c.AppConsume(context.Background(), &unionpay.ConsumeRequest{OrderID: "XBAPP00392", Amount: 1000,
		Currency: "392", BackURL: "http://127.0.0.1:1/n"})
	var ue *unionpay.Error
	require.ErrorAs(t, err, &ue)
	assert.Equal(t, "10", ue.RespCode)
	assert.Contains(t, ue.RespMsg, "currencyCode", "the refusal should name the field, as the cashier does")
}

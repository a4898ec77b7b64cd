package unionpay_test

import (
	"fmt"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/goacp/unionpay/unionpay"
)

func TestRequestsDoNotPrintSecrets(t *testing.T) {
	t.Parallel()
	card, acct := cardReq(), accountReq()
	card.Customer.CVN2, card.Customer.Expiry = "123", "2311"
	rec := unionpay.BatchRecord{OrderID: "BATCH0001", Amount: 100, AccNo: "6216261000000000018", IDNumber: "341126197709218366", Phone: "13552535506"}
	secrets := []string{"6216261000000000018", "341126197709218366", "13552535506", "111111", "123456", "2311"}
	consume := consumeReq()
	consume.AccNo = "6216261000000000018"
	file, _, _, err := unionpay.EncodeBatchFile("5.1.0", "000401", []unionpay.BatchRecord{rec})
	require.NoError(t, err)
	batch := &unionpay.BatchRequest{BatchNo: "0001", Records: []unionpay.BatchRecord{rec}}
	raw := &unionpay.BatchRequest{BatchNo: "0002", File: file, TotalQty: 1, TotalAmount: 1}
	for _, v := range []any{card, *card, acct, *acct, *card.Customer, card.Customer, rec, &rec, consume, batch, *batch, raw, *raw} {
		for _, verb := range []string{"%v", "%+v", "%#v", "%s"} {
			out := fmt.Sprintf(verb, v)
			for _, s := range secrets {
				assert.NotContains(t, out, s, "%s of %T", verb, v)
			}
		}
	}
	assert.Contains(t, fmt.Sprint(card), "621626******0018")
	assert.Contains(t, fmt.Sprint(card), "互联网")
	assert.Contains(t, fmt.Sprintf("%+v", *card), "OrderID:"+testOrder)
}

// TestFormDoesNotPrintCardNumber: with Config.PlainCardData a front form carries the card number
// in clear, and its String masks it.
func TestFormDoesNotPrintCardNumber(t *testing.T) {
	t.Parallel()
	g := newGateway(t, accept(nil))
	c := newTestClient(t, g, func(cfg *unionpay.Config) { cfg.PlainCardData = true })
	req := consumeReq()
	req.AccNo = "6216261000000000018"
	form, err := c.FrontConsume(req)
	require.NoError(t, err)
	require.Equal(t, req.AccNo, form.Fields["accNo"], "in clear in the form itself")
	for _, v := range []any{form, *form} {
		for _, verb := range []string{"%v", "%+v", "%#v", "%s"} {
			out := fmt.Sprintf(verb, v)
			assert.NotContains(t, out, req.AccNo, "%s of %T", verb, v)
			assert.Contains(t, out, "621626******0018", "%s of %T", verb, v)
			assert.Contains(t, out, "orderId:"+testOrder, "%s of %T", verb, v)
		}
	}
}

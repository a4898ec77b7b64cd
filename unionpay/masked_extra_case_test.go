package unionpay_test

import (
	"encoding/json"
	"fmt"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/goacp/unionpay/sign"
	"github.com/goacp/unionpay/unionpay"
)

// TestExtraMisCasedFieldMasked: an Extra key that is a card-data field in another case ("AccNo",
// "CUSTOMERINFO") is no field of UnionPay's, but its value is the same secret: every log form of
// the request (String, %+v, MarshalJSON) masks it as the field, and the masked form is refused
// by UnmarshalJSON as every mask is.
func TestExtraMisCasedFieldMasked(t *testing.T) {
	t.Parallel()
	for _, extra := range []sign.Fields{
		{"AccNo": keyCard},
		{"ACCNO": keyCard, "orderDesc": "tea"},
		{"CustomerInfo": "e2NlcnRpZlRwPTAxJnBob25lTm89MTM1NTI1MzU1MDZ9"},
	} {
		req := &unionpay.ConsumeRequest{OrderID: "ORDER0001", Amount: 100, Extra: extra}
		b, err := json.Marshal(req)
		require.NoError(t, err)
		for _, form := range []string{string(b), fmt.Sprint(req), fmt.Sprintf("%+v", req), fmt.Sprintf("%#v", req)} {
			for _, v := range extra {
				if v != "tea" {
					assert.NotContains(t, form, v, "a log form shows the value of a mis-cased field")
				}
			}
		}
		assert.ErrorIs(t, json.Unmarshal(b, new(unionpay.ConsumeRequest)), unionpay.ErrMaskedJSON, "%s", b)
	}
}

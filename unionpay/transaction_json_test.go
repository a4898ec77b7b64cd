package unionpay_test

import (
	"encoding/json"
	"errors"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/goacp/unionpay/sign"
	"github.com/goacp/unionpay/unionpay"
)

// A Transaction stored as JSON before its log form existed decodes, UnionPay's own masked card
// number included; the log form, which hid a card number or a ciphertext, does not.
func TestTransactionJSONStoredAndMasked(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name   string
		accNo  string
		masked bool
	}{
		{"UnionPay's 4+4 mask", "6216***********0018", false},
		{"UnionPay's 6+4 mask of 19 digits", "621626*********0018", false},
		{"a ciphertext", "QmFzZTY0RW5jcnlwdGVkQWNjTm8=", false},
		{"none", "", false},
		{"this module's 6+4", "621626******0018", true},
		{"this module's last 4", "******0018", true},
		{"this module's ciphertext placeholder", "(encrypted)", true},
		{"this module's short number", "***", true},
	}
	for _, tt := range tests {
		for _, where := range []string{"AccNo", "Raw"} {
			tx := unionpay.Transaction{OrderID: "ORDER0001", Raw: sign.Fields{"orderId": "ORDER0001"}}
			if where == "AccNo" {
				tx.AccNo = tt.accNo
			} else if tt.accNo != "" {
				tx.Raw["accNo"] = tt.accNo
			}
			type stored unionpay.Transaction // as json.Marshal wrote it before MarshalJSON existed
			b, err := json.Marshal(stored(tx))
			require.NoError(t, err)
			var back unionpay.Transaction
			err = json.Unmarshal(b, &back)
			if tt.masked {
				assert.True(t, errors.Is(err, unionpay.ErrMaskedJSON), "%s in %s: %v", tt.name, where, err)
				continue
			}
			require.NoError(t, err, "%s in %s", tt.name, where)
			assert.Equal(t, tx.AccNo, back.AccNo, tt.name)
			assert.Equal(t, tx.Raw, back.Raw, tt.name)
		}
	}
}

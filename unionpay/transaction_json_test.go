package unionpay_test

import (
	"encoding/json"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/goacp/unionpay/sign"
	"github.com/goacp/unionpay/unionpay"
)

// A Transaction stored as JSON before its log form existed decodes as it was, UnionPay's own
// masked card numbers included; and a struct of the caller's that embeds one decodes its own
// fields too: Transaction has no UnmarshalJSON, which the struct would take over (a review found
// one that refused masks dropping the caller's fields). The log form decodes into the masks.
func TestTransactionJSONStoredAndMasked(t *testing.T) {
	t.Parallel()
	for _, accNo := range []string{"6216***********0018", "622609******0048", "QmFzZTY0RW5jcnlwdGVkQWNjTm8=", ""} {
		tx := unionpay.Transaction{OrderID: "ORDER0001", AccNo: accNo, Raw: sign.Fields{"orderId": "ORDER0001", "accNo": accNo}}
		type stored unionpay.Transaction // as json.Marshal wrote it before MarshalJSON existed
		b, err := json.Marshal(stored(tx))
		require.NoError(t, err)
		var back unionpay.Transaction
		require.NoError(t, json.Unmarshal(b, &back), accNo)
		assert.Equal(t, tx.AccNo, back.AccNo)
		assert.Equal(t, tx.Raw, back.Raw)

		type order struct {
			*unionpay.Transaction
			Note string
		}
		var o order
		require.NoError(t, json.Unmarshal([]byte(`{"OrderID":"ORDER0001","AccNo":"`+accNo+`","Note":"kept"}`), &o))
		assert.Equal(t, "kept", o.Note, "the caller's own field")
		assert.Equal(t, accNo, o.AccNo)
	}

	logForm, err := json.Marshal(unionpay.Transaction{OrderID: "ORDER0001", AccNo: "6216261000000000018"})
	require.NoError(t, err)
	var back unionpay.Transaction
	require.NoError(t, json.Unmarshal(logForm, &back))
	assert.Equal(t, "621626******0018", back.AccNo, "the log form decodes into its masks")
}

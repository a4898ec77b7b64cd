package unionpay_test

import (
	"bytes"
	"encoding/json"
	"log/slog"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/goacp/unionpay/unionpay"
)

// TestErrorsJSONMask: json.Marshal of a rejection or a pending outcome, alone, by pointer or
// held in a struct a JSON log shows, masks a card number UnionPay's respMsg quotes, and keeps
// the fields encoding/json gave them.
func TestErrorsJSONMask(t *testing.T) {
	const card = "6216261000000000018"
	txnTime := time.Date(2024, 1, 5, 10, 30, 0, 0, time.FixedZone("CST", 8*3600))
	rejected := &unionpay.Error{Op: "refund", OrderID: "R1", TxnTime: txnTime, RespCode: "14",
		RespMsg: "卡号" + card + "无效[1000001]"}
	pending := &unionpay.PendingError{Op: "payout", OrderID: "P1", TxnTime: txnTime, RespCode: "05",
		RespMsg: "card " + card + " in process"}
	type holder struct {
		Rejected  *unionpay.Error
		Pending   *unionpay.PendingError
		ByValue   unionpay.Error
		PendValue unionpay.PendingError
	}
	tests := []struct {
		name string
		v    any
	}{
		{"*Error", rejected},
		{"*PendingError", pending},
		{"in a struct", holder{rejected, pending, *rejected, *pending}},
		{"in a slice", []error{rejected, pending}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			b, err := json.Marshal(tt.v)
			require.NoError(t, err)
			assert.NotContains(t, string(b), card)
			assert.Contains(t, string(b), "621626******0018")
			var buf bytes.Buffer
			slog.New(slog.NewJSONHandler(&buf, nil)).Info("m", "v", tt.v)
			assert.NotContains(t, buf.String(), card)
		})
	}
	b, err := json.Marshal(rejected)
	require.NoError(t, err)
	var got map[string]any
	require.NoError(t, json.Unmarshal(b, &got))
	assert.Equal(t, map[string]any{"Op": "refund", "OrderID": "R1", "TxnTime": "2024-01-05T10:30:00+08:00",
		"RespCode": "14", "RespMsg": "卡号621626******0018无效[1000001]"}, got)
	b, err = json.Marshal((*unionpay.Error)(nil))
	require.NoError(t, err)
	assert.Equal(t, "null", string(b))
}

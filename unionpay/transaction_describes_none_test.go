package unionpay_test

import (
	"encoding/json"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/goacp/unionpay/sign"
	"github.com/goacp/unionpay/unionpay"
)

// TestTransactionDescribesNoneEdges: only a NotFound, or a Pending whose query itself was
// answered 03, 04, 05 or 83, with no TxnTime, Amount or SettleAmount of its own, takes the form
// without them (QueriedTxnTime, from Raw's txnTime); every other Transaction shows TxnTime,
// Amount and SettleAmount, zero or not. A transaction that is itself pending (the query answered
// 00, origRespCode 05) is a transaction, and a NotFound built with an Amount or a SettleAmount
// shows it. The form without them keeps the query's QueryID, RespCode and RespMsg (masked).
func TestTransactionDescribesNoneEdges(t *testing.T) {
	t.Parallel()
	raw := sign.Fields{"txnTime": "20240105103000"}
	tests := []struct {
		name string
		tx   unionpay.Transaction
		none bool     // shown without TxnTime, Amount and SettleAmount
		text []string // in String
	}{
		{"not found", unionpay.Transaction{State: unionpay.NotFound, OrderID: testOrder, QueryID: "Q34",
			RespCode: "34", RespMsg: "无此交易 6216261000000000018", Raw: raw}, true,
			[]string{"QueriedTxnTime:20240105103000 ", "QueryID:Q34 ", "RespCode:34 ", "RespMsg:无此交易 621626******0018 "}},
		{"query answered 03", unionpay.Transaction{State: unionpay.Pending, OrderID: testOrder, RespCode: "03", Raw: raw},
			true, []string{"{State:pending ", "RespCode:03 "}},
		{"query answered 04", unionpay.Transaction{State: unionpay.Pending, OrderID: testOrder, RespCode: "04"}, true, nil},
		{"query answered 05", unionpay.Transaction{State: unionpay.Pending, OrderID: testOrder, RespCode: "05"}, true, nil},
		{"query answered 83", unionpay.Transaction{State: unionpay.Pending, OrderID: testOrder, RespCode: "83"}, true, nil},
		{"the transaction itself pending", unionpay.Transaction{State: unionpay.Pending, OrderID: testOrder,
			RespCode: "00", OrigRespCode: "05"}, false, []string{" TxnTime:", " Amount:0 ", " SettleAmount:0 "}},
		{"not found with an Amount", unionpay.Transaction{State: unionpay.NotFound, OrderID: testOrder, RespCode: "34",
			Amount: 500}, false, []string{" Amount:500 "}},
		{"not found with a SettleAmount", unionpay.Transaction{State: unionpay.NotFound, OrderID: testOrder, RespCode: "34",
			SettleAmount: 80}, false, []string{" SettleAmount:80 "}},
		{"succeeded with nothing set", unionpay.Transaction{State: unionpay.Succeeded, OrderID: testOrder, RespCode: "00"},
			false, []string{" TxnTime:", " Amount:0 "}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			s := tt.tx.String()
			b, err := json.Marshal(tt.tx)
			require.NoError(t, err)
			var got map[string]any
			require.NoError(t, json.Unmarshal(b, &got))
			for _, k := range []string{"TxnTime", "Amount", "SettleAmount"} {
				assert.Equal(t, !tt.none, strings.Contains(s, " "+k+":"), "String %s: %s", k, s)
				_, has := got[k]
				assert.Equal(t, !tt.none, has, "JSON %s: %s", k, b)
			}
			_, queried := got["QueriedTxnTime"]
			assert.Equal(t, tt.none && tt.tx.Raw["txnTime"] != "", queried, "JSON QueriedTxnTime: %s", b)
			for _, want := range tt.text {
				assert.Contains(t, s, want)
			}
			assert.NotContains(t, s+string(b), "6216261000000000018")
		})
	}
}

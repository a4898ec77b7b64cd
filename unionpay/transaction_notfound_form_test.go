package unionpay_test

import (
	"bytes"
	"context"
	"encoding/json"
	"log/slog"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/goacp/unionpay/sign"
	"github.com/goacp/unionpay/unionpay"
)

// A Transaction that describes no transaction (a NotFound, or a query itself answered pending)
// prints, marshals and logs without a TxnTime of 0001-01-01 and an Amount of 0, which read as a
// transaction's (a new merchant stored both as the order's): it shows the txnTime queried, as
// QueriedTxnTime. A transaction found, an Other, and a NotFound built with a TxnTime show them as
// before.
func TestTransactionNotFoundForms(t *testing.T) {
	t.Parallel()
	found := sign.Fields{"origRespCode": "00", "origRespMsg": "成功[0000000]", "txnAmt": "500", "currencyCode": "156"}
	query := func(code string, extra sign.Fields, r unionpay.QueryRequest) func(t *testing.T) *unionpay.Transaction {
		return func(t *testing.T) *unionpay.Transaction {
			g := newGateway(t, func(req sign.Fields) reply { return reply{fields: answerTo(req, code, extra)} })
			r.OrderID, r.TxnTime = testOrder, testNow
			tx, err := newTestClient(t, g).Query(context.Background(), &r)
			require.NoError(t, err)
			return tx
		}
	}
	tests := []struct {
		name  string
		tx    func(t *testing.T) *unionpay.Transaction
		state unionpay.State
		text  []string // in String and slog's text
		not   []string // in neither
		json  map[string]any
		none  bool // JSON without TxnTime, Amount and SettleAmount
	}{
		{name: "not found", state: unionpay.NotFound,
			tx: query("34", sign.Fields{"respMsg": "无此交易 6216261000000000018[2011000]", "accNo": "6216261000000000018"},
				unionpay.QueryRequest{}),
			text: []string{"{State:not found OrderID:" + testOrder + " QueriedTxnTime:20240105103000 ", " RespCode:34 ",
				" Other:<nil>}", "621626******0018"},
			not:  []string{"0001-01-01", " TxnTime:", " Amount:", "SettleAmount", "6216261000000000018"},
			json: map[string]any{"State": "not found", "OrderID": testOrder, "QueriedTxnTime": "20240105103000", "RespCode": "34"},
			none: true},
		{name: "query pending", tx: query("05", nil, unionpay.QueryRequest{}), state: unionpay.Pending,
			text: []string{"{State:pending OrderID:" + testOrder + " QueriedTxnTime:20240105103000 ", " RespCode:05 "},
			not:  []string{"0001-01-01", " TxnTime:", " Amount:"},
			json: map[string]any{"State": "pending", "QueriedTxnTime": "20240105103000", "RespCode": "05"},
			none: true},
		{name: "another transaction", tx: query("00", found, unionpay.QueryRequest{Amount: 100}), state: unionpay.NotFound,
			text: []string{"{State:not found OrderID:" + testOrder + " QueriedTxnTime: ", // the Other's is its own
				"Other:{State:succeeded ", " TxnTime:2024-01-05 10:30:00 +0800", " Amount:500 "},
			not:  []string{"0001-01-01", " Amount:0 "},
			json: map[string]any{"State": "not found", "RespCode": "00"},
			none: true},
		{name: "found", tx: query("00", found, unionpay.QueryRequest{Amount: 500}), state: unionpay.Succeeded,
			text: []string{"{State:succeeded ", " TxnTime:2024-01-05 10:30:00 +0800", " Amount:500 "},
			not:  []string{"QueriedTxnTime"},
			json: map[string]any{"State": "succeeded", "Amount": float64(500)}},
		{name: "not found built with a TxnTime", state: unionpay.NotFound,
			tx: func(*testing.T) *unionpay.Transaction {
				return &unionpay.Transaction{State: unionpay.NotFound, OrderID: testOrder, TxnTime: testNow, RespCode: "34"}
			},
			text: []string{" TxnTime:2024-01-05 10:30:00 +0800", " Amount:0 "},
			not:  []string{"QueriedTxnTime"},
			json: map[string]any{"State": "not found", "Amount": float64(0)}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			tx := tt.tx(t)
			require.Equal(t, tt.state, tx.State)
			var text, js bytes.Buffer
			slog.New(slog.NewTextHandler(&text, nil)).Info("query", "tx", tx)
			slog.New(slog.NewJSONHandler(&js, nil)).Info("query", "tx", tx)
			for name, s := range map[string]string{"String": tx.String(), "GoString": tx.GoString(), "slog text": text.String()} {
				for _, want := range tt.text {
					assert.Contains(t, s, want, name)
				}
				for _, not := range tt.not {
					assert.NotContains(t, s, not, name)
				}
			}

			b, err := json.Marshal(tx)
			require.NoError(t, err)
			var logged struct{ Tx json.RawMessage }
			require.NoError(t, json.Unmarshal(js.Bytes(), &logged), js.String())
			for name, raw := range map[string][]byte{"MarshalJSON": b, "slog JSON": logged.Tx} {
				var got map[string]any
				require.NoError(t, json.Unmarshal(raw, &got), name)
				for k, v := range tt.json {
					assert.Equal(t, v, got[k], "%s %s", name, k)
				}
				for _, k := range []string{"TxnTime", "Amount", "SettleAmount"} {
					_, has := got[k]
					assert.Equal(t, !tt.none, has, "%s %s: %s", name, k, raw)
				}
				assert.NotContains(t, string(raw), "0001-01-01", name)
				assert.NotContains(t, string(raw), "6216261000000000018", name)
			}
		})
	}
}

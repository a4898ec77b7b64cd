package main

import (
	"encoding/json"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/goacp/unionpay/sign"
	"github.com/goacp/unionpay/unionpay"
)

// TestQueryAmountAbsent: an answer that gives no amount of the transaction asked about (not
// found; the NotFound of an answer about another one, whose Raw holds the other's txnAmt; a
// query itself pending) prints txnAmt empty, null in -json, where it printed 0, an amount of
// zero fen; an answer that gives one, 0 included, prints it.
func TestQueryAmountAbsent(t *testing.T) {
	paid := &unionpay.Transaction{State: unionpay.Succeeded, RespCode: "00", Amount: 1234,
		Raw: sign.Fields{"respCode": "00", "txnAmt": "1234"}}
	tests := []struct {
		name  string
		tx    *unionpay.Transaction
		line  string // the txnAmt line
		value any    // the JSON value
	}{
		{"succeeded", paid, "txnAmt: 1234\n", 1234.0},
		{"an amount of 0 given", &unionpay.Transaction{State: unionpay.Failed, RespCode: "00",
			Raw: sign.Fields{"respCode": "00", "txnAmt": "0"}}, "txnAmt: 0\n", 0.0},
		{"not found (34)", &unionpay.Transaction{State: unionpay.NotFound, RespCode: "34",
			Raw: sign.Fields{"respCode": "34"}}, "txnAmt: \n", nil},
		{"another transaction", &unionpay.Transaction{State: unionpay.NotFound, RespCode: "00", Raw: paid.Raw, Other: paid},
			"txnAmt: \n", nil},
		{"the query itself pending", &unionpay.Transaction{State: unionpay.Pending, RespCode: "03",
			Raw: sign.Fields{"respCode": "03", "txnAmt": "1234"}}, "txnAmt: \n", nil},
		{"a 00 answer without txnAmt", &unionpay.Transaction{State: unionpay.Pending, RespCode: "00", OrigRespCode: "05",
			Raw: sign.Fields{"respCode": "00"}}, "txnAmt: \n", nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			o := queryOutputOf(nil, tt.tx)
			var lines strings.Builder
			require.NoError(t, o.write(&lines, false))
			assert.Contains(t, "\n"+lines.String(), "\n"+tt.line)
			var b strings.Builder
			require.NoError(t, o.write(&b, true))
			var got map[string]any
			require.NoError(t, json.Unmarshal([]byte(b.String()), &got))
			v, ok := got["txnAmt"]
			assert.True(t, ok, "the key is always there: %s", b.String())
			assert.Equal(t, tt.value, v)
			if tt.tx.Other != nil {
				assert.Equal(t, 1234.0, got["other"].(map[string]any)["txnAmt"], "the other's amount under other")
			}
		})
	}
}

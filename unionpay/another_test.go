package unionpay

import (
	"testing"

	"github.com/stretchr/testify/assert"

	"github.com/goacp/unionpay/sign"
)

// TestAnotherRules: which answers another reads as about another transaction: a txnType, an
// amount or a currency the answer names and the request expects otherwise; a field the answer lacks is not
// compared, and a NotFound stays as it is.
func TestAnotherRules(t *testing.T) {
	t.Parallel()
	collection := func() *Transaction {
		return &Transaction{State: Succeeded, OrderID: "HELD0001", TxnType: "11", Amount: 12345, Currency: "156", QueryID: "Q1",
			Raw: sign.Fields{"txnType": "11", "txnAmt": "12345", "currencyCode": "156", "origRespCode": "00"}}
	}
	noCur := collection()
	noCur.Currency = ""
	delete(noCur.Raw, "currencyCode")
	noAmt := collection()
	noAmt.Amount = 0
	delete(noAmt.Raw, "txnAmt")
	noType := collection()
	noType.TxnType = ""
	pendingOther := collection()
	pendingOther.State = Pending
	zeroAmt := collection()
	zeroAmt.Amount, zeroAmt.Raw["txnAmt"] = 0, "0"
	tests := []struct {
		name    string
		r       QueryRequest
		tx      *Transaction
		another bool
	}{
		{"nothing expected", QueryRequest{}, collection(), false},
		{"same type and amount", QueryRequest{TxnType: "11", Amount: 12345}, collection(), false},
		{"other type", QueryRequest{TxnType: "12"}, collection(), true},
		{"other amount", QueryRequest{Amount: 500000}, collection(), true},
		{"other type, same amount", QueryRequest{TxnType: "12", Amount: 12345}, collection(), true},
		{"same type, other amount", QueryRequest{TxnType: "11", Amount: 1}, collection(), true},
		{"answer without txnAmt", QueryRequest{Amount: 500000}, noAmt, false},
		{"answer without txnAmt, other type", QueryRequest{TxnType: "12", Amount: 500000}, noAmt, true},
		{"answer without txnType", QueryRequest{TxnType: "12"}, noType, false},
		{"answer of 0 fen", QueryRequest{Amount: 500000}, zeroAmt, true},
		{"same currency", QueryRequest{TxnType: "11", Amount: 12345, Currency: "156"}, collection(), false},
		{"other currency, same amount", QueryRequest{TxnType: "11", Amount: 12345, Currency: "392"}, collection(), true},
		{"other currency", QueryRequest{Currency: "392"}, collection(), true},
		{"currency not expected", QueryRequest{TxnType: "11", Amount: 12345}, collection(), false},
		{"blank currency not expected", QueryRequest{Currency: " "}, collection(), false},
		{"answer without currencyCode", QueryRequest{Amount: 12345, Currency: "392"}, noCur, false},
		{"pending other", QueryRequest{TxnType: "12"}, pendingOther, true},
		{"not found", QueryRequest{TxnType: "12", Amount: 1}, &Transaction{State: NotFound, Raw: sign.Fields{"txnType": "11"}}, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := another(&tt.r, tt.tx)
			if !tt.another {
				assert.Same(t, tt.tx, got)
				return
			}
			assert.Equal(t, NotFound, got.State)
			assert.Same(t, tt.tx, got.Other)
			assert.Equal(t, tt.tx.Raw, got.Raw)
			assert.Empty(t, got.TxnType)
			assert.Empty(t, got.QueryID)
			assert.Zero(t, got.Amount)
		})
	}
}

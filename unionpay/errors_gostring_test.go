package unionpay_test

import (
	"errors"
	"fmt"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"

	"github.com/goacp/unionpay/unionpay"
)

// TestErrorsGoStringMask: %#v of a rejection or a pending outcome masks a card number that
// UnionPay's respMsg quotes, as Error does, and still shows the fields a debugging line needs.
func TestErrorsGoStringMask(t *testing.T) {
	const card = "6216261000000000018"
	txnTime := time.Date(2024, 1, 5, 10, 30, 0, 0, time.FixedZone("CST", 8*3600))
	rejected := &unionpay.Error{Op: "refund", OrderID: "R1", TxnTime: txnTime, RespCode: "14",
		RespMsg: "卡号" + card + "无效[1000001]"}
	pending := &unionpay.PendingError{Op: "payout", OrderID: "P1", TxnTime: txnTime, RespCode: "05",
		RespMsg: "card " + card + " in process", Err: rejected}
	tests := []struct {
		name string
		err  error
		want []string
	}{
		{"Error", rejected, []string{`&unionpay.Error{Op:"refund", OrderID:"R1", TxnTime:time.Date(2024`, `RespCode:"14"`, "621626******0018"}},
		{"PendingError", pending, []string{`&unionpay.PendingError{Op:"payout", OrderID:"P1"`, `RespCode:"05"`, `Err:&unionpay.Error{`, "621626******0018"}},
		{"wrapped", fmt.Errorf("ship: %w", rejected), nil},
		{"nil Error", (*unionpay.Error)(nil), []string{"(*unionpay.Error)(nil)"}},
		{"nil PendingError", (*unionpay.PendingError)(nil), []string{"(*unionpay.PendingError)(nil)"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := fmt.Sprintf("%#v", tt.err)
			assert.NotContains(t, got, card)
			for _, w := range tt.want {
				assert.Contains(t, got, w)
			}
		})
	}
	var e *unionpay.Error
	assert.True(t, errors.As(pending, &e), "the fields keep UnionPay's text as received")
	assert.Contains(t, e.RespMsg, card)
}

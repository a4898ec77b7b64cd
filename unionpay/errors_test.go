package unionpay_test

import (
	"context"
	"errors"
	"io"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/goacp/unionpay/sign"
	"github.com/goacp/unionpay/unionpay"
)

func TestErrorMessages(t *testing.T) {
	t.Parallel()
	at := time.Date(2024, 1, 5, 10, 30, 0, 0, time.FixedZone("CST", 8*3600))
	tests := []struct {
		err        error
		want       string
		pending    bool
		unverified bool
	}{
		{&unionpay.PendingError{Op: "refund", OrderID: "R1", TxnTime: at, RespCode: "05", RespMsg: "处理中"},
			"unionpay: refund R1 (txnTime 20240105103000): outcome pending: 05 处理中", true, false},
		{&unionpay.PendingError{Op: "batch 0001", TxnTime: at, Err: io.ErrUnexpectedEOF},
			"unionpay: batch 0001 (txnTime 20240105103000): outcome pending: unexpected EOF", true, false},
		{&unionpay.Error{Op: "refund", OrderID: "R1", RespCode: "12", RespMsg: "重复交易"},
			"unionpay: refund R1: 12 重复交易", false, false},
		{&unionpay.Error{Op: "file download", RespCode: "98", RespMsg: "文件不存在"},
			"unionpay: file download: 98 文件不存在", false, false},
		{&unionpay.VerifyError{Op: "query", OrderID: "R1", Err: sign.ErrSignature},
			"unionpay: query R1: response failed verification: sign: signature does not verify", false, true},
		{&unionpay.StatusError{StatusCode: 502}, "HTTP status 502", false, false},
		{&unionpay.ConfigError{Field: "Config.Signer", Reason: "required"}, "unionpay: Config.Signer: required", false, false},
		{&unionpay.RequestError{Op: "refund", Field: "Amount", Reason: "must be positive"},
			"unionpay: refund: Amount: must be positive", false, false},
	}
	for _, tt := range tests {
		t.Run(tt.want, func(t *testing.T) {
			t.Parallel()
			assert.Equal(t, tt.want, tt.err.Error())
			assert.Equal(t, tt.pending, errors.Is(tt.err, unionpay.ErrPending))
			assert.Equal(t, tt.unverified, errors.Is(tt.err, unionpay.ErrUnverified))
		})
	}
	assert.ErrorIs(t, &unionpay.PendingError{Err: io.ErrUnexpectedEOF}, io.ErrUnexpectedEOF)
	assert.ErrorIs(t, &unionpay.VerifyError{Err: sign.ErrSignature}, sign.ErrSignature)
}

func TestTxnTimeIsBeijing(t *testing.T) {
	t.Parallel()
	g := newGateway(t, accept(nil))
	c := newTestClient(t, g)
	r := followUp()
	r.TxnTime = time.Date(2024, 1, 5, 2, 30, 0, 999, time.UTC) // 10:30 in Beijing
	res, err := c.Refund(context.Background(), r)
	require.NoError(t, err)
	assert.Equal(t, "20240105103000", g.last()["txnTime"])
	assert.True(t, res.TxnTime.Equal(time.Date(2024, 1, 5, 2, 30, 0, 0, time.UTC)), "truncated to the second")
	assert.Equal(t, 8*3600, offset(res.TxnTime))
}

func offset(t time.Time) int {
	_, off := t.Zone()
	return off
}

func TestQueryMalformedAnswerFields(t *testing.T) {
	t.Parallel()
	for _, field := range []string{"txnAmt", "settleAmt", "txnTime"} {
		t.Run(field, func(t *testing.T) {
			t.Parallel()
			g := newGateway(t, func(r sign.Fields) reply {
				rep := queryAnswer("00", "00")(r)
				rep.fields[field] = "12x"
				return rep
			})
			_, err := newTestClient(t, g).Query(context.Background(), &unionpay.QueryRequest{OrderID: testOrder, TxnTime: testNow})
			require.Error(t, err)
			assert.Contains(t, err.Error(), field)
		})
	}
}

func TestAccountValidation(t *testing.T) {
	t.Parallel()
	g := newGateway(t, accept(nil))
	c := newTestClient(t, g)
	ctx := context.Background()
	tests := []struct {
		name  string
		edit  func(*unionpay.AccountRequest)
		field string
	}{
		{"nil", nil, "request"},
		{"no accNo", func(r *unionpay.AccountRequest) { r.AccNo = "" }, "AccNo"},
		{"bad order", func(r *unionpay.AccountRequest) { r.OrderID = "x" }, "OrderID"},
		{"bad backUrl", func(r *unionpay.AccountRequest) { r.BackURL = "notify" }, "BackURL"},
		{"pin without card", func(r *unionpay.AccountRequest) { r.AccNo, r.Customer.PIN = "", "123456" }, "AccNo"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			var r *unionpay.AccountRequest
			if tt.edit != nil {
				r = accountReq()
				tt.edit(r)
			}
			_, err := c.OpenCard(ctx, r)
			var re *unionpay.RequestError
			require.ErrorAs(t, err, &re)
			assert.Equal(t, tt.field, re.Field)
		})
	}
	r := accountReq()
	r.BizType, r.TxnSubType = "000902", "05"
	_, err := c.OpenCard(ctx, r)
	require.NoError(t, err)
	assert.Equal(t, "000902", g.last()["bizType"])
	assert.Equal(t, "05", g.last()["txnSubType"])
}

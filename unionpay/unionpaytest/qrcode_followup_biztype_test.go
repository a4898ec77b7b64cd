package unionpaytest_test

import (
	"context"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/goacp/unionpay/unionpay"
	"github.com/goacp/unionpay/unionpay/unionpaytest"
)

// TestQRFollowUpBizType: a refund or consume cancel of a QR-code payment (a consume by the payer's
// code, 01/06, or a paid code of an application, 01/07) is sent under the QR payment's bizType,
// 000000, as UnionPay's QR refund sample sends it. One sent under another (the FollowUpRequest
// default 000201, forgotten) is refused 36 (与原交易信息不符) and reported to the Reporter, and moves
// nothing: the same follow-up under 000000 is then accepted.
func TestQRFollowUpBizType(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name     string
		original string // "consume": 01/06 by the payer's code; "apply": 01/07, its code paid
		cancel   bool   // a consume cancel (31), else a refund (04)
		bizType  string // the follow-up's BizType ("" = the default, 000201)
		wantCode string // "" = accepted
	}{
		{name: "consume by code, refund, default bizType", original: "consume", wantCode: unionpaytest.CodeMismatch},
		{name: "consume by code, cancel, default bizType", original: "consume", cancel: true, wantCode: unionpaytest.CodeMismatch},
		{name: "paid code, refund, default bizType", original: "apply", wantCode: unionpaytest.CodeMismatch},
		{name: "paid code, cancel, 000301", original: "apply", cancel: true, bizType: "000301", wantCode: unionpaytest.CodeMismatch},
		{name: "consume by code, refund, QR bizType", original: "consume", bizType: unionpay.BizTypeQRCode},
		{name: "consume by code, cancel, QR bizType", original: "consume", cancel: true, bizType: unionpay.BizTypeQRCode},
		{name: "paid code, refund, QR bizType", original: "apply", bizType: unionpay.BizTypeQRCode},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			rec := &recorder{}
			srv, c, clk := clientGateway(t, unionpaytest.WithReporter(rec))
			ctx := context.Background()
			const backURL = "http://127.0.0.1:1/n"
			var origQueryID string
			switch tt.original {
			case "consume":
				res, err := c.QRConsume(ctx, &unionpay.QRConsumeRequest{OrderID: "QRBIZCO01", QRNo: "6225880012345678901",
					TermID: "T0000001", Amount: 1000, TxnTime: clk.Now(), BackURL: backURL})
				require.NoError(t, err)
				origQueryID = res.QueryID
			case "apply":
				applied, err := c.ApplyQRCode(ctx, &unionpay.QRCodeRequest{OrderID: "QRBIZAP01", Amount: 1000,
					TxnTime: clk.Now(), BackURL: backURL, PayTimeout: clk.Now().Add(10 * time.Minute)})
				require.NoError(t, err)
				code, err := srv.PayQRCode(applied.QRCode, "")
				require.NoError(t, err)
				require.Equal(t, "00", code)
				tx, err := c.Query(ctx, applied.QueryRequest())
				require.NoError(t, err)
				require.Equal(t, unionpay.Succeeded, tx.State)
				origQueryID = tx.QueryID
			}
			require.NotEmpty(t, origQueryID)
			r := &unionpay.FollowUpRequest{OrderID: "QRBIZFU01", OrigQueryID: origQueryID, Amount: 1000,
				TxnTime: clk.Now(), BackURL: backURL, BizType: tt.bizType}
			send := c.Refund
			if tt.cancel {
				send = c.CancelConsume
			}
			_, err := send(ctx, r)
			if tt.wantCode == "" {
				require.NoError(t, err)
				assert.Empty(t, rec.all(), "not reported")
				return
			}
			var refused *unionpay.Error
			require.ErrorAs(t, err, &refused)
			assert.Equal(t, tt.wantCode, refused.RespCode)
			assert.Contains(t, refused.RespMsg, "bizType", "the refusal says why")
			reports := rec.all()
			require.Len(t, reports, 1, "reported")
			assert.Contains(t, reports[0], "000000", "the report names the bizType to send")

			// Refused, it moved nothing: the same follow-up under the QR bizType, a new orderId, is accepted.
			r.OrderID, r.BizType = "QRBIZFU02", unionpay.BizTypeQRCode
			_, err = send(ctx, r)
			require.NoError(t, err, "the refused follow-up reserved nothing of the original")
		})
	}
}

// TestGatewayFollowUpBizTypeUnchanged: an app consume (000201) is refunded under 000201 as
// before: the QR rule does not reach other products.
func TestGatewayFollowUpBizTypeUnchanged(t *testing.T) {
	t.Parallel()
	m := newMerchant(t, unionpaytest.WithReporter(t))
	queryID := m.appConsume("GWBIZCO01", "1000", noBackURL)
	resp := m.back("04", "GWBIZRF01", queryID, "1000", noBackURL)
	assert.Equal(t, "00", resp["respCode"], resp["respMsg"])
}

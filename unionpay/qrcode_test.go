package unionpay_test

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/goacp/unionpay/notify"
	"github.com/goacp/unionpay/sign"
	"github.com/goacp/unionpay/unionpay"
	"github.com/goacp/unionpay/unionpay/unionpaytest"
)

// testQRNo is a payer's payment code (C2B码) as a scanner reads it: 19 digits.
const testQRNo = "6220123456789012345"

func qrApplyReq() *unionpay.QRCodeRequest {
	return &unionpay.QRCodeRequest{OrderID: testOrder, Amount: 1000, BackURL: testNotify}
}

func qrConsumeReq() *unionpay.QRConsumeRequest {
	return &unionpay.QRConsumeRequest{OrderID: testOrder, QRNo: testQRNo, TermID: "T0000001", Amount: 1000,
		BackURL: testNotify}
}

// qrCall is a QR-code call answered with a Result.
type qrCall func(*unionpay.Client, context.Context) (*unionpay.Result, error)

func qrApply(edit func(*unionpay.QRCodeRequest)) qrCall {
	return func(c *unionpay.Client, ctx context.Context) (*unionpay.Result, error) {
		r := qrApplyReq()
		edit(r)
		res, err := c.ApplyQRCode(ctx, r)
		if err != nil {
			return nil, err
		}
		return &res.Result, nil
	}
}

func qrConsume(edit func(*unionpay.QRConsumeRequest)) qrCall {
	return func(c *unionpay.Client, ctx context.Context) (*unionpay.Result, error) {
		r := qrConsumeReq()
		edit(r)
		return c.QRConsume(ctx, r)
	}
}

// TestQRCodeSent pins what the QR-code calls send, field by field, as UnionPay's QR samples
// (Form_6_2_ApplyQrCode, Form_6_2_FrontConsume of upacp_demo_qrc) send them: txnType 01,
// txnSubType 07 or 06, bizType 000000, channelType 08 or 07, currencyCode 156, backUrl; the
// consume qrNo and termId (trimmed); no card.
func TestQRCodeSent(t *testing.T) {
	t.Parallel()
	absent := "(absent)"
	tests := []struct {
		name string
		call qrCall
		want map[string]string // field: value sent; absent: not sent
	}{
		{"apply", qrApply(func(*unionpay.QRCodeRequest) {}), map[string]string{
			"txnType": "01", "txnSubType": "07", "bizType": "000000", "channelType": "08", "accessType": "0",
			"orderId": testOrder, "txnAmt": "1000", "currencyCode": "156", "backUrl": testNotify,
			"termId": absent, "qrNo": absent, "accNo": absent}},
		{"apply, terminal and channel", qrApply(func(r *unionpay.QRCodeRequest) {
			r.TermID, r.Channel, r.ReqReserved = " T1 ", unionpay.ChannelPC, "x"
		}), map[string]string{"termId": "T1", "channelType": "07", "reqReserved": "x"}},
		{"apply, Extra", qrApply(func(r *unionpay.QRCodeRequest) {
			r.Extra = sign.Fields{"payTimeout": "20240105104500"}
		}), map[string]string{"payTimeout": "20240105104500"}},
		{"consume", qrConsume(func(*unionpay.QRConsumeRequest) {}), map[string]string{
			"txnType": "01", "txnSubType": "06", "bizType": "000000", "channelType": "07", "accessType": "0",
			"orderId": testOrder, "txnAmt": "1000", "currencyCode": "156", "backUrl": testNotify,
			"qrNo": testQRNo, "termId": "T0000001", "accNo": absent, "accType": absent}},
		{"consume, trimmed", qrConsume(func(r *unionpay.QRConsumeRequest) {
			r.QRNo, r.TermID, r.Channel = "\t"+testQRNo+" ", " T0000001 ", unionpay.ChannelMobile
		}), map[string]string{"qrNo": testQRNo, "termId": "T0000001", "channelType": "08"}},
		{"consume, code of 20 digits (the longest)", qrConsume(func(r *unionpay.QRConsumeRequest) {
			r.QRNo = testQRNo + "6"
		}), map[string]string{"qrNo": testQRNo + "6"}},
		{"consume, accType in Extra (the sample's)", qrConsume(func(r *unionpay.QRConsumeRequest) {
			r.Extra = sign.Fields{"accType": "01"}
		}), map[string]string{"accType": "01"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			g := newGateway(t, accept(sign.Fields{"qrCode": "https://qr.95516.com/00010000/01"}))
			c := newTestClient(t, g)
			res, err := tt.call(c, context.Background())
			require.NoError(t, err)
			assert.Equal(t, "00", res.RespCode)
			got := g.last()
			for k, want := range tt.want {
				v, ok := got[k]
				if want == absent {
					assert.False(t, ok, "%s sent: %q", k, v)
				} else {
					assert.Equal(t, want, v, k)
				}
			}
		})
	}
}

// TestQRCodeRefused: a request the QR-code calls cannot send is a *RequestError naming the field,
// before anything is sent; no error text holds the payer's code.
func TestQRCodeRefused(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name, op, field string
		call            qrCall
	}{
		{"apply, bad orderId", "qrcode apply", "OrderID", qrApply(func(r *unionpay.QRCodeRequest) { r.OrderID = "A-1" })},
		{"apply, no amount", "qrcode apply", "Amount", qrApply(func(r *unionpay.QRCodeRequest) { r.Amount = 0 })},
		{"apply, no backUrl", "qrcode apply", "BackURL", qrApply(func(r *unionpay.QRCodeRequest) { r.BackURL = " " })},
		{"apply, bad terminal", "qrcode apply", "TermID", qrApply(func(r *unionpay.QRCodeRequest) { r.TermID = "T-1" })},
		{"apply, bad channel", "qrcode apply", "Channel", qrApply(func(r *unionpay.QRCodeRequest) { r.Channel = "09" })},
		{"apply, bad currency", "qrcode apply", "Currency", qrApply(func(r *unionpay.QRCodeRequest) { r.Currency = "CNY" })},
		{"apply, reqReserved with &", "qrcode apply", "ReqReserved",
			qrApply(func(r *unionpay.QRCodeRequest) { r.ReqReserved = "a&b" })},
		{"consume, no code", "qrcode consume", "QRNo", qrConsume(func(r *unionpay.QRConsumeRequest) { r.QRNo = " " })},
		{"consume, code with letters", "qrcode consume", "QRNo",
			qrConsume(func(r *unionpay.QRConsumeRequest) { r.QRNo = testQRNo + "x" })},
		{"consume, code of 21 digits", "qrcode consume", "QRNo",
			qrConsume(func(r *unionpay.QRConsumeRequest) { r.QRNo = testQRNo + "12" })},
		{"consume, code with a space", "qrcode consume", "QRNo",
			qrConsume(func(r *unionpay.QRConsumeRequest) { r.QRNo = testQRNo[:9] + " " + testQRNo[9:] })},
		{"consume, no terminal", "qrcode consume", "TermID", qrConsume(func(r *unionpay.QRConsumeRequest) { r.TermID = "" })},
		{"consume, terminal of 9", "qrcode consume", "TermID",
			qrConsume(func(r *unionpay.QRConsumeRequest) { r.TermID = "T00000001" })},
		{"consume, no amount", "qrcode consume", "Amount", qrConsume(func(r *unionpay.QRConsumeRequest) { r.Amount = -1 })},
		{"consume, no backUrl", "qrcode consume", "BackURL", qrConsume(func(r *unionpay.QRConsumeRequest) { r.BackURL = "" })},
		{"consume, reqReserved with &", "qrcode consume", "ReqReserved",
			qrConsume(func(r *unionpay.QRConsumeRequest) { r.ReqReserved = "a&b" })},
		{"consume, Extra collides", "qrcode consume", `Extra["qrNo"]`,
			qrConsume(func(r *unionpay.QRConsumeRequest) { r.Extra = sign.Fields{"qrNo": testQRNo} })},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			g := newGateway(t, accept(nil))
			c := newTestClient(t, g)
			_, err := tt.call(c, context.Background())
			var re *unionpay.RequestError
			require.ErrorAs(t, err, &re)
			assert.Equal(t, tt.op, re.Op)
			assert.Equal(t, tt.field, re.Field)
			assert.NotContains(t, err.Error(), testQRNo[5:15], "the payer's code is not quoted")
			assert.Zero(t, g.count(), "nothing sent")
		})
	}
	c := newTestClient(t, newGateway(t, accept(nil)))
	_, err := c.ApplyQRCode(context.Background(), nil)
	assert.ErrorContains(t, err, "qrcode apply: request: nil")
	_, err = c.QRConsume(context.Background(), nil)
	assert.ErrorContains(t, err, "qrcode consume: request: nil")
}

// TestQRCodeAnswers: how each answer reads. The application returns its qrCode with 00, and is
// pending (it creates an order that may be paid) without one, with 03/04/05 or 12; the consume
// by code is accepted with 00 and pending with 03/04/05 and 12, as UnionPay's sample reads it;
// another code is an *Error for both.
func TestQRCodeAnswers(t *testing.T) {
	t.Parallel()
	const code = "https://qr.95516.com/00010000/62000000000000000000000000000001"
	tests := []struct {
		name    string
		answer  string
		extra   sign.Fields
		call    qrCall
		pending bool
		reject  bool
	}{
		{"apply, issued", "00", sign.Fields{"qrCode": code}, qrApply(func(*unionpay.QRCodeRequest) {}), false, false},
		{"apply, no qrCode", "00", nil, qrApply(func(*unionpay.QRCodeRequest) {}), true, false},
		{"apply, 03", "03", nil, qrApply(func(*unionpay.QRCodeRequest) {}), true, false},
		{"apply, 05", "05", nil, qrApply(func(*unionpay.QRCodeRequest) {}), true, false},
		{"apply, duplicate", "12", nil, qrApply(func(*unionpay.QRCodeRequest) {}), true, false},
		{"apply, refused", "30", nil, qrApply(func(*unionpay.QRCodeRequest) {}), false, true},
		{"consume, accepted", "00", nil, qrConsume(func(*unionpay.QRConsumeRequest) {}), false, false},
		{"consume, 03", "03", nil, qrConsume(func(*unionpay.QRConsumeRequest) {}), true, false},
		{"consume, 04", "04", nil, qrConsume(func(*unionpay.QRConsumeRequest) {}), true, false},
		{"consume, 05", "05", nil, qrConsume(func(*unionpay.QRConsumeRequest) {}), true, false},
		{"consume, duplicate", "12", nil, qrConsume(func(*unionpay.QRConsumeRequest) {}), true, false},
		{"consume, declined", "64", nil, qrConsume(func(*unionpay.QRConsumeRequest) {}), false, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			g := newGateway(t, func(r sign.Fields) reply { return reply{fields: answerTo(r, tt.answer, tt.extra)} })
			c := newTestClient(t, g)
			res, err := tt.call(c, context.Background())
			assert.Equal(t, tt.pending, errors.Is(err, unionpay.ErrPending), "pending: %v", err)
			var re *unionpay.Error
			assert.Equal(t, tt.reject, errors.As(err, &re), "rejected: %v", err)
			if tt.pending || tt.reject {
				require.Error(t, err)
				assert.Contains(t, err.Error(), testOrder)
				assert.NotContains(t, err.Error(), testQRNo)
				return
			}
			require.NoError(t, err)
			assert.Equal(t, testOrder, res.OrderID)
		})
	}
	g := newGateway(t, accept(sign.Fields{"qrCode": code}))
	res, err := newTestClient(t, g).ApplyQRCode(context.Background(), qrApplyReq())
	require.NoError(t, err)
	assert.Equal(t, code, res.QRCode)
}

// TestQRCodeMasked: the log forms of a consume by code show its qrNo as "***", and its masked
// JSON does not decode; the application's and its result's show their fields.
func TestQRCodeMasked(t *testing.T) {
	t.Parallel()
	r := qrConsumeReq()
	r.Extra = sign.Fields{"accNo": "6216261000000000018"}
	var logged bytes.Buffer
	slog.New(slog.NewJSONHandler(&logged, nil)).Info("qr", "req", r)
	js, err := json.Marshal(r)
	require.NoError(t, err)
	for name, s := range map[string]string{"String": r.String(), "GoString": fmt.Sprintf("%#v", *r),
		"JSON": string(js), "slog": logged.String()} {
		assert.NotContains(t, s, testQRNo, name)
		assert.Contains(t, s, "***", name)
		assert.NotContains(t, s, "6216261000000000018", name)
		assert.Contains(t, s, "T0000001", name)
	}
	var back unionpay.QRConsumeRequest
	require.ErrorIs(t, json.Unmarshal(js, &back), unionpay.ErrMaskedJSON)
	js, err = json.Marshal(qrConsumeReq())
	require.NoError(t, err)
	require.ErrorIs(t, json.Unmarshal(js, &back), unionpay.ErrMaskedJSON)
	plain := strings.Replace(string(js), `"***"`, `"`+testQRNo+`"`, 1)
	require.NoError(t, json.Unmarshal([]byte(plain), &back))
	assert.Equal(t, *qrConsumeReq(), back)

	a := qrApplyReq()
	a.TermID = "T1"
	js, err = json.Marshal(a)
	require.NoError(t, err)
	var aback unionpay.QRCodeRequest
	require.NoError(t, json.Unmarshal(js, &aback))
	assert.Equal(t, *a, aback)
	assert.Contains(t, a.String(), "TermID:T1")

	res := unionpay.QRCodeResult{Result: unionpay.Result{OrderID: testOrder,
		Raw: sign.Fields{"accNo": "6216261000000000018"}}, QRCode: "https://qr.example/1"}
	js, err = json.Marshal(res)
	require.NoError(t, err)
	for name, s := range map[string]string{"String": res.String(), "JSON": string(js)} {
		assert.Contains(t, s, "https://qr.example/1", name)
		assert.NotContains(t, s, "6216261000000000018", name)
	}
}

// TestE2EQRCode runs both QR-code payments on the fake gateway. 主扫: the application returns a
// code; the payer pays it (PayQRCode); the notification and the query say the consume
// succeeded for its amount; it refunds under bizType 000000. 被扫: a consume by the payer's code
// is accepted and notified; one scripted 03 is pending, and its query then finds it; one
// scripted 64 is an *Error and no consume. Both payments are in the settle day's records.
func TestE2EQRCode(t *testing.T) {
	t.Parallel()
	e := newE2E(t)
	ctx := context.Background()
	v, err := e.srv.NotifyVerifier()
	require.NoError(t, err)

	orderID, txnTime := e.order("QRAPPLY"), e.srv.Now()
	applied, err := e.c.ApplyQRCode(ctx, &unionpay.QRCodeRequest{OrderID: orderID, TxnTime: txnTime, Amount: 1234,
		BackURL: e.inbox.URL()})
	require.NoError(t, err)
	require.NotEmpty(t, applied.QRCode)
	code, err := e.srv.PayQRCode(applied.QRCode, "")
	require.NoError(t, err)
	assert.Equal(t, "00", code)
	n, err := notify.Verify(v, e.inbox.wait(t, orderID))
	require.NoError(t, err)
	assert.Equal(t, notify.Succeeded, n.Status())
	assert.Equal(t, int64(1234), n.TxnAmt)
	assert.Equal(t, unionpay.BizTypeQRCode, n.BizType)
	tx, err := e.c.Query(ctx, &unionpay.QueryRequest{OrderID: orderID, TxnTime: txnTime})
	require.NoError(t, err)
	assert.Equal(t, unionpay.Succeeded, tx.State)
	assert.Equal(t, int64(1234), tx.Amount)
	assert.Equal(t, unionpay.QRSubTypeApply, tx.TxnSubType)
	refund := e.followUp(e.order("QRREF"), tx.QueryID, 234)
	refund.BizType = unionpay.BizTypeQRCode // as upacp_demo_qrc's Form_6_4_Refund
	_, err = e.c.Refund(ctx, refund)
	require.NoError(t, err)

	// Each purchase shows a new payment code: the fake gateway, as a payer's code, pays once.
	consume := func(orderID, qrNo string) *unionpay.QRConsumeRequest {
		return &unionpay.QRConsumeRequest{OrderID: orderID, TxnTime: e.srv.Now(), QRNo: qrNo, TermID: "T0000001",
			Amount: 500, BackURL: e.inbox.URL()}
	}
	r := consume(e.order("QRPAY"), testQRNo)
	res, err := e.c.QRConsume(ctx, r)
	require.NoError(t, err)
	n, err = notify.Verify(v, e.inbox.wait(t, r.OrderID))
	require.NoError(t, err)
	assert.Equal(t, notify.Succeeded, n.Status())
	assert.Equal(t, res.QueryID, n.QueryID)

	filed := map[string]string{} // orderId: bizType, in the settle day's records
	for _, rec := range e.srv.Records(e.srv.Now()) {
		filed[rec.OrderID] = rec.BizType
	}
	assert.Equal(t, unionpay.BizTypeQRCode, filed[orderID], "the paid code is filed")
	assert.Equal(t, unionpay.BizTypeQRCode, filed[r.OrderID], "the consume by code is filed")

	r = consume(e.order("QRSLOW"), "6220123456789012346")
	e.srv.Script(r.OrderID, unionpaytest.TimedOut, unionpaytest.Succeed)
	_, err = e.c.QRConsume(ctx, r)
	require.ErrorIs(t, err, unionpay.ErrPending)
	tx, err = e.c.Query(ctx, &unionpay.QueryRequest{OrderID: r.OrderID, TxnTime: r.TxnTime})
	require.NoError(t, err)
	assert.Equal(t, unionpay.Succeeded, tx.State)

	r = consume(e.order("QRPOOR"), "6220123456789012347")
	e.srv.Script(r.OrderID, unionpaytest.NoBalance)
	_, err = e.c.QRConsume(ctx, r)
	var re *unionpay.Error
	require.ErrorAs(t, err, &re)
	assert.Equal(t, "64", re.RespCode)
	assert.NotErrorIs(t, err, unionpay.ErrPending)
}

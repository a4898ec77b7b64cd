package unionpay_test

import (
	"context"
	"encoding/json"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/goacp/unionpay/sign"
	"github.com/goacp/unionpay/unionpay"
	"github.com/goacp/unionpay/unionpay/unionpaytest"
)

// openTxnTime is the txnTime of the open the unit tests query, before testNow.
var openTxnTime = testNow.Add(-10 * time.Minute)

// TestQueryOpenFields pins the fields of the open query (txnType 78) per product: the token
// product's as UnionPay's Form_6_3_OpenQuery of upacp_demo_wtz_token sends them (txnSubType 02,
// by the open's orderId and txnTime, no accNo), 认证支付 2.0's as upacp_demo_wtz's does
// (txnSubType 00, bizType 000301, the card encrypted), signed and posted to backTransReq.do,
// without amount or backUrl.
func TestQueryOpenFields(t *testing.T) {
	t.Parallel()
	pfx := loadPFX(t)
	dec, err := pfx.Decrypter()
	require.NoError(t, err)
	g := newGateway(t, accept(nil))
	c := newTestClient(t, g, func(cfg *unionpay.Config) { cfg.Encrypter = encrypterFor(t, pfx) })
	tests := []struct {
		name    string
		req     unionpay.OpenQueryRequest
		want    sign.Fields // "" = absent
		wantPAN string      // the accNo sent, decrypted; "" = none sent
	}{
		{"token, the samples' defaults", unionpay.OpenQueryRequest{OrderID: testOrder, TxnTime: openTxnTime},
			sign.Fields{"txnSubType": "02", "bizType": "000902", "channelType": "07", "encryptCertId": ""}, ""},
		{"authenticated payment, by card", unionpay.OpenQueryRequest{OrderID: testOrder, TxnTime: openTxnTime,
			BizType: unionpay.BizTypeAuthPay, AccNo: "6216261000000000018"},
			sign.Fields{"txnSubType": "00", "bizType": "000301", "channelType": "07"}, "6216261000000000018"},
		{"token by card, mobile, trimmed overrides", unionpay.OpenQueryRequest{OrderID: testOrder, TxnTime: openTxnTime,
			BizType: " 000902 ", TxnSubType: " 00 ", AccNo: "6216261000000000018", Channel: unionpay.ChannelMobile},
			sign.Fields{"txnSubType": "00", "bizType": "000902", "channelType": "08"}, "6216261000000000018"},
		{"extra", unionpay.OpenQueryRequest{OrderID: testOrder, TxnTime: openTxnTime,
			Extra: sign.Fields{"reqReserved": "r1"}}, sign.Fields{"reqReserved": "r1"}, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			st, err := c.QueryOpen(context.Background(), &tt.req)
			require.NoError(t, err)
			assert.Equal(t, unionpay.CardOpened, st.State)
			f := g.last()
			assert.Equal(t, "/gateway/api/backTransReq.do", g.paths[len(g.paths)-1])
			common := sign.Fields{"version": "5.1.0", "encoding": "UTF-8", "signMethod": "11", "txnType": "78",
				"accessType": "0", "merId": testMerID, "orderId": testOrder, "txnTime": "20240105102000",
				"txnAmt": "", "currencyCode": "", "backUrl": "", "frontUrl": "", "customerInfo": ""}
			for k, v := range common {
				assert.Equal(t, v, f[k], k)
			}
			for k, v := range tt.want {
				assert.Equal(t, v, f[k], k)
			}
			if tt.wantPAN == "" {
				assert.NotContains(t, f, "accNo")
				return
			}
			assert.NotEqual(t, tt.wantPAN, f["accNo"], "accNo must be sent encrypted")
			assert.NotEmpty(t, f["encryptCertId"])
			plain, err := dec.Decrypt(f["accNo"])
			require.NoError(t, err)
			assert.Equal(t, tt.wantPAN, plain)
		})
	}
}

// TestQueryOpenRefuses pins the refusals of invalid requests, before anything is sent: each a
// *RequestError naming the field.
func TestQueryOpenRefuses(t *testing.T) {
	t.Parallel()
	g := newGateway(t, accept(nil))
	c := newTestClient(t, g)
	ok := func() *unionpay.OpenQueryRequest {
		return &unionpay.OpenQueryRequest{OrderID: testOrder, TxnTime: openTxnTime}
	}
	tests := []struct {
		name, field string
		edit        func(*unionpay.OpenQueryRequest)
	}{
		{"no order", "OrderID", func(r *unionpay.OpenQueryRequest) { r.OrderID = "" }},
		{"bad order", "OrderID", func(r *unionpay.OpenQueryRequest) { r.OrderID = "ORDER-1_x" }},
		{"no txnTime", "TxnTime", func(r *unionpay.OpenQueryRequest) { r.TxnTime = time.Time{} }},
		{"txnTime of the future", "TxnTime", func(r *unionpay.OpenQueryRequest) { r.TxnTime = testNow.Add(time.Hour) }},
		{"bizType", "BizType", func(r *unionpay.OpenQueryRequest) { r.BizType = "0902" }},
		{"sub-type", "TxnSubType", func(r *unionpay.OpenQueryRequest) { r.TxnSubType = "2" }},
		{"card with the order query", "AccNo", func(r *unionpay.OpenQueryRequest) { r.AccNo = "6216261000000000018" }},
		{"no card with the card query", "AccNo", func(r *unionpay.OpenQueryRequest) { r.BizType = unionpay.BizTypeAuthPay }},
		{"blank card with the card query", "AccNo", func(r *unionpay.OpenQueryRequest) { r.TxnSubType, r.AccNo = "00", "  " }},
		{"bad card", "AccNo", func(r *unionpay.OpenQueryRequest) { r.TxnSubType, r.AccNo = "00", "62162610" }},
		{"channel", "Channel", func(r *unionpay.OpenQueryRequest) { r.Channel = "09" }},
		{"extra collides", `Extra["txnSubType"]`, func(r *unionpay.OpenQueryRequest) {
			r.Extra = sign.Fields{"txnSubType": "01"}
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := ok()
			tt.edit(r)
			_, err := c.QueryOpen(context.Background(), r)
			var re *unionpay.RequestError
			require.ErrorAs(t, err, &re)
			assert.Equal(t, "open query", re.Op)
			assert.Equal(t, tt.field, re.Field)
		})
	}
	_, err := c.QueryOpen(context.Background(), nil)
	var re *unionpay.RequestError
	require.ErrorAs(t, err, &re)
	assert.Equal(t, "request", re.Field)
	assert.Zero(t, g.count(), "nothing may be sent")
}

// openAnswerCase is an answer to an open query and how it must be read.
type openAnswerCase struct {
	name       string
	code       string      // respCode answered
	extra      sign.Fields // other fields answered
	tamper     bool        // change the answer after signing
	want       unionpay.OpenState
	wantToken  string
	wantErr    func(t *testing.T, err error) // nil: no error
	wantActive string
}

// TestQueryOpenAnswers pins how answers are read: 00 (activateStatus 1 or none) opened with the
// token of tokenPayData, 77 or 00 with activateStatus 0 not opened, 34 not found; 03, 04, 05
// and 83 a *PendingError; another code an *Error; an answer that does not verify a
// *VerifyError, not pending (a query moves no money).
func TestQueryOpenAnswers(t *testing.T) {
	t.Parallel()
	const token = "{token=6235240000020757548&trId=62000000001&tokenType=01&tokenBegin=20240105&tokenEnd=20290105}"
	tests := []openAnswerCase{
		{name: "opened with token", code: "00", extra: sign.Fields{"tokenPayData": token, "payCardType": "01"},
			want: unionpay.CardOpened, wantToken: "6235240000020757548"},
		{name: "opened, activateStatus 1", code: "00", extra: sign.Fields{"activateStatus": "1"},
			want: unionpay.CardOpened, wantActive: "1"},
		{name: "activateStatus 0", code: "00", extra: sign.Fields{"activateStatus": "0"},
			want: unionpay.CardNotOpened, wantActive: "0"},
		{name: "77 not opened", code: "77", want: unionpay.CardNotOpened},
		{name: "34 not found", code: "34", want: unionpay.OpenNotFound},
		{name: "activateStatus unknown", code: "00", extra: sign.Fields{"activateStatus": "7"},
			wantErr: func(t *testing.T, err error) { assert.ErrorContains(t, err, "activateStatus") }},
		{name: "tokenPayData not braced", code: "00", extra: sign.Fields{"tokenPayData": "token=1"},
			wantErr: func(t *testing.T, err error) { assert.ErrorIs(t, err, sign.ErrMalformed) }},
		{name: "tokenPayData with text after its braces", code: "00", extra: sign.Fields{"tokenPayData": "{token=1}x"},
			wantErr: func(t *testing.T, err error) { assert.ErrorIs(t, err, sign.ErrMalformed) }},
	}
	for _, code := range []string{"03", "04", "05", "83"} {
		tests = append(tests, openAnswerCase{name: "pending " + code, code: code, wantErr: func(t *testing.T, err error) {
			var pe *unionpay.PendingError
			require.ErrorAs(t, err, &pe)
			assert.Equal(t, code, pe.RespCode)
			assert.Equal(t, testOrder, pe.OrderID)
			assert.True(t, pe.TxnTime.Equal(openTxnTime))
			assert.ErrorIs(t, err, unionpay.ErrPending)
		}})
	}
	tests = append(tests, []openAnswerCase{
		{name: "rejected", code: "10", wantErr: func(t *testing.T, err error) {
			var ue *unionpay.Error
			require.ErrorAs(t, err, &ue)
			assert.Equal(t, "10", ue.RespCode)
			assert.NotErrorIs(t, err, unionpay.ErrPending)
		}},
		{name: "tampered", code: "00", extra: sign.Fields{"tokenPayData": token}, tamper: true,
			wantErr: func(t *testing.T, err error) {
				var ve *unionpay.VerifyError
				require.ErrorAs(t, err, &ve)
				assert.Equal(t, "open query", ve.Op)
				assert.ErrorIs(t, err, unionpay.ErrUnverified)
				assert.NotErrorIs(t, err, unionpay.ErrPending)
				assert.NotContains(t, err.Error(), "6235240000020757548")
			}},
	}...)
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			g := newGateway(t, func(req sign.Fields) reply {
				return reply{fields: answerTo(req, tt.code, tt.extra), tamper: tt.tamper}
			})
			c := newTestClient(t, g)
			st, err := c.QueryOpen(context.Background(), &unionpay.OpenQueryRequest{OrderID: testOrder, TxnTime: openTxnTime})
			if tt.wantErr != nil {
				require.Error(t, err)
				assert.Nil(t, st)
				tt.wantErr(t, err)
				return
			}
			require.NoError(t, err)
			assert.Equal(t, tt.want, st.State)
			assert.Equal(t, tt.wantToken, st.Token)
			assert.Equal(t, tt.wantActive, st.ActivateStatus)
			assert.Equal(t, tt.code, st.RespCode)
			assert.Equal(t, testOrder, st.OrderID)
			assert.True(t, st.TxnTime.Equal(openTxnTime))
			if tt.wantToken != "" {
				assert.Equal(t, "20290105", st.TokenData["tokenEnd"])
				assert.Equal(t, "01", st.PayCardType)
			}
		})
	}
}

// TestOpenStatusMasked checks that the log forms of an OpenStatus never show the token, and
// that the request's JSON masks the card and cannot be decoded back.
func TestOpenStatusMasked(t *testing.T) {
	t.Parallel()
	const tok = "6235240000020757548"
	const phone = "e3Bob25lTm89MTM1NTI1MzU1MDZ9" // customerInfo: base64 of {phoneNo=13552535506}
	st := unionpay.OpenStatus{State: unionpay.CardOpened, OrderID: testOrder, Token: tok,
		TokenData: sign.Fields{"token": tok}, AccNo: "6216261000000000018", CustomerInfo: phone,
		Raw: sign.Fields{"tokenPayData": "{token=" + tok + "}", "accNo": "6216261000000000018"}}
	b, err := json.Marshal(st)
	require.NoError(t, err)
	for name, s := range map[string]string{"String": st.String(), "GoString": st.GoString(), "JSON": string(b),
		"LogValue": st.LogValue().String()} {
		assert.NotContains(t, s, tok, name)
		assert.NotContains(t, s, "6216261000000000018", name)
		assert.NotContains(t, s, phone, name)
	}
	r := unionpay.OpenQueryRequest{OrderID: testOrder, AccNo: "6216261000000000018"}
	b, err = json.Marshal(r)
	require.NoError(t, err)
	assert.NotContains(t, string(b), "6216261000000000018")
	assert.NotContains(t, r.String(), "6216261000000000018")
	var back unionpay.OpenQueryRequest
	assert.ErrorIs(t, json.Unmarshal(b, &back), unionpay.ErrMaskedJSON)
}

// TestE2EQueryOpen runs the open query against unionpaytest: after a front open (the token
// product's, on UnionPay's page) and a back open, it answers opened with the token the gateway
// issued for the card; an open the shopper has not completed, or an orderId the gateway has not
// got, is not found (34); one whose card was declined is not opened (77); a pending open (Script)
// and ScriptQuery 03 and 05 give a *PendingError; 认证支付 2.0's query by
// card answers opened for the card opened and not opened (77) for another; an answer signed
// with the wrong key is a *VerifyError.
func TestE2EQueryOpen(t *testing.T) {
	t.Parallel()
	e := newE2E(t)
	ctx := context.Background()
	form, err := e.c.FrontOpenCard(e.tokenOpenReq("OPENF"))
	require.NoError(t, err)
	q := &unionpay.OpenQueryRequest{OrderID: form.OrderID, TxnTime: form.TxnTime}

	st, err := e.c.QueryOpen(ctx, q)
	require.NoError(t, err)
	assert.Equal(t, unionpay.OpenNotFound, st.State, "not completed by the shopper yet")

	returned, err := e.srv.Pay(ctx, form.Fields, "")
	require.NoError(t, err)
	require.Equal(t, "00", returned["respCode"])
	wantToken := strings.TrimPrefix(strings.SplitN(returned["tokenPayData"], "&", 2)[0], "{token=")
	require.Len(t, wantToken, 19)

	st, err = e.c.QueryOpen(ctx, q)
	require.NoError(t, err)
	assert.Equal(t, unionpay.CardOpened, st.State)
	assert.Equal(t, wantToken, st.Token)
	assert.Equal(t, "62000000001", st.TokenData["trId"])
	pan, err := e.c.DecryptAccNo(&unionpay.Transaction{OrderID: st.OrderID, AccNo: st.AccNo})
	require.NoError(t, err)
	assert.Equal(t, "6216***********0018", pan)

	e.srv.ScriptQuery(form.OrderID, unionpaytest.Outcome("03"), unionpaytest.Outcome("05"))
	for _, code := range []string{"03", "05"} {
		_, err = e.c.QueryOpen(ctx, q)
		var pe *unionpay.PendingError
		require.ErrorAs(t, err, &pe, code)
		assert.Equal(t, code, pe.RespCode)
		assert.ErrorIs(t, err, unionpay.ErrPending)
	}
	st, err = e.c.QueryOpen(ctx, q)
	require.NoError(t, err)
	assert.Equal(t, unionpay.CardOpened, st.State, "after the scripted answers, as usual")

	st, err = e.c.QueryOpen(ctx, &unionpay.OpenQueryRequest{OrderID: form.OrderID, TxnTime: form.TxnTime.Add(-time.Second)})
	require.NoError(t, err)
	assert.Equal(t, unionpay.OpenNotFound, st.State, "another txnTime")
	st, err = e.c.QueryOpen(ctx, &unionpay.OpenQueryRequest{OrderID: e.order("NOSUCH"), TxnTime: form.TxnTime})
	require.NoError(t, err)
	assert.Equal(t, unionpay.OpenNotFound, st.State)
	assert.Equal(t, "34", st.RespCode)

	// An open whose outcome is pending (Script): the open query says so, and moves it on as a
	// status query does; when it has opened the card, the notification follows.
	slow, err := e.c.FrontOpenCard(e.tokenOpenReq("OPENS"))
	require.NoError(t, err)
	e.srv.Script(slow.OrderID, unionpaytest.Pending, unionpaytest.Pending, unionpaytest.Succeed)
	_, err = e.srv.Pay(ctx, slow.Fields, "")
	require.NoError(t, err)
	slowQuery := &unionpay.OpenQueryRequest{OrderID: slow.OrderID, TxnTime: slow.TxnTime}
	_, err = e.c.QueryOpen(ctx, slowQuery)
	var pending *unionpay.PendingError
	require.ErrorAs(t, err, &pending)
	assert.Equal(t, "05", pending.RespCode)
	st, err = e.c.QueryOpen(ctx, slowQuery)
	require.NoError(t, err)
	assert.Equal(t, unionpay.CardOpened, st.State)
	assert.Equal(t, wantToken, st.Token)
	assert.Equal(t, "00", e.inbox.wait(t, slow.OrderID)["respCode"])

	declinedReq := e.tokenOpenReq("OPEND")
	declinedReq.AccNo = "" // the shopper enters the card on the page
	declined, err := e.c.FrontOpenCard(declinedReq)
	require.NoError(t, err)
	_, err = e.srv.Pay(ctx, declined.Fields, unionpaytest.DeclinedCard)
	require.NoError(t, err)
	st, err = e.c.QueryOpen(ctx, &unionpay.OpenQueryRequest{OrderID: declined.OrderID, TxnTime: declined.TxnTime})
	require.NoError(t, err)
	assert.Equal(t, unionpay.CardNotOpened, st.State, "the card was declined")
	assert.Empty(t, st.Token)

	back := e.order("OPENB")
	res, err := e.c.OpenCard(ctx, &unionpay.AccountRequest{OrderID: back, AccNo: unionpaytest.TestCard,
		BizType: unionpay.BizTypeToken, Extra: sign.Fields{"tokenPayData": "{trId=62000000001&tokenType=01}"}})
	require.NoError(t, err)
	backQuery := &unionpay.OpenQueryRequest{OrderID: back, TxnTime: res.TxnTime}
	st, err = e.c.QueryOpen(ctx, backQuery)
	require.NoError(t, err)
	assert.Equal(t, unionpay.CardOpened, st.State)
	assert.Equal(t, wantToken, st.Token, "the same card and requestor: the same token")

	auth := e.order("OPENA")
	res, err = e.c.OpenCard(ctx, &unionpay.AccountRequest{OrderID: auth, AccNo: unionpaytest.TestCard})
	require.NoError(t, err)
	byCard := func(card string) (*unionpay.OpenStatus, error) {
		return e.c.QueryOpen(ctx, &unionpay.OpenQueryRequest{OrderID: auth, TxnTime: res.TxnTime,
			BizType: unionpay.BizTypeAuthPay, AccNo: card})
	}
	st, err = byCard(unionpaytest.TestCard)
	require.NoError(t, err)
	assert.Equal(t, unionpay.CardOpened, st.State)
	assert.Empty(t, st.Token, "认证支付 2.0 has no token")
	st, err = byCard("6221558812340000")
	require.NoError(t, err)
	assert.Equal(t, unionpay.CardNotOpened, st.State)
	assert.Equal(t, "77", st.RespCode)

	e.srv.FailOrder(back, unionpaytest.FaultWrongKey)
	_, err = e.c.QueryOpen(ctx, backQuery)
	var ve *unionpay.VerifyError
	require.ErrorAs(t, err, &ve)
	assert.ErrorIs(t, err, unionpay.ErrUnverified)
	assert.False(t, errors.Is(err, unionpay.ErrPending), "a query moves no money")
}

// TestE2EOpenAccNoDecrypted runs the path OpenStatus.AccNo documents against unionpaytest: the
// open query's answer about a card opened on UnionPay's page carries accNo encrypted to the
// merchant, and Client.DecryptAccNo, given a Transaction holding the status's OrderID and AccNo,
// decrypts it (to the card as the gateway masks it) with Config.Decrypter; without a Decrypter it
// is a *ConfigError, and an answer without accNo (an open not found) an error matching ErrNoAccNo.
func TestE2EOpenAccNoDecrypted(t *testing.T) {
	t.Parallel()
	e := newE2E(t)
	ctx := context.Background()
	form, err := e.c.FrontOpenCard(e.tokenOpenReq("OPENA"))
	require.NoError(t, err)
	_, err = e.srv.Pay(ctx, form.Fields, "")
	require.NoError(t, err)
	noDecrypter := gatewayConfig(t, e.srv)
	noDecrypter.Decrypter = nil
	plain, err := unionpay.NewClient(noDecrypter)
	require.NoError(t, err)
	tests := []struct {
		name    string
		c       *unionpay.Client
		orderID string
		want    string                  // the card decrypted, when no error
		check   func(*testing.T, error) // the error, when one
	}{
		{"with Config.Decrypter", e.c, form.OrderID, "6216***********0018", nil},
		{"without Config.Decrypter", plain, form.OrderID, "", func(t *testing.T, err error) {
			ce, ok := errors.AsType[*unionpay.ConfigError](err)
			require.True(t, ok, "%T %v", err, err)
			assert.Equal(t, "Config.Decrypter", ce.Field)
		}},
		{"open not found: no accNo", e.c, e.order("NOSUCH"), "", func(t *testing.T, err error) {
			assert.ErrorIs(t, err, unionpay.ErrNoAccNo)
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			st, err := tt.c.QueryOpen(ctx, &unionpay.OpenQueryRequest{OrderID: tt.orderID, TxnTime: form.TxnTime})
			require.NoError(t, err)
			got, err := tt.c.DecryptAccNo(&unionpay.Transaction{OrderID: st.OrderID, AccNo: st.AccNo})
			if tt.check != nil {
				require.Error(t, err)
				tt.check(t, err)
				return
			}
			require.NoError(t, err)
			assert.Equal(t, unionpay.CardOpened, st.State)
			assert.NotEqual(t, tt.want, st.AccNo, "the answer's accNo is encrypted")
			assert.Greater(t, len(st.AccNo), 19, "the answer's accNo is encrypted")
			assert.Equal(t, tt.want, got)
		})
	}
}

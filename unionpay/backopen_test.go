package unionpay_test

import (
	"bytes"
	"context"
	"encoding/json"
	"log/slog"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/goacp/unionpay/internal/logtest"
	"github.com/goacp/unionpay/notify"
	"github.com/goacp/unionpay/sign"
	"github.com/goacp/unionpay/unionpay"
	"github.com/goacp/unionpay/unionpay/unionpaytest"
)

// openCardResult is OpenCard as the other back-end calls are, func(...) (*Result, error), for
// the tests that run them all alike.
func openCardResult(c *unionpay.Client, ctx context.Context, r *unionpay.AccountRequest) (*unionpay.Result, error) {
	res, err := c.OpenCard(ctx, r)
	if err != nil {
		return nil, err
	}
	return &res.Result, nil
}

// testTokenRequestor is the tokenPayData of a token back open, as UnionPay's token samples
// (Form_6_2_BackOpen) send it and OpenCard builds it from TokenRequestorID: UnionPay's test trId.
const testTokenRequestor = "{trId=62000000001&tokenType=01}"

// TestOpenCardFields pins the back open (txnType 79) per product: what it sends (认证支付 2.0's
// as upacp_demo_wtz's Form_6_2_BackOpen, the token product's with the tokenPayData of
// upacp_demo_wtz_token's, to backTransReq.do, without amount or backUrl) and what it reads from
// the synchronous answer: the token and every sub-field of tokenPayData, when it has one.
func TestOpenCardFields(t *testing.T) {
	t.Parallel()
	const token = "6235240000020757548"
	answer := "{token=" + token + "&trId=62000000001&tokenType=01&tokenEnd=20290105}"
	tokenReq := func() *unionpay.AccountRequest {
		r := accountReq()
		r.BizType, r.TokenRequestorID = unionpay.BizTypeToken, "62000000001"
		return r
	}
	tests := []struct {
		name          string
		req           *unionpay.AccountRequest
		answer        sign.Fields
		wantBiz       string
		wantSentToken string // tokenPayData sent; "" = absent
		wantToken     string
		wantData      sign.Fields
	}{
		{"authenticated payment", accountReq(), nil, "000301", "", "", nil},
		{"token", tokenReq(), sign.Fields{"tokenPayData": answer}, "000902", testTokenRequestor, token,
			sign.Fields{"token": token, "trId": "62000000001", "tokenType": "01", "tokenEnd": "20290105"}},
		{"token, answer without tokenPayData", tokenReq(), nil, "000902", testTokenRequestor, "", nil},
		{"token, tokenPayData without token", tokenReq(), sign.Fields{"tokenPayData": "{trId=62000000001}"}, "000902",
			testTokenRequestor, "", sign.Fields{"trId": "62000000001"}},
		{"authenticated payment, answer with a token", accountReq(), sign.Fields{"tokenPayData": answer}, "000301", "",
			token, sign.Fields{"token": token, "trId": "62000000001", "tokenType": "01", "tokenEnd": "20290105"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			g := newGateway(t, accept(tt.answer))
			c := newTestClient(t, g)
			res, err := c.OpenCard(context.Background(), tt.req)
			require.NoError(t, err)
			f := g.last()
			assert.Equal(t, "/gateway/api/backTransReq.do", g.paths[len(g.paths)-1])
			sent := sign.Fields{"txnType": "79", "txnSubType": "00", "bizType": tt.wantBiz, "channelType": "07",
				"accessType": "0", "orderId": testOrder, "tokenPayData": tt.wantSentToken, "txnAmt": "",
				"currencyCode": "", "backUrl": "", "frontUrl": ""}
			for k, v := range sent {
				assert.Equal(t, v, f[k], k)
			}
			assert.NotEmpty(t, f["accNo"])
			assert.NotEqual(t, "6216261000000000018", f["accNo"], "accNo is sent encrypted")
			assert.NotEmpty(t, f["customerInfo"])

			assert.Equal(t, testOrder, res.OrderID)
			assert.Equal(t, "00", res.RespCode)
			assert.NotEmpty(t, res.QueryID)
			assert.True(t, res.TxnTime.Equal(testNow))
			assert.Equal(t, tt.wantToken, res.Token)
			assert.Equal(t, tt.wantData, res.TokenData)
		})
	}
}

// TestOpenCardAnswerErrors: a back open that UnionPay refuses is an *Error, and one whose
// tokenPayData is not {k=v&...} an error naming the call and the field, matching
// sign.ErrMalformed (the decoding of the open query's); neither gives a result.
func TestOpenCardAnswerErrors(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name    string
		code    string
		extra   sign.Fields
		wantErr func(*testing.T, error)
	}{
		{"refused", "30", nil, func(t *testing.T, err error) {
			var ue *unionpay.Error
			require.ErrorAs(t, err, &ue)
			assert.Equal(t, "30", ue.RespCode)
			assert.Equal(t, "open", ue.Op)
		}},
		{"tokenPayData not braced", "00", sign.Fields{"tokenPayData": "token=6235240000020757548"},
			func(t *testing.T, err error) {
				assert.ErrorIs(t, err, sign.ErrMalformed)
				assert.ErrorContains(t, err, "unionpay: open "+testOrder+": answer field tokenPayData")
				assert.NotContains(t, err.Error(), "6235240000020757548")
			}},
		{"tokenPayData unterminated", "00", sign.Fields{"tokenPayData": "{token=6235240000020757548"},
			func(t *testing.T, err error) { assert.ErrorIs(t, err, sign.ErrMalformed) }},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			g := newGateway(t, func(req sign.Fields) reply { return reply{fields: answerTo(req, tt.code, tt.extra)} })
			c := newTestClient(t, g)
			r := accountReq()
			r.BizType, r.TokenRequestorID = unionpay.BizTypeToken, "62000000001"
			res, err := c.OpenCard(context.Background(), r)
			require.Error(t, err)
			assert.Nil(t, res)
			tt.wantErr(t, err)
		})
	}
}

// TestOpenResultMasked: the log forms of an OpenResult (String, GoString, JSON, slog with a
// text and a JSON handler) never show the token, nor the card data of Raw, and still show what
// identifies the open; a nil one logs as null.
func TestOpenResultMasked(t *testing.T) {
	t.Parallel()
	const tok = "6235240000020757548"
	res := unionpay.OpenResult{
		Result: unionpay.Result{OrderID: testOrder, TxnTime: testNow, QueryID: "782401051030000000011", RespCode: "00",
			Raw: sign.Fields{"tokenPayData": "{token=" + tok + "&trId=62000000001}", "accNo": "6216261000000000018",
				"customerInfo": "e3Bob25lTm89MTM1NTI1MzU1MDZ9"}},
		Token: tok, TokenData: sign.Fields{"token": tok, "trId": "62000000001"},
	}
	b, err := json.Marshal(res)
	require.NoError(t, err)
	var js, text bytes.Buffer
	slog.New(slog.NewJSONHandler(&js, logtest.Untimed())).Info("opened", "answer", &res)
	slog.New(slog.NewTextHandler(&text, logtest.Untimed())).Info("opened", "answer", &res)
	for name, s := range map[string]string{"String": res.String(), "GoString": res.GoString(), "JSON": string(b),
		"slog JSON": js.String(), "slog text": text.String()} {
		assert.NotContains(t, s, tok, name)
		assert.NotContains(t, s, "62000000001", name)
		assert.NotContains(t, s, "6216261000000000018", name)
		assert.NotContains(t, s, "e3Bob25lTm89MTM1NTI1MzU1MDZ9", name)
		assert.Contains(t, s, testOrder, name)
		assert.Contains(t, s, "782401051030000000011", name)
	}
	assert.Contains(t, string(b), `"Token":"***"`)
	assert.Equal(t, tok, res.Token, "the fields are untouched")

	var none bytes.Buffer
	slog.New(slog.NewJSONHandler(&none, logtest.Untimed())).Info("m", "answer", (*unionpay.OpenResult)(nil))
	assert.Equal(t, `{"level":"INFO","msg":"m","answer":null}`+"\n", none.String())
	empty, err := json.Marshal(unionpay.OpenResult{})
	require.NoError(t, err)
	assert.Contains(t, string(empty), `"Token":"","TokenData":null`, "no token: nothing to mask")
}

// TestE2EOpenCardToken runs the back open against unionpaytest: the token product's answer
// carries the token the gateway issues for the card and requestor, the one a front open's
// notification and the open query give; 认证支付 2.0's carries none.
func TestE2EOpenCardToken(t *testing.T) {
	t.Parallel()
	e := newE2E(t)
	ctx := context.Background()
	form, err := e.c.FrontOpenCard(e.tokenOpenReq("BOPENF"))
	require.NoError(t, err)
	_, err = e.srv.Pay(ctx, form.Fields, "")
	require.NoError(t, err)
	v, err := e.srv.NotifyVerifier()
	require.NoError(t, err)
	n, err := notify.Verify(v, e.inbox.wait(t, form.OrderID))
	require.NoError(t, err)
	notified, err := n.Token()
	require.NoError(t, err)

	res, err := e.c.OpenCard(ctx, &unionpay.AccountRequest{OrderID: e.order("BOPENB"), AccNo: unionpaytest.TestCard,
		BizType: unionpay.BizTypeToken, TokenRequestorID: "62000000001",
		Customer: &unionpay.Customer{Phone: "13552535506", CVN2: "123", Expiry: "2311", SMSCode: "111111"}})
	require.NoError(t, err)
	assert.Equal(t, "00", res.RespCode)
	assert.Len(t, res.Token, 19)
	assert.Equal(t, notified, res.Token, "the front open's notification: the same card and requestor")
	assert.Equal(t, "62000000001", res.TokenData["trId"])
	assert.Equal(t, "01", res.TokenData["tokenType"])

	st, err := e.c.QueryOpen(ctx, &unionpay.OpenQueryRequest{OrderID: res.OrderID, TxnTime: res.TxnTime})
	require.NoError(t, err)
	assert.Equal(t, unionpay.CardOpened, st.State)
	assert.Equal(t, res.Token, st.Token, "the open query of this open")
	assert.Equal(t, res.TokenData, st.TokenData)

	auth, err := e.c.OpenCard(ctx, &unionpay.AccountRequest{OrderID: e.order("BOPENA"), AccNo: unionpaytest.TestCard})
	require.NoError(t, err)
	assert.Empty(t, auth.Token, "认证支付 2.0 has no token")
	assert.Nil(t, auth.TokenData)
}

// TestE2EOpenCardAfterItsSMS: the open SMS and the open go under the same OrderID and TxnTime, as
// OpenCard's doc and UnionPay's samples (Form_6_6_SmsOpen, then Form_6_2_BackOpen) send them; the
// fake gateway answered the open 12 (orderId already used). The open takes the orderId over: the
// open query by it finds the open. Another txnTime is still a duplicate.
func TestE2EOpenCardAfterItsSMS(t *testing.T) {
	t.Parallel()
	e := newE2E(t)
	ctx := context.Background()
	orderID, txnTime := e.order("SMSOPEN"), e.srv.Now().Add(-time.Minute)
	card := &unionpay.AccountRequest{OrderID: orderID, TxnTime: txnTime, AccNo: unionpaytest.TestCard,
		BizType: unionpay.BizTypeToken, TokenRequestorID: "62000000001",
		Customer: &unionpay.Customer{Phone: "13552535506"}}
	sms := *card
	sms.BizType, sms.TokenRequestorID = "", ""
	_, err := e.c.SendSMS(ctx, &sms)
	require.NoError(t, err)
	card.Customer = &unionpay.Customer{Phone: "13552535506", CVN2: "123", Expiry: "2311", SMSCode: "111111"}
	res, err := e.c.OpenCard(ctx, card)
	require.NoError(t, err, "the open under its SMS's orderId and txnTime")
	assert.Len(t, res.Token, 19)
	st, err := e.c.QueryOpen(ctx, &unionpay.OpenQueryRequest{OrderID: orderID, TxnTime: txnTime})
	require.NoError(t, err)
	assert.Equal(t, unionpay.CardOpened, st.State)

	other := e.order("SMSOPEN2")
	sms.OrderID = other
	_, err = e.c.SendSMS(ctx, &sms)
	require.NoError(t, err)
	card.OrderID, card.TxnTime = other, txnTime.Add(time.Second)
	_, err = e.c.OpenCard(ctx, card)
	var rejected *unionpay.Error
	require.ErrorAs(t, err, &rejected, "another txnTime: not the SMS's open")
	assert.Equal(t, "12", rejected.RespCode)
}

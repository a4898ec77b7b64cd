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

	"github.com/goacp/unionpay/internal/logtest"
	"github.com/goacp/unionpay/notify"
	"github.com/goacp/unionpay/reconcile"
	"github.com/goacp/unionpay/sign"
	"github.com/goacp/unionpay/unionpay"
)

// testCardToken is a card's token as UnionPay's token samples take it (13 to 19 digits).
const testCardToken = "6235240000020757548"

// tokenConsumeReq is a consume by token, as upacp_demo_wtz_token's Form_6_7_Consume sends it:
// the token and its requestor, the SMS code, no card number.
func tokenConsumeReq() *unionpay.CardRequest {
	return &unionpay.CardRequest{OrderID: testOrder, Amount: 1000, BackURL: testNotify, Token: testCardToken,
		TokenRequestorID: "62000000001", Customer: &unionpay.Customer{SMSCode: "111111"}}
}

// tokenSMSReq is the consume SMS for it, as Form_6_6_SmsConsume sends it.
func tokenSMSReq() *unionpay.AccountRequest {
	return &unionpay.AccountRequest{OrderID: testOrder, TxnSubType: "02", Amount: 1000, Token: testCardToken,
		TokenRequestorID: "62000000001"}
}

// tokenCall is a call paying, or asking the SMS code to pay, with a token.
type tokenCall func(*unionpay.Client, context.Context) (*unionpay.Result, error)

// TestTokenPaySent pins what a consume by token and its SMS send, field by field, as UnionPay's
// token samples (Form_6_7_Consume, Form_6_6_SmsConsume of upacp_demo_wtz_token) send them:
// txnType 01/01 or 77/02, bizType 000902, channelType 07, tokenPayData {trId=...&token=...}
// (values trimmed), no accNo, the consume's customerInfo (the SMS code) encrypted.
func TestTokenPaySent(t *testing.T) {
	t.Parallel()
	const sent = "{trId=62000000001&token=" + testCardToken + "}"
	consume := func(edit func(*unionpay.CardRequest)) tokenCall {
		return func(c *unionpay.Client, ctx context.Context) (*unionpay.Result, error) {
			r := tokenConsumeReq()
			edit(r)
			return c.BackConsume(ctx, r)
		}
	}
	sms := func(edit func(*unionpay.AccountRequest)) tokenCall {
		return func(c *unionpay.Client, ctx context.Context) (*unionpay.Result, error) {
			r := tokenSMSReq()
			edit(r)
			return c.SendSMS(ctx, r)
		}
	}
	absent := "(absent)"
	tests := []struct {
		name string
		call tokenCall
		want map[string]string // field: value sent; absent: not sent; "*": sent, any value
	}{
		{"consume", consume(func(*unionpay.CardRequest) {}), map[string]string{
			"txnType": "01", "txnSubType": "01", "bizType": "000902", "channelType": "07", "txnAmt": "1000",
			"currencyCode": "156", "backUrl": testNotify, "tokenPayData": sent, "accNo": absent,
			"customerInfo": "*", "encryptCertId": "*"}},
		{"consume, trimmed", consume(func(r *unionpay.CardRequest) {
			r.Token, r.TokenRequestorID, r.AccNo = " "+testCardToken+"\t", " 62000000001 ", " "
		}), map[string]string{"tokenPayData": sent, "accNo": absent}},
		{"consume, no SMS code", consume(func(r *unionpay.CardRequest) { r.Customer = nil }), map[string]string{
			"tokenPayData": sent, "accNo": absent, "customerInfo": absent, "encryptCertId": absent}},
		{"consume, sub-type override", consume(func(r *unionpay.CardRequest) { r.TxnSubType = "03" }),
			map[string]string{"txnSubType": "03", "bizType": "000902"}},
		{"consume by card, Extra (earlier versions)", func(c *unionpay.Client, ctx context.Context) (*unionpay.Result, error) {
			r := cardReq()
			r.Extra = sign.Fields{"tokenPayData": sent}
			return c.BackConsume(ctx, r)
		}, map[string]string{"bizType": "000301", "tokenPayData": sent, "accNo": "*"}},
		{"consume SMS", sms(func(*unionpay.AccountRequest) {}), map[string]string{
			"txnType": "77", "txnSubType": "02", "bizType": "000902", "channelType": "07", "txnAmt": "1000",
			"currencyCode": "156", "tokenPayData": sent, "accNo": absent, "customerInfo": absent}},
		{"consume SMS, phone", sms(func(r *unionpay.AccountRequest) {
			r.Customer = &unionpay.Customer{Phone: "13552535506"}
		}), map[string]string{"tokenPayData": sent, "accNo": absent, "customerInfo": "*"}},
		{"consume SMS, explicit product", sms(func(r *unionpay.AccountRequest) { r.BizType = " 000902 " }),
			map[string]string{"bizType": "000902", "tokenPayData": sent}},
		{"consume SMS, other product", sms(func(r *unionpay.AccountRequest) { r.BizType = "000999" }),
			map[string]string{"bizType": "000999", "tokenPayData": sent}},
		{"consume SMS, token in Extra (earlier versions)", sms(func(r *unionpay.AccountRequest) {
			r.Token, r.TokenRequestorID, r.BizType = "", "", unionpay.BizTypeToken
			r.AccNo, r.Extra = "6216261000000000018", sign.Fields{"tokenPayData": sent}
		}), map[string]string{"tokenPayData": sent, "accNo": "*"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			g := newGateway(t, accept(nil))
			c := newTestClient(t, g)
			res, err := tt.call(c, context.Background())
			require.NoError(t, err)
			assert.Equal(t, "00", res.RespCode)
			got := g.last()
			for k, want := range tt.want {
				v, ok := got[k]
				switch want {
				case absent:
					assert.False(t, ok, "%s sent: %q", k, v)
				case "*":
					assert.NotEmpty(t, v, k)
				default:
					assert.Equal(t, want, v, k)
				}
			}
		})
	}
}

// TestTokenPayRefused: a token where it cannot go (with AccNo, without its requestor, on another
// call, with 认证支付 2.0, with TokenType or Extra["tokenPayData"]), a malformed one, or a
// requestor without a token, is a *RequestError naming the field, before anything is sent; no
// error text holds the token.
func TestTokenPayRefused(t *testing.T) {
	t.Parallel()
	card := func(call func(*unionpay.Client, context.Context, *unionpay.CardRequest) (*unionpay.Result, error),
		edit func(*unionpay.CardRequest)) tokenCall {
		return func(c *unionpay.Client, ctx context.Context) (*unionpay.Result, error) {
			r := tokenConsumeReq()
			edit(r)
			return call(c, ctx, r)
		}
	}
	consume := func(edit func(*unionpay.CardRequest)) tokenCall { return card((*unionpay.Client).BackConsume, edit) }
	account := func(call accountCall, edit func(*unionpay.AccountRequest)) tokenCall {
		return func(c *unionpay.Client, ctx context.Context) (*unionpay.Result, error) {
			r := tokenSMSReq()
			edit(r)
			return call(c, ctx, r)
		}
	}
	sms := func(edit func(*unionpay.AccountRequest)) tokenCall { return account(callSMS, edit) }
	tests := []struct {
		name, op, field, reason string
		call                    tokenCall
	}{
		{"consume, token and AccNo", "back consume", "AccNo", "not with Token", consume(func(r *unionpay.CardRequest) {
			r.AccNo = "6216261000000000018"
		})},
		{"consume, no requestor", "back consume", "TokenRequestorID", "required with Token",
			consume(func(r *unionpay.CardRequest) { r.TokenRequestorID = " " })},
		{"consume, requestor alone", "back consume", "TokenRequestorID", "only with Token",
			consume(func(r *unionpay.CardRequest) { r.Token, r.AccNo = "", "6216261000000000018" })},
		{"consume, neither", "back consume", "AccNo", "required", consume(func(r *unionpay.CardRequest) {
			r.Token, r.TokenRequestorID = " ", ""
		})},
		{"consume, token with &", "back consume", "Token", "letters or digits", consume(func(r *unionpay.CardRequest) {
			r.Token = testCardToken + "&trId=1"
		})},
		{"consume, token with space", "back consume", "Token", "letters or digits", consume(func(r *unionpay.CardRequest) {
			r.Token = "6235 2400 0002 0757"
		})},
		{"consume, token too long", "back consume", "Token", "up to 64", consume(func(r *unionpay.CardRequest) {
			r.Token = strings.Repeat("6", 65)
		})},
		{"consume, bad requestor", "back consume", "TokenRequestorID", "letters or digits",
			consume(func(r *unionpay.CardRequest) { r.TokenRequestorID = "62000000001}" })},
		{"consume, token and Extra", "back consume", `Extra["tokenPayData"]`, "Token, which is given",
			consume(func(r *unionpay.CardRequest) {
				r.Extra = sign.Fields{"tokenPayData": "{trId=62000000001&token=" + testCardToken + "}"}
			})},
		{"collection", "collection", "Token", "only for the back consume",
			card((*unionpay.Client).Collect, func(*unionpay.CardRequest) {})},
		{"payout", "payout", "Token", "only for the back consume",
			card((*unionpay.Client).Payout, func(*unionpay.CardRequest) {})},
		{"SMS, token and AccNo", "sms", "AccNo", "not with Token", sms(func(r *unionpay.AccountRequest) {
			r.AccNo = "6216261000000000018"
		})},
		{"SMS, no requestor", "sms", "TokenRequestorID", "required with Token",
			sms(func(r *unionpay.AccountRequest) { r.TokenRequestorID = "" })},
		{"SMS, token type", "sms", "TokenType", "consume SMS sends {trId=...&token=...}",
			sms(func(r *unionpay.AccountRequest) { r.TokenType = "01" })},
		{"SMS, authenticated payment", "sms", "Token", "only for the token product",
			sms(func(r *unionpay.AccountRequest) { r.BizType = unionpay.BizTypeAuthPay })},
		{"SMS, bad token", "sms", "Token", "letters or digits", sms(func(r *unionpay.AccountRequest) {
			r.Token = "{" + testCardToken + "}"
		})},
		{"SMS, token and Extra", "sms", `Extra["tokenPayData"]`, "Token, which is given",
			sms(func(r *unionpay.AccountRequest) {
				r.Extra = sign.Fields{"tokenPayData": "{trId=62000000001&token=" + testCardToken + "}"}
			})},
		{"open SMS", "sms", "Token", "only for the consume SMS", sms(func(r *unionpay.AccountRequest) {
			r.TxnSubType, r.Amount = "", 0
		})},
		{"open", "open", "Token", "only for the consume SMS", account(openCardResult, func(r *unionpay.AccountRequest) {
			r.TxnSubType, r.Amount = "", 0
		})},
		{"real-name auth", "real-name auth", "Token", "only for the consume SMS",
			account(callRealName, func(r *unionpay.AccountRequest) { r.TxnSubType, r.Amount = "", 0 })},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			g := newGateway(t, accept(nil))
			c := newTestClient(t, g)
			res, err := tt.call(c, context.Background())
			assert.Nil(t, res)
			requireTokenRefused(t, g, err, tt.op, tt.field, tt.reason)
		})
	}
}

// requireTokenRefused checks that err is a *RequestError of op naming field, its reason holding
// reason, with no token in its text, and that nothing reached gateway g.
func requireTokenRefused(t *testing.T, g *gateway, err error, op, field, reason string) {
	t.Helper()
	require.Error(t, err)
	re, ok := errors.AsType[*unionpay.RequestError](err)
	require.True(t, ok, "%T %v", err, err)
	assert.Equal(t, op, re.Op)
	assert.Equal(t, field, re.Field)
	assert.Contains(t, re.Reason, reason)
	assert.NotContains(t, err.Error(), testCardToken, "the token is not in the error text")
	assert.Zero(t, g.count(), "nothing is sent")
}

// TestTokenPayLogged: the log forms of a CardRequest and an AccountRequest paying by token
// (String, GoString, JSON, slog with a JSON and a text handler) show the token as "***" and its
// requestor as it is; their JSON is refused by json.Unmarshal (ErrMaskedJSON, naming Token), and
// JSON with the real values decodes with the token.
func TestTokenPayLogged(t *testing.T) {
	t.Parallel()
	for _, r := range []interface {
		fmt.Stringer
		slog.LogValuer
	}{tokenConsumeReq(), tokenSMSReq()} {
		js, err := json.Marshal(r)
		require.NoError(t, err)
		var jsonLog, textLog bytes.Buffer
		slog.New(slog.NewJSONHandler(&jsonLog, logtest.Untimed())).Info("pay", "req", r)
		slog.New(slog.NewTextHandler(&textLog, logtest.Untimed())).Info("pay", "req", r)
		forms := map[string]string{"String": r.String(), "GoString": fmt.Sprintf("%#v", r), "%+v": fmt.Sprintf("%+v", r),
			"JSON": string(js), "slog JSON": jsonLog.String(), "slog text": textLog.String()}
		for name, s := range forms {
			assert.NotContains(t, s, testCardToken, "%T %s", r, name)
			assert.Contains(t, s, "62000000001", "%T %s: the requestor", r, name)
		}
		assert.Contains(t, string(js), `"Token":"***"`, "%T", r)
		assert.Contains(t, jsonLog.String(), `"Token":"***"`, "%T", r)
		assert.Contains(t, textLog.String(), `req.Token=***`, "%T", r)
	}
	assert.Contains(t, tokenConsumeReq().String(), "Token:*** TokenRequestorID:62000000001")
	assert.Contains(t, fmt.Sprintf("%#v", *tokenConsumeReq()), "unionpay.CardRequest{")
	assert.Contains(t, tokenSMSReq().String(), "TokenRequestorID:62000000001 TokenType: Token:***")

	noCode := tokenConsumeReq()
	noCode.Customer = nil // its masked SMS code would be refused first
	cardJS, err := json.Marshal(noCode)
	require.NoError(t, err)
	var card unionpay.CardRequest
	err = json.Unmarshal(cardJS, &card)
	require.ErrorIs(t, err, unionpay.ErrMaskedJSON)
	assert.Contains(t, err.Error(), "CardRequest.Token")
	smsJS, err := json.Marshal(tokenSMSReq())
	require.NoError(t, err)
	var sms unionpay.AccountRequest
	err = json.Unmarshal(smsJS, &sms)
	require.ErrorIs(t, err, unionpay.ErrMaskedJSON)
	assert.Contains(t, err.Error(), "AccountRequest.Token")

	real, err := json.Marshal(map[string]any{"OrderID": testOrder, "Amount": 1000, "Token": testCardToken,
		"TokenRequestorID": "62000000001"})
	require.NoError(t, err)
	require.NoError(t, json.Unmarshal(real, &card))
	assert.Equal(t, unionpay.CardRequest{OrderID: testOrder, Amount: 1000, Token: testCardToken,
		TokenRequestorID: "62000000001"}, card)
	require.NoError(t, json.Unmarshal(real, &sms))
	assert.Equal(t, unionpay.AccountRequest{OrderID: testOrder, Amount: 1000, Token: testCardToken,
		TokenRequestorID: "62000000001"}, sms)
}

// TestE2ETokenConsume pays with a token on the fake gateway as UnionPay's token samples do: the
// back open gives the token; the consume SMS and the consume by token, under one orderId, txnTime
// and amount, send it with no card number; the notification and the query say the consume
// succeeded for its amount; the settlement file has it under bizType 000902, with the card the
// token stands for; it refunds with bizType 000301, as the token samples refund. A token the
// gateway did not issue, or issued to another requestor, is refused 89, at the SMS as at the
// consume.
func TestE2ETokenConsume(t *testing.T) {
	t.Parallel()
	e := newE2E(t)
	ctx := context.Background()
	const card = "6221558812340000" // not unionpaytest.TestCard, which the file shows by default
	open, err := e.c.OpenCard(ctx, &unionpay.AccountRequest{OrderID: e.order("TKOPEN"), AccNo: card,
		BizType: unionpay.BizTypeToken, TokenRequestorID: "62000000001",
		Customer: &unionpay.Customer{Phone: "13552535506", CVN2: "123", Expiry: "2311", SMSCode: "111111"}})
	require.NoError(t, err)
	require.NotEmpty(t, open.Token)

	orderID, txnTime := e.order("TKPAY"), e.srv.Now()
	sms, err := e.c.SendSMS(ctx, &unionpay.AccountRequest{OrderID: orderID, TxnTime: txnTime, TxnSubType: "02",
		Amount: 1234, Token: open.Token, TokenRequestorID: "62000000001"})
	require.NoError(t, err)
	assert.Equal(t, "00", sms.RespCode)
	res, err := e.c.BackConsume(ctx, &unionpay.CardRequest{OrderID: orderID, TxnTime: txnTime, Amount: 1234,
		BackURL: e.inbox.URL(), Token: open.Token, TokenRequestorID: "62000000001",
		Customer: &unionpay.Customer{SMSCode: "111111"}})
	require.NoError(t, err)
	assert.Equal(t, "00", res.RespCode)
	assert.NotContains(t, res.String(), open.Token)

	v, err := e.srv.NotifyVerifier()
	require.NoError(t, err)
	n, err := notify.Verify(v, e.inbox.wait(t, orderID))
	require.NoError(t, err)
	assert.Equal(t, notify.Succeeded, n.Status())
	assert.Equal(t, int64(1234), n.TxnAmt)
	assert.Equal(t, unionpay.BizTypeToken, n.BizType)
	assert.Equal(t, res.QueryID, n.QueryID)

	tx, err := e.c.Query(ctx, &unionpay.QueryRequest{OrderID: orderID, TxnTime: txnTime})
	require.NoError(t, err)
	assert.Equal(t, unionpay.Succeeded, tx.State)
	assert.Equal(t, int64(1234), tx.Amount)
	assert.Equal(t, "01", tx.TxnType)

	f, err := e.c.DownloadFile(ctx, &unionpay.FileRequest{SettleDate: e.srv.Now()})
	require.NoError(t, err)
	arc, err := reconcile.Open(f.Content)
	require.NoError(t, err)
	var filed []reconcile.Record
	for rec, err := range arc.Records(e.srv.Now(), e.srv.MerchantID()) {
		require.NoError(t, err)
		if rec.OrderID == orderID {
			filed = append(filed, rec)
		}
	}
	require.Len(t, filed, 1, "the consume by token is in the settlement file")
	assert.Equal(t, int64(1234), filed[0].TxnAmt)
	assert.Equal(t, "01", filed[0].TxnType)
	assert.Equal(t, unionpay.BizTypeToken, filed[0].BizType)
	assert.Equal(t, res.QueryID, filed[0].QueryID)
	assert.Equal(t, "622155******0000", filed[0].AccNo, "the card the token stands for")

	refund := e.followUp(e.order("TKREF"), res.QueryID, 234)
	refund.BizType = unionpay.BizTypeAuthPay // as upacp_demo_wtz_token's Form_6_9_Refund
	_, err = e.c.Refund(ctx, refund)
	require.NoError(t, err)

	other := "1" + open.Token[1:]
	if other == open.Token {
		other = "2" + open.Token[1:]
	}
	for _, tt := range []struct{ name, token, trID string }{
		{"unknown token", other, "62000000001"},
		{"another requestor's", open.Token, "62000000002"},
	} {
		_, err := e.c.SendSMS(ctx, &unionpay.AccountRequest{OrderID: e.order("TKBAD"), TxnSubType: "02",
			Amount: 100, Token: tt.token, TokenRequestorID: tt.trID})
		rej, ok := errors.AsType[*unionpay.Error](err)
		require.True(t, ok, "%s: SMS: %T %v", tt.name, err, err)
		assert.Equal(t, "89", rej.RespCode, tt.name)
		_, err = e.c.BackConsume(ctx, &unionpay.CardRequest{OrderID: e.order("TKBAD"), Amount: 100,
			BackURL: e.inbox.URL(), Token: tt.token, TokenRequestorID: tt.trID})
		rej, ok = errors.AsType[*unionpay.Error](err)
		require.True(t, ok, "%s: consume: %T %v", tt.name, err, err)
		assert.Equal(t, "89", rej.RespCode, tt.name)
		assert.NotContains(t, err.Error(), tt.token)
	}
}

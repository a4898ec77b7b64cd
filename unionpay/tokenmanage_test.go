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
	"github.com/goacp/unionpay/sign"
	"github.com/goacp/unionpay/unionpay"
	"github.com/goacp/unionpay/unionpay/unionpaytest"
)

// tokenDeleteReq is a token's delete, as upacp_demo_wtz_token's Form_6_4_DeleteToken sends it.
func tokenDeleteReq() *unionpay.TokenRequest {
	return &unionpay.TokenRequest{OrderID: testOrder, Token: testCardToken, TokenRequestorID: "62000000001"}
}

// tokenUpdateReq is a token's update, as Form_6_5_UpdateToken sends it: the card's new phone,
// CVN2, expiry and SMS code.
func tokenUpdateReq() *unionpay.TokenRequest {
	r := tokenDeleteReq()
	r.Customer = &unionpay.Customer{Phone: "13552535506", CVN2: "123", Expiry: "2311", SMSCode: "111111"}
	return r
}

// tokenManage is DeleteToken or UpdateToken as func(...) (*Result, error).
type tokenManage func(*unionpay.Client, context.Context, *unionpay.TokenRequest) (*unionpay.Result, error)

func callUpdateToken(c *unionpay.Client, ctx context.Context, r *unionpay.TokenRequest) (*unionpay.Result, error) {
	res, err := c.UpdateToken(ctx, r)
	if err != nil {
		return nil, err
	}
	return &res.Result, nil
}

// TestTokenManageSent pins what the token's delete and update send, as UnionPay's token samples
// (Java Form03_6_4_Token_DeleteToken and Form03_6_5_Token_UpdateToken, .NET and PHP
// Form_6_4_DeleteToken and Form_6_5_UpdateToken) send them: txnType 74/01 or 79/03, bizType
// 000902, channelType 07, tokenPayData {trId=...&token=...} (the update's with tokenType), values
// trimmed, no accNo, no amount or backUrl, the update's customerInfo encrypted; to
// backTransReq.do, as the Java and PHP samples post them.
func TestTokenManageSent(t *testing.T) {
	t.Parallel()
	const named = "{trId=62000000001&token=" + testCardToken + "}"
	absent := "(absent)"
	tests := []struct {
		name string
		call tokenManage
		req  *unionpay.TokenRequest
		want map[string]string // field: value sent; absent: not sent; "*": sent, any value
	}{
		{"delete", (*unionpay.Client).DeleteToken, tokenDeleteReq(), map[string]string{
			"txnType": "74", "txnSubType": "01", "bizType": "000902", "channelType": "07", "accessType": "0",
			"orderId": testOrder, "txnTime": "20240105103000", "tokenPayData": named, "accNo": absent,
			"customerInfo": absent, "encryptCertId": absent, "txnAmt": absent, "backUrl": absent}},
		{"delete, trimmed", (*unionpay.Client).DeleteToken, &unionpay.TokenRequest{OrderID: testOrder,
			Token: " " + testCardToken + "\t", TokenRequestorID: " 62000000001 "}, map[string]string{"tokenPayData": named}},
		{"delete, Extra", (*unionpay.Client).DeleteToken, &unionpay.TokenRequest{OrderID: testOrder,
			Token: testCardToken, TokenRequestorID: "62000000001", Extra: sign.Fields{"reqReserved": "r1"}},
			map[string]string{"reqReserved": "r1"}},
		{"update", callUpdateToken, tokenUpdateReq(), map[string]string{
			"txnType": "79", "txnSubType": "03", "bizType": "000902", "channelType": "07", "accessType": "0",
			"orderId": testOrder, "tokenPayData": "{trId=62000000001&token=" + testCardToken + "&tokenType=01}",
			"accNo": absent, "customerInfo": "*", "encryptCertId": "*", "txnAmt": absent, "backUrl": absent}},
		{"update, token type", callUpdateToken, func() *unionpay.TokenRequest {
			r := tokenUpdateReq()
			r.TokenType = " 02 "
			return r
		}(), map[string]string{"tokenPayData": "{trId=62000000001&token=" + testCardToken + "&tokenType=02}"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			g := newGateway(t, accept(nil))
			c := newTestClient(t, g)
			res, err := tt.call(c, context.Background(), tt.req)
			require.NoError(t, err)
			assert.Equal(t, "00", res.RespCode)
			assert.Equal(t, testOrder, res.OrderID)
			assert.True(t, res.TxnTime.Equal(testNow))
			assert.Equal(t, "/gateway/api/backTransReq.do", g.paths[len(g.paths)-1])
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
			assert.NotContains(t, got["customerInfo"], "13552535506", "customerInfo is encrypted")
		})
	}
}

// TestTokenManageRefused: a delete or update missing what it needs (the token, its requestor, the
// update's Customer and phone), with what it does not send (the delete's TokenType and Customer),
// a malformed token or TokenType, or Extra colliding with tokenPayData, is a *RequestError naming
// the field, before anything is sent; no error text holds the token.
func TestTokenManageRefused(t *testing.T) {
	t.Parallel()
	del := func(edit func(*unionpay.TokenRequest)) *unionpay.TokenRequest {
		r := tokenDeleteReq()
		edit(r)
		return r
	}
	upd := func(edit func(*unionpay.TokenRequest)) *unionpay.TokenRequest {
		r := tokenUpdateReq()
		edit(r)
		return r
	}
	deleteToken, updateToken := tokenManage((*unionpay.Client).DeleteToken), tokenManage(callUpdateToken)
	tests := []struct {
		name, op, field, reason string
		call                    tokenManage
		req                     *unionpay.TokenRequest
	}{
		{"nil", "token delete", "request", "nil", deleteToken, nil},
		{"delete, bad orderId", "token delete", "OrderID", "8 to 40", deleteToken, del(func(r *unionpay.TokenRequest) { r.OrderID = "A-1" })},
		{"delete, no token", "token delete", "Token", "required", deleteToken, del(func(r *unionpay.TokenRequest) { r.Token = " " })},
		{"delete, no requestor", "token delete", "TokenRequestorID", "required with Token", deleteToken,
			del(func(r *unionpay.TokenRequest) { r.TokenRequestorID = "" })},
		{"delete, token with &", "token delete", "Token", "letters or digits", deleteToken,
			del(func(r *unionpay.TokenRequest) { r.Token = testCardToken + "&trId=1" })},
		{"delete, token type", "token delete", "TokenType", "only for the update", deleteToken,
			del(func(r *unionpay.TokenRequest) { r.TokenType = "01" })},
		{"delete, customer", "token delete", "Customer", "only for the update", deleteToken,
			del(func(r *unionpay.TokenRequest) { r.Customer = &unionpay.Customer{Phone: "13552535506"} })},
		{"delete, Extra tokenPayData", "token delete", `Extra["tokenPayData"]`, "collides", deleteToken,
			del(func(r *unionpay.TokenRequest) { r.Extra = sign.Fields{"tokenPayData": "{trId=1&token=2}"} })},
		{"update, nil", "token update", "request", "nil", updateToken, nil},
		{"update, no customer", "token update", "Customer", "required", updateToken,
			upd(func(r *unionpay.TokenRequest) { r.Customer = nil })},
		{"update, no phone", "token update", "Customer.Phone", "required", updateToken,
			upd(func(r *unionpay.TokenRequest) { r.Customer.Phone = " " })},
		{"update, bad token type", "token update", "TokenType", "2 digits", updateToken,
			upd(func(r *unionpay.TokenRequest) { r.TokenType = "1" })},
		{"update, letters as token type", "token update", "TokenType", "2 digits", updateToken,
			upd(func(r *unionpay.TokenRequest) { r.TokenType = "0A" })},
		{"update, token too long", "token update", "Token", "up to 64", updateToken,
			upd(func(r *unionpay.TokenRequest) { r.Token = strings.Repeat("6", 65) })},
		{"update, bad CVN2", "token update", "Customer.CVN2", "3 digits", updateToken,
			upd(func(r *unionpay.TokenRequest) { r.Customer.CVN2 = "12a" })},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			g := newGateway(t, accept(nil))
			c := newTestClient(t, g)
			res, err := tt.call(c, context.Background(), tt.req)
			assert.Nil(t, res)
			requireTokenRefused(t, g, err, tt.op, tt.field, tt.reason)
		})
	}
}

// TestTokenManageAnswers: the update reads the token and every sub-field of the answer's
// tokenPayData, as UnionPay's .NET and PHP samples do (none when the answer has none); an answer
// whose tokenPayData is not {k=v&...} is an error matching sign.ErrMalformed; a refusal is an
// *Error and respCode 03, 04, 05, 83 a *PendingError, for the delete as for the update.
func TestTokenManageAnswers(t *testing.T) {
	t.Parallel()
	answer := "{token=" + testCardToken + "&trId=62000000001&tokenType=01}"
	t.Run("update token", func(t *testing.T) {
		t.Parallel()
		for _, tt := range []struct {
			extra     sign.Fields
			wantToken string
			wantData  sign.Fields
		}{
			{sign.Fields{"tokenPayData": answer}, testCardToken,
				sign.Fields{"token": testCardToken, "trId": "62000000001", "tokenType": "01"}},
			{nil, "", nil},
		} {
			g := newGateway(t, accept(tt.extra))
			res, err := newTestClient(t, g).UpdateToken(context.Background(), tokenUpdateReq())
			require.NoError(t, err)
			assert.Equal(t, tt.wantToken, res.Token)
			assert.Equal(t, tt.wantData, res.TokenData)
		}
	})
	t.Run("malformed tokenPayData", func(t *testing.T) {
		t.Parallel()
		g := newGateway(t, accept(sign.Fields{"tokenPayData": "token=" + testCardToken}))
		res, err := newTestClient(t, g).UpdateToken(context.Background(), tokenUpdateReq())
		require.ErrorIs(t, err, sign.ErrMalformed)
		assert.Nil(t, res)
		assert.ErrorContains(t, err, "unionpay: token update "+testOrder+": answer field tokenPayData")
		assert.NotContains(t, err.Error(), testCardToken)
	})
	for _, tt := range []struct {
		name string
		call tokenManage
		req  *unionpay.TokenRequest
	}{
		{"delete", (*unionpay.Client).DeleteToken, tokenDeleteReq()},
		{"update", callUpdateToken, tokenUpdateReq()},
	} {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			for code, pending := range map[string]bool{"89": false, "30": false, "03": true, "04": true, "05": true, "83": true} {
				g := newGateway(t, func(req sign.Fields) reply { return reply{fields: answerTo(req, code, nil)} })
				res, err := tt.call(newTestClient(t, g), context.Background(), tt.req)
				require.Error(t, err, code)
				assert.Nil(t, res, code)
				if pending {
					pe, ok := errors.AsType[*unionpay.PendingError](err)
					require.True(t, ok, "%s: %T %v", code, err, err)
					assert.Equal(t, code, pe.RespCode)
					continue
				}
				ue, ok := errors.AsType[*unionpay.Error](err)
				require.True(t, ok, "%s: %T %v", code, err, err)
				assert.Equal(t, code, ue.RespCode)
				assert.Equal(t, "token "+tt.name, ue.Op)
			}
		})
	}
}

// TestTokenRequestLogged: the log forms of a TokenRequest (String, GoString, JSON, slog with a
// JSON and a text handler) show the token and the customer's secrets masked and the requestor as
// it is; its JSON is refused by json.Unmarshal (ErrMaskedJSON, naming Token), and JSON with the
// real values decodes with the token.
func TestTokenRequestLogged(t *testing.T) {
	t.Parallel()
	r := tokenUpdateReq()
	js, err := json.Marshal(r)
	require.NoError(t, err)
	var jsonLog, textLog bytes.Buffer
	slog.New(slog.NewJSONHandler(&jsonLog, logtest.Untimed())).Info("token", "req", r)
	slog.New(slog.NewTextHandler(&textLog, logtest.Untimed())).Info("token", "req", r)
	forms := map[string]string{"String": r.String(), "GoString": fmt.Sprintf("%#v", r), "%+v": fmt.Sprintf("%+v", *r),
		"JSON": string(js), "slog JSON": jsonLog.String(), "slog text": textLog.String()}
	for name, s := range forms {
		assert.NotContains(t, s, testCardToken, name)
		assert.NotContains(t, s, "2311", "%s: the expiry", name)
		assert.Contains(t, s, "62000000001", "%s: the requestor", name)
	}
	assert.Contains(t, string(js), `"Token":"***"`)
	assert.Contains(t, textLog.String(), `req.Token=***`)
	assert.Contains(t, fmt.Sprintf("%#v", *r), "unionpay.TokenRequest{")

	var back unionpay.TokenRequest
	masked, err := json.Marshal(tokenDeleteReq())
	require.NoError(t, err)
	err = json.Unmarshal(masked, &back)
	require.ErrorIs(t, err, unionpay.ErrMaskedJSON)
	assert.Contains(t, err.Error(), "TokenRequest.Token")
	real, err := json.Marshal(map[string]any{"OrderID": testOrder, "Token": testCardToken, "TokenRequestorID": "62000000001"})
	require.NoError(t, err)
	require.NoError(t, json.Unmarshal(real, &back))
	assert.Equal(t, *tokenDeleteReq(), back)
	var nilReq *unionpay.TokenRequest
	assert.Equal(t, slog.KindAny, nilReq.LogValue().Kind())
}

// TestE2ETokenDeleteUpdate runs the token's lifecycle against unionpaytest: the back open gives
// the token; UpdateToken answers with the same token, which still pays; DeleteToken deletes it,
// after which a consume by it, its SMS, a second delete and an update are refused with respCode
// 89 (an *Error, not pending); the card's next open gives another token, which pays.
func TestE2ETokenDeleteUpdate(t *testing.T) {
	t.Parallel()
	e := newE2E(t)
	ctx := context.Background()
	openReq := func() *unionpay.AccountRequest {
		return &unionpay.AccountRequest{OrderID: e.order("TKMOPEN"), AccNo: unionpaytest.TestCard,
			BizType: unionpay.BizTypeToken, TokenRequestorID: "62000000001",
			Customer: &unionpay.Customer{Phone: "13552535506", CVN2: "123", Expiry: "2311", SMSCode: "111111"}}
	}
	open, err := e.c.OpenCard(ctx, openReq())
	require.NoError(t, err)
	require.NotEmpty(t, open.Token)
	consume := func(token string) error {
		_, err := e.c.BackConsume(ctx, &unionpay.CardRequest{OrderID: e.order("TKMPAY"), Amount: 1234,
			BackURL: e.inbox.URL(), Token: token, TokenRequestorID: "62000000001"})
		return err
	}
	manage := func(prefix string) *unionpay.TokenRequest {
		return &unionpay.TokenRequest{OrderID: e.order(prefix), Token: open.Token, TokenRequestorID: "62000000001"}
	}
	withCustomer := func(r *unionpay.TokenRequest) *unionpay.TokenRequest {
		r.Customer = &unionpay.Customer{Phone: "13800000000", CVN2: "456", Expiry: "2912", SMSCode: "111111"}
		return r
	}

	up, err := e.c.UpdateToken(ctx, withCustomer(manage("TKMUPD")))
	require.NoError(t, err)
	assert.Equal(t, open.Token, up.Token, "the update keeps the token")
	assert.NotEmpty(t, up.QueryID)
	require.NoError(t, consume(open.Token), "the updated token pays")

	del, err := e.c.DeleteToken(ctx, manage("TKMDEL"))
	require.NoError(t, err)
	assert.Equal(t, "00", del.RespCode)
	assert.NotContains(t, del.String(), open.Token)

	refused := map[string]error{"consume": consume(open.Token)}
	_, refused["sms"] = e.c.SendSMS(ctx, &unionpay.AccountRequest{OrderID: e.order("TKMSMS"), TxnSubType: "02",
		Amount: 1234, Token: open.Token, TokenRequestorID: "62000000001"})
	_, refused["delete again"] = e.c.DeleteToken(ctx, manage("TKMDEL"))
	_, refused["update"] = e.c.UpdateToken(ctx, withCustomer(manage("TKMUPD")))
	for name, err := range refused {
		ue, ok := errors.AsType[*unionpay.Error](err)
		require.True(t, ok, "%s: %T %v", name, err, err)
		assert.Equal(t, unionpaytest.CodeInvalidToken, ue.RespCode, name)
		assert.NotContains(t, err.Error(), open.Token, name)
	}

	again, err := e.c.OpenCard(ctx, openReq())
	require.NoError(t, err)
	assert.NotEqual(t, open.Token, again.Token, "the card's next open gives another token")
	require.NoError(t, consume(again.Token), "which pays")
}

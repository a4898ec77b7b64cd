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
)

// accountCall is one of the calls that take an *AccountRequest, as the tests of its token
// requestor run them.
type accountCall func(*unionpay.Client, context.Context, *unionpay.AccountRequest) (*unionpay.Result, error)

func callSMS(c *unionpay.Client, ctx context.Context, r *unionpay.AccountRequest) (*unionpay.Result, error) {
	return c.SendSMS(ctx, r)
}

func callRealName(c *unionpay.Client, ctx context.Context, r *unionpay.AccountRequest) (*unionpay.Result, error) {
	return c.RealNameAuth(ctx, r)
}

// TestAccountRequestorSent pins the tokenPayData each AccountRequest call sends for each
// combination of the token requestor (TokenRequestorID, TokenType) and Extra["tokenPayData"]:
// the back open's and the open SMS's built as FrontOpenCard builds it ({trId=...&tokenType=...},
// as upacp_demo_wtz_token's Form_6_2_BackOpen and Form_6_6_SmsOpen send it), Extra's sent as it
// is where no requestor is given.
func TestAccountRequestorSent(t *testing.T) {
	t.Parallel()
	const consumeToken = "{trId=62000000001&token=6235240000020757548}"
	tests := []struct {
		name string
		call accountCall
		edit func(*unionpay.AccountRequest)
		want string // tokenPayData sent; "" = absent
	}{
		{"open, token", openCardResult, func(r *unionpay.AccountRequest) {
			r.BizType, r.TokenRequestorID = unionpay.BizTypeToken, "62000000001"
		}, testTokenRequestor},
		{"open, token, type, trimmed", openCardResult, func(r *unionpay.AccountRequest) {
			r.BizType, r.TokenRequestorID, r.TokenType = " 000902 ", " 62000000001 ", " 02 "
		}, "{trId=62000000001&tokenType=02}"},
		{"open, token, Extra (earlier versions)", openCardResult, func(r *unionpay.AccountRequest) {
			r.BizType, r.Extra = unionpay.BizTypeToken, sign.Fields{"tokenPayData": " {trId=62000000001&tokenType=03} "}
		}, "{trId=62000000001&tokenType=03}"},
		{"open, token, blank requestor, Extra", openCardResult, func(r *unionpay.AccountRequest) {
			r.BizType, r.TokenRequestorID, r.TokenType = unionpay.BizTypeToken, " ", " "
			r.Extra = sign.Fields{"tokenPayData": testTokenRequestor}
		}, testTokenRequestor},
		{"open, authenticated payment", openCardResult, func(*unionpay.AccountRequest) {}, ""},
		{"open, authenticated payment, blank requestor", openCardResult, func(r *unionpay.AccountRequest) {
			r.TokenRequestorID, r.TokenType = " ", "\t"
		}, ""},
		{"open, other product", openCardResult, func(r *unionpay.AccountRequest) {
			r.BizType, r.TokenRequestorID = "000999", "62000000001"
		}, testTokenRequestor},
		{"open SMS, token", callSMS, func(r *unionpay.AccountRequest) {
			r.BizType, r.TokenRequestorID = unionpay.BizTypeToken, "62000000001"
		}, testTokenRequestor},
		{"open SMS, token, explicit sub-type", callSMS, func(r *unionpay.AccountRequest) {
			r.BizType, r.TxnSubType, r.TokenRequestorID, r.TokenType = unionpay.BizTypeToken, "00", "62000000001", "01"
		}, testTokenRequestor},
		{"open SMS, token, none: not required", callSMS, func(r *unionpay.AccountRequest) {
			r.BizType = unionpay.BizTypeToken
		}, ""},
		{"open SMS, token, Extra", callSMS, func(r *unionpay.AccountRequest) {
			r.BizType, r.Extra = unionpay.BizTypeToken, sign.Fields{"tokenPayData": testTokenRequestor}
		}, testTokenRequestor},
		{"consume SMS, token in Extra", callSMS, func(r *unionpay.AccountRequest) {
			r.BizType, r.TxnSubType, r.Amount = unionpay.BizTypeToken, "02", 1000
			r.Extra = sign.Fields{"tokenPayData": consumeToken}
		}, consumeToken},
		{"real-name auth, Extra", callRealName, func(r *unionpay.AccountRequest) {
			r.Extra = sign.Fields{"tokenPayData": consumeToken}
		}, consumeToken},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			g := newGateway(t, accept(nil))
			c := newTestClient(t, g)
			r := accountReq()
			tt.edit(r)
			_, err := tt.call(c, context.Background(), r)
			require.NoError(t, err)
			got, sent := g.last()["tokenPayData"]
			assert.Equal(t, tt.want, got)
			assert.Equal(t, tt.want != "", sent, "a blank tokenPayData is not sent")
		})
	}
}

// TestAccountRequestorRefused: a token requestor missing where required (the token back open),
// given where it is not sent (real-name auth, the consume SMS, 认证支付 2.0), malformed, or
// given with Extra["tokenPayData"] too, is a *RequestError naming the field, and nothing is sent.
func TestAccountRequestorRefused(t *testing.T) {
	t.Parallel()
	token := func(r *unionpay.AccountRequest) { r.BizType = unionpay.BizTypeToken }
	tests := []struct {
		name, op, field, reason string
		call                    accountCall
		edit                    func(*unionpay.AccountRequest)
	}{
		{"open, token, none", "open", "TokenRequestorID", "required for the token product", openCardResult, token},
		{"open, token, blank", "open", "TokenRequestorID", "required", openCardResult, func(r *unionpay.AccountRequest) {
			token(r)
			r.TokenRequestorID = " "
		}},
		{"open, token, blank Extra", "open", "TokenRequestorID", "required", openCardResult, func(r *unionpay.AccountRequest) {
			token(r)
			r.Extra = sign.Fields{"tokenPayData": " "}
		}},
		{"open, token, type alone", "open", "TokenRequestorID", "required", openCardResult, func(r *unionpay.AccountRequest) {
			token(r)
			r.TokenType = "01"
		}},
		{"open, requestor and Extra", "open", `Extra["tokenPayData"]`, "TokenRequestorID, which is given", openCardResult,
			func(r *unionpay.AccountRequest) {
				token(r)
				r.TokenRequestorID, r.Extra = "62000000001", sign.Fields{"tokenPayData": testTokenRequestor}
			}},
		{"open, type, requestor in Extra", "open", "TokenRequestorID", "required", openCardResult,
			func(r *unionpay.AccountRequest) {
				token(r)
				r.TokenType, r.Extra = "01", sign.Fields{"tokenPayData": testTokenRequestor}
			}},
		{"open, trId with &", "open", "TokenRequestorID", "letters or digits", openCardResult, func(r *unionpay.AccountRequest) {
			token(r)
			r.TokenRequestorID = "62000000001&token=1"
		}},
		{"open, trId too long", "open", "TokenRequestorID", "up to 32", openCardResult, func(r *unionpay.AccountRequest) {
			token(r)
			r.TokenRequestorID = strings.Repeat("6", 33)
		}},
		{"open, bad type", "open", "TokenType", "2 digits", openCardResult, func(r *unionpay.AccountRequest) {
			token(r)
			r.TokenRequestorID, r.TokenType = "62000000001", "1"
		}},
		{"open, authenticated payment", "open", "TokenRequestorID", "only for the token product", openCardResult,
			func(r *unionpay.AccountRequest) { r.TokenRequestorID = "62000000001" }},
		{"open, authenticated payment, explicit", "open", "TokenRequestorID", "000301", openCardResult,
			func(r *unionpay.AccountRequest) { r.BizType, r.TokenRequestorID = " 000301 ", "62000000001" }},
		{"open, authenticated payment, type", "open", "TokenType", "only for the token product", openCardResult,
			func(r *unionpay.AccountRequest) { r.TokenType = "01" }},
		{"open SMS, authenticated payment", "sms", "TokenRequestorID", "only for the token product", callSMS,
			func(r *unionpay.AccountRequest) { r.TokenRequestorID = "62000000001" }},
		{"open SMS, bad trId", "sms", "TokenRequestorID", "letters or digits", callSMS, func(r *unionpay.AccountRequest) {
			token(r)
			r.TokenRequestorID = "6200 0001"
		}},
		{"consume SMS", "sms", "TokenRequestorID", "only with Token", callSMS, func(r *unionpay.AccountRequest) {
			token(r)
			r.TxnSubType, r.Amount, r.TokenRequestorID = "02", 1000, "62000000001"
		}},
		{"consume SMS, type", "sms", "TokenType", "only for the open", callSMS, func(r *unionpay.AccountRequest) {
			token(r)
			r.TxnSubType, r.Amount, r.TokenType = "02", 1000, "01"
		}},
		{"real-name auth", "real-name auth", "TokenRequestorID", "only for the open", callRealName,
			func(r *unionpay.AccountRequest) { r.TokenRequestorID = "62000000001" }},
		{"real-name auth, token product", "real-name auth", "TokenRequestorID", "only for the open", callRealName,
			func(r *unionpay.AccountRequest) {
				token(r)
				r.TokenRequestorID = "62000000001"
			}},
		{"real-name auth, type", "real-name auth", "TokenType", "only for the open", callRealName,
			func(r *unionpay.AccountRequest) { r.TokenType = "01" }},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			g := newGateway(t, accept(nil))
			c := newTestClient(t, g)
			r := accountReq()
			tt.edit(r)
			res, err := tt.call(c, context.Background(), r)
			require.Error(t, err)
			assert.Nil(t, res)
			re, ok := errors.AsType[*unionpay.RequestError](err)
			require.True(t, ok, "%T %v", err, err)
			assert.Equal(t, tt.op, re.Op)
			assert.Equal(t, tt.field, re.Field)
			assert.Contains(t, re.Reason, tt.reason)
			assert.Zero(t, g.count(), "nothing is sent")
		})
	}
}

// TestAccountRequestorLogged: the log forms of an AccountRequest (String, GoString, JSON, slog
// with a JSON and a text handler, by pointer) show the token requestor as FrontOpenRequest's do,
// the requestor being no secret, and still mask the card and the cardholder; the masked JSON
// does not decode back, and JSON with the real values keeps the requestor.
func TestAccountRequestorLogged(t *testing.T) {
	t.Parallel()
	r := accountReq()
	r.BizType, r.TokenRequestorID, r.TokenType = unionpay.BizTypeToken, "62000000001", "01"
	js, err := json.Marshal(r)
	require.NoError(t, err)
	var jsonLog, textLog bytes.Buffer
	slog.New(slog.NewJSONHandler(&jsonLog, logtest.Untimed())).Info("open", "req", r)
	slog.New(slog.NewTextHandler(&textLog, logtest.Untimed())).Info("open", "req", r)
	for name, s := range map[string]string{"String": r.String(), "%v": fmt.Sprintf("%v", *r),
		"GoString": fmt.Sprintf("%#v", *r), "JSON": string(js), "slog JSON": jsonLog.String(),
		"slog text": textLog.String()} {
		for _, secret := range []string{"6216261000000000018", "13552535506", "341126197709218366"} {
			assert.NotContains(t, s, secret, name)
		}
		assert.Contains(t, s, "621626******0018", name)
		assert.Contains(t, s, "TokenRequestorID", name)
		assert.Contains(t, s, "62000000001", name)
		assert.Contains(t, s, "TokenType", name)
	}
	assert.Contains(t, r.String(), "TokenRequestorID:62000000001 TokenType:01")
	assert.Contains(t, string(js), `"TokenRequestorID":"62000000001","TokenType":"01"`)
	assert.Contains(t, jsonLog.String(), `"TokenRequestorID":"62000000001","TokenType":"01"`)

	var back unionpay.AccountRequest
	assert.ErrorIs(t, json.Unmarshal(js, &back), unionpay.ErrMaskedJSON)
	real, err := json.Marshal(map[string]any{"OrderID": testOrder, "AccNo": "6216261000000000018",
		"BizType": unionpay.BizTypeToken, "TokenRequestorID": "62000000001", "TokenType": "01"})
	require.NoError(t, err)
	require.NoError(t, json.Unmarshal(real, &back))
	assert.Equal(t, unionpay.AccountRequest{OrderID: testOrder, AccNo: "6216261000000000018",
		BizType: unionpay.BizTypeToken, TokenRequestorID: "62000000001", TokenType: "01"}, back)
}

package unionpay

import (
	"encoding/json"
	"fmt"
	"log/slog"

	"github.com/goacp/unionpay/sign"
)

// OpenResult is the answer to a back open ([Client.OpenCard]), which has no notification: the
// Result, and for the token product the card's token. Its String, GoString, JSON and log/slog
// value are a masked form meant for logs, as [Result]'s: Token and TokenData as "***", Raw as
// [sign.Fields.Masked] masks it. Store the fields, not that form.
type OpenResult struct {
	Result
	// Token is the card's token, from the answer's tokenPayData {token=...&trId=...&tokenType=...}:
	// the token product's (BizTypeToken) back open answers with it, as UnionPay's token samples
	// (Form_6_2_BackOpen) read it; it is what the open query ([Client.QueryOpen]) and a front
	// open's notification give for the same card and trId. A payment credential of the merchant's:
	// store it as such, never log it. "" when the answer has none (认证支付 2.0, BizTypeAuthPay).
	Token string
	// TokenData is every sub-field of tokenPayData (token, trId, tokenType and whatever else
	// UnionPay sends, such as the token's validity); nil when the answer has none.
	TokenData sign.Fields
}

func (r OpenResult) masked() any {
	token, data := maskedToken(r.Token, r.TokenData)
	return struct {
		resultFields
		Token     string
		TokenData sign.Fields
	}{r.Result.masked(), token, data}
}

// String shows the result with the token and the card data of Raw masked.
func (r OpenResult) String() string {
	token, data := maskedToken(r.Token, r.TokenData)
	return fmt.Sprintf("{Result:%v Token:%s TokenData:%v}", r.Result, token, data)
}

// GoString is String.
func (r OpenResult) GoString() string { return "unionpay.OpenResult" + r.String() }

// MarshalJSON encodes the result with the token and the card data of Raw masked.
func (r OpenResult) MarshalJSON() ([]byte, error) { return json.Marshal(r.masked()) }

// LogValue implements slog.LogValuer: the result with the token and the card data of Raw masked.
func (r *OpenResult) LogValue() slog.Value {
	if r == nil {
		return slog.AnyValue(nil)
	}
	return slog.AnyValue(r.masked())
}

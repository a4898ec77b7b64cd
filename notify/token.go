package notify

import (
	"errors"
	"fmt"
	"strings"

	"github.com/goacp/unionpay/sign"
)

// ErrNoToken reports a notification whose tokenPayData is absent or holds no token: UnionPay
// sends one for the token product (bizType 000902), for an open (txnType 79) that succeeded.
var ErrNoToken = errors.New("notify: notification has no token in tokenPayData")

// fieldTokenPayData is the field the token comes in.
const fieldTokenPayData = "tokenPayData"

// Token returns the token of the card the notification is about, read from its tokenPayData,
// {token=...&trId=...&tokenType=...}: what the back notification (and the browser's return) of a
// token product's open carries, as UnionPay's Token sample projects read it (BackReceive,
// FrontReceive of upacp_demo_wtz_token). The merchant pays with it later instead of the card
// number. Its other sub-fields are in Raw["tokenPayData"]. Check Status first: a token is not
// proof that the open succeeded.
//
// The token is a payment credential of the merchant's: store it as such, and do not log it
// (String, LogValue and MarshalJSON leave Raw, and so tokenPayData, out). A tokenPayData that is
// not braced pairs (a pair without '=' or with an empty key, wherever it sits; a repeated token=;
// more than sign.MaxFields pairs) is a *FieldError (matching sign.ErrMalformed); one without a
// token ("{}" too, or an empty token=), [ErrNoToken].
func (n *Notification) Token() (string, error) {
	v, ok := n.Raw[fieldTokenPayData]
	if !ok || v == "" {
		return "", ErrNoToken
	}
	inner, ok := strings.CutPrefix(v, "{")
	if ok {
		inner, ok = strings.CutSuffix(inner, "}")
	}
	if !ok {
		return "", &FieldError{Field: fieldTokenPayData, Msg: "not {k=v&...}"}
	}
	if inner == "" { // {}: braced, without a pair, so without a token
		return "", ErrNoToken
	}
	// Every pair is checked, wherever the token sits: a value that is not braced pairs is refused
	// whole, not only when the fault comes before the token. The errors name no value.
	token, found, pairs := "", false, 0
	for pair := range strings.SplitSeq(inner, "&") {
		if pairs++; pairs > sign.MaxFields {
			return "", &FieldError{Field: fieldTokenPayData,
				Msg: fmt.Sprintf("more than %d pairs (sign.MaxFields)", sign.MaxFields)}
		}
		k, val, isPair := strings.Cut(pair, "=")
		switch {
		case !isPair || k == "":
			return "", &FieldError{Field: fieldTokenPayData, Msg: "not {k=v&...}"}
		case k == "token" && found:
			return "", &FieldError{Field: fieldTokenPayData, Msg: "token repeated"}
		case k == "token":
			token, found = val, true
		}
	}
	if token == "" {
		return "", ErrNoToken
	}
	return token, nil
}

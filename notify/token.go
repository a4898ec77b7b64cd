package notify

import (
	"errors"

	"github.com/goacp/unionpay/internal/tokenpay"
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
// Inside its braces (one pair taken off: {{token=a}} has no token), tokenPayData is read with
// UnionPay's raw rule ([sign.ParseRaw]), as the official SDK's parseQString reads it and as the
// client reads the tokenPayData of an answer: a {...} or [...] region inside a value keeps its '&'.
//
// The token is a payment credential of the merchant's: store it as such, and do not log it
// (String, LogValue and MarshalJSON leave Raw, and so tokenPayData, out). A tokenPayData that is
// not braced pairs (a pair without '=' or with an empty key, wherever it sits; a trailing '&'; a
// value whose '{' or '[' region is left open; a repeated key, token or another; more than
// sign.MaxFields pairs) is a *FieldError (matching sign.ErrMalformed) whose text names the fault,
// never a key or a value; one without a token ("{}" too, or an empty token=), [ErrNoToken].
func (n *Notification) Token() (string, error) {
	v, ok := n.Raw[fieldTokenPayData]
	if !ok || v == "" {
		return "", ErrNoToken
	}
	// Every pair is checked, wherever the token sits: a value that is not braced pairs is refused
	// whole, not only when the fault comes before the token. tokenpay.Parse takes off exactly
	// one pair of outer braces, as the client does for an answer's tokenPayData.
	data, err := tokenpay.Parse(v)
	if err != nil {
		// The error names the fault only: ParseRaw's quotes the key of a repeated pair or of an
		// open region, text of the sender's as a value is, so it is not wrapped.
		msg := "not {k=v&...}"
		if pe, ok := errors.AsType[*sign.ParseError](err); ok {
			msg = pe.Msg
		}
		return "", &FieldError{Field: fieldTokenPayData, Msg: msg}
	}
	token := data["token"]
	if token == "" {
		return "", ErrNoToken
	}
	return token, nil
}

package unionpay

import (
	"fmt"

	"github.com/goacp/unionpay/internal/ascii"
	"github.com/goacp/unionpay/sign"
)

// cardToken checks the card of r, a CardRequest for txnType: AccNo, or for a back consume (01)
// Token with its TokenRequestorID instead, and returns the tokenPayData to send,
// {trId=...&token=...}, or "" when no token is given.
func (ch *checker) cardToken(txnType string, r *CardRequest) string {
	switch token := !sign.Blank(r.Token); {
	case token && txnType != "01":
		ch.fail("Token", "only for the back consume (BackConsume)")
	case !token && !sign.Blank(r.TokenRequestorID):
		ch.fail("TokenRequestorID", "only with Token")
	case ch.cardOrToken(r.AccNo, r.Token):
		return ch.tokenPay(r.Token, r.TokenRequestorID)
	}
	return ""
}

// cardOrToken checks that a request names its card by accNo or by token, not both (AccNo is
// required without Token, refused with it), and reports whether it gives Token.
func (ch *checker) cardOrToken(accNo, token string) bool {
	if sign.Blank(token) {
		ch.required("AccNo", accNo)
		return false
	}
	if !sign.Blank(accNo) {
		ch.fail("AccNo", "not with Token: the token stands for the card (send one of them)")
	}
	return true
}

// maxToken bounds CardRequest.Token and AccountRequest.Token (UnionPay's test tokens, as its
// samples' pages take them, have 13 to 19 digits).
const maxToken = 64

// tokenPay checks a card's token and the requestor it was issued to, as sent (trimmed), and
// returns the tokenPayData that pays with it, {trId=...&token=...}, as UnionPay's token samples
// send it (Form_6_6_SmsConsume, Form_6_7_Consume). No reason names the token's value.
func (ch *checker) tokenPay(token, trID string) string {
	token, trID = sentTrimmed(token), sentTrimmed(trID)
	switch {
	case len(token) > maxToken || !ascii.IsAlnum(token):
		ch.fail("Token", fmt.Sprintf("must be up to %d letters or digits", maxToken))
	case trID == "":
		ch.fail("TokenRequestorID", "required with Token: the trId the token was issued to (the open's)")
	case len(trID) > maxTokenRequestorID || !ascii.IsAlnum(trID):
		ch.fail("TokenRequestorID", fmt.Sprintf("must be up to %d letters or digits", maxTokenRequestorID))
	}
	return "{trId=" + trID + "&token=" + token + "}"
}

// accountRequestor checks the token fields of r (Token, TokenRequestorID, TokenType), an
// AccountRequest for txnType under txnSubType sub and bizType biz (as sent), and returns its
// tokenPayData and the field that gives it, or "" when none is to be sent: the consume SMS (77/02)
// takes Token with its requestor ({trId=...&token=...}, as [checker.tokenPay] builds it); the
// back open (79) requires the requestor with BizTypeToken unless Extra["tokenPayData"] (the
// older way) sends it, and the open's SMS (77/00) takes it when given
// ({trId=...&tokenType=...}, as [checker.tokenPayData] builds it, which refuses them with
// BizTypeAuthPay, as [Client.FrontOpenCard] does); every other call refuses them.
func (ch *checker) accountRequestor(txnType, sub, biz string, r *AccountRequest) (tokenPayData, field string) {
	token, typed := !sign.Blank(r.Token), !sign.Blank(r.TokenType)
	given := !sign.Blank(r.TokenRequestorID) || typed
	consumeSMS := txnType == "77" && sub == "02"
	field = "TokenRequestorID"
	if sign.Blank(r.TokenRequestorID) {
		field = "TokenType"
	}
	switch {
	case token && !consumeSMS:
		ch.fail("Token", "only for the consume SMS (SendSMS, txnSubType 02); the consume takes CardRequest.Token")
	case token && biz == BizTypeAuthPay:
		ch.fail("Token", "only for the token product (bizType 000902): 认证支付 2.0 (000301) sends the card")
	case consumeSMS && typed:
		ch.fail("TokenType", "only for the open (OpenCard) and its SMS (SendSMS, txnSubType 00): the consume "+
			"SMS sends {trId=...&token=...}")
	case token:
		return ch.tokenPay(r.Token, r.TokenRequestorID), "Token"
	case consumeSMS && given:
		ch.fail(field, "the consume SMS sends it only with Token, the card's token ({trId=...&token=...})")
	case given && txnType != "79" && !(txnType == "77" && sub == "00"):
		ch.fail(field, "only for the open (OpenCard) and its SMS (SendSMS, txnSubType 00)")
	case given || (txnType == "79" && sign.Blank(r.Extra["tokenPayData"])):
		return ch.tokenPayData(biz, r.TokenRequestorID, r.TokenType), "TokenRequestorID"
	}
	return "", field
}

package unionpay

import (
	"fmt"
	"time"

	"github.com/goacp/unionpay/internal/ascii"
	"github.com/goacp/unionpay/sign"
)

// Business types of the products that open (bind) a card in the shopper's browser
// ([Client.FrontOpenCard]).
const (
	// BizTypeAuthPay is 认证支付 2.0 (authenticated payment, "无跳转"): the opened card is then paid
	// by back-end consume ([Client.BackConsume]).
	BizTypeAuthPay = "000301"
	// BizTypeToken is the token payment product (Token支付): the open's notification carries the
	// card's token in tokenPayData (notify.Notification.Token).
	BizTypeToken = "000902"
)

// FrontOpenRequest opens (binds) a card on UnionPay's own page, in the shopper's browser
// ([Client.FrontOpenCard]). Empty optional fields are not sent. Its text is sent trimmed of
// surrounding white space, and a blank value (white space only) is not sent either (see "Blank
// values" in the package doc); Customer's values go inside customerInfo as they are.
//
// Its String, GoString, JSON (json.Marshal) and log/slog value are a masked form meant for logs: AccNo as 6+4
// (621626******0018), the Customer's secrets as "***", Reserved and RiskRateInfo with their keys
// and every value as "***", Extra (fields the SDK does not model) as [sign.Fields.Masked] masks a
// message, the other fields as they are (TokenRequestorID is the merchant's token requestor, not
// a secret).
// It is not a storage form: json.Unmarshal refuses it with [ErrMaskedJSON], so that the masks
// are never sent to UnionPay; JSON with the real values decodes as usual.
type FrontOpenRequest struct {
	OrderID string    // orderId: 8 to 40 letters or digits (32 at most to reconcile), unique per merchant; required
	TxnTime time.Time // txnTime; zero: Config.Now(); sent in Beijing time
	// BizType is the product: "" or blank = BizTypeAuthPay (000301); BizTypeToken (000902) for
	// token payment, which needs TokenRequestorID. Six digits, sent trimmed.
	BizType string
	// TxnSubType overrides txnSubType, "00" by default as in UnionPay's front-open samples (other
	// values are product variants): two digits, sent trimmed; a blank one (white space only) is
	// not given: the default is sent.
	TxnSubType string
	Channel    Channel   // channelType: ChannelPC (the samples' 07) or ChannelMobile (08); "" = ChannelPC
	FrontURL   string    // frontUrl: where the browser returns; required
	BackURL    string    // backUrl: where the notification of the outcome goes; required
	PayTimeout time.Time // payTimeout, after txnTime; zero: not sent (UnionPay's 认证支付 samples send txnTime + 15 minutes)
	// AccNo pre-fills the card on UnionPay's page (optional: the shopper may type it there);
	// 12 to 19 digits, sent encrypted with Config.Encrypter (in clear with Config.PlainCardData).
	AccNo string
	// Customer is customerInfo, pre-filled likewise (optional): the samples send the phone, ID
	// type and number and name; encrypted as the back-end requests' are.
	Customer *Customer
	// TokenRequestorID is trId, the token requestor UnionPay assigns the merchant (its test
	// environment's is 62000000001), sent in tokenPayData {trId=...&tokenType=...}: letters or
	// digits, at most 32, sent trimmed. Required with BizTypeToken; refused with BizTypeAuthPay
	// (the default), whose sample sends no tokenPayData, as [Client.OpenCard] refuses it; ""
	// sends no tokenPayData.
	TokenRequestorID string
	// TokenType is tokenType in tokenPayData, two digits; "" or blank = "01", what the samples
	// send. Only with TokenRequestorID, and refused with BizTypeAuthPay.
	TokenType string
	// reqReserved: echoed back; no & { } [ ] (base64 it); at most 1024 bytes in the message
	// charset (341 Chinese characters in UTF-8, 512 in GBK); sent trimmed, blank omitted.
	ReqReserved string
	// Reserved is the reserved field, sent as {k=v&...}, e.g. {"customPage": "true"} (the samples'
	// embedded open page), and RiskRateInfo is riskRateInfo, sent likewise, as ConsumeRequest's.
	// Their values may be personal data: the log forms show them as "***".
	Reserved     sign.Fields
	RiskRateInfo sign.Fields
	Extra        sign.Fields // fields not modelled here, signed with the rest; must not collide; values trimmed, blank ones omitted
}

// maxTokenRequestorID bounds FrontOpenRequest.TokenRequestorID and AccountRequest.TokenRequestorID
// (UnionPay's test one has 11 digits).
const maxTokenRequestorID = 32

// FrontOpenCard builds the signed form that sends the shopper's browser to UnionPay's page to open
// (bind) a card (开通, txnType 79, txnSubType 00, bizType 000301 by default, channelType 07), posted
// to frontTransReq.do. It does no I/O. The shopper completes, or types, the card and cardholder
// data there and verifies them (an SMS code, for example).
//
// The fields are those of UnionPay's official "无跳转" sample projects, Form_6_2_FrontOpen
// (upacp_demo_wtz, 认证支付 2.0: bizType 000301, with payTimeout; upacp_demo_wtz_token, Token:
// bizType 000902 with tokenPayData {trId=62000000001&tokenType=01}, UnionPay's test trId):
// txnType 79, txnSubType 00, accessType 0, channelType 07 (08 for mobile), frontUrl and backUrl,
// orderId and txnTime, an encrypted accNo and customerInfo (which the token sample calls optional:
// the shopper may enter them on the page) with encryptCertId, and optionally reserved
// {customPage=true} for an embedded page. No txnAmt or currencyCode: an open moves no money.
// With BizTypeAuthPay, TokenRequestorID and TokenType are refused, in [Client.OpenCard]'s words:
// the 认证支付 2.0 sample sends no tokenPayData.
//
// The outcome comes to backUrl as a signed notification (txnType 79, respCode 00 when opened),
// and the browser returns to frontUrl: with a signed POST on success, while, per the samples'
// FrontReceive, a failed open of the 无跳转 products comes back as a GET carrying no fields
// (notify.ReadRequest refuses it with notify.ErrMethodNotAllowed: treat it as "not opened, per
// the browser", and rely on the notification).
// For the token product the notification's tokenPayData holds the token
// (notify.Notification.Token); the samples' alternative is the open query, [Client.QueryOpen]
// (Form_6_3_OpenQuery: txnType 78, txnSubType 02, at backTransReq.do, by the open's orderId and
// txnTime), which also tells whether the open succeeded when no notification came.
func (c *Client) FrontOpenCard(r *FrontOpenRequest) (*Form, error) {
	const op = "front open"
	if r == nil {
		return nil, &RequestError{Op: op, Field: "request", Reason: "nil"}
	}
	ch := &checker{op: op}
	ch.orderID("OrderID", r.OrderID)
	ch.url("FrontURL", r.FrontURL, true)
	ch.url("BackURL", r.BackURL, true)
	ch.echoed("ReqReserved", r.ReqReserved)
	ch.digitsOverride("TxnSubType", r.TxnSubType, 2)
	ch.digitsOverride("BizType", r.BizType, 6)
	biz := orDefault(r.BizType, BizTypeAuthPay)
	tokenPayData := ch.tokenPayData(biz, r.TokenRequestorID, r.TokenType)
	f := c.newFields("79", orDefault(r.TxnSubType, "00"), biz)
	f["channelType"] = ch.channel("Channel", r.Channel, ChannelPC)
	reserved, err := braced(op, "Reserved", r.Reserved)
	if err != nil {
		return nil, err
	}
	risk, err := braced(op, "RiskRateInfo", r.RiskRateInfo)
	if err != nil {
		return nil, err
	}
	if ch.err != nil {
		return nil, ch.err
	}
	t, err := c.formTxnTime(op, r.TxnTime)
	if err != nil {
		return nil, err
	}
	payTimeout := c.payTimeout(ch, r.PayTimeout, t)
	if ch.err != nil {
		return nil, ch.err
	}
	if err := c.setCard(op, f, r.AccNo, r.Customer); err != nil {
		return nil, err
	}
	f["orderId"], f["txnTime"] = r.OrderID, formatTime(t)
	f["frontUrl"], f["backUrl"] = r.FrontURL, r.BackURL
	f["payTimeout"] = ""
	if !payTimeout.IsZero() {
		f["payTimeout"] = formatTime(payTimeout)
	}
	f["tokenPayData"], f["reqReserved"] = tokenPayData, r.ReqReserved
	f["reserved"], f["riskRateInfo"] = reserved, risk
	f["txnAmt"], f["currencyCode"] = "", "" // an open moves no money: Extra may not send them
	return c.frontForm(op, f, r.Extra, r.OrderID, t, payTimeout)
}

// tokenPayData checks the token requestor of an open (front, [Client.FrontOpenCard], or back,
// [Client.OpenCard], and the back open's SMS) under bizType biz (as sent) and returns its
// tokenPayData, {trId=...&tokenType=...}, or "" when none is given. BizTypeAuthPay refuses the
// requestor, naming TokenRequestorID (TokenType when only that is given): UnionPay's 认证支付 2.0
// samples (upacp_demo_wtz: Form_6_2_FrontOpen, Form_6_2_BackOpen) send no
// tokenPayData, which only the token product's (upacp_demo_wtz_token) do.
func (ch *checker) tokenPayData(biz, trID, tokenType string) string {
	if biz == BizTypeAuthPay && (!sign.Blank(trID) || !sign.Blank(tokenType)) {
		field := "TokenRequestorID"
		if sign.Blank(trID) {
			field = "TokenType"
		}
		ch.fail(field, "only for the token product (bizType 000902): 认证支付 2.0 (000301) sends no tokenPayData")
		return ""
	}
	trID, tokenType = sentTrimmed(trID), sentTrimmed(tokenType)
	switch {
	case trID == "" && biz == BizTypeToken:
		ch.fail("TokenRequestorID", "required for the token product (bizType 000902): the trId UnionPay "+
			"assigned (62000000001 in its test environment)")
	case trID == "" && tokenType != "":
		ch.fail("TokenType", "only with TokenRequestorID")
	case trID != "" && (len(trID) > maxTokenRequestorID || !ascii.IsAlnum(trID)):
		ch.fail("TokenRequestorID", fmt.Sprintf("must be up to %d letters or digits", maxTokenRequestorID))
	case tokenType != "" && (len(tokenType) != 2 || !isDigits(tokenType)):
		ch.fail("TokenType", "must be 2 digits (01)")
	}
	if trID == "" {
		return ""
	}
	return "{trId=" + trID + "&tokenType=" + orDefault(tokenType, "01") + "}"
}

// payTimeout returns the payTimeout given for a form whose txnTime is t, as sent (Beijing time, to
// the second); zero when none is given. One not after t, or not writable with a four-digit year,
// fails ch.
func (c *Client) payTimeout(ch *checker, given, t time.Time) time.Time {
	if given.IsZero() {
		return time.Time{}
	}
	sent := c.beijingTime(given)
	switch {
	case !sent.After(t):
		ch.fail("PayTimeout", "must be after txnTime (to the second)")
	case !fourDigitYear(sent):
		ch.fail("PayTimeout", yearReason(sent))
	}
	return sent
}

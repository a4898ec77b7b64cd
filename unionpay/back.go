package unionpay

import (
	"context"
	"fmt"
	"time"

	"github.com/goacp/unionpay/sign"
)

// FollowUpRequest is a back-end transaction on an earlier one, named by its queryId: consume
// cancel (消费撤销), refund (退货), pre-auth completion (预授权完成), pre-auth cancel (预授权撤销) and
// completion cancel (预授权完成撤销). Its text is sent trimmed of surrounding white space, and a
// blank value is not sent at all, as UnionPay's SDK does (see "Amounts, times and blank values" in the package doc).
//
// Its String, JSON (json.Marshal) and log/slog value are a masked form meant for logs: Reserved
// and RiskRateInfo (the shopper's personal data) with their keys and every value as "***", Extra
// (fields the SDK does not model) as [sign.Fields.Masked] masks a message, the other fields as
// they are (ReqReserved is the merchant's own pass-through value, which notifications and
// queries echo). It is not a storage form: json.Unmarshal refuses it with [ErrMaskedJSON], so that the masks are never
// sent to UnionPay; JSON with the real values decodes as usual.
type FollowUpRequest struct {
	OrderID     string // orderId of this new transaction: 8 to 40 letters or digits (32 at most to reconcile); required
	OrigQueryID string // origQryId: queryId of the transaction acted on; required: letters and digits (UnionPay echoes it raw); sent trimmed
	Amount      int64  // txnAmt in the minor unit of the original's currency (fen for CNY); required
	// TxnTime is txnTime; zero: Config.Now(); else within TxnTimeWindow of it; sent in Beijing
	// time, to the second (a fraction is dropped: store it truncated, or key on notify.KeyOf). Set
	// it, and store it with OrderID, before sending: the outcome's notification can reach backUrl
	// before the answer does, and is identified (Notification.Key) by both.
	TxnTime time.Time
	BackURL string  // backUrl for the notification of the outcome; required
	Channel Channel // channelType; "" or blank = ChannelPC
	// BizType is the bizType sent, six digits, trimmed; "" or blank = "000201", the gateway
	// payment's, with which UnionPay's gateway samples refund and cancel. A QR-code payment
	// ([Client.ApplyQRCode], [Client.QRConsume]) is refunded and cancelled with [BizTypeQRCode],
	// as UnionPay's QR refund sample sends it, and a B2B one with [BizTypeB2B]: store the
	// product with the payment, as the default is neither's. The Client cannot tell: OrigQueryID
	// names the payment, not its product (the payment's notification does, in its BizType). The
	// fake gateway (unionpaytest) refuses a QR payment's refund or cancel sent under another
	// bizType, 36, and reports it (UnionPay's answer to one is not established); it accepts a B2B
	// payment's under any, so no test catches a forgotten BizTypeB2B. For a payment of another
	// product (a [Client.BackConsume], 认证支付, is 000301) send what that product's specification asks
	// for: which bizType UnionPay expects there is not established (the fake gateway accepts
	// any).
	BizType string
	// reqReserved: echoed back; no & { } [ ] (base64 it); at most 1024 bytes in the message
	// charset (341 Chinese characters in UTF-8, 512 in GBK); sent trimmed, blank omitted.
	ReqReserved string
	// Reserved is the reserved field, sent as {k=v&...}, and RiskRateInfo is riskRateInfo, sent
	// likewise, as ConsumeRequest's: keys sorted, no key blank, no & = { } [ ] or control
	// character in a key or value, a pair whose value is blank left out (and the field, if no
	// pair is left). Extra["reserved"] and Extra["riskRateInfo"], which earlier versions needed,
	// are still sent as they are while the field sends nothing; giving both is refused. Their
	// values are personal data (riskRateInfo: IP address, device ids, shipping address, mobile,
	// e-mail...): the log forms show them as "***".
	Reserved     sign.Fields
	RiskRateInfo sign.Fields
	Extra        sign.Fields // unmodelled fields, signed with the rest; must not collide; values trimmed, blank ones omitted
}

// CancelConsume cancels a consume of the same settle day, for its full amount (txnType 31). The
// settle day ends at 23:00 Beijing time: a payment at 22:30 can no longer be cancelled at 23:30
// (refund it instead), nor one partly refunded. A nil error means accepted: the outcome comes by
// notification (success or failure) or query.
func (c *Client) CancelConsume(ctx context.Context, r *FollowUpRequest) (*Result, error) {
	return c.followUp(ctx, "consume cancel", "31", r)
}

// Refund refunds part or all of a consume or of a pre-auth completion, within the original
// amount over all refunds (txnType 04), within 11 months of it; several partial refunds are
// allowed. A nil error means accepted, not refunded: the outcome comes by notification or query.
func (c *Client) Refund(ctx context.Context, r *FollowUpRequest) (*Result, error) {
	return c.followUp(ctx, "refund", "04", r)
}

// CompletePreAuth completes a pre-authorisation (txnType 03), for more than 0 and up to 115% of
// its amount, within 30 days of it. A pre-authorisation takes one completion (the fake gateway
// refuses a second, 35): to complete for another amount, cancel the completion the same settle
// day ([Client.CancelPreAuthCompletion]; the pre-authorisation then stands) and complete again,
// or refund part of it afterwards. A nil error means accepted, not completed: the outcome comes
// by notification or query.
func (c *Client) CompletePreAuth(ctx context.Context, r *FollowUpRequest) (*Result, error) {
	return c.followUp(ctx, "pre-auth completion", "03", r)
}

// CancelPreAuth cancels a pre-authorisation (txnType 32), for its full amount, within 30 days of
// it and only while it has no completion (cancel the completion first). A nil error means
// accepted: the outcome comes by notification or query.
func (c *Client) CancelPreAuth(ctx context.Context, r *FollowUpRequest) (*Result, error) {
	return c.followUp(ctx, "pre-auth cancel", "32", r)
}

// CancelPreAuthCompletion cancels a pre-auth completion (txnType 33), for its full amount, on
// its settle day (which ends at 23:00 Beijing time) and only while none of it is refunded; later,
// refund it instead. OrigQueryID is the completion's queryId (its notification's or query's), not
// the pre-authorisation's. A nil error means accepted: the outcome comes by notification or query.
func (c *Client) CancelPreAuthCompletion(ctx context.Context, r *FollowUpRequest) (*Result, error) {
	return c.followUp(ctx, "completion cancel", "33", r)
}

// followUp sends a follow-up transaction, observed (see Config.OnCall).
func (c *Client) followUp(ctx context.Context, op, txnType string, r *FollowUpRequest) (*Result, error) {
	ctx, o := c.observe(ctx, op, true)
	res, err := c.followUpCall(ctx, op, txnType, r)
	return res, o.end(err)
}

func (c *Client) followUpCall(ctx context.Context, op, txnType string, r *FollowUpRequest) (*Result, error) {
	if r == nil {
		return nil, &RequestError{Op: op, Field: "request", Reason: "nil"}
	}
	ch := &checker{op: op}
	ch.orderID("OrderID", r.OrderID)
	ch.required("OrigQueryID", r.OrigQueryID)
	ch.serial("OrigQueryID", r.OrigQueryID)
	ch.amount("Amount", r.Amount)
	ch.url("BackURL", r.BackURL, true)
	ch.echoed("ReqReserved", r.ReqReserved)
	ch.digitsOverride("BizType", r.BizType, 6)
	f := c.newFields(txnType, "00", orDefault(r.BizType, "000201"))
	f["channelType"] = ch.channel("Channel", r.Channel, ChannelPC)
	if ch.err != nil {
		return nil, ch.err
	}
	if err := setBraced(op, f, r.Extra, r.Reserved, r.RiskRateInfo); err != nil {
		return nil, err
	}
	t, err := c.newTxnTime(op, r.TxnTime)
	if err != nil {
		return nil, err
	}
	f["orderId"], f["txnTime"], f["txnAmt"] = r.OrderID, formatTime(t), fen(r.Amount)
	f["origQryId"], f["backUrl"], f["reqReserved"] = r.OrigQueryID, r.BackURL, r.ReqReserved
	return c.back(ctx, &call{op: op, endpoint: "Back", moves: true, orderID: r.OrderID, txnTime: t}, f, r.Extra)
}

// back signs f (with extra), sends it and classifies the answer.
func (c *Client) back(ctx context.Context, k *call, f, extra sign.Fields) (*Result, error) {
	var err error
	if k.fields, err = c.finish(k.op, f, extra); err != nil {
		return nil, err
	}
	resp, err := c.send(ctx, k)
	if err != nil {
		return nil, err
	}
	if err := k.outcome(resp); err != nil {
		return nil, err
	}
	return k.result(resp), nil
}

// CardRequest is a back-end transaction on a card: back-end consume for authenticated payment
// ([Client.BackConsume]), collection ([Client.Collect]) and payout ([Client.Payout]). The card
// number and the customer information are encrypted with Config.Encrypter (see
// Config.PlainCardData for merchants without that permission). Its text is sent trimmed of
// surrounding white space, and a blank value is not sent at all (see "Amounts, times and blank values" in the package
// doc); Customer's values go inside customerInfo as they are.
//
// Its String, GoString, JSON (json.Marshal) and log/slog value are a masked form meant for logs: AccNo as 6+4
// (621626******0018), Token and the Customer's secrets as "***", Reserved and RiskRateInfo (the
// shopper's or payee's personal data) with their keys and every value as "***", Extra (fields the
// SDK does not model) as [sign.Fields.Masked] masks a message, the other fields as they are
// (ReqReserved is the merchant's own pass-through value, which notifications and queries echo;
// TokenRequestorID is the merchant's token requestor, not a secret).
// It is not a storage form: json.Unmarshal refuses it with [ErrMaskedJSON], so that the masks
// are never sent to UnionPay; JSON with the real values decodes as usual.
type CardRequest struct {
	OrderID  string // orderId: 8 to 40 letters or digits (32 at most to reconcile); required
	Amount   int64  // txnAmt in the minor unit of Currency (fen for 156, CNY); required
	Currency string // currencyCode; "" or blank = "156"
	// TxnTime is txnTime; zero: Config.Now(); else within TxnTimeWindow of it; sent in Beijing
	// time, to the second (a fraction is dropped: store it truncated, or key on notify.KeyOf). Set
	// it, and store it with OrderID and Amount, before sending: a query needs both (an answer lost
	// in a crash or restart leaves no other way to name the transaction), and the notification can
	// reach backUrl before the answer does.
	TxnTime time.Time
	BackURL string // backUrl for the notification of the outcome; required
	// AccNo is accNo: the card number, 12 to 19 digits; required unless Token is given, refused
	// with it; sent encrypted (see Config.PlainCardData).
	AccNo string
	// Token is the card's token of the token product (Token支付, BizTypeToken), as its open gave
	// it ([OpenResult.Token], [OpenStatus.Token], notify.Notification.Token): [Client.BackConsume]
	// then pays with it instead of AccNo, sending tokenPayData {trId=...&token=...} under bizType
	// 000902 and no accNo, as UnionPay's token samples (Form_6_7_Consume of
	// upacp_demo_wtz_token) do. Letters or digits, at most 64, sent trimmed; a blank one is not
	// given. Only for BackConsume. A payment credential of the merchant's: the log forms show it
	// as "***", and no error text holds it.
	Token string
	// TokenRequestorID is trId, the token requestor the token was issued to (the open's
	// [AccountRequest.TokenRequestorID]): letters or digits, at most 32, sent trimmed; required
	// with Token, refused without it. The samples send no tokenType with a token.
	TokenRequestorID string
	// Customer is customerInfo: what the product verifies (name, ID, phone, SMS code, PIN...).
	// With Token, the samples send the SMS code alone ({smsCode=...}, encrypted as usual), and
	// none when the merchant is set up without SMS verification.
	Customer *Customer
	// TxnSubType overrides the product's txnSubType ("" = the default of the method): two digits,
	// sent trimmed; a blank one (white space only) is not given: the default is sent.
	TxnSubType string
	// AccType is accType, two digits, sent trimmed when given: "01" a bank card (what UnionPay's
	// payout sample sends; optional for cards), "04" a corporate account (a payout to a company:
	// UnionPay's sample then sends no customerInfo, and the account name and business licence
	// number in Reserved: {"comDebitCardAccName": ..., "businessLicenseRegNo": ...}).
	AccType string
	// reqReserved: echoed back; no & { } [ ] (base64 it); at most 1024 bytes in the message
	// charset (341 Chinese characters in UTF-8, 512 in GBK); sent trimmed, blank omitted.
	ReqReserved string
	// Reserved and RiskRateInfo are reserved and riskRateInfo, sent as {k=v&...} as
	// FollowUpRequest's are. Extra["reserved"] and Extra["riskRateInfo"], which earlier versions
	// needed, are still sent as they are while the field sends nothing; giving both is refused.
	// Their values are personal data: the log forms show them as "***".
	Reserved     sign.Fields
	RiskRateInfo sign.Fields
	Extra        sign.Fields // unmodelled fields, signed with the rest; must not collide; values trimmed, blank ones omitted
}

// BackConsume is a back-end consume for authenticated payment (认证支付, txnType 01, bizType
// 000301): the card and the cardholder data the product requires (usually an SMS code, which
// [Client.SendSMS] with TxnSubType "02" asks UnionPay to send for this consume: the same OrderID,
// TxnTime and Amount) are sent encrypted. A nil error means accepted. To refund or cancel it
// under its own bizType, set [FollowUpRequest.BizType].
//
// With Token (and TokenRequestorID) it is the token product's consume (Token支付, bizType
// 000902, txnSubType 01, channelType 07), as UnionPay's token samples (Form_6_7_Consume of
// upacp_demo_wtz_token) send it: tokenPayData {trId=...&token=...} instead of accNo, and in
// Customer the SMS code of the consume SMS ([Client.SendSMS] with TxnSubType "02", Token and
// TokenRequestorID, under the same OrderID, TxnTime and Amount), which those samples send first
// unless the merchant is set up without SMS verification. The answer and the outcome are read as
// for any back consume: a nil error means accepted, the notification to BackURL or a query
// ([Client.Query]) gives the outcome, an answer 03, 04 or 05 is a *[PendingError]: query it,
// never pay again. Those samples refund and cancel it (Form_6_9_Refund, Form_6_8_ConsumeUndo)
// with bizType 000301, [FollowUpRequest.BizType] BizTypeAuthPay, not 000902: which UnionPay
// expects is not established (the fake gateway accepts any).
func (c *Client) BackConsume(ctx context.Context, r *CardRequest) (*Result, error) {
	return c.card(ctx, "back consume", "01", "01", "000301", r)
}

// Collect withholds from the customer's card (代收, txnType 11, bizType 000501, txnSubType 00 by
// default). UnionPay checks the customer's name, ID type and number, and, when given, the PIN
// (sent as an encrypted PIN block). A nil error means accepted, not collected: the notification
// to BackURL or a query (Result.QueryRequest, which names txnType 11 and the amount, on
// [BackBackoff]) gives the outcome. An answer 03, 04, 05, 83 or 12 (this orderId was sent
// already), or none that verifies, is a *[PendingError] (matching [ErrPending]): query it, and
// never collect again meanwhile, as the money may have moved. Any other code is an *[Error]:
// nothing was collected, and a new attempt takes a new OrderID (and a current TxnTime).
func (c *Client) Collect(ctx context.Context, r *CardRequest) (*Result, error) {
	return c.card(ctx, "collection", "11", "00", "000501", r)
}

// Payout pays to the customer's card (代付, txnType 12, bizType 000401). A nil error means
// accepted.
//
// UnionPay's payout product asks for a query, not a new payout, after more answers than the other
// products do: besides 03, 04, 05, 83 and 12, a payout answered 01, 34 or 60 is a *[PendingError]
// (matching [ErrPending]), never an *[Error], since the payment may still go through. Query it
// with BizType [BizTypePayout], as UnionPay's payout sample does, on [PayoutBackoff], and with
// TxnType "12" and the Amount: a payout answered 12 may share its orderId and txnTime with another
// transaction, whose success must not be read as the payout's.
//
// When the queries leave it pending, UnionPay's samples say to go by the settlement file. A
// payout found in the ZM file of a settle date (txnType 12, its orderId and amount) succeeded.
// Not finding it is weaker evidence: a payout can settle on a later day (UnionPay's day ends at
// 23:00 Beijing time, and a day's file is published the day after), and UnionPay does not say
// how long absence takes to become proof.
// A prudent rule: take a payout as failed only when it is absent from the published files (a 98,
// [ErrNoFile], is no file) of the settle date it was sent on (the Beijing date of its txnTime, or
// the next date from 23:00 on) and of the next one, and its latest query was answered (not
// failed) with something other than success or 03, 04, 05 or 83 (the issuer still processing);
// until then it stays pending, for a person to look at if it lasts, and is never paid again.
func (c *Client) Payout(ctx context.Context, r *CardRequest) (*Result, error) {
	return c.card(ctx, "payout", "12", "00", BizTypePayout, r)
}

// card sends a transaction on a card, observed (see Config.OnCall).
func (c *Client) card(ctx context.Context, op, txnType, sub, biz string, r *CardRequest) (*Result, error) {
	ctx, o := c.observe(ctx, op, true)
	res, err := c.cardCall(ctx, op, txnType, sub, biz, r)
	return res, o.end(err)
}

func (c *Client) cardCall(ctx context.Context, op, txnType, sub, biz string, r *CardRequest) (*Result, error) {
	if r == nil {
		return nil, &RequestError{Op: op, Field: "request", Reason: "nil"}
	}
	ch := &checker{op: op}
	ch.orderID("OrderID", r.OrderID)
	ch.amount("Amount", r.Amount)
	ch.url("BackURL", r.BackURL, true)
	tokenPayData := ch.cardToken(txnType, r)
	ch.echoed("ReqReserved", r.ReqReserved)
	ch.accType("AccType", r.AccType)
	ch.digitsOverride("TxnSubType", r.TxnSubType, 2)
	sub = orDefault(r.TxnSubType, sub)
	if tokenPayData != "" {
		biz = BizTypeToken
	}
	f := c.newFields(txnType, sub, biz)
	f["channelType"] = string(ChannelPC)
	f["currencyCode"] = ch.currency("Currency", r.Currency)
	if ch.err != nil {
		return nil, ch.err
	}
	if err := legacyExtra(op, f, r.Extra, "tokenPayData", "Token", tokenPayData); err != nil {
		return nil, err
	}
	if err := setBraced(op, f, r.Extra, r.Reserved, r.RiskRateInfo); err != nil {
		return nil, err
	}
	t, err := c.newTxnTime(op, r.TxnTime)
	if err != nil {
		return nil, err
	}
	if err := c.setCard(op, f, r.AccNo, r.Customer); err != nil {
		return nil, err
	}
	f["orderId"], f["txnTime"], f["txnAmt"] = r.OrderID, formatTime(t), fen(r.Amount)
	f["backUrl"], f["reqReserved"], f["accType"] = r.BackURL, r.ReqReserved, r.AccType
	return c.back(ctx, &call{op: op, endpoint: "Back", moves: true, payout: txnType == "12", orderID: r.OrderID,
		txnTime: t}, f, r.Extra)
}

// AccountRequest is a request about a card that moves no money: real-name authentication,
// an SMS code, opening (binding) the card for authenticated payment. Its text is sent trimmed of
// surrounding white space, and a blank value is not sent at all (see "Amounts, times and blank values" in the
// package doc).
//
// Its String, GoString, JSON (json.Marshal) and log/slog value are a masked form meant for logs: AccNo as 6+4
// (621626******0018), Token and the Customer's secrets as "***", Reserved and RiskRateInfo (the
// shopper's or payee's personal data) with their keys and every value as "***", Extra (fields the
// SDK does not model) as [sign.Fields.Masked] masks a message, the other fields as they are
// (ReqReserved is the merchant's own pass-through value, which notifications and queries echo;
// TokenRequestorID is the merchant's token requestor, not a secret).
// It is not a storage form: json.Unmarshal refuses it with [ErrMaskedJSON], so that the masks
// are never sent to UnionPay; JSON with the real values decodes as usual.
type AccountRequest struct {
	OrderID  string    // orderId: 8 to 40 letters or digits (32 at most to reconcile); required
	TxnTime  time.Time // txnTime; zero: Config.Now(); else within TxnTimeWindow of it; sent in Beijing time
	AccNo    string    // accNo: the card number; required unless Token is given, refused with it; sent encrypted (see Config.PlainCardData)
	Customer *Customer // customerInfo, as the product requires
	// Amount is txnAmt in fen, sent when not zero: the consume SMS (SendSMS with TxnSubType "02")
	// requires the amount of the consume it is for, and that consume must then use the SMS
	// request's OrderID and TxnTime, within TxnTimeWindow of it (a later one is refused before
	// it is sent: ErrTxnTimeNotCurrent; send a new SMS under a new orderId).
	Amount   int64
	Currency string // currencyCode, sent with Amount only; "" or blank = "156"
	// BizType and TxnSubType override the method's defaults, which vary by product: six and two
	// digits, sent trimmed; a blank one (white space only) is not given: the default is sent.
	BizType    string
	TxnSubType string
	BackURL    string // backUrl, where the product notifies (optional)
	// AccType is accType, two digits, sent trimmed when given: UnionPay's samples send "01" (a
	// bank card) with a real-name authentication for payout (bizType 000401).
	AccType string
	// reqReserved: echoed back; no & { } [ ] (base64 it); at most 1024 bytes in the message
	// charset (341 Chinese characters in UTF-8, 512 in GBK); sent trimmed, blank omitted.
	ReqReserved string
	// Reserved and RiskRateInfo are reserved and riskRateInfo, sent as {k=v&...} as
	// FollowUpRequest's are. Their values are personal data: the log forms show them as "***".
	Reserved     sign.Fields
	RiskRateInfo sign.Fields
	// TokenRequestorID is trId, the token requestor UnionPay assigns the merchant (its test
	// environment's is 62000000001), sent in tokenPayData {trId=...&tokenType=...} as
	// [FrontOpenRequest.TokenRequestorID] is: letters or digits, at most 32, sent trimmed. For
	// [Client.OpenCard], which requires it with BizTypeToken, and for the open's SMS
	// ([Client.SendSMS] with TxnSubType "" or "00"), which UnionPay's token sample
	// (Form_6_6_SmsOpen) sends with the same tokenPayData; and, required there, with Token for
	// the consume SMS. Refused with BizTypeAuthPay, by [Client.RealNameAuth] and by the consume
	// SMS without Token.
	TokenRequestorID string
	// TokenType is tokenType in tokenPayData, two digits; "" or blank = "01", what the samples
	// send. Only with TokenRequestorID, for the open and its SMS (the consume SMS sends none).
	TokenType string
	// Token is the card's token of the token product, as its open gave it ([OpenResult.Token]):
	// the consume SMS of a consume by token ([Client.SendSMS] with TxnSubType "02", and
	// [CardRequest.Token] for the consume) sends it with TokenRequestorID as tokenPayData
	// {trId=...&token=...}, and no accNo, as UnionPay's token sample (Form_6_6_SmsConsume) does;
	// BizType then defaults to BizTypeToken. Letters or digits, at most 64, sent trimmed; a blank
	// one is not given. Refused by the other calls and with AccNo or TokenType. A payment
	// credential of the merchant's: the log forms show it as "***", and no error text holds it.
	Token string
	// Extra holds unmodelled fields, signed with the rest; they must not collide; values are
	// trimmed, blank ones omitted. Extra["accType"], Extra["reqReserved"], Extra["reserved"],
	// Extra["riskRateInfo"] and Extra["tokenPayData"], which earlier versions needed, are still
	// sent while the field that models them sends nothing (is blank, or has no pair left; for
	// tokenPayData, TokenRequestorID and TokenType both blank): as they are, but for reqReserved,
	// checked as ReqReserved is. Giving both is refused.
	Extra sign.Fields
}

// RealNameAuth checks that the card belongs to the customer (实名认证, txnType 72; defaults
// txnSubType 01, bizType 000501). A nil error means the check passed. An *[Error] means it did
// not (or was refused): the card is not verified. An answer 03, 04, 05 or 83, or none that
// verifies, is a *[PendingError] (matching [ErrPending]): the check's outcome is unknown, so the
// card is not verified yet; the check moves no money, and may be asked again under a new
// OrderID. The bizType is the product's: UnionPay's samples send 000501 for collection (代收, the
// default), 000401 for payout (代付, with AccType "01") and 001001 for subscription (订购); set
// BizType to yours.
func (c *Client) RealNameAuth(ctx context.Context, r *AccountRequest) (*Result, error) {
	return c.account(ctx, "real-name auth", "72", "01", "000501", r)
}

// SendSMS asks UnionPay to send a verification code to the cardholder's phone (短信, txnType 77;
// defaults txnSubType 00, bizType 000301). The default is the code for opening the card
// ([Client.OpenCard]); with TxnSubType "02" it is the code for a back-end consume
// ([Client.BackConsume]), which needs Amount.
//
// For the token product's open (BizType BizTypeToken), TokenRequestorID and TokenType send
// tokenPayData {trId=...&tokenType=...} as OpenCard does, as UnionPay's token sample
// (Form_6_6_SmsOpen) sends it, so that one request serves both calls; SendSMS does not require
// them. The token product's consume SMS (TxnSubType "02") sends the card's token instead:
// Token and TokenRequestorID = {trId=...&token=...} (Form_6_6_SmsConsume), with no accNo, for the
// consume that pays with the token ([Client.BackConsume] with [CardRequest.Token]).
func (c *Client) SendSMS(ctx context.Context, r *AccountRequest) (*Result, error) {
	return c.account(ctx, "sms", "77", "00", "000301", r)
}

// OpenCard opens (binds) the card for authenticated payment (开通, txnType 79; defaults txnSubType
// 00, bizType 000301), at backTransReq.do. The open has no notification: the answer decides, a nil
// error meaning opened, as UnionPay's back-open samples (Form_6_2_BackOpen) read it. Send the card
// and what the product verifies in Customer (the samples: phone, CVN2 and expiry of a credit card,
// the SMS code of [Client.SendSMS] under the same OrderID and TxnTime).
//
// For the token product set BizType to BizTypeToken and TokenRequestorID to the token requestor
// UnionPay assigned (62000000001 in its test environment): it is required, and sent as
// tokenPayData {trId=...&tokenType=01} (TokenType overrides 01), as the samples send it and as
// [Client.FrontOpenCard] builds it. Extra["tokenPayData"], which earlier versions needed, is
// still sent as it is while both fields are blank; giving both is refused. With BizTypeAuthPay
// the fields are refused: 认证支付 2.0 sends no tokenPayData. The answer's tokenPayData holds the
// card's token, which the OpenResult gives (Token, TokenData): the token samples read it from
// this answer, and say the back open takes credit cards only. 认证支付 2.0's answer carries no
// token.
//
// [Client.QueryOpen] asks later whether a card is opened: by card for 认证支付 2.0, by this open's
// OrderID and TxnTime for the token product (whose samples, though, query only opens made on
// UnionPay's page: [Client.FrontOpenCard]). An answer whose tokenPayData is not {k=v&...} is an
// error matching [sign.ErrMalformed]: UnionPay accepted the open, but no token can be read.
func (c *Client) OpenCard(ctx context.Context, r *AccountRequest) (*OpenResult, error) {
	ctx, o := c.observe(ctx, "open", false)
	open, err := c.openCard(ctx, r)
	return open, o.end(err)
}

func (c *Client) openCard(ctx context.Context, r *AccountRequest) (*OpenResult, error) {
	res, err := c.accountCall(ctx, "open", "79", "00", "000301", r)
	if err != nil {
		return nil, err
	}
	open := &OpenResult{Result: *res}
	if open.Token, open.TokenData, err = answerToken(opName("open", res.OrderID), res.Raw); err != nil {
		return nil, err
	}
	return open, nil
}

// account sends a request about a card that moves no money, observed (see Config.OnCall).
func (c *Client) account(ctx context.Context, op, txnType, sub, biz string, r *AccountRequest) (*Result, error) {
	ctx, o := c.observe(ctx, op, false)
	res, err := c.accountCall(ctx, op, txnType, sub, biz, r)
	return res, o.end(err)
}

func (c *Client) accountCall(ctx context.Context, op, txnType, sub, biz string, r *AccountRequest) (*Result, error) {
	if r == nil {
		return nil, &RequestError{Op: op, Field: "request", Reason: "nil"}
	}
	ch := &checker{op: op}
	ch.orderID("OrderID", r.OrderID)
	token := ch.cardOrToken(r.AccNo, r.Token)
	ch.url("BackURL", r.BackURL, false)
	ch.accType("AccType", r.AccType)
	ch.echoed("ReqReserved", r.ReqReserved)
	ch.digitsOverride("TxnSubType", r.TxnSubType, 2)
	ch.digitsOverride("BizType", r.BizType, 6)
	if token {
		biz = BizTypeToken // the default: paying with a token is the token product's
	}
	sub, biz = orDefault(r.TxnSubType, sub), orDefault(r.BizType, biz)
	switch {
	case r.Amount != 0:
		ch.amount("Amount", r.Amount)
	case txnType == "77" && sub == "02":
		ch.fail("Amount", "required for the consume SMS (txnSubType 02): the consume's amount")
	case !sign.Blank(r.Currency):
		ch.fail("Currency", "sent only with Amount")
	}
	tokenPayData, tokenField := ch.accountRequestor(txnType, sub, biz, r)
	if ch.err != nil {
		return nil, ch.err
	}
	f := c.newFields(txnType, sub, biz)
	f["channelType"] = string(ChannelPC)
	f["txnAmt"], f["currencyCode"] = "", "" // modelled (Amount, Currency): Extra may not set them
	if r.Amount != 0 {
		f["txnAmt"], f["currencyCode"] = fen(r.Amount), ch.currency("Currency", r.Currency)
		if ch.err != nil {
			return nil, ch.err
		}
	}
	for _, o := range []struct{ key, field, v string }{
		{"accType", "AccType", r.AccType}, {"reqReserved", "ReqReserved", r.ReqReserved},
		{"tokenPayData", tokenField, tokenPayData}} {
		if err := legacyExtra(op, f, r.Extra, o.key, o.field, o.v); err != nil {
			return nil, err
		}
	}
	if err := setBraced(op, f, r.Extra, r.Reserved, r.RiskRateInfo); err != nil {
		return nil, err
	}
	t, err := c.newTxnTime(op, r.TxnTime)
	if err != nil {
		return nil, err
	}
	if err := c.setCard(op, f, r.AccNo, r.Customer); err != nil {
		return nil, err
	}
	f["orderId"], f["txnTime"], f["backUrl"] = r.OrderID, formatTime(t), r.BackURL
	return c.back(ctx, &call{op: op, endpoint: "Back", orderID: r.OrderID, txnTime: t}, f, r.Extra)
}

// setBraced renders reserved and riskRateInfo into f as braced does, each by legacyExtra.
func setBraced(op string, f, extra, reserved, risk sign.Fields) error {
	for _, b := range []struct {
		key, field string
		m          sign.Fields
	}{{"reserved", "Reserved", reserved}, {"riskRateInfo", "RiskRateInfo", risk}} {
		v, err := braced(op, b.field, b.m)
		if err != nil {
			return err
		}
		if err := legacyExtra(op, f, extra, b.key, b.field, v); err != nil {
			return err
		}
	}
	return nil
}

// legacyExtra sets f[key] to v, what the request's field (named field) sends, when v is not
// blank. A blank v leaves key out of f, so that Extra[key], which callers had to use before the
// field was modelled, is still sent (addExtra refuses a key that f holds); Extra[key] given with
// a field that sends something is refused, naming Extra's, in addExtra's words.
func legacyExtra(op string, f, extra sign.Fields, key, field, v string) error {
	if sign.Blank(v) {
		return nil
	}
	if _, ok := extra[key]; ok {
		return &RequestError{Op: op, Field: fmt.Sprintf("Extra[%q]", key),
			Reason: "collides with a modelled field: " + field + ", which is given (set only one)"}
	}
	f[key] = v
	return nil
}

package unionpay

import (
	"context"
	"encoding/json"
	"fmt"
	"log/slog"
	"time"

	"github.com/goacp/unionpay/sign"
)

// TokenRequest names a card's token of the token product (Token支付, bizType 000902) for the
// calls that act on the token itself: deleting it ([Client.DeleteToken]) and updating the card
// details it stands for ([Client.UpdateToken]). Its text is sent trimmed of surrounding white
// space, and a blank value is not sent at all (see "Amounts, times and blank values" in the package doc); Customer's
// values go inside customerInfo as they are.
//
// Its String, JSON (json.Marshal) and log/slog value are a masked form meant for logs: Token and
// the Customer's secrets as "***", Extra as [sign.Fields.Masked] masks a message, the other fields
// as they are (TokenRequestorID is the merchant's token requestor, not a secret). It is not a
// storage form: json.Unmarshal refuses it with [ErrMaskedJSON], so that the masks are never sent
// to UnionPay; JSON with the real values decodes as usual.
type TokenRequest struct {
	// OrderID is the orderId of this request, a new one: 8 to 40 letters or digits; required.
	// UnionPay's .NET token sample sends an update with the orderId and txnTime of the SMS whose
	// code Customer.SMSCode carries.
	OrderID string
	TxnTime time.Time // txnTime; zero: Config.Now(); else within TxnTimeWindow of it; sent in Beijing time
	// Token is the card's token, as its open gave it ([OpenResult.Token], [OpenStatus.Token],
	// notify.Notification.Token); required. Letters or digits, at most 64, sent trimmed. A
	// payment credential of the merchant's: the log forms show it as "***", and no error text
	// holds it.
	Token string
	// TokenRequestorID is trId, the token requestor the token was issued to (the open's; 62000000001
	// in UnionPay's test environment); required. Letters or digits, at most 32, sent trimmed.
	TokenRequestorID string
	// TokenType is tokenType in the update's tokenPayData, two digits; "" or blank = "01", what
	// the samples send. Refused by DeleteToken, whose tokenPayData has none.
	TokenType string
	// Customer is customerInfo, for UpdateToken, which requires it with Phone: the card's new
	// details, as UnionPay's samples send them (the phone, and for a credit card its CVN2 and
	// expiry; the SMS code when the merchant's product verifies one). Sent encrypted as
	// OpenCard's. Refused by DeleteToken, whose samples send none.
	Customer *Customer
	// Extra holds unmodelled fields (reqReserved, say), signed with the rest; they must not
	// collide; values are trimmed, blank ones omitted.
	Extra sign.Fields
}

// DeleteToken deletes a card's token of the token product (解除标记, txnType 74, txnSubType 01,
// bizType 000902, channelType 07), at backTransReq.do: afterwards the token no longer pays, and
// opening the card again gives another token. It sends tokenPayData {trId=...&token=...}, a new
// orderId and txnTime, and no card data, as UnionPay's token samples do
// (Form03_6_4_Token_DeleteToken of the Java ACPSample_WuTiaoZhuan_Token, Form_6_4_DeleteToken of
// the .NET and PHP upacp_demo_wtz_token).
//
// It has no notification: the answer decides, a nil error meaning deleted, as those samples read
// it ("同步应答确定交易成功"). Refused, the answer is an *[Error] (the token stands); respCode 03,
// 04, 05 or 83 a *[PendingError]: whether it was deleted is unknown, and the samples show no
// query for it. It moves no money: pay no more with the token in the merchant's own records
// first, and send a pending delete again under a new OrderID (after a delete that took
// effect, the fake gateway refuses it 89, the token being unknown; which code UnionPay answers
// then is not established).
//
// The samples disagree on the endpoint: the Java and PHP ones post to backTransUrl
// (backTransReq.do), the .NET one to singleQueryUrl (queryTrans.do), as it posts every token
// call, the back open included. This method posts to backTransReq.do, as the Java sample does and
// as [Client.OpenCard] and [Client.QueryOpen] post.
func (c *Client) DeleteToken(ctx context.Context, r *TokenRequest) (*Result, error) {
	ctx, o := c.observe(ctx, "token delete", false)
	res, err := c.tokenCall(ctx, "token delete", "74", "01", r)
	return res, o.end(err)
}

// UpdateToken updates the card details a token of the token product stands for (更新标记,
// txnType 79, txnSubType 03, bizType 000902, channelType 07), at backTransReq.do: the card's
// new phone, CVN2 and expiry in Customer (Phone required), sent encrypted, with tokenPayData
// {trId=...&token=...&tokenType=01} and no card number, as UnionPay's token samples do
// (Form03_6_5_Token_UpdateToken of the Java ACPSample_WuTiaoZhuan_Token, Form_6_5_UpdateToken of
// the .NET and PHP upacp_demo_wtz_token). The .NET sample says it serves cards opened by the
// merchant ([Client.OpenCard]) only, and recommends opening the card again instead.
//
// It has no notification: the answer decides, a nil error meaning updated, as those samples read
// it. The .NET and PHP samples read the token from the answer's tokenPayData: the OpenResult
// gives it (Token, TokenData) when the answer has one ("" and nil otherwise); whether it can
// differ from the token sent is not established from the samples (the fake gateway keeps it). An
// answer whose tokenPayData is not {k=v&...} is an error matching [sign.ErrMalformed]. Refused,
// the answer is an *[Error] (the old details stand, and the token still pays); respCode 03, 04,
// 05 or 83 a *[PendingError]: whether it was updated is unknown. It moves no money: send it
// again under a new OrderID (with a new SMS code, when the product verifies one).
//
// The samples disagree on the endpoint as for [Client.DeleteToken]; this method posts to
// backTransReq.do, as the Java and PHP samples do.
func (c *Client) UpdateToken(ctx context.Context, r *TokenRequest) (*OpenResult, error) {
	ctx, o := c.observe(ctx, "token update", false)
	open, err := c.updateToken(ctx, r)
	return open, o.end(err)
}

func (c *Client) updateToken(ctx context.Context, r *TokenRequest) (*OpenResult, error) {
	res, err := c.tokenCall(ctx, "token update", "79", "03", r)
	if err != nil {
		return nil, err
	}
	open := &OpenResult{Result: *res}
	if open.Token, open.TokenData, err = answerToken(opName("token update", res.OrderID), res.Raw); err != nil {
		return nil, err
	}
	return open, nil
}

// tokenCall sends the delete (74) or the update (79/03) of r's token.
func (c *Client) tokenCall(ctx context.Context, op, txnType, sub string, r *TokenRequest) (*Result, error) {
	if r == nil {
		return nil, &RequestError{Op: op, Field: "request", Reason: "nil"}
	}
	update := txnType == "79"
	ch := &checker{op: op}
	ch.orderID("OrderID", r.OrderID)
	ch.required("Token", r.Token)
	tokenPayData := ""
	if !sign.Blank(r.Token) {
		tokenPayData = ch.tokenPay(r.Token, r.TokenRequestorID)
	}
	tokenType := orDefault(r.TokenType, "01")
	switch {
	case !update && !sign.Blank(r.TokenType):
		ch.fail("TokenType", "only for the update (UpdateToken): the delete sends {trId=...&token=...}")
	case !update && r.Customer != nil:
		ch.fail("Customer", "only for the update (UpdateToken): the delete sends no card data")
	case update && (len(tokenType) != 2 || !isDigits(tokenType)):
		ch.fail("TokenType", "must be 2 digits (01)")
	case update && r.Customer == nil:
		ch.fail("Customer", "required: the card's new details (Phone; CVN2 and Expiry for a credit card)")
	case update:
		ch.required("Customer.Phone", r.Customer.Phone)
	}
	if ch.err != nil {
		return nil, ch.err
	}
	if update {
		tokenPayData = tokenPayData[:len(tokenPayData)-1] + "&tokenType=" + tokenType + "}"
	}
	f := c.newFields(txnType, sub, BizTypeToken)
	f["channelType"], f["tokenPayData"] = string(ChannelPC), tokenPayData
	t, err := c.newTxnTime(op, r.TxnTime)
	if err != nil {
		return nil, err
	}
	if err := c.setCard(op, f, "", r.Customer); err != nil {
		return nil, err
	}
	f["orderId"], f["txnTime"] = r.OrderID, formatTime(t)
	return c.back(ctx, &call{op: op, endpoint: "Back", orderID: r.OrderID, txnTime: t}, f, r.Extra)
}

// String masks the token (as "***") and the customer; the token requestor shows as it is.
func (r TokenRequest) String() string {
	return fmt.Sprintf("{OrderID:%s TxnTime:%s Token:%s TokenRequestorID:%s TokenType:%s Customer:%v Extra:%v}",
		r.OrderID, formatTime(r.TxnTime), secret(r.Token), r.TokenRequestorID, r.TokenType, r.Customer, r.Extra.Masked())
}

// GoString is String.
func (r TokenRequest) GoString() string { return "unionpay.TokenRequest" + r.String() }

// MarshalJSON encodes the request with the token and the customer masked as String masks them,
// and Extra as [sign.Fields.Masked] masks it.
func (r TokenRequest) MarshalJSON() ([]byte, error) {
	type fields TokenRequest
	r.Token, r.Customer, r.Extra = secret(r.Token), maskedCustomer(r.Customer), r.Extra.Masked()
	return json.Marshal(fields(r))
}

// UnmarshalJSON decodes a request, refusing with [ErrMaskedJSON] one in the masked form of
// MarshalJSON (a token or a customer secret equal to "***", an Extra value masked as
// [sign.Fields.Masked] masks it).
func (r *TokenRequest) UnmarshalJSON(b []byte) error {
	type fields TokenRequest
	var v fields
	if err := json.Unmarshal(b, &v); err != nil { // Customer's UnmarshalJSON checks it
		return err
	}
	if err := checkSecrets("TokenRequest", [2]string{"Token", v.Token}); err != nil {
		return err
	}
	if err := checkPairs("TokenRequest", nil, nil, v.Extra); err != nil {
		return err
	}
	*r = TokenRequest(v)
	return nil
}

// LogValue implements slog.LogValuer: the request with the token and the customer masked as
// String masks them, and Extra as MarshalJSON masks it.
func (r *TokenRequest) LogValue() slog.Value {
	if r == nil {
		return slog.AnyValue(nil)
	}
	return slog.GroupValue(slog.String("OrderID", r.OrderID), slog.Time("TxnTime", r.TxnTime),
		slog.String("Token", secret(r.Token)), slog.String("TokenRequestorID", r.TokenRequestorID),
		slog.String("TokenType", r.TokenType), customerAttr(r.Customer), slog.Any("Extra", r.Extra.Masked()))
}

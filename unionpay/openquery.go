package unionpay

import (
	"context"
	"encoding/json"
	"fmt"
	"log/slog"
	"time"

	"github.com/goacp/unionpay/internal/pan"
	"github.com/goacp/unionpay/internal/tokenpay"
	"github.com/goacp/unionpay/sign"
)

// OpenState is what an open query ([Client.QueryOpen]) says about the open (开通) of a card.
type OpenState string

// States of a queried open.
const (
	// CardOpened: respCode 00, and activateStatus 1 or none. For the token product the answer's
	// tokenPayData holds the card's token.
	CardOpened OpenState = "opened"
	// CardNotOpened: respCode 77 (未开通, as UnionPay's 认证支付 samples read it), or 00 with
	// activateStatus 0.
	CardNotOpened OpenState = "not opened"
	// OpenNotFound: respCode 34, UnionPay has no open under that orderId and txnTime. Not final
	// by itself: a front open the shopper has not completed yet is not found either.
	OpenNotFound OpenState = "not found"
)

// Sub-types of the open query (txnType 78), as UnionPay's interface page for it lists them: by
// card number for 认证支付 2.0, by the open's orderId for the token product.
const (
	OpenQueryByCard  = "00" // 账号查询: by AccNo, 认证支付 2.0's (bizType 000301)
	OpenQueryByOrder = "02" // 订单号查询: by the open's orderId and txnTime, the token product's (000902)
)

// OpenQueryRequest names the open to query ([Client.QueryOpen]). Its text is sent trimmed of
// surrounding white space, and a blank value is not sent at all (see "Amounts, times and blank values" in the
// package doc).
//
// Its JSON (json.Marshal) and log/slog value are a masked form meant for logs: AccNo as 6+4
// (621626******0018), Extra as [sign.Fields.Masked] masks a message, the other fields as they
// are. It is not a storage form: json.Unmarshal refuses it with [ErrMaskedJSON].
type OpenQueryRequest struct {
	// OrderID is the orderId of the open asked about (a [Client.FrontOpenCard] or
	// [Client.OpenCard]), as it was sent; required.
	OrderID string
	// TxnTime is the txnTime of that open, as it was sent (store it with OrderID); required.
	// It may be any time before Config.Now, or up to TxnTimeWindow after it.
	TxnTime time.Time
	// BizType is the product, six digits, sent trimmed: "" or blank = BizTypeToken (000902),
	// whose samples query the open by orderId; BizTypeAuthPay (000301) queries by card.
	BizType string
	// TxnSubType overrides txnSubType, two digits, sent trimmed: "" or blank = OpenQueryByOrder
	// (02) for the token product, OpenQueryByCard (00) for another. UnionPay's interface page
	// also lists 01 (by mobile number, for merchants connected directly), not modelled: send
	// what it needs in Extra.
	TxnSubType string
	// AccNo is accNo, the card asked about: 12 to 19 digits, required with OpenQueryByCard and
	// refused with another sub-type; sent encrypted with Config.Encrypter (in clear with
	// Config.PlainCardData).
	AccNo   string
	Channel Channel     // channelType: "" or blank = ChannelPC, what the samples send
	Extra   sign.Fields // fields not modelled here, signed with the rest; must not collide; values trimmed, blank ones omitted
}

// OpenStatus is the answer to an open query. Its String, GoString, JSON and log/slog value are a
// masked form meant for logs, as [Result]'s: Token and the token data as "***", AccNo masked,
// Raw as [sign.Fields.Masked] masks it. Store the fields, not that form.
type OpenStatus struct {
	State   OpenState // read from respCode and activateStatus (see OpenState)
	OrderID string    // orderId of the open queried
	TxnTime time.Time // txnTime sent, Beijing time
	// Token is the card's token, from tokenPayData {token=...&trId=...&tokenType=...}: the
	// token product's answer about an opened card carries it, as UnionPay's token samples read
	// it. A payment credential of the merchant's: store it as such, never log it. "" when the
	// answer has none.
	Token string
	// TokenData is every sub-field of tokenPayData (token, trId, tokenType and whatever else
	// UnionPay sends, such as the token's validity); nil when the answer has none.
	TokenData sign.Fields
	// ActivateStatus is activateStatus as received ("" when absent). Third-party integrations
	// read 0 as not opened and 1 as opened; UnionPay's own samples do not read it.
	ActivateStatus string
	// AccNo is accNo as received: encrypted to the merchant's key when the merchant has that
	// permission. Decrypt it with [Client.DecryptAccNo], which reads only a Transaction's OrderID
	// (named in its errors) and AccNo: c.DecryptAccNo(&unionpay.Transaction{OrderID: s.OrderID,
	// AccNo: s.AccNo}); the plaintext is usually masked (6216***********0018).
	AccNo string
	// PayCardType is payCardType as received ("01" debit, "02" credit...), when UnionPay sends it.
	PayCardType string
	// CustomerInfo is customerInfo as received (base64 of {phoneNo=...&...}, its secrets
	// encrypted to the merchant's key), when UnionPay sends it.
	CustomerInfo string
	RespCode     string      // respCode of the query
	RespMsg      string      // respMsg of the query
	Raw          sign.Fields // every field of the verified answer, as received
}

// QueryOpen asks whether a card is opened (开通查询, txnType 78, at backTransReq.do) and, for the
// token product, for its token: the alternative of UnionPay's Token samples (Form_6_3_OpenQuery
// of upacp_demo_wtz_token) to reading the token from the open's notification. The defaults are
// those samples': txnSubType 02, bizType 000902, channelType 07, and the orderId and txnTime of
// the open queried; those samples say this query finds only opens made on UnionPay's page
// ([Client.FrontOpenCard]), while the token product's back open ([Client.OpenCard]) answers with
// its token at once. With BizType BizTypeAuthPay, it asks, by AccNo, whether the card is opened
// for 认证支付 2.0 (txnSubType 00), as the upacp_demo_wtz samples do; those samples differ on
// whether orderId and txnTime are then those of the open or a new query's (UnionPay's interface
// page requires both without saying which): this method sends those given. The token samples
// differ too: the Java one (Form03_6_3_Token_OpenQuery) posts to backTransUrl and calls txnTime
// the current time, the .NET one (Form_6_3_OpenQuery) posts to singleQueryUrl (queryTrans.do)
// and asks for the open's txnTime; this method posts to backTransReq.do, as the Java token sample
// and the .NET 认证支付 one do, with the txnTime given.
//
// A query moves no money. The answer is verified as every synchronous answer is (one that does
// not verify is a *[VerifyError], matching [ErrUnverified]); respCode 00, 77 and 34 give an
// OpenStatus (see OpenState); 03, 04, 05 and 83 a *[PendingError] (matching [ErrPending]): ask
// again later; any other respCode an *[Error], which says nothing about the open.
//
// What UnionPay's answer carries beyond respCode and tokenPayData is not established from its
// samples: they read customerInfo and accNo when present; activateStatus and payCardType come
// from third-party integrations only. They are kept as received.
func (c *Client) QueryOpen(ctx context.Context, r *OpenQueryRequest) (*OpenStatus, error) {
	ctx, o := c.observe(ctx, "open query", false)
	st, err := c.queryOpen(ctx, r)
	return st, o.end(err)
}

func (c *Client) queryOpen(ctx context.Context, r *OpenQueryRequest) (*OpenStatus, error) {
	const op = "open query"
	if r == nil {
		return nil, &RequestError{Op: op, Field: "request", Reason: "nil"}
	}
	ch := &checker{op: op}
	ch.orderID("OrderID", r.OrderID)
	if r.TxnTime.IsZero() {
		ch.fail("TxnTime", "required: the txnTime of the open queried")
	}
	ch.digitsOverride("BizType", r.BizType, 6)
	ch.digitsOverride("TxnSubType", r.TxnSubType, 2)
	biz := orDefault(r.BizType, BizTypeToken)
	def := OpenQueryByOrder
	if biz != BizTypeToken {
		def = OpenQueryByCard
	}
	sub := orDefault(r.TxnSubType, def)
	switch blank := sign.Blank(r.AccNo); {
	case sub == OpenQueryByCard && blank:
		ch.fail("AccNo", "required to query by card (txnSubType 00)")
	case sub != OpenQueryByCard && !blank:
		ch.fail("AccNo", "sent only to query by card (txnSubType 00)")
	}
	f := c.newFields("78", sub, biz)
	f["channelType"] = ch.channel("Channel", r.Channel, ChannelPC)
	if ch.err != nil {
		return nil, ch.err
	}
	t, err := c.pastTxnTime(op, r.TxnTime)
	if err != nil {
		return nil, err
	}
	if err := c.setCard(op, f, r.AccNo, nil); err != nil {
		return nil, err
	}
	f["orderId"], f["txnTime"] = r.OrderID, formatTime(t)
	k := &call{op: op, endpoint: "Back", orderID: r.OrderID, txnTime: t}
	if k.fields, err = c.finish(op, f, r.Extra); err != nil {
		return nil, err
	}
	resp, err := c.send(ctx, k)
	if err != nil {
		return nil, err
	}
	return openStatus(k, resp)
}

// openStatus reads a verified answer to an open query.
func openStatus(k *call, f sign.Fields) (*OpenStatus, error) {
	st := &OpenStatus{OrderID: k.orderID, TxnTime: k.txnTime, ActivateStatus: f["activateStatus"],
		AccNo: f["accNo"], PayCardType: f["payCardType"], CustomerInfo: f["customerInfo"],
		RespCode: f["respCode"], RespMsg: f["respMsg"], Raw: f}
	switch code := st.RespCode; {
	case code == "00" && (st.ActivateStatus == "" || st.ActivateStatus == "1"):
		st.State = CardOpened
	case code == "00" && st.ActivateStatus == "0", code == "77":
		st.State = CardNotOpened
	case code == "00":
		return nil, fmt.Errorf("unionpay: %s: answer field activateStatus: %q is neither 0 nor 1", k.name(),
			st.ActivateStatus)
	case code == "34":
		st.State = OpenNotFound
	case pendingCode(code):
		return nil, &PendingError{Op: k.op, OrderID: k.orderID, TxnTime: k.txnTime, RespCode: code, RespMsg: f["respMsg"]}
	default:
		return nil, &Error{Op: k.op, OrderID: k.orderID, TxnTime: k.txnTime, RespCode: code, RespMsg: f["respMsg"]}
	}
	var err error
	if st.Token, st.TokenData, err = answerToken(k.name(), f); err != nil {
		return nil, err
	}
	return st, nil
}

// answerToken reads the tokenPayData of the verified answer f to the call named name (an open
// query's, a back open's): the token and every sub-field; "" and nil when f has none.
func answerToken(name string, f sign.Fields) (string, sign.Fields, error) {
	v := f["tokenPayData"]
	if v == "" {
		return "", nil, nil
	}
	data, err := tokenpay.Parse(v) // one pair of braces off, the inside read as notify reads it
	if err != nil {
		return "", nil, fmt.Errorf("unionpay: %s: answer field tokenPayData: %w", name, err)
	}
	return data["token"], data, nil
}

// maskedToken is the log form of a token and its tokenPayData: "***" and {"***": "***"}, the
// empty ones as they are.
func maskedToken(token string, data sign.Fields) (string, sign.Fields) {
	if token != "" {
		token = "***"
	}
	if data != nil {
		data = sign.Fields{"***": "***"}
	}
	return token, data
}

// openStatusFields is OpenStatus without its methods.
type openStatusFields OpenStatus

func (s OpenStatus) masked() openStatusFields {
	s.Token, s.TokenData = maskedToken(s.Token, s.TokenData)
	if s.CustomerInfo != "" {
		s.CustomerInfo = "***"
	}
	s.AccNo, s.Raw, s.RespMsg = pan.MaskAccNo(s.AccNo), s.Raw.Masked(), pan.MaskRuns(s.RespMsg)
	return openStatusFields(s)
}

// String shows the status with the token, the card data and Raw masked.
func (s OpenStatus) String() string { return fmt.Sprintf("%+v", s.masked()) }

// GoString is String.
func (s OpenStatus) GoString() string { return "unionpay.OpenStatus" + s.String() }

// MarshalJSON encodes the status with the token, the card data and Raw masked.
func (s OpenStatus) MarshalJSON() ([]byte, error) { return json.Marshal(s.masked()) }

// LogValue implements slog.LogValuer: the status with the token, the card data and Raw masked.
func (s *OpenStatus) LogValue() slog.Value {
	if s == nil {
		return slog.AnyValue(nil)
	}
	return slog.AnyValue(s.masked())
}

// String masks the card number and Extra's card data.
func (r OpenQueryRequest) String() string {
	return fmt.Sprintf("{OrderID:%s TxnTime:%s BizType:%s TxnSubType:%s AccNo:%s Channel:%s Extra:%v}",
		r.OrderID, formatTime(r.TxnTime), r.BizType, r.TxnSubType, pan.Mask(r.AccNo), r.Channel, r.Extra.Masked())
}

// GoString is String.
func (r OpenQueryRequest) GoString() string { return "unionpay.OpenQueryRequest" + r.String() }

// MarshalJSON encodes the request with the card number and Extra masked as String masks them.
func (r OpenQueryRequest) MarshalJSON() ([]byte, error) {
	type fields OpenQueryRequest
	r.AccNo, r.Extra = pan.Mask(r.AccNo), r.Extra.Masked()
	return json.Marshal(fields(r))
}

// UnmarshalJSON decodes the request, refusing with [ErrMaskedJSON] the masked form MarshalJSON
// writes.
func (r *OpenQueryRequest) UnmarshalJSON(b []byte) error {
	type fields OpenQueryRequest
	var v fields
	if err := json.Unmarshal(b, &v); err != nil {
		return err
	}
	if err := checkPAN("OpenQueryRequest.AccNo", v.AccNo); err != nil {
		return err
	}
	if err := checkPairs("OpenQueryRequest", nil, nil, v.Extra); err != nil {
		return err
	}
	*r = OpenQueryRequest(v)
	return nil
}

// LogValue implements slog.LogValuer: the request with the card number and Extra masked as
// String masks them.
func (r *OpenQueryRequest) LogValue() slog.Value {
	if r == nil {
		return slog.AnyValue(nil)
	}
	return slog.GroupValue(slog.String("OrderID", r.OrderID), slog.Time("TxnTime", r.TxnTime),
		slog.String("BizType", r.BizType), slog.String("TxnSubType", r.TxnSubType),
		slog.String("AccNo", pan.Mask(r.AccNo)), slog.String("Channel", string(r.Channel)),
		slog.Any("Extra", r.Extra.Masked()))
}

package unionpay

import (
	"context"
	"time"

	"github.com/goacp/unionpay/internal/ascii"
	"github.com/goacp/unionpay/sign"
)

// BizTypeQRCode is the bizType of UnionPay's QR-code payment (二维码支付) over the full-channel
// gateway: UnionPay's QR samples (upacp_demo_qrc, api_16_qrc: Form_6_2_ApplyQrCode,
// Form_6_2_FrontConsume, Form_6_4_Refund) send 000000 for the code's application, the
// consume by the payer's code and the refund. To refund or cancel a QR payment with it, set
// [FollowUpRequest.BizType]; to query one, [QueryRequest.BizType] is 000000 by default.
const BizTypeQRCode = "000000"

// Sub-types of the QR-code consume (txnType 01, bizType 000000), as UnionPay's QR samples send
// them.
const (
	QRSubTypeConsume = "06" // 二维码消费 (被扫): the merchant scans the payer's code, qrNo
	QRSubTypeApply   = "07" // 申请消费二维码 (主扫): the payer scans the merchant's code, qrCode
)

// QRCodeRequest applies for a consume's QR code (申请二维码, 主扫: the payer scans the merchant's
// code) with [Client.ApplyQRCode]. Its text is sent trimmed of surrounding white space, and a
// blank value is not sent at all (see "Amounts, times and blank values" in the package doc).
//
// Its String, JSON (json.Marshal) and log/slog value are a masked form meant for logs: Extra as
// [sign.Fields.Masked] masks a message, the other fields as they are. It is not a storage form:
// json.Unmarshal refuses it with [ErrMaskedJSON].
type QRCodeRequest struct {
	OrderID  string // orderId: 8 to 40 letters or digits (32 at most to reconcile); required
	Amount   int64  // txnAmt in the minor unit of Currency (fen for 156, CNY); required, as UnionPay's sample sends it
	Currency string // currencyCode; "" or blank = "156"
	// TxnTime is txnTime; zero: Config.Now(); else within TxnTimeWindow of it; sent in Beijing
	// time, to the second (a fraction is dropped: store it truncated, or key on notify.KeyOf). Set
	// it, and store it with OrderID and Amount, before sending: the payment is found by both
	// (Notification.Key, [Client.Query]).
	TxnTime time.Time
	// BackURL is backUrl, where UnionPay notifies the payment; required (UnionPay's sample sends
	// it: the payment's outcome comes by notification or query, never in this answer).
	BackURL string
	// PayTimeout is payTimeout, until when the payer may pay the code: after TxnTime (to the
	// second, as sent); sent in Beijing time, to the second (a fraction is dropped); zero: none is
	// sent (UnionPay's sample sends none; third-party integrations send one). Give it: without it
	// no answer but Succeeded ever ends the query schedule (see [Client.ApplyQRCode]).
	// Extra["payTimeout"], which carried it before this field, is still sent; not both.
	PayTimeout time.Time
	// Channel is channelType: "" or blank = ChannelMobile (08), what UnionPay's sample sends.
	Channel Channel
	// TermID is termId, the merchant's terminal: up to 8 letters or digits (a third-party
	// integration's description, 终端号 8位数字字母; UnionPay's samples give no format), sent
	// trimmed; blank: not sent. UnionPay's sample sends none for the application; a third-party
	// integration does.
	TermID string
	// reqReserved: echoed back; no & { } [ ] (base64 it); at most 1024 bytes in the message
	// charset (341 Chinese characters in UTF-8, 512 in GBK); sent trimmed, blank omitted.
	ReqReserved string
	// Extra holds fields not modelled here (riskRateInfo, ..., which only third-party
	// integrations send with it), signed with the rest; must not collide; values trimmed, blank
	// ones omitted. Extra["payTimeout"] is still sent, but set PayTimeout instead: one in Extra
	// must be yyyyMMddHHmmss in Beijing time and after TxnTime, else the request is refused (see
	// [Client.ApplyQRCode]), and one given with PayTimeout is refused, even blank.
	Extra sign.Fields
}

// QRCodeResult is the answer to [Client.ApplyQRCode]: the Result, and the QR code to show the
// payer. Its String, GoString, JSON and log/slog value are a masked form meant for logs, as
// [Result]'s (QRCode as it is: the payer needs it, and it is no card data).
type QRCodeResult struct {
	Result
	// QRCode is qrCode, the content to render as the QR code the payer scans with a UnionPay
	// app (云闪付 or a bank's). Its format is not established by UnionPay's samples, which do not
	// read it: third-party integrations read it from this answer, and one's test shows a URL on
	// qr.95516.com. Treat it as opaque text.
	//
	// It comes from a verified answer but is not checked here (no format, no length beyond
	// Config.MaxResponseBytes, any characters): render it as data, never as markup. Encode it
	// into the QR image with an encoder (a value too long for a QR symbol, about 2,900 bytes, or
	// holding control characters is then an encoder's error: show no code, query the order); if a
	// page shows it as text or in an attribute, escape it (html/template does); never write it
	// into HTML or a script unescaped, nor redirect the payer's browser to it.
	QRCode string
	// PayTimeout is the payTimeout sent (QRCodeRequest.PayTimeout's, or Extra["payTimeout"]'s), in
	// Beijing time; zero when none was sent. After it the code can no longer be paid, so a query
	// after it that does not say succeeded is final: [QRCodeResult.Backoff] is [FrontBackoff]
	// with [Backoff.PayTimeout] set to it. Without one, no answer but Succeeded is ever final.
	PayTimeout time.Time
}

// ApplyQRCode applies for the QR code of a consume (申请二维码, 主扫: txnType 01, txnSubType 07,
// bizType 000000, channelType 08, at backTransReq.do), as UnionPay's QR sample
// (Form_6_2_ApplyQrCode of upacp_demo_qrc) does: orderId, txnTime, txnAmt, currencyCode 156 and
// backUrl. The answer, 00, carries the qrCode to show the payer (third-party integrations read
// it there; UnionPay's sample reads only respCode); an answer 00 without one is pending. The
// payment follows when the payer scans and pays: its outcome comes by notification to BackURL or
// by [Client.Query] (orderId and txnTime, bizType 000000); the answer says nothing about it.
// Which codes UnionPay answers a query about an unpaid or expired code, and whether it notifies
// a failed payment, are not established from its samples; the fake gateway answers the query of
// an unpaid code 34 (not found), as it answers an unpaid front order's.
//
// The payer pays when they choose, as at a front cashier: query on [FrontBackoff] (minutes,
// counted from txnTime), as for [Client.AppConsume], not on [BackBackoff], whose minute of
// queries ends final on a Failed answer (a declined attempt: the fake gateway, as its cashier
// does, lets the payer pay the code again with another card) and pending on NotFound.
// UnionPay's sample sends no payTimeout; third-party integrations send one with the
// application: give [QRCodeRequest.PayTimeout] (sent in Beijing time, whatever its location),
// and query on the answer's schedule, which has it, or no answer but Succeeded is ever final:
//
//	r.PayTimeout = r.TxnTime.Add(10 * time.Minute) // store it with OrderID, TxnTime and Amount
//	code, err := client.ApplyQRCode(ctx, r)
//	...
//	tx, err := client.QueryUntilFinal(ctx, code.QueryRequest(), code.Backoff())
//
// A PayTimeout not after TxnTime (to the second) is refused before anything is sent, a
// *[RequestError] naming PayTimeout. Extra["payTimeout"] (yyyyMMddHHmmss in Beijing time), which
// carried it before, is still sent and read into [QRCodeResult.PayTimeout]; one not in that
// layout (one formatted in a server's UTC is eight hours early), or not after txnTime, is refused
// likewise, naming Extra["payTimeout"], and so is one given with PayTimeout. Until that schedule
// has ended final, a code shown to the payer may still be paid: show no new code (under a new
// orderId) for the same purchase before then, or both may be paid. After a restart, rebuild the
// schedule from what you stored: [FrontBackoff] with [Backoff.PayTimeout] set to the payTimeout.
//
// The answer creates an order the payer can pay, as [Client.AppConsume]'s does. So an unknown
// outcome (a timeout or broken connection after the request left, an unverified answer, 03, 04,
// 05, 83, 12: this orderId has an order already) is a *[PendingError], not a plain error: a code
// for this order may exist and be paid. Query it as above; apply again under a new orderId
// only once that schedule has ended final. A nil error means the code was issued, not that
// anything was paid.
func (c *Client) ApplyQRCode(ctx context.Context, r *QRCodeRequest) (*QRCodeResult, error) {
	ctx, o := c.observe(ctx, "qrcode apply", true)
	res, err := c.applyQRCode(ctx, r)
	return res, o.end(err)
}

func (c *Client) applyQRCode(ctx context.Context, r *QRCodeRequest) (*QRCodeResult, error) {
	const op = "qrcode apply"
	if r == nil {
		return nil, &RequestError{Op: op, Field: "request", Reason: "nil"}
	}
	f, t, err := c.qrFields(op, QRSubTypeApply, qrOrder{orderID: r.OrderID, amount: r.Amount,
		currency: r.Currency, txnTime: r.TxnTime, backURL: r.BackURL, channel: r.Channel, defChannel: ChannelMobile,
		termID: r.TermID, reqReserved: r.ReqReserved}, nil)
	if err != nil {
		return nil, err
	}
	ch := &checker{op: op}
	payTimeout := c.payTimeout(ch, r.PayTimeout, t) // as sent: to the second
	if ch.err != nil {
		return nil, ch.err
	}
	if !payTimeout.IsZero() {
		if err := legacyExtra(op, f, r.Extra, "payTimeout", "PayTimeout", formatTime(payTimeout)); err != nil {
			return nil, err
		}
	} else if payTimeout, err = c.extraPayTimeout(op, r.Extra, t); err != nil {
		return nil, err
	}
	k := &call{op: op, endpoint: "Back", moves: true, orderID: r.OrderID, txnTime: t}
	if k.fields, err = c.finish(op, f, r.Extra); err != nil {
		return nil, err
	}
	resp, err := c.send(ctx, k)
	if err != nil {
		return nil, err
	}
	if err := k.outcome(resp); err != nil {
		return nil, err
	}
	if resp["qrCode"] == "" {
		return nil, k.unknown(errorString("answer has no qrCode"))
	}
	return &QRCodeResult{Result: *k.result(resp), QRCode: resp["qrCode"], PayTimeout: payTimeout}, nil
}

// Backoff returns the schedule on which to query the code's payment: [FrontBackoff] with the
// QRCodeResult's PayTimeout, as [AppResult.Backoff] (the payer may pay the code until then).
func (r *QRCodeResult) Backoff() Backoff {
	b := FrontBackoff()
	if r != nil { // nil: its QueryRequest is nil too, which QueryUntilFinal refuses
		b.PayTimeout = r.PayTimeout
	}
	return b
}

// QRConsumeRequest is a consume by the payer's payment code (二维码消费, 被扫: the merchant scans
// the code the payer's app shows) with [Client.QRConsume]. Its text is sent trimmed of
// surrounding white space, and a blank value is not sent at all (see "Amounts, times and blank values" in the
// package doc).
//
// Its String, JSON (json.Marshal) and log/slog value are a masked form meant for logs: QRNo (the
// payer's code, which pays whoever presents it until it expires) as "***", Extra as
// [sign.Fields.Masked] masks a message, the other fields as they are. It is not a storage form:
// json.Unmarshal refuses it with [ErrMaskedJSON].
type QRConsumeRequest struct {
	OrderID string // orderId: 8 to 40 letters or digits (32 at most to reconcile); required
	// QRNo is qrNo, the payer's payment code (C2B码) as the scanner read it: 1 to 20 digits
	// (third-party integrations citing UnionPay's QR specification say so; its sample says
	// only 二维码编号); required. Sent trimmed; never in an error text.
	QRNo     string
	Amount   int64  // txnAmt in the minor unit of Currency (fen for 156, CNY); required
	Currency string // currencyCode; "" or blank = "156"
	// TxnTime is txnTime; zero: Config.Now(); else within TxnTimeWindow of it; sent in Beijing
	// time, to the second (a fraction is dropped: store it truncated, or key on notify.KeyOf). Set
	// it, and store it with OrderID and Amount, before sending: a pending consume is queried by
	// both, and the notification can reach backUrl before the answer does.
	TxnTime time.Time
	BackURL string // backUrl for the notification of the outcome; required
	// TermID is termId, the terminal that scanned the code: up to 8 letters or digits (a
	// third-party integration's description; UnionPay's sample says only 终端号), sent trimmed;
	// required (UnionPay's sample sends it, and a version of a third-party integration refuses a
	// consume without it).
	TermID string
	// Channel is channelType: "" or blank = ChannelPC (07), what UnionPay's sample
	// (Form_6_2_FrontConsume of upacp_demo_qrc) sends; third-party integrations send
	// ChannelMobile (08).
	Channel Channel
	// reqReserved: echoed back; no & { } [ ] (base64 it); at most 1024 bytes in the message
	// charset (341 Chinese characters in UTF-8, 512 in GBK); sent trimmed, blank omitted.
	ReqReserved string
	// Extra holds fields not modelled here, signed with the rest: accType (UnionPay's sample
	// sends 01, third-party integrations none), riskRateInfo, termInfo...; must not collide;
	// values trimmed, blank ones omitted.
	Extra sign.Fields
}

// QRConsume is a consume by the payer's payment code (二维码消费, 被扫: txnType 01, txnSubType
// 06, bizType 000000, channelType 07, at backTransReq.do), as UnionPay's QR sample
// (Form_6_2_FrontConsume of upacp_demo_qrc, "二维码消费（被扫）") sends it: qrNo, termId,
// orderId, txnTime, txnAmt, currencyCode 156 and backUrl. It moves money.
//
// As that sample reads the answer: 00 is accepted (受理成功), not paid: the outcome comes by
// notification to BackURL or by [Client.Query] (orderId and txnTime; [BackBackoff]); 03, 04 and
// 05 are a *[PendingError] (matching [ErrPending]): query it, and never consume the same code
// again (the fake gateway, unionpaytest, refuses such a consume 10 and reports it, a payment code
// paying once; what UnionPay answers is not established). So are, as for every call that moves
// money, 83, 12 (this orderId was sent already) and
// an answer without respCode; any other code is an *[Error]. A timeout, a broken connection after
// the request left or an answer that does not verify is pending too. Nothing here retries it. Whether the payer
// may have to confirm on their phone first (third-party aggregators describe that for payment
// codes in general; UnionPay's samples do not), and which answer or query code that would give
// beyond 03, 04 and 05, is not established: the query tells. What a query's Transaction says
// about a code the payer never confirms is not established either; the fake gateway fails it
// only when scripted so.
//
// Refund or cancel a QR consume with [Client.Refund] or [Client.CancelConsume] and
// [FollowUpRequest.BizType] BizTypeQRCode, as UnionPay's QR refund sample (Form_6_4_Refund) sends
// 000000 with channelType 07 (the fake gateway refuses one under another bizType, 36, and reports
// it; UnionPay's answer is not established). The reversal (冲正: txnType 99, txnSubType 01, bizType 000000, by
// the consume's orderId and txnTime), which a Java servlet in the style of UnionPay's samples
// (ConsumeReversal, 被扫消费冲正, 2017-03: their usual disclaimer, no copyright line; seen only
// vendored in a third-party repository, so not confirmed as UnionPay's) sends, is not modelled:
// when it may be sent and how its answer reads are not established. Query a pending consume; refund
// or cancel one that succeeded.
func (c *Client) QRConsume(ctx context.Context, r *QRConsumeRequest) (*Result, error) {
	ctx, o := c.observe(ctx, "qrcode consume", true)
	res, err := c.qrConsume(ctx, r)
	return res, o.end(err)
}

func (c *Client) qrConsume(ctx context.Context, r *QRConsumeRequest) (*Result, error) {
	const op = "qrcode consume"
	if r == nil {
		return nil, &RequestError{Op: op, Field: "request", Reason: "nil"}
	}
	f, t, err := c.qrFields(op, QRSubTypeConsume, qrOrder{orderID: r.OrderID, amount: r.Amount,
		currency: r.Currency, txnTime: r.TxnTime, backURL: r.BackURL, channel: r.Channel, defChannel: ChannelPC,
		termID: r.TermID, termRequired: true, reqReserved: r.ReqReserved},
		func(ch *checker) { ch.qrNo("QRNo", r.QRNo) })
	if err != nil {
		return nil, err
	}
	f["qrNo"] = sentTrimmed(r.QRNo)
	return c.back(ctx, &call{op: op, endpoint: "Back", moves: true, orderID: r.OrderID, txnTime: t}, f, r.Extra)
}

// extraPayTimeout checks the payTimeout an application carries in extra (as callers had to
// before QRCodeRequest.PayTimeout), as it is sent (trimmed), and returns it: yyyyMMddHHmmss in
// Beijing time, after txnTime t. One formatted in the server's own zone (UTC: eight hours early)
// or in another layout would issue a code the payer can never pay; it is refused, naming
// Extra["payTimeout"]. A blank one is not sent: no check, the zero time.
func (c *Client) extraPayTimeout(op string, extra sign.Fields, t time.Time) (time.Time, error) {
	v := sentTrimmed(extra["payTimeout"])
	if v == "" {
		return time.Time{}, nil
	}
	const field = `Extra["payTimeout"]`
	pt, err := c.parseTime(v)
	switch {
	case len(v) != len(timeLayout) || !isDigits(v) || err != nil:
		return time.Time{}, &RequestError{Op: op, Field: field, Reason: "must be yyyyMMddHHmmss in Beijing time"}
	case !pt.After(t):
		return time.Time{}, &RequestError{Op: op, Field: field, Reason: "must be after txnTime " + formatTime(t) +
			" (both in Beijing time: set PayTimeout instead, which is sent in Beijing time)"}
	}
	return pt, nil
}

// qrOrder is what the two QR calls send alike, and the defaults and rules that differ: the
// channelType when Channel is blank, and whether TermID is required.
type qrOrder struct {
	orderID      string
	amount       int64
	currency     string
	txnTime      time.Time
	backURL      string
	channel      Channel
	defChannel   Channel
	termID       string
	termRequired bool
	reqReserved  string
}

// qrFields checks o (and, after its orderId, whatever more checks: the consume's qrNo, so that
// the first error stays the first field's) and returns the fields of a QR call of txnSubType sub
// (txnType 01, bizType 000000) with its txnTime.
func (c *Client) qrFields(op, sub string, o qrOrder, more func(*checker)) (sign.Fields, time.Time, error) {
	ch := &checker{op: op}
	ch.orderID("OrderID", o.orderID)
	if more != nil {
		more(ch)
	}
	ch.amount("Amount", o.amount)
	ch.url("BackURL", o.backURL, true)
	ch.termID("TermID", o.termID, o.termRequired)
	ch.echoed("ReqReserved", o.reqReserved)
	f := c.newFields("01", sub, BizTypeQRCode)
	f["channelType"] = ch.channel("Channel", o.channel, o.defChannel)
	f["currencyCode"] = ch.currency("Currency", o.currency)
	if ch.err != nil {
		return nil, time.Time{}, ch.err
	}
	t, err := c.newTxnTime(op, o.txnTime)
	if err != nil {
		return nil, time.Time{}, err
	}
	f["orderId"], f["txnTime"], f["txnAmt"] = o.orderID, formatTime(t), fen(o.amount)
	f["backUrl"], f["termId"], f["reqReserved"] = o.backURL, o.termID, o.reqReserved
	return f, t, nil
}

// maxQRNo is the longest qrNo: 20 digits, as third-party integrations citing UnionPay's QR
// specification give it (C2B码, 1-20位数字).
const maxQRNo = 20

// qrNo checks the payer's payment code as it is sent (trimmed): 1 to maxQRNo digits. The error
// never quotes it.
func (ch *checker) qrNo(field, v string) {
	switch v := sentTrimmed(v); {
	case v == "":
		ch.fail(field, "required: the payer's payment code, as scanned")
	case len(v) > maxQRNo || !isDigits(v):
		ch.fail(field, "must be 1 to 20 digits (the payer's payment code, C2B码)")
	}
}

// maxTermID is the longest termId: 8 letters or digits, as third-party integrations give it (终端号,
// 8位数字字母).
const maxTermID = 8

// termID checks a terminal number as it is sent (trimmed): up to maxTermID letters or digits.
func (ch *checker) termID(field, v string, required bool) {
	switch v := sentTrimmed(v); {
	case v == "":
		if required {
			ch.fail(field, "required: the terminal that scanned the code")
		}
	case len(v) > maxTermID || !ascii.IsAlnum(v):
		ch.fail(field, "must be 1 to 8 letters or digits")
	}
}

package unionpay

import (
	"context"
	"fmt"
	"html"
	"maps"
	"net/http"
	"slices"
	"sort"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"golang.org/x/text/encoding"

	"github.com/goacp/unionpay/internal/ascii"
	"github.com/goacp/unionpay/internal/javagbk"
	"github.com/goacp/unionpay/sign"
)

// ConsumeRequest is a consume (消费) or pre-authorisation (预授权) the cardholder completes in the
// browser ([Client.FrontConsume], [Client.FrontPreAuth]) or in the UnionPay app control
// ([Client.AppConsume], [Client.AppPreAuth]). Empty optional fields are not sent. Its text is sent trimmed of
// surrounding white space, and a blank value (white space only) is not sent either, as UnionPay's
// SDK does (see "Amounts, times and blank values" in the package doc).
//
// Its String, GoString, JSON (json.Marshal) and log/slog value are a masked form meant for logs: AccNo as 6+4
// (621626******0018), Reserved and RiskRateInfo (the shopper's personal data) with their keys and
// every value as "***", Extra (fields the SDK does not model) as [sign.Fields.Masked] masks a
// message, the other fields as they are (ReqReserved is the merchant's own pass-through value,
// which notifications and queries echo).
// It is not a storage form: json.Unmarshal refuses it with [ErrMaskedJSON], so that the masks
// are never sent to UnionPay; JSON with the real values decodes as usual.
type ConsumeRequest struct {
	OrderID string // orderId: 8 to 40 letters or digits (32 at most to reconcile), unique per merchant; required
	Amount  int64  // txnAmt in the minor unit of Currency: fen for 156 (CNY), whole yen for 392 (JPY); required
	// Currency is currencyCode, an ISO 4217 numeric code; "" or blank = "156" (CNY). Another
	// currency needs a merchant number UnionPay enabled for it; the fake gateway refuses it.
	Currency string
	TxnTime  time.Time // txnTime; zero: Config.Now(); for AppConsume and AppPreAuth within TxnTimeWindow of it; sent in Beijing time
	// Channel is channelType: ChannelPC (PC gateway) or ChannelMobile (WAP, app); "" = ChannelPC for
	// forms and ChannelMobile for the app, which refuses ChannelPC (UnionPay's app samples send 08).
	Channel Channel
	// Installments selects txnSubType 03 (分期付款) instead of 01; consume only.
	Installments bool
	// InstallmentCount is the number of instalments the merchant chose (sent as instalTransInfo
	// {numberOfInstallments=NN}, which UnionPay's samples send with txnSubType 03), 1 to 99,
	// only with Installments; 0: not sent (the cardholder chooses at UnionPay's cashier). The
	// settlement file reports it (reconcile.Record.InstallmentCount).
	InstallmentCount int
	FrontURL         string    // frontUrl: where the browser returns; required for forms
	BackURL          string    // backUrl: where the notification goes; required
	PayTimeout       time.Time // payTimeout, after txnTime; zero: not sent (UnionPay's samples send txnTime + 15 minutes; see Form.PayTimeout)
	OrderDesc        string    // orderDesc; sent trimmed, blank omitted
	// reqReserved: echoed back; no & { } [ ] (base64 it); at most 1024 bytes in the message
	// charset (341 Chinese characters in UTF-8, 512 in GBK); sent trimmed, blank omitted.
	ReqReserved string
	// Reserved is the reserved field, sent as {k=v&...}, e.g. {"cardNumberLock": "1"}. No key may
	// be blank, and no key or value may hold & = { } [ ] or a control character; a pair whose
	// value is blank is left out, as a blank field is (and the field, if no pair is left).
	Reserved sign.Fields
	// RiskRateInfo is riskRateInfo, sent as {k=v&...}, e.g. {"commodityName": "..."}; as Reserved.
	// Their values are personal data (riskRateInfo: IP address, device ids, shipping address,
	// mobile, e-mail...): the log forms show them as "***".
	RiskRateInfo sign.Fields
	IssInsCode   string // issInsCode: the issuer, for direct online-banking redirection: letters or digits; sent trimmed, blank omitted
	// AccNo pre-fills (with Reserved cardNumberLock=1, locks) the card; encrypted with
	// Config.Encrypter (in clear with Config.PlainCardData, which a merchant number without
	// UnionPay's permission to encrypt sensitive data must set: UnionPay's gateway samples send
	// the locked card in clear).
	AccNo string
	Extra sign.Fields // fields not modelled here, signed with the rest; must not collide; values trimmed, blank ones omitted
}

// Form is a signed front-end transaction: the browser must POST Fields to Action unchanged. It
// renders itself as the auto-submitting page ([Form.HTML]) and serves it ([Form.ServeHTTP]).
// Its String and LogValue mask the card data (accNo, customerInfo) that a form carries in clear
// under Config.PlainCardData, and the values inside reserved and riskRateInfo (the shopper's
// personal data: {k=***&...}); its JSON does not, being what a front end posts. So log a *Form:
// a Form by value, or inside another value, goes to slog's JSON handler as its JSON.
type Form struct {
	Action   string      // the gateway URL (Config.Endpoints.Front)
	Fields   sign.Fields // the signed fields, including signature
	Encoding string      // the message charset: the page is rendered and submitted in it
	OrderID  string      // orderId, for a later query
	TxnTime  time.Time   // txnTime, in Beijing time, for a later query
	// PayTimeout is the payTimeout sent, in Beijing time; zero when none was sent. After it
	// UnionPay refuses the payment (an online-banking payment that succeeds later is refunded),
	// so a query after it that does not say succeeded is final: [Form.Backoff] is [FrontBackoff]
	// with [Backoff.PayTimeout] set to it. Without one, no failure of the form is ever final.
	// The form's JSON leaves it out when zero (its String shows it empty), never 0001-01-01.
	PayTimeout time.Time `json:",omitzero"`
}

// FrontConsume builds the signed form of a consume (txnType 01, bizType 000201) for the PC gateway
// (ChannelPC) or WAP (ChannelMobile). It does no I/O. UnionPay notifies backUrl on success only;
// query the order when no notification arrives (see [FrontBackoff]).
func (c *Client) FrontConsume(r *ConsumeRequest) (*Form, error) {
	return c.front("front consume", "01", r)
}

// FrontPreAuth builds the signed form of a pre-authorisation (txnType 02, bizType 000201) for the
// PC gateway or WAP. It does no I/O. Complete it with [Client.CompletePreAuth].
func (c *Client) FrontPreAuth(r *ConsumeRequest) (*Form, error) {
	if r != nil && r.Installments {
		return nil, &RequestError{Op: "front pre-auth", Field: "Installments", Reason: "consume only"}
	}
	return c.front("front pre-auth", "02", r)
}

// BizTypeB2B is the bizType of the B2B gateway payment (企业网银支付): the payer, a company, pays
// from its bank account in its bank's corporate online banking. [Client.FrontConsumeB2B] sends
// it; refund with [FollowUpRequest.BizType] BizTypeB2B and query with [QueryRequest.BizType]
// BizTypeB2B, as UnionPay's B2B samples do ([Form.QueryRequest] and [Result.QueryRequest] set
// it).
const BizTypeB2B = "000202"

// FrontConsumeB2B builds the signed form of a B2B gateway payment (企业网银支付: txnType 01,
// txnSubType 01, bizType [BizTypeB2B], channelType 07), sent to frontTransReq.do as
// [Client.FrontConsume]'s form is, with the same fields: UnionPay's B2B samples send those of
// the B2C gateway payment, with IssInsCode for sending the payer straight to its bank's online
// banking and PayTimeout (txnTime + 15 minutes in the samples). It does no I/O. The product is
// the PC gateway's only: Channel other than ChannelPC is refused, and so are Installments and
// InstallmentCount. Refund it with [Client.Refund] and [FollowUpRequest.BizType] BizTypeB2B;
// UnionPay's B2B samples show no consume cancel (消费撤销) and no pre-authorisation. The merchant
// number needs UnionPay's B2B product; fields its specification adds beyond the samples go in
// Extra.
func (c *Client) FrontConsumeB2B(r *ConsumeRequest) (*Form, error) {
	const op = "front consume B2B"
	if r == nil {
		return nil, &RequestError{Op: op, Field: "request", Reason: "nil"}
	}
	switch {
	case r.Installments:
		return nil, &RequestError{Op: op, Field: "Installments", Reason: "the B2B gateway payment has no installments"}
	case Channel(orDefault(string(r.Channel), string(ChannelPC))) != ChannelPC:
		return nil, &RequestError{Op: op, Field: "Channel", Reason: "the B2B gateway payment is the PC gateway's (channelType 07): ChannelPC, or leave it zero"}
	}
	ch := &checker{op: op}
	ch.url("FrontURL", r.FrontURL, true)
	f, t, payTimeout, err := c.consumeFields(ch, "01", ChannelPC, r)
	if err != nil {
		return nil, err
	}
	f["bizType"] = BizTypeB2B
	return c.frontForm(op, f, r.Extra, r.OrderID, t, payTimeout)
}

func (c *Client) front(op, txnType string, r *ConsumeRequest) (*Form, error) {
	if r == nil {
		return nil, &RequestError{Op: op, Field: "request", Reason: "nil"}
	}
	ch := &checker{op: op}
	ch.url("FrontURL", r.FrontURL, true)
	f, t, payTimeout, err := c.consumeFields(ch, txnType, ChannelPC, r)
	if err != nil {
		return nil, err
	}
	return c.frontForm(op, f, r.Extra, r.OrderID, t, payTimeout)
}

// frontForm merges extra into f, signs it and checks that a browser can post it (see finish and
// browserSafe), and returns it as the Form of a front transaction.
func (c *Client) frontForm(op string, f, extra sign.Fields, orderID string, t, payTimeout time.Time) (*Form, error) {
	f, err := c.finish(op, f, extra)
	if err != nil {
		return nil, err
	}
	if err := browserSafe(op, f, extra, c.gbk()); err != nil {
		return nil, err
	}
	u, err := c.endpoint("Front")
	if err != nil {
		return nil, err
	}
	return &Form{Action: u, Fields: f, Encoding: c.cfg.Encoding, OrderID: orderID, TxnTime: t,
		PayTimeout: payTimeout}, nil
}

// consumeFields validates r and returns its fields, not signed yet (r.Extra not merged), txnTime
// and payTimeout, in Beijing time.
func (c *Client) consumeFields(ch *checker, txnType string, def Channel, r *ConsumeRequest) (f sign.Fields,
	t, payTimeout time.Time, err error) {
	sub := "01"
	if r.Installments {
		sub = "03"
	}
	ch.orderID("OrderID", r.OrderID)
	ch.amount("Amount", r.Amount)
	ch.url("BackURL", r.BackURL, true)
	ch.echoed("ReqReserved", r.ReqReserved)
	if v := sentTrimmed(r.IssInsCode); v != "" && utf8.ValidString(v) && (len(v) > maxIssInsCode || !ascii.IsAlnum(v)) {
		ch.fail("IssInsCode", fmt.Sprintf("must be the issuer's code: up to %d letters or digits", maxIssInsCode))
	}
	switch {
	case r.InstallmentCount != 0 && !r.Installments:
		ch.fail("InstallmentCount", "only with Installments")
	case r.InstallmentCount < 0 || r.InstallmentCount > 99:
		ch.fail("InstallmentCount", "must be 1 to 99")
	}
	f = c.newFields(txnType, sub, "000201")
	if r.Installments && r.InstallmentCount > 0 { // else not set: Extra may still carry it
		f["instalTransInfo"] = fmt.Sprintf("{numberOfInstallments=%02d}", r.InstallmentCount)
	}
	f["channelType"] = ch.channel("Channel", r.Channel, def)
	f["currencyCode"] = ch.currency("Currency", r.Currency)
	reserved, err := braced(ch.op, "Reserved", r.Reserved)
	if err != nil {
		return nil, time.Time{}, time.Time{}, err
	}
	risk, err := braced(ch.op, "RiskRateInfo", r.RiskRateInfo)
	if err != nil {
		return nil, time.Time{}, time.Time{}, err
	}
	if ch.err != nil {
		return nil, time.Time{}, time.Time{}, ch.err
	}
	t, err = c.formTxnTime(ch.op, r.TxnTime)
	if err != nil {
		return nil, time.Time{}, time.Time{}, err
	}
	payTimeout = c.payTimeout(ch, r.PayTimeout, t) // as sent: to the second
	if ch.err != nil {
		return nil, time.Time{}, time.Time{}, ch.err
	}
	f["orderId"], f["txnTime"], f["txnAmt"] = r.OrderID, formatTime(t), fen(r.Amount)
	f["frontUrl"], f["backUrl"] = r.FrontURL, r.BackURL
	f["payTimeout"] = ""
	if !payTimeout.IsZero() {
		f["payTimeout"] = formatTime(payTimeout)
	}
	f["orderDesc"], f["reqReserved"], f["issInsCode"] = r.OrderDesc, r.ReqReserved, r.IssInsCode
	f["reserved"], f["riskRateInfo"] = reserved, risk
	if err := c.setCard(ch.op, f, r.AccNo, nil); err != nil {
		return nil, time.Time{}, time.Time{}, err
	}
	return f, t, payTimeout, nil
}

// AppResult is the answer to [Client.AppConsume] and [Client.AppPreAuth]: the tn the app control
// needs. Its QueryID is empty (the answer creates an order and names no payment): the payment's
// (or the pre-authorisation's) queryId, which a refund, cancel or completion names as its
// OrigQueryID, comes in the notification (notify.Notification.QueryID) or the query
// ([Transaction].QueryID) that says it succeeded.
type AppResult struct {
	Result
	TN string // tn: the transaction number handed to the UnionPay app control
	// PayTimeout is the payTimeout sent, in Beijing time (zero when none was): see Form.PayTimeout.
	PayTimeout time.Time
	Amount     int64  // txnAmt sent, in the minor unit of Currency (what QueryRequest asks the answer to name)
	Currency   string // currencyCode sent ("156" for CNY; what QueryRequest asks the answer to name)
	// TxnType is the txnType sent, which QueryRequest asks the answer to name: "01" from
	// AppConsume, "02" from AppPreAuth. "" (an AppResult built from stored fields without it)
	// is read as "01", a consume: store it with a pre-authorisation's order.
	TxnType string
}

// AppConsume asks appTransReq.do for the tn of a consume paid in the UnionPay app control
// (txnType 01, bizType 000201, channelType 08 by default). FrontURL is not needed. The server
// hands the app the tn alone (never signed fields, keys or certificates), and the app starts
// UnionPay's control with it and the control's mode for the environment the tn came from:
// "00" for [ProductionEndpoints], "01" for [TestEndpoints] (the mode argument of the control's
// startPay; the fake gateway's tn pays with unionpaytest.Server.Complete, no control). The
// shopper pays in the control; what the control reports back to the app is not proof of
// payment: the back notification or a query is (AppResult.QueryRequest on AppResult.Backoff,
// [FrontBackoff] with the tn's PayTimeout, as for a front form). The notification is a
// consume's (txnType 01, to BackURL), for the same notify.Handler as a form's. Give PayTimeout:
// without it an unpaid order is never final.
//
// The answer creates an order the shopper can pay. So an unknown outcome (a timeout or broken
// connection after the request left, an unverified answer, 12: this orderId has an order
// already) is a *[PendingError], not a plain error: the earlier tn may still be paid. Store the
// OrderID, TxnTime and PayTimeout before sending (give TxnTime: a resend with a zero one is
// another txnTime, under which the first order is not found), and after a crash send again only
// with them. A query's answer holds no tn: query the order ([FrontBackoff] with the stored
// PayTimeout), and make a new one under a new orderId only once that schedule has ended final
// and unpaid. A TxnTime more than [TxnTimeWindow] from Config.Now is refused before sending
// ([ErrTxnTimeNotCurrent]), as for the other requests that start a transaction.
func (c *Client) AppConsume(ctx context.Context, r *ConsumeRequest) (*AppResult, error) {
	ctx, o := c.observe(ctx, "app consume", true)
	res, err := c.app(ctx, "app consume", "01", r)
	return res, o.end(err)
}

// AppPreAuth asks appTransReq.do for the tn of a pre-authorisation (预授权) made in the UnionPay
// app control: txnType 02, txnSubType 01, bizType 000201, channelType 08 by default, as
// UnionPay's app-control samples send it (Form_6_7_1_AppPreauth of its PHP app demo). It is
// AppConsume's call in every other way: the same request, checks and answer (an [AppResult]
// whose TxnType is "02"), the tn handed to the app alone, the same unknown outcomes
// (*[PendingError]) and the same schedule to confirm it (AppResult.QueryRequest on
// AppResult.Backoff); its notification is a pre-authorisation's (txnType 02). Installments are
// refused (consume only). The hold is then completed with [Client.CompletePreAuth] or released
// with [Client.CancelPreAuth], naming its queryId (from the notification or the query that says
// it succeeded), as a form's ([Client.FrontPreAuth]) is: back transactions, sent to
// backTransReq.do, which UnionPay's app samples send with channelType 07.
func (c *Client) AppPreAuth(ctx context.Context, r *ConsumeRequest) (*AppResult, error) {
	ctx, o := c.observe(ctx, "app pre-auth", true)
	res, err := c.app(ctx, "app pre-auth", "02", r)
	return res, o.end(err)
}

// app asks appTransReq.do for the tn of a consume (txnType 01) or pre-authorisation (02).
func (c *Client) app(ctx context.Context, op, txnType string, r *ConsumeRequest) (*AppResult, error) {
	if r == nil {
		return nil, &RequestError{Op: op, Field: "request", Reason: "nil"}
	}
	if txnType == "02" && r.Installments {
		return nil, &RequestError{Op: op, Field: "Installments", Reason: "consume only"}
	}
	now, err := c.newTxnTime(op, r.TxnTime)
	if err != nil {
		return nil, err
	}
	at := *r
	at.TxnTime = now // read the clock once
	ch := &checker{op: op}
	ch.url("FrontURL", r.FrontURL, false) // not needed, but checked when given
	if Channel(orDefault(string(r.Channel), "")) == ChannelPC {
		ch.fail("Channel", "the app control is a mobile channel: ChannelMobile (08), or leave it zero")
	}
	f, t, payTimeout, err := c.consumeFields(ch, txnType, ChannelMobile, &at)
	if err != nil {
		return nil, err
	}
	if f, err = c.finish(op, f, r.Extra); err != nil {
		return nil, err
	}
	k := &call{op: op, endpoint: "App", moves: true, orderID: r.OrderID, txnTime: t, fields: f}
	resp, err := c.send(ctx, k)
	if err != nil {
		return nil, err
	}
	if err := k.outcome(resp); err != nil {
		return nil, err
	}
	if resp["tn"] == "" {
		return nil, k.unknown(errorString("answer has no tn"))
	}
	return &AppResult{Result: *k.result(resp), TN: resp["tn"], PayTimeout: payTimeout, Amount: r.Amount,
		Currency: f["currencyCode"], TxnType: txnType}, nil
}

// QueryRequest returns the query of the app order's transaction, for [Client.QueryUntilFinal]
// with [AppResult.Backoff] (or [Client.Query]): its OrderID and TxnTime, its TxnType ("01" when
// empty), and the Amount and Currency, which the query's answer must then name. Store the
// AppResult's OrderID, TxnTime, PayTimeout, Amount, Currency and, for a pre-authorisation,
// TxnType with the order to ask it after a restart, when an AppResult built from them gives the
// same query and schedule:
//
//	app := &unionpay.AppResult{Result: unionpay.Result{OrderID: orderID, TxnTime: txnTime},
//		PayTimeout: payTimeout, Amount: amount, Currency: "156"} // TxnType: "02" for AppPreAuth's
//	tx, err := client.QueryUntilFinal(ctx, app.QueryRequest(), app.Backoff())
func (r *AppResult) QueryRequest() *QueryRequest {
	if r == nil { // the nil *AppResult of a call that failed: QueryUntilFinal refuses nil
		return nil
	}
	return &QueryRequest{OrderID: r.OrderID, TxnTime: r.TxnTime, TxnType: orDefault(r.TxnType, "01"),
		Amount: r.Amount, Currency: r.Currency}
}

// Backoff returns the schedule on which to query the app order: [FrontBackoff] with the
// AppResult's PayTimeout, as [Form.Backoff] (the shopper may pay in the control until then).
func (r *AppResult) Backoff() Backoff {
	b := FrontBackoff()
	if r != nil { // nil: its QueryRequest is nil too, which QueryUntilFinal refuses
		b.PayTimeout = r.PayTimeout
	}
	return b
}

// HTML renders the auto-submitting page: a form posting Fields (sorted by name, every value
// HTML-escaped; the browser unescapes them, so the signature still holds) to Action, in the
// message charset. Its one script ([FormScriptHash]) submits the form at once; the page also
// shows a line of text and a submit button (Chinese, with English), so that a shopper whose
// browser runs no script (scripts disabled, or blocked by a policy without FormScriptHash, which
// a proxy may add), or who comes back to the page, can go on to UnionPay. The button has no name:
// it adds no field to what is posted. The page declares lang zh-CN and a mobile viewport (WAP).
func (f *Form) HTML() []byte {
	keys := make([]string, 0, len(f.Fields))
	for k := range f.Fields {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	cs := html.EscapeString(f.charset())
	var b strings.Builder
	b.WriteString(`<!DOCTYPE html><html lang="zh-CN"><head><meta http-equiv="Content-Type" content="text/html; charset=` + cs +
		`"><meta name="viewport" content="width=device-width, initial-scale=1"><title>银联支付 UnionPay</title></head>` +
		`<body><form id="pay_form" name="pay_form" action="` +
		html.EscapeString(f.Action) + `" method="post" accept-charset="` + cs + `">`)
	for _, k := range keys {
		b.WriteString(`<input type="hidden" name="` + attrEscaper.Replace(k) + `" value="` +
			attrEscaper.Replace(f.Fields[k]) + `">`)
	}
	b.WriteString(`<p>正在前往银联支付页面 <span lang="en">Going to UnionPay</span></p>` +
		`<button type="submit">继续支付 <span lang="en">Continue</span></button></form>` +
		`<script>` + formScript + `</script></body></html>`)
	if !strings.EqualFold(f.charset(), "GBK") {
		return []byte(b.String())
	}
	// Signing already checked that every value is representable in GBK.
	out, err := encoding.HTMLEscapeUnsupported(javagbk.NewEncoder()).Bytes([]byte(b.String()))
	if err != nil {
		return []byte(b.String())
	}
	return out
}

// formScript is the page's one script, which submits the form.
const formScript = `document.getElementById("pay_form").submit();`

// FormScriptHash is the Content-Security-Policy source of the script that [Form.HTML]'s page runs
// to submit itself: a site whose policy restricts scripts and that sends the page itself must add
// it to script-src ([Form.ServeHTTP] sends a policy allowing it alone).
const FormScriptHash = "'sha256-gBaDH957gmfZI00J4iNvxQ7S36MPAjb7/YQbFsPN220='"

// formCSP lets the page run its script and nothing else: no other script, style, image or frame
// loads, and a <base> element cannot redirect anything.
const formCSP = "default-src 'none'; script-src " + FormScriptHash + "; base-uri 'none'"

// attrEscaper escapes an attribute value. Beyond html.EscapeString it writes CR and LF as
// character references, so that any HTML parser reads back exactly the signed value: parsing
// turns a literal CR LF into LF (a browser restores CR LF when it submits the form, but other
// clients, such as scripts that scrape the form, would not).
var attrEscaper = strings.NewReplacer(`&`, "&amp;", `'`, "&#39;", `<`, "&lt;", `>`, "&gt;", `"`, "&#34;",
	"\r", "&#13;", "\n", "&#10;")

func (f *Form) charset() string {
	if f.Encoding == "" {
		return "UTF-8"
	}
	return f.Encoding
}

// ServeHTTP writes the auto-submitting page, uncacheable, whatever the request, with a
// Content-Security-Policy that lets it run its own script and load nothing (it sets no
// form-action: the gateway may redirect the posted form to another of UnionPay's hosts).
func (f *Form) ServeHTTP(w http.ResponseWriter, _ *http.Request) {
	h := w.Header()
	h.Set("Content-Type", "text/html; charset="+f.charset())
	h.Set("Cache-Control", "no-store")
	h.Set("X-Content-Type-Options", "nosniff")
	h.Set("Content-Security-Policy", formCSP)
	w.WriteHeader(http.StatusOK)
	_, _ = w.Write(f.HTML())
}

// browserSafe refuses a form value the shopper's browser would not post back byte for byte, which
// would make UnionPay refuse the signature: a browser rewrites a lone CR or LF as CR LF, a NUL as
// U+FFFD, and invalid UTF-8 as it decodes it; and in a GBK form (gbk) it encodes the euro sign as
// 0x80 and U+E5E5 as an HTML reference (the Encoding Standard's GBK encoder), where UnionPay reads
// and the form is signed in Java's GBK (A2 E3, A3 A0). It names the Go field (extra's,
// Extra["k"]).
func browserSafe(op string, f, extra sign.Fields, gbk bool) error {
	const (
		notPosted = "holds a control character or invalid UTF-8, which the browser would not post unchanged"
		notGBK    = "holds the euro sign (or U+E5E5), which a browser posts in GBK otherwise than UnionPay " +
			"reads it (write EUR, or send the form in UTF-8)"
	)
	bad := map[string]string{} // key: reason
	for k, v := range f {
		switch {
		case !utf8.ValidString(v) || strings.ContainsFunc(v, func(r rune) bool { return r < 0x20 && r != '\t' || r == 0x7f }):
			bad[k] = notPosted
		case gbk && strings.ContainsAny(v, "€\ue5e5"):
			bad[k] = notGBK
		}
	}
	if len(bad) == 0 {
		return nil
	}
	k := slices.Min(slices.Collect(maps.Keys(bad)))
	field := goField(k)
	if _, ok := extra[k]; ok {
		field = extraField(k)
	}
	return &RequestError{Op: op, Field: field, Reason: bad[k]}
}

// maxIssInsCode bounds ConsumeRequest.IssInsCode: an issuer's code is short (an institution
// code has 11 characters; the online-banking codes are shorter).
const maxIssInsCode = 20

// QueryRequest returns the query of the form's transaction, for [Client.QueryUntilFinal] with
// [Form.Backoff] (or [Client.Query]): its OrderID and TxnTime, and the TxnType, Amount (txnAmt)
// and Currency (currencyCode, for a consume or pre-authorisation) the answer must name to be
// about it. A form stored with its order (to serve the page again) thus also says how to confirm
// the payment:
//
//	tx, err := client.QueryUntilFinal(ctx, form.QueryRequest(), form.Backoff())
//
// It is meant for the forms of [Client.FrontConsume] and [Client.FrontPreAuth]: the outcome of a
// [Client.FrontOpenCard] comes in its notification (see there).
func (f *Form) QueryRequest() *QueryRequest {
	if f == nil { // the nil *Form of a call that failed: QueryUntilFinal refuses nil
		return nil
	}
	r := &QueryRequest{OrderID: f.OrderID, TxnTime: f.TxnTime, TxnType: f.Fields["txnType"], Currency: f.Fields["currencyCode"]}
	if f.Fields["bizType"] == BizTypeB2B { // UnionPay's B2B samples query under the product's bizType
		r.BizType = BizTypeB2B
	}
	if amount, err := strconv.ParseInt(f.Fields["txnAmt"], 10, 64); err == nil && amount > 0 {
		r.Amount = amount
	}
	return r
}

// Backoff returns the schedule on which to query the form's transaction: [FrontBackoff], with
// PayTimeout the form's, so that a failure (the shopper may still pay until payTimeout) is final
// only from a query after it. A back schedule ([BackBackoff]) would end on a failure that the
// shopper can still turn into a payment. Without a PayTimeout, no failure of the form is ever
// final: the schedule ends pending.
func (f *Form) Backoff() Backoff {
	b := FrontBackoff()
	if f != nil { // nil: its QueryRequest is nil too, which QueryUntilFinal refuses
		b.PayTimeout = f.PayTimeout
	}
	return b
}

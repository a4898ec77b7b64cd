// Package unionpay is a client for China UnionPay's full-channel (全渠道, ACP, upacp) merchant API.
//
// A [Client] is built once from a [Config] with [NewClient] (merchant ID, a [sign.Signer], the
// [cert.Verifier] that checks every answer, the endpoints) and is safe for concurrent use. It is the
// only package of the module that sends requests to UnionPay (package notify receives UnionPay's
// notifications; unionpay/unionpaytest is a fake gateway).
//
// Front-end transactions (consume and pre-authorisation, PC gateway and WAP) are signed forms the
// shopper's browser posts to UnionPay: [Client.FrontConsume] returns a [Form] that renders its
// auto-submitting page and is an http.Handler; [Client.FrontConsumeB2B] is the B2B gateway
// payment's (企业网银支付, bizType 000202); [Client.FrontOpenCard] builds the form that opens
// (binds) a card on UnionPay's page, for authenticated or token payment. Back-end transactions ([Client.Refund],
// [Client.CancelConsume], [Client.CompletePreAuth], [Client.Collect], [Client.Payout], ...) are
// sent server to server; their synchronous answer is parsed with UnionPay's raw rule and verified
// before anything in it is believed. QR-code payments go server to server too:
// [Client.ApplyQRCode] gets the code the payer scans, [Client.QRConsume] pays with the code the
// payer shows.
//
// In the order a shop uses them: [NewClient]; a transaction ([Client.FrontConsume], or a back-end
// call such as [Client.Refund]); its outcome, from the notification (package notify) or
// [Client.Query]; and the settle day's file ([Client.DownloadFile]), which package reconcile
// matches against the shop's orders. Three rules matter most:
//
//   - amounts are int64 in fen, the currency's minor unit (see Amounts, times and blank values);
//   - a pending outcome ([ErrPending]) is queried ([PendingError.QueryRequest]), never sent again;
//   - an answer that fails verification ([ErrUnverified]) is not believed.
//
// The example of [Client.FrontConsume] runs a whole consume (form, payment, query) against the fake
// gateway, those of [Client.Refund], [Client.Query], [Client.QueryUntilFinal], [PendingError] and [VerifyError] show
// the outcomes below, those of [Client.CancelConsume] and [Client.FrontPreAuth] a same-day cancel
// and a pre-authorisation completed and cancelled, that of [Client.SendSMS] a back consume
// confirmed by an SMS code, that of [Client.SubmitBatch] a payout batch whose answer was lost,
// queried with [Client.QueryBatch] and read row by row, those of [Client.AppConsume] and
// [Client.QRConsume] (ExampleClient_AppConsume_week, ExampleClient_QRConsume_week) an app's and a
// QR-code shop's week, settle days' files included, that of [Client.AppPreAuth] an app's hold
// completed, and the module's examples/quickstart
// program walks a shop's whole business day.
//
// # Outcomes
//
// A back-end transaction answered 00 is accepted, not succeeded: the final result comes in the
// notification to backUrl (package notify) or from [Client.Query]. A call that moves money ends in
// one of four ways:
//
//   - nil error: accepted; a [Result] with the raw fields.
//   - errors.Is(err, [ErrPending]): respCode 03/04/05 or 83 (the issuer still processing), 12 (a transaction with this orderId exists
//     already: the first copy of a resent request may have gone through, or the orderId was used
//     before, when a query may find that other transaction, so check its txnType and amount, or
//     nothing, and the settle day's file decides) or none, for a payout also 01, 34 or
//     60 (UnionPay's payout product asks for a query after them), a timeout or
//     broken connection after the request left, an HTTP status other than 200, or an unreadable
//     answer. A *[PendingError] carries orderId and txnTime: query, do not resend.
//   - errors.As(err, &e) with e an *[Error]: rejected by UnionPay (RespCode, RespMsg). Nothing happened.
//   - errors.Is(err, [ErrUnverified]): the answer failed verification (*[VerifyError], wrapping
//     sign.ErrSignature or the cert package's error). Its content is not believed, so for a call
//     that moves money the outcome is unknown and the error matches [ErrPending] too (a
//     *[PendingError] wrapping the *VerifyError); query.
//
// Any other error (an invalid request, a *[ConfigError], a request that was never sent: a
// *[NotSentError], matching [ErrNotSent]) means nothing left the process. Nothing is retried automatically, except queries in
// [Client.QueryUntilFinal], on UnionPay's schedule.
//
// After a pending outcome (a 5xx, a timeout, a crash after sending): query by the orderId and
// txnTime the call was made with ([Client.QueryUntilFinal] with [BackBackoff] for a back
// transaction, [PayoutBackoff] for a payout), as [PendingError.QueryRequest] (or, for an accepted
// call, [Result.QueryRequest]) gives the query, with the txnType, amount and origQryId its answer
// must name. Found, its state is the outcome. Not found
// ([NotFound]) is no proof that it was never made: query again later; the settlement file of its
// settle day (which ends at 23:00 Beijing time) lists it if it moved money, or the next day's:
// one UnionPay accepted from 23:00 on, its txnTime a little earlier, settles the next day
// ([SettleDay] of its txnTime is the day before), and a payout's may be the next day's anyway
// (see [Client.Payout]). So read both days' files. Only a transaction that is in none of those files may be
// made again, under a new orderId (a request with the old txnTime, more than [TxnTimeWindow] ago,
// is refused before it is sent: [ErrTxnTimeNotCurrent]); a front or app order whose
// [FrontBackoff] schedule, given its PayTimeout, ended final and unpaid needs no file.
//
// # Observing calls
//
// [Config.OnCall] is told of the end of every call that takes a ctx, refused ones included, with
// a [CallEnd]: the call's [CallInfo], its duration, its [Outcome] (the rule above, in one word for
// a metric's label) and the verified respCode; see the example of [Config]. A transport of the
// caller's in Config.HTTPClient finds the same CallInfo in each request's context
// ([CallInfoFrom]), to name spans. Neither sees card data.
//
// # Amounts, times and blank values
//
// Amounts are int64 in the minor unit of the currency (fen for 156, CNY, the default; whole yen
// for 392, JPY, which has none). Times are time.Time and are sent in Beijing time (Asia/Shanghai). Every
// request type has an Extra map for fields this package does not model; they are signed with the
// rest, and may not override a modelled field. Where a field was modelled after callers had to
// send it through Extra (reserved and riskRateInfo of FollowUpRequest, CardRequest and
// AccountRequest; accType and reqReserved of AccountRequest), Extra's is still sent while the
// modelled field sends nothing, and giving both is refused.
//
// As UnionPay's own SDK does (SDKUtil.filterBlank), every value of a request, Extra's included, is
// signed and sent trimmed as Java's String.trim trims (the characters U+0000 to U+0020 at either
// end), and a blank one (empty, nothing left once trimmed, or only white space as the SDK's
// StringUtils.isBlank sees it: see [sign.Blank]) is neither signed nor sent. So ReqReserved "  id=42  " is echoed back as "id=42",
// while an OrderDesc ending in U+3000 IDEOGRAPHIC SPACE keeps it, as the SDK sends it. The values
// inside customerInfo, Reserved and RiskRateInfo, and the lines of a batch file, are sent as they
// are, but for a Reserved or RiskRateInfo pair whose value is blank: it is left out, as a blank
// field is (and the field with it when no pair is left).
//
// A blank value counts as not given, as an empty one does: a field with a default (TxnSubType,
// BizType, FileType, Currency, Channel, a BatchRecord's BizType and Currency) takes the default,
// and a required one (OrderID, OrigQueryID, AccNo...) is refused with a *[RequestError] naming it.
// A blank QueryID is not given either: the query goes by OrderID and TxnTime, and without an
// OrderID it is refused with a *RequestError naming QueryID. No request is sent that lacks a field
// because it was blank.
//
// Trimming is for what is sent, not a licence to pad: the fields whose exact value matters (OrderID,
// AccNo, the URLs, Currency, and Config's identifiers) are refused, naming them, when they have
// white space around them, and the codes checked for a form (TxnSubType, BizType, FileType,
// AccType, OrigQueryID, QueryID) are checked as they are sent, trimmed.
//
// Package unionpay/unionpaytest is a fake gateway to test against.
package unionpay

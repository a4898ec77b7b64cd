package unionpay

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/goacp/unionpay/internal/ascii"
	"github.com/goacp/unionpay/internal/pan"
	"github.com/goacp/unionpay/sign"
)

// State is what a query says about a transaction.
type State string

// States of a queried transaction.
const (
	// Succeeded: origRespCode 00 or A6 (success with defect). Final.
	Succeeded State = "succeeded"
	// Pending: origRespCode 03, 04, 05 or 83 or absent (for a payout also 01, 12, 34 or 60: see
	// [QueryRequest.BizType]), or the query itself was answered 03, 04, 05 or 83; query again.
	Pending State = "pending"
	// Failed: any other origRespCode. Final for back transactions; for front ones only after
	// payTimeout (the cardholder may still pay).
	Failed State = "failed"
	// NotFound: UnionPay has no such transaction (respCode 34). Not final by itself: for a front
	// transaction the cardholder may not have paid yet, and for a back transaction UnionPay's
	// samples read it as a state not known yet (query later, or wait for the settlement file);
	// never send the transaction again because of it. [Client.QueryUntilFinal] on a FromTxnTime
	// schedule ([FrontBackoff]) returns it final (a nil error) once a query comes more than
	// PayTimeoutSkew after Backoff.PayTimeout: the form can no longer be paid. An answer about
	// another transaction than the [QueryRequest] names (another TxnType, Amount, Currency,
	// OrigQueryID or SubMerID) reads NotFound too, with that one in [Transaction.Other], and is never final.
	NotFound State = "not found"
)

// QueryRequest names the transaction to query (txnType 00): by OrderID and TxnTime as they were
// sent, or by QueryID. Its String, GoString, JSON (json.Marshal) and log/slog value show Extra as
// [sign.Fields.Masked] masks a message, the other fields as they are; json.Unmarshal refuses that
// masked Extra with [ErrMaskedJSON] (a QueryRequest without Extra round-trips as before).
type QueryRequest struct {
	OrderID string    // orderId of the original transaction
	TxnTime time.Time // txnTime of the original transaction; with QueryID alone, zero means now
	// QueryID is the queryId of the original transaction (letters and digits: UnionPay writes 21
	// digits), sent trimmed. A blank one (white space only) is not given: with OrderID the query
	// is by OrderID and TxnTime, without it the request is refused (a *[RequestError] naming
	// QueryID). UnionPay's official samples all query by orderId and txnTime; the query by
	// queryId (with txnTime set to now) follows third-party SDKs and has not been confirmed
	// against the gateway: prefer OrderID and TxnTime.
	QueryID string
	// BizType is the bizType sent (six digits), trimmed; "" or blank (white space only) =
	// "000000". Query a payout with [BizTypePayout]: its answer then reads origRespCode 01, 12,
	// 34 and 60 as Pending, as UnionPay's payout product asks. An answer whose txnType is 12 is
	// read so whatever the BizType, and so is one with bizType 000401 unless it names another
	// transaction type (a real-name check, 72, made under the payout product).
	BizType string
	// TxnType and Amount, when set, are the txnType ("01" consume, "04" refund, "12" payout, ...)
	// and txnAmt (in the minor unit of the transaction's currency: fen for CNY) of the
	// transaction asked about; they are not sent. An answer naming another txnType or amount (a
	// field it lacks is not compared) is about another transaction, not the one asked about: the
	// Transaction reads NotFound, with the other one in Other, and [Client.QueryUntilFinal] never
	// ends on it but pending, saying so. Another transaction holds the orderId and txnTime (one
	// made before under a reused orderId, whose request then answered 12), or the transaction was
	// made with another amount (a form re-issued under the same orderId and txnTime): either is
	// for a person to look at, and an Other that succeeded means money moved. Set them whenever
	// the outcome is acted on, above all for a payout: unset, a payout answered 12 may read
	// another transaction's success as its own.
	TxnType string
	Amount  int64
	// Currency, when set, is the currencyCode the transaction asked about was sent with (three
	// digits: "156" for CNY); it is not sent. An answer naming another currencyCode (one without
	// it is not compared) is about another transaction, read as for TxnType and Amount: the same
	// digits in yen (392) are not this order's yuan. "" or blank: not compared, so a QueryRequest
	// built without it reads as it did; the QueryRequest methods ([Result.QueryRequest],
	// [Form.QueryRequest]...) fill it with what the request sent ("156" when its Currency was
	// ""), and one built from stored fields should too. A refund, cancel or completion sends no
	// currencyCode (it is the original's): leave it "" there.
	Currency string
	// OrigQueryID, when set, is the origQryId of the refund, cancel or completion asked about:
	// the queryId of the payment it acts on, as [FollowUpRequest.OrigQueryID] sent it; it is not
	// sent. An answer naming another origQryId is about another transaction, as for TxnType and
	// Amount: a refund under a reused orderId, for the same amount, of another payment would
	// otherwise read as this one's, and the shopper it was meant for is never refunded.
	OrigQueryID string
	// SubMerID, when set, is the subMerId of the transaction asked about: a platform's shop
	// (accessType 2), up to 15 letters or digits, as [Client.SubMerchant] gives the shop's; it is
	// not sent (the Client sends its own). An answer naming another subMerId (one without it is not
	// compared) is about another shop's transaction, read as for TxnType and Amount: the shops
	// share the merId, so an orderId one shop used may find another's. "" or blank: not compared.
	// The QueryRequest of a call a shop's Client made ([Result.QueryRequest]) holds that shop's.
	SubMerID string
	Extra    sign.Fields // unmodelled fields, signed with the rest; must not collide; values trimmed, blank ones omitted
}

// Transaction is a queried transaction, or the answer that there is none. A NotFound is that
// answer, and [Client.Query] returns it with a nil error: its fields describe the query, not a
// transaction. It carries the OrderID asked about (the answer's, or the request's), the query's
// RespCode (34) and RespMsg, and the answer in Raw (its txnTime, when echoed, the one the query
// sent); its TxnType and TxnSubType are "", its TxnTime zero (0001-01-01) and its Amount 0, which
// are no transaction's: never store or show them as the order's. With [QueryRequest.TxnType],
// Amount, Currency, OrigQueryID or SubMerID set, a NotFound may be an answer about another transaction, which
// is in Other (RespCode is then the query's 00). NotFound alone is not final, and a nil error with
// it is no failure: the cardholder may still pay, or UnionPay not know the transaction yet (see
// [NotFound]). Only a nil error of [Client.QueryUntilFinal] on a front schedule ([FrontBackoff],
// with Backoff.PayTimeout) makes it final, its last query having come more than [PayTimeoutSkew]
// after that payTimeout. A Pending because the query itself was answered 03, 04, 05 or 83 describes
// no transaction either: TxnType, TxnSubType, TxnTime and Amount are as a NotFound's.
//
// It prints, marshals and logs masked, as [Result] does; one that describes no transaction
// without the zero TxnTime and Amount (see [Transaction.String]). That JSON is a log form, not
// a storage form: Transaction has no UnmarshalJSON, so json.Unmarshal decodes it without an
// error, but into the masks (AccNo 621626******0018 or "(encrypted)", customerInfo "***"): store
// the fields.
type Transaction struct {
	State        State     // the outcome, read from origRespCode (see State)
	OrderID      string    // orderId
	TxnTime      time.Time // txnTime of the original transaction, Beijing time; zero for a NotFound
	QueryID      string    // queryId
	TxnType      string    // txnType of the original transaction ("01" consume, "04" refund, ...)
	TxnSubType   string    // txnSubType of the original transaction ("03": a consume in instalments)
	OrigQueryID  string    // origQryId: for a refund, cancel or completion, the queryId of the transaction it acted on
	Amount       int64     // txnAmt in the minor unit of Currency (fen for 156, CNY); 0 for a NotFound
	Currency     string    // currencyCode of Amount, as received ("156" CNY); "" when the answer has none
	OrigRespCode string    // origRespCode: the transaction's own result
	OrigRespMsg  string    // origRespMsg
	RespCode     string    // respCode of the query itself
	RespMsg      string    // respMsg of the query itself
	ReqReserved  string    // reqReserved: the merchant's pass-through value, echoed as the request sent it
	SettleDate   string    // settleDate: MMDD
	SettleAmount int64     // settleAmt in the minor unit of SettleCurrency
	// SettleCurrency is settleCurrencyCode, the currency of SettleAmount; it differs from
	// Currency when the cardholder paid in another currency.
	SettleCurrency string
	ExchangeRate   string // exchangeRate, as received (when the currencies differ); exchangeDate is in Raw
	TraceNo        string // traceNo
	TraceTime      string // traceTime, as received
	// PayCardType and PayType are payCardType and payType, which UnionPay returns only to a
	// merchant with the permission (the settlement file's ZM record has them too).
	PayCardType string
	PayType     string
	// AccNo is accNo as received: encrypted to the merchant's key when the merchant has that
	// permission; see [Client.DecryptAccNo].
	AccNo string
	// SubMerID is subMerId, a platform's sub-merchant (accessType 2), and AcqInsCode is
	// acqInsCode, an acquirer (accessType 1), as the answer gives them and as notify's
	// Notification has them; "" when it gives none (a direct merchant's transaction), and for a
	// NotFound or a pending query answer, whose fields echo the query's own. A platform checks
	// that SubMerID is the Client's (its Config.SubMerchant.ID) before acting on the transaction
	// for that shop: the shops share the merId, so a shop's Client may find another shop's
	// transaction (the fake gateway answers with the transaction's own sub-merchant).
	SubMerID   string
	AcqInsCode string
	Raw        sign.Fields // every field of the verified answer, as received

	// Other is, for a NotFound whose answer named another txnType, amount, currencyCode,
	// origQryId or subMerId than the QueryRequest's, the transaction the answer is about; nil otherwise.
	Other *Transaction
}

// Query asks for the state of one transaction. A query moves no money: failures are plain errors
// (a rejected query is an *[Error], which says nothing about the transaction asked about: ask
// again later); a transaction UnionPay does not know is State NotFound. No error of Query is an
// outcome of the transaction asked about, which keeps the state the caller knew: a
// *[RequestError] is fixed in the request, a *[ConfigError] in the Config, any other error (an
// *Error, a *[StatusError], a *[VerifyError], the network's, ctx's) is asked again later. Check
// that the transaction found is the one meant (TxnType, Amount, Currency, OrigQueryID, SubMerID), or give
// them in the request: an orderId used twice may find another.
func (c *Client) Query(ctx context.Context, r *QueryRequest) (*Transaction, error) {
	ctx, o := c.observe(ctx, "query", false)
	tx, err := c.query(ctx, r)
	return tx, o.end(err)
}

func (c *Client) query(ctx context.Context, r *QueryRequest) (*Transaction, error) {
	const op = "query"
	if r == nil {
		return nil, &RequestError{Op: op, Field: "request", Reason: "nil"}
	}
	k, err := c.queryCall(op, r, true)
	if err != nil {
		return nil, err
	}
	resp, err := c.send(ctx, k)
	if err != nil {
		return nil, err
	}
	tx, err := c.transaction(k, resp)
	if err != nil {
		return nil, err
	}
	return another(r, tx), nil
}

// queryCall checks r and builds its message, as Query sends it, signed if signed (a check
// alone need not pay for the signature).
func (c *Client) queryCall(op string, r *QueryRequest, signed bool) (*call, error) {
	if err := checkQuery(op, r); err != nil {
		return nil, err
	}
	biz := orDefault(r.BizType, "000000")
	t, err := c.pastTxnTime(op, r.TxnTime)
	if err != nil {
		return nil, err
	}
	f := c.newFields("00", "00", biz)
	f["orderId"], f["txnTime"], f["queryId"] = r.OrderID, formatTime(t), r.QueryID
	k := &call{op: op, endpoint: "Query", orderID: r.OrderID, txnTime: t, anyTime: r.TxnTime.IsZero()}
	if !signed {
		return k, c.complete(op, f, r.Extra)
	}
	if k.fields, err = c.finish(op, f, r.Extra); err != nil {
		return nil, err
	}
	return k, nil
}

// checkQuery refuses an invalid QueryRequest with a *RequestError naming the field.
func checkQuery(op string, r *QueryRequest) error {
	ch := &checker{op: op}
	switch {
	case !sign.Blank(r.QueryID):
		ch.serial("QueryID", r.QueryID)
		if r.OrderID != "" {
			ch.orderID("OrderID", r.OrderID)
		}
	case r.QueryID != "" && r.OrderID == "":
		ch.fail("QueryID", "blank (white space only): give the queryId, or OrderID and TxnTime")
	case r.OrderID == "" && r.TxnTime.IsZero():
		ch.fail("OrderID", "required, with TxnTime (or give QueryID)")
	case r.TxnTime.IsZero():
		ch.fail("TxnTime", "required with OrderID (or give QueryID)")
	default:
		ch.orderID("OrderID", r.OrderID)
	}
	ch.digitsOverride("BizType", r.BizType, 6)
	if r.TxnType != "" && (len(r.TxnType) != 2 || !isDigits(r.TxnType)) {
		ch.fail("TxnType", "must be 2 digits, or empty")
	}
	if r.Amount < 0 {
		ch.fail("Amount", "must not be negative (0: not checked)")
	}
	if !sign.Blank(r.Currency) && (len(r.Currency) != 3 || !isDigits(r.Currency)) {
		ch.fail("Currency", "must be a 3-digit ISO 4217 code (\"156\" for CNY), or empty (not checked)")
	}
	if v := sentTrimmed(r.OrigQueryID); r.OrigQueryID != "" && (v == "" || len(v) > 64 || !ascii.IsAlnum(v)) {
		ch.fail("OrigQueryID", "must be the queryId of the payment acted on (up to 64 letters or digits), or empty")
	}
	if v := sentTrimmed(r.SubMerID); v != "" && (len(v) > 15 || !ascii.IsAlnum(v)) {
		ch.fail("SubMerID", "must be the subMerId of the shop asked about (up to 15 letters or digits), or empty")
	}
	return ch.err
}

// another returns tx, or, if tx names a txnType, amount, currencyCode, origQryId or subMerId
// other than those r expects, the NotFound of the transaction r asks about, with tx as its Other.
func another(r *QueryRequest, tx *Transaction) *Transaction {
	switch {
	case tx.State == NotFound:
		return tx
	case r.TxnType != "" && tx.TxnType != "" && tx.TxnType != r.TxnType:
	case r.Amount != 0 && hasField(tx.Raw, "txnAmt") && tx.Amount != r.Amount: // "txnAmt=" names none: not r's
	case !sign.Blank(r.Currency) && tx.Currency != "" && tx.Currency != r.Currency:
	case r.OrigQueryID != "" && tx.OrigQueryID != "" && tx.OrigQueryID != sentTrimmed(r.OrigQueryID):
	case !sign.Blank(r.SubMerID) && tx.SubMerID != "" && tx.SubMerID != sentTrimmed(r.SubMerID):
	default:
		return tx
	}
	return &Transaction{State: NotFound, OrderID: tx.OrderID, RespCode: tx.RespCode, RespMsg: tx.RespMsg, Raw: tx.Raw,
		Other: tx}
}

// hasField reports whether f holds key, empty or not.
func hasField(f sign.Fields, key string) bool {
	_, ok := f[key]
	return ok
}

// otherError describes the Other of a NotFound.
func otherError(o *Transaction) error {
	amount := fmt.Sprintf("%d fen", o.Amount)
	if cur := o.Raw["currencyCode"]; cur != "" && cur != "156" {
		amount = fmt.Sprintf("%d in currency %s", o.Amount, cur)
	}
	if o.OrigQueryID != "" {
		amount += ", of origQryId " + o.OrigQueryID
	}
	if o.SubMerID != "" {
		amount += ", of subMerId " + o.SubMerID
	}
	return fmt.Errorf("the orderId and txnTime name another transaction (txnType %s, %s, %s, queryId %s), "+
		"not the one asked about: a person must look", o.TxnType, amount, o.State, o.QueryID)
}

func (c *Client) transaction(k *call, f sign.Fields) (*Transaction, error) {
	tx := &Transaction{OrderID: f["orderId"], QueryID: f["queryId"], TxnType: f["txnType"],
		TxnSubType: f["txnSubType"], OrigQueryID: f["origQryId"],
		Currency: f["currencyCode"], OrigRespCode: f["origRespCode"], OrigRespMsg: f["origRespMsg"],
		RespCode: f["respCode"], RespMsg: f["respMsg"], ReqReserved: f["reqReserved"],
		SettleDate: f["settleDate"], SettleCurrency: f["settleCurrencyCode"], ExchangeRate: f["exchangeRate"],
		TraceNo: f["traceNo"], TraceTime: f["traceTime"], PayCardType: f["payCardType"], PayType: f["payType"],
		AccNo: f["accNo"], SubMerID: f["subMerId"], AcqInsCode: f["acqInsCode"], Raw: f}
	if tx.OrderID == "" {
		tx.OrderID = k.orderID
	}
	if tx.TxnType == "00" { // the query's own, echoed by an answer about no transaction
		tx.TxnType, tx.TxnSubType = "", ""
	}
	switch {
	case tx.RespCode == "00":
		tx.State = stateOf(tx.OrigRespCode, isPayout(f["txnType"], k.fields["bizType"], f["bizType"]))
	case pendingCode(tx.RespCode): // the fields are the query's own, echoed: no transaction's
		tx.State, tx.TxnType, tx.TxnSubType, tx.SubMerID, tx.AcqInsCode = Pending, "", "", "", ""
		return tx, nil
	case tx.RespCode == "34":
		tx.State, tx.TxnType, tx.TxnSubType, tx.SubMerID, tx.AcqInsCode = NotFound, "", "", "", ""
		return tx, nil
	default:
		return nil, &Error{Op: k.op, OrderID: k.orderID, TxnTime: k.sentTime(), RespCode: tx.RespCode, RespMsg: tx.RespMsg}
	}
	var err error
	if tx.TxnTime, err = c.parseTime(f["txnTime"]); err != nil {
		return nil, fmt.Errorf("unionpay: %s: answer field txnTime: %w", k.name(), err)
	}
	// An empty amount is no amount (Amount 0): UnionPay leaves fields empty where there is
	// nothing to say ("settleAmt=&settleDate=" where nothing settled, as a failed payment's
	// front return has them), and a transaction of no amount (real-name authentication, an
	// account opened) may be queried. Not an error, which every query would meet again; but
	// never the amount a QueryRequest.Amount asks for either (another).
	for _, a := range [...]struct {
		field string
		to    *int64
	}{{"txnAmt", &tx.Amount}, {"settleAmt", &tx.SettleAmount}} {
		if f[a.field] == "" {
			continue
		}
		if *a.to, err = parseFen(f, a.field); err != nil {
			return nil, fmt.Errorf("unionpay: %s: %w", k.name(), err)
		}
	}
	return tx, nil
}

// ErrNoAccNo is matched by the error of [Client.DecryptAccNo] for a transaction without accNo:
// UnionPay sends the card number only to merchants with that permission.
var ErrNoAccNo = errors.New("unionpay: transaction has no accNo")

// DecryptAccNo returns tx's accNo decrypted with Config.Decrypter: UnionPay encrypts it to the
// merchant's signing key when the merchant has the sensitive-information permission, and the
// plaintext is usually masked (621626******0018). An accNo UnionPay sent in clear (digits and '*')
// is returned as it is, without a Decrypter, as notify's Notification.DecryptAccNo does. It is
// done on demand, not on every query, as it costs a private-key operation. A nil tx, or one
// without accNo, is an error matching [ErrNoAccNo]; an encrypted one without a Config.Decrypter is
// a *[ConfigError]. A plaintext that is not a card number (12 to 19 digits and '*', or a masked one
// of 10 or 11) is taken for another key's ciphertext, as one the key does not decrypt: the
// Decrypter's previous keys are tried ([cert.Decrypter.WithPrevious]: the PFX's before a renewal,
// for orders signed under it), and if none gives a card number the error is a
// *[cert.DecryptError], which says nothing more of why.
//
// Only tx's AccNo and OrderID (named in errors) are read: the accNo of another answer, such as an
// open query's ([OpenStatus].AccNo), is decrypted in a Transaction holding those two.
func (c *Client) DecryptAccNo(tx *Transaction) (string, error) {
	if err := c.usable(); err != nil {
		return "", err
	}
	switch {
	case tx == nil || tx.AccNo == "":
		return "", fmt.Errorf("%w (DecryptAccNo)", ErrNoAccNo)
	case pan.Plain(tx.AccNo):
		return tx.AccNo, nil
	case c.cfg.Decrypter == nil:
		return "", &ConfigError{Field: "Config.Decrypter", Reason: "required to decrypt accNo"}
	}
	accNo, err := c.cfg.Decrypter.DecryptValid(tx.AccNo, pan.Plausible)
	if err != nil {
		return "", fmt.Errorf("unionpay: decrypting accNo of %s: %w", tx.OrderID, err)
	}
	return accNo, nil
}

// stateOf reads a transaction's state from the origRespCode of a query answered 00, for a payout
// if payout. An answer without origRespCode says nothing about the transaction, so it is Pending,
// never Failed.
func stateOf(origRespCode string, payout bool) State {
	switch {
	case origRespCode == "00" || origRespCode == "A6":
		return Succeeded
	case origRespCode == "" || pendingCode(origRespCode) || payout && payoutPendingCode(origRespCode):
		return Pending
	}
	return Failed
}

// isPayout reports whether a query answer with txnType and bizType, asked with reqBizType, is
// about a payout: the answer names one (txnType 12), or names no transaction type of its own ("" or
// the query's 00) and the payout bizType was asked for or answered. An answer naming another type
// (72, a real-name check made under the payout product, say) is not a payout's.
func isPayout(txnType, reqBizType, bizType string) bool {
	switch txnType {
	case "12":
		return true
	case "", "00":
		return reqBizType == BizTypePayout || bizType == BizTypePayout
	}
	return false
}

// BizTypePayout is the bizType of the payout product (代付), which [Client.Payout] sends and with
// which a payout is queried.
const BizTypePayout = "000401"

// payoutPendingCode reports the codes beyond pendingCode by which UnionPay's payout product (代付)
// says to query rather than take a payout as failed: 01, 12, 34 and 60, as a synchronous respCode
// and as a queried origRespCode, until the settlement file settles it (UnionPay's payout samples,
// Form10_6_2_DF and Form10_6_3_Query, 2015-09: "查询到03 04 05 01 12 34 60继续查询"). Read as
// failures, they would invite a second payout of the same money.
func payoutPendingCode(code string) bool {
	switch code {
	case "01", "12", "34", "60":
		return true
	}
	return false
}

// pendingCode reports a respCode by which UnionPay says the outcome is not known yet: 03 (timed
// out: query), 04 (state unknown: query), 05 (accepted: query later), and 83 (发卡行（渠道）处理中,
// the issuer or channel still processing), which UnionPay's code table lists among the failures'
// numbers but which says the same as 05: read as a failure, a payout still in progress would
// invite a second one.
func pendingCode(respCode string) bool {
	switch respCode {
	case "03", "04", "05", "83":
		return true
	}
	return false
}

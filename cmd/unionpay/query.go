package main

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"regexp"
	"strconv"
	"strings"
	"time"

	"github.com/goacp/unionpay/internal/pan"
	"github.com/goacp/unionpay/reconcile"
	"github.com/goacp/unionpay/unionpay"
)

const queryHelp = `
Asks UnionPay for the state of one transaction (Client.Query, txnType 00), by the orderId and
txnTime it was sent with, using the service's own credentials, loaded as "unionpay preflight"
loads them: -config acp_sdk.properties (unionpay.LoadJavaConfig: the file's URLs are used, and
-env, optional then, must be the environment they are of), or -pfx (with -password or
$UNIONPAY_PASSWORD), -root, -middle and -enc with the endpoints of -env. It sends one query,
never retries, and never sends anything that moves money. A signing certificate expired or not
yet valid is warned of on standard error, as sign warns of it; the query is still sent.

It prints "key: value" lines (with -json one JSON object, in the same keys): state
(succeeded, failed, pending or not found), orderId, txnTime, txnType, queryId, txnAmt (in the
minor unit of currencyCode: fen for 156; empty, null in JSON, when the answer gives none, as
for a transaction not found: never 0), currencyCode, respCode and respMsg (the query's own),
origRespCode and origRespMsg (the transaction's result), settleDate (MMDD), traceNo, traceTime
and accNo: as UnionPay masked it (6216***********0018), a whole card number masked as
notify.MaskPAN masks it (621626******0018), "(encrypted)" when it does not decrypt with the
merchant's key, then subMerId and acqInsCode, whose transaction it is: a platform's shop
(accessType 2) and an acquirer's code (accessType 1), empty for a direct merchant's (a
platform checks the shop is the one it asked for). A run of 12 digits or more in respMsg or
origRespMsg is masked as MaskPAN masks a card number, and their text escaped. No card number
and no password is ever printed. The orderId (and queryId,
txnTime, traceNo) is printed whole, escaped but never masked: it is the key by which the order
is found, in the merchant's records as in UnionPay's answers, notifications and settlement files,
which carry it whole; and an orderId of digits alone, as UnionPay's samples make them
(yyyyMMddHHmmss and more), would read as a card number to a masker of digit runs. A merchant
must never put a card number in an orderId: it would be in all of those already.
When the query itself failed, nothing is printed, but with -json one object all the same, in
the same keys: state "unknown", the orderId and txnTime asked, the others empty (txnAmt null),
and error, what went wrong (the text of the line on standard error), for a pipeline's jq.

With -txn-type and -amount (of the transaction meant), an answer about another transaction
under the same orderId reads "not found", with that one under "other". The query is sent with
bizType 000000, but a payout's (-txn-type 12) with 000401, as UnionPay's payout sample does: its
answers 01, 12, 34 and 60 then read pending, never failed. -biz-type BIZ (6 digits) sends
another, the product the transaction was sent under, as its query needs it: 000202 B2B, 000401
a payout (as -txn-type 12), 000902 the token product, for instance; with -txn-type 12, only
000401 (under another, a payout's pending answers would read failed).

What each state means for the customer:
  succeeded  paid, whatever the order says (its notification lost or not handled): mark the
             order paid; the customer must not pay again
  failed     final for a back transaction; a front payment may still be paid on its cashier
             page until its payTimeout: query it again then, before telling the customer
  pending    not final, it may still succeed: the customer must not pay again; query later
  not found  check -order and -txn-time (the txnTime sent, to the second, in Beijing time: one
             in UTC finds nothing); a front order not paid on its cashier page reads so too;
             the settle day's file (unionpay download) shows what was paid

-txn-time is the txnTime sent, as its 14 digits of Beijing time, or the same instant in RFC 3339
with its offset, as "reconcile -orders" writes txn_time (2026-11-29T10:00:00+08:00; a "Z" time
is converted to Beijing time): the orders a report leaves unknown are queried as it gives them.
A time without an offset, or with a fraction of a second, is a usage error. The txnTime printed
is always the 14 digits.

An acquirer (accessType 1) gives -acq-ins-code, its acqInsCode, with the merchant's -merid; a
platform merchant (accessType 2) gives the sub-merchant the transaction was sent for, as
-sub-mer-id, -sub-mer-name and -sub-mer-abbr (Config.SubMerchant): the query is sent as the
SDK's Client for that access sends it. Without them it is sent as a merchant connected directly
(accessType 0). A value the SDK refuses (more than 11 digits of acqInsCode, a sub-merchant field
holding & { } [ ]) is a usage error naming its flag.

To query "unionpay sandbox", give -config with the acp_sdk.properties it writes: -pfx, -root
and -middle take UnionPay's endpoints of -env, never the sandbox's.

Exit status: 0 the transaction succeeded (final); 1 it failed (final for a back transaction; a
front one may still be paid until its payTimeout); 5 not final or not known: pending, not found
(yet: never send the transaction again because of it, see the settle day's file), or the query
itself failed (a timeout, a network error, a rejected or unverified answer, the state not
written to standard output; with -json, state "unknown"): query again later (an answer that
does not verify, every time, is -root and -middle of another environment: the line says to
check them); 6 the credentials or configuration were refused: nothing was asked of UnionPay, or
UnionPay refused the request's signature (respCode 11: -pfx, or acpsdk.signCert.path, is not
the signing certificate it holds for -merid in this environment), which it would refuse again:
check them, the transaction's state is not known (with -json, state "unknown"); 2 a usage
error.`

// querySynopsis is query's usage line.
const querySynopsis = "-order ORDERID -txn-time YYYYMMDDhhmmss [-txn-type TT] [-amount FEN] [-biz-type BIZ]\n" +
	"       [-json] [-timeout 30s] -merid MERID (-config acp_sdk.properties [-env test|production]\n" +
	"       | -env test|production -pfx FILE [-password P] -root FILE -middle FILE [-enc FILE])\n" +
	"       [-acq-ins-code CODE | -sub-mer-id ID -sub-mer-name NAME -sub-mer-abbr ABBR]"

// bizTypeRE is a bizType value: six digits.
var bizTypeRE = regexp.MustCompile(`^[0-9]{6}$`)

// queryOutput is what query prints of a Transaction: no full card number, no raw fields.
type queryOutput struct {
	State        string       `json:"state"`
	OrderID      string       `json:"orderId"`
	TxnTime      string       `json:"txnTime"`
	TxnType      string       `json:"txnType"`
	QueryID      string       `json:"queryId"`
	TxnAmt       *int64       `json:"txnAmt"` // nil: the answer gives none (not found): null, never 0
	CurrencyCode string       `json:"currencyCode"`
	RespCode     string       `json:"respCode"`
	RespMsg      string       `json:"respMsg"`
	OrigRespCode string       `json:"origRespCode"`
	OrigRespMsg  string       `json:"origRespMsg"`
	SettleDate   string       `json:"settleDate"`
	TraceNo      string       `json:"traceNo"`
	TraceTime    string       `json:"traceTime"`
	AccNo        string       `json:"accNo"`
	SubMerID     string       `json:"subMerId"`   // a platform's sub-merchant (accessType 2); "" for none
	AcqInsCode   string       `json:"acqInsCode"` // an acquirer's code (accessType 1); "" for none
	Other        *queryOutput `json:"other,omitempty"`
	// Error is why the state is unknown (state "unknown": the query itself failed), only then,
	// and only with -json: the key: value lines are not printed then.
	Error string `json:"error,omitempty"`
}

// stateUnknown is the state -json prints when the query itself failed.
const stateUnknown = "unknown"

// unknownOutput is what query -json prints when the query itself failed (err): the state
// unknown, the orderId and txnTime asked, no amount, and err's text as the error.
func unknownOutput(order, txnTime string, err error) *queryOutput {
	return &queryOutput{State: stateUnknown, OrderID: order, TxnTime: txnTime, Error: oneLine(err.Error())}
}

func runQuery(e *env, args []string) (err error) {
	defer func() {
		// A panic is a bug, whenever it came: it says nothing of the transaction, which status 1
		// (failed) would tell a script to send again.
		if r := recover(); r != nil {
			err = fmt.Errorf("internal error: %s: the transaction's state is not known: %w", fmt.Sprint(r), errQueryAgain)
		}
	}()
	fs := newFlags(e, "query", querySynopsis, queryHelp)
	sf := addServiceFlags(fs)
	sf.addTimeout(fs)
	sf.addAccess(fs)
	order := fs.String("order", "", "orderId of the transaction")
	txnTime := fs.String("txn-time", "", "txnTime the transaction was sent with, `YYYYMMDDhhmmss` (Beijing time), or RFC 3339 with its offset")
	txnType := fs.String("txn-type", "", "txnType of the transaction meant (01 consume, 04 refund...): an answer naming another reads not found")
	amount := fs.Int64("amount", 0, "txnAmt of the transaction meant, in fen: an answer naming another reads not found")
	bizType := fs.String("biz-type", "", "bizType to query with, `BIZ`, 6 digits (default 000000; 000401 with -txn-type 12)")
	asJSON := fs.Bool("json", false, "print one JSON object instead of key: value lines")
	if err := parseFlags(fs, args, 0); err != nil {
		return err
	}
	switch {
	case *order == "":
		return usagef("-order is required")
	case *txnTime == "":
		return usagef("-txn-time is required")
	case *amount < 0:
		return usagef("-amount must not be negative")
	case flagGiven(fs, "biz-type") && !bizTypeRE.MatchString(*bizType):
		return usagef("-biz-type: want 6 digits, such as 000000, 000202 or 000401")
	case *txnType == "12" && *bizType != "" && *bizType != unionpay.BizTypePayout:
		// Asked under another product, a payout's pending codes (01, 12, 34, 60) read failed,
		// status 1, which tells a script to pay again.
		return usagef("-biz-type %s with -txn-type 12: a payout is queried with bizType %s "+
			"(under another, its pending answers would read failed)", *bizType, unionpay.BizTypePayout)
	}
	when, err := parseTxnTimeFlag(*txnTime)
	if err != nil {
		return usagef("-txn-time: want YYYYMMDDhhmmss (Beijing time), 14 digits, or RFC 3339 with its offset " +
			"(2006-01-02T15:04:05+08:00, as reconcile -orders writes txn_time), to the second")
	}
	*txnTime = when.In(reconcile.Beijing()).Format(txnTimeLayout) // as sent, and as printed when the answer has none
	client, err := sf.client(e, fs)
	if err != nil {
		return err
	}
	ctx, cancel := sf.callContext(e)
	defer cancel()
	req := &unionpay.QueryRequest{OrderID: *order, TxnTime: when, TxnType: *txnType, Amount: *amount}
	switch {
	case *bizType != "":
		req.BizType = *bizType
	case *txnType == "12":
		req.BizType = unionpay.BizTypePayout // as Result.QueryRequest asks a payout's
	}
	tx, err := client.Query(ctx, req)
	if err != nil {
		// Nothing is known of the transaction: the query failed, not the transaction.
		refused := sf.signatureRefused(err, "the transaction's state is not known")
		if refused != nil {
			err = refused
		} else {
			err = callFailed(err, map[string]string{"OrderID": "-order", "TxnTime": "-txn-time", "TxnType": "-txn-type",
				"Amount": "-amount", "BizType": "-biz-type"}, "the query failed, the transaction's state is not known", errQueryAgain)
		}
		if *asJSON && (errors.Is(err, errQueryAgain) || refused != nil) {
			// One object all the same, for a pipeline's jq: the state unknown, and why. The
			// error is the stderr line's text, in which the SDK masks a card number UnionPay's
			// text quotes (a query sends none, and no password is ever in an error).
			_ = unknownOutput(*order, *txnTime, err).write(e.stdout, true) // the status says it all the same
		}
		return err
	}
	out := queryOutputOf(client, tx)
	if out.TxnTime == "" {
		out.TxnTime = *txnTime // the one asked, as orderId: an answer of not found carries none
	}
	if err := out.write(e.stdout, *asJSON); err != nil {
		// The state is known but not shown: status 1 would read as the transaction's failure.
		return fmt.Errorf("writing the answer: %w: the transaction's state is not shown: %w", err, errQueryAgain)
	}
	switch tx.State {
	case unionpay.Succeeded:
		return nil
	case unionpay.Failed:
		// A front payment declined at the cashier may be paid there again, with another card,
		// until its payTimeout: "failed" is not yet what to tell its customer.
		return fmt.Errorf("the transaction failed: origRespCode %s (%s): final for a back transaction; "+
			"a front payment may still be paid on its cashier page until its payTimeout: query it again then",
			tx.OrigRespCode, out.OrigRespMsg)
	case unionpay.NotFound:
		if tx.Other != nil {
			return fmt.Errorf("the answer is about another transaction under this orderId (see other): %w", errQueryAgain)
		}
		// A txnTime taken from a log in UTC, or cut to the minute, finds nothing either.
		return fmt.Errorf("not found (yet; or -txn-time is not the txnTime the order was sent with, to the second, "+
			"in Beijing time): never send the transaction again because of it: %w", errQueryAgain)
	case unionpay.Pending:
		return fmt.Errorf("pending: not final, it may still succeed, so the customer must not pay again: %w", errQueryAgain)
	}
	return fmt.Errorf("%s: %w", tx.State, errQueryAgain)
}

// queryOutputOf is what query prints of tx, its accNo masked, and any run of 12 digits or more
// in its messages (a card number UnionPay's text might quote) masked as a card number is.
func queryOutputOf(client *unionpay.Client, tx *unionpay.Transaction) *queryOutput {
	o := &queryOutput{State: string(tx.State), OrderID: tx.OrderID, TxnType: tx.TxnType, QueryID: tx.QueryID,
		TxnAmt: amountOf(tx), CurrencyCode: tx.Currency, RespCode: tx.RespCode, RespMsg: maskedText(tx.RespMsg),
		OrigRespCode: tx.OrigRespCode, OrigRespMsg: maskedText(tx.OrigRespMsg), SettleDate: tx.SettleDate,
		TraceNo: tx.TraceNo, TraceTime: tx.TraceTime, AccNo: maskedAccNo(client, tx), SubMerID: tx.SubMerID,
		AcqInsCode: tx.AcqInsCode}
	if !tx.TxnTime.IsZero() {
		o.TxnTime = tx.TxnTime.In(reconcile.Beijing()).Format("20060102150405")
	}
	if tx.Other != nil {
		o.Other = queryOutputOf(client, tx.Other)
	}
	return o
}

// amountOf is tx's amount, or nil when the answer gives none: a transaction not found (the
// NotFound of an answer about another one included, whose amount is the other's), a query itself
// pending, or an answer without txnAmt. Transaction.Amount is then 0, which is not the amount.
func amountOf(tx *unionpay.Transaction) *int64 {
	if tx.State == unionpay.NotFound || tx.RespCode != "00" || tx.Raw["txnAmt"] == "" {
		return nil
	}
	return &tx.Amount
}

// maskedText is an answer's message with its white space collapsed to single spaces, as oneLine
// prints it (and as StatusError.Page's text is), then its digit runs masked (pan.MaskRuns): a
// card number in groups cut by ideographic spaces (U+3000, as full-width text writes them), tabs
// or two spaces is masked too, where masked first it was printed whole once collapsed.
func maskedText(s string) string { return pan.MaskRuns(strings.Join(strings.Fields(s), " ")) }

// maskedAccNo is tx's accNo decrypted with the merchant's key and shown by shownAccNo (as
// UnionPay masked it, or masked by notify.MaskPAN), or "(encrypted)" when it does not decrypt;
// "" when there is none.
func maskedAccNo(client *unionpay.Client, tx *unionpay.Transaction) string {
	if tx.AccNo == "" {
		return ""
	}
	pan, err := client.DecryptAccNo(tx)
	if err != nil {
		return "(encrypted)"
	}
	return shownAccNo(pan)
}

// write prints o as key: value lines, or as one JSON object.
func (o *queryOutput) write(w io.Writer, asJSON bool) error {
	if asJSON {
		b, err := json.Marshal(o.printable())
		if err != nil {
			return err
		}
		_, err = fmt.Fprintf(w, "%s\n", b)
		return err
	}
	return o.writeLines(w, "")
}

// printable returns a copy of o with its text escaped by printable, for -json: encoding/json
// leaves C1 controls and bidirectional overrides as they are, which a terminal acts on (as
// reconcile's JSON, an answer's text is shown, never run).
func (o *queryOutput) printable() *queryOutput {
	c := *o
	for _, f := range []*string{&c.State, &c.OrderID, &c.TxnTime, &c.TxnType, &c.QueryID, &c.CurrencyCode,
		&c.RespCode, &c.RespMsg, &c.OrigRespCode, &c.OrigRespMsg, &c.SettleDate, &c.TraceNo, &c.TraceTime, &c.AccNo,
		&c.SubMerID, &c.AcqInsCode, &c.Error} {
		*f = printable(*f)
	}
	if o.Other != nil {
		c.Other = o.Other.printable()
	}
	return &c
}

// amount is txnAmt as writeLines prints it: "" when the answer gives none, as the other fields
// an answer lacks.
func (o *queryOutput) amount() string {
	if o.TxnAmt == nil {
		return ""
	}
	return strconv.FormatInt(*o.TxnAmt, 10)
}

// writeLines prints o as key: value lines, each key after prefix; values escaped as errors are
// (an answer's text is shown, never run).
func (o *queryOutput) writeLines(w io.Writer, prefix string) error {
	for _, kv := range [][2]string{{"state", o.State}, {"orderId", o.OrderID}, {"txnTime", o.TxnTime},
		{"txnType", o.TxnType}, {"queryId", o.QueryID}, {"txnAmt", o.amount()},
		{"currencyCode", o.CurrencyCode}, {"respCode", o.RespCode}, {"respMsg", o.RespMsg},
		{"origRespCode", o.OrigRespCode}, {"origRespMsg", o.OrigRespMsg}, {"settleDate", o.SettleDate},
		{"traceNo", o.TraceNo}, {"traceTime", o.TraceTime}, {"accNo", o.AccNo}, {"subMerId", o.SubMerID},
		{"acqInsCode", o.AcqInsCode}} {
		if _, err := fmt.Fprintf(w, "%s%s: %s\n", prefix, kv[0], oneLine(kv[1])); err != nil {
			return err
		}
	}
	if o.Other != nil {
		return o.Other.writeLines(w, "other.")
	}
	return nil
}

// txnTimeLayout is txnTime's form on the wire: yyyyMMddHHmmss, in Beijing time.
const txnTimeLayout = "20060102150405"

// parseTxnTimeFlag reads -txn-time: the 14 digits of Beijing time the transaction was sent
// with, or the same instant in RFC 3339 with its offset, as a reconcile -orders report writes
// txn_time (2026-11-29T10:00:00+08:00; "Z" or another offset is converted, the instant being
// unambiguous), so that the orders a report leaves unknown are queried from it as they stand.
// A time without an offset (whose zone is a guess) or with a fraction of a second (txnTime is
// to the second: a fraction, dropped, would query another txnTime) is refused, and so is one
// whose year in Beijing time has not four digits (9999-12-31T23:59:59-01:00 is in 10000 there),
// which no txnTime can hold and the client would refuse.
func parseTxnTimeFlag(s string) (t time.Time, err error) {
	if len(s) == len(txnTimeLayout) {
		t, err = unionpay.ParseTxnTime(s)
	} else {
		t, err = time.Parse(time.RFC3339, s)
	}
	switch y := t.In(reconcile.Beijing()).Year(); {
	case err != nil:
		return time.Time{}, err
	// A fraction follows the seconds, at 19 ("2006-01-02T15:04:05" is 19 bytes), after a '.' or,
	// as time.Parse also reads it, a ','; one of zeros is refused too, as the help says.
	case t.Nanosecond() != 0 || len(s) > 19 && (s[19] == '.' || s[19] == ','):
		return time.Time{}, errors.New("a fraction of a second")
	case y < 1000 || y > 9999:
		return time.Time{}, fmt.Errorf("year %d in Beijing time has not four digits", y)
	}
	return t, nil
}

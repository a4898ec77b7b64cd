package notify

import (
	"encoding/json"
	"fmt"
	"log/slog"
	"strconv"
	"time"

	"github.com/goacp/unionpay/cert"
	"github.com/goacp/unionpay/internal/pan"
	"github.com/goacp/unionpay/internal/tz"
	"github.com/goacp/unionpay/sign"
)

// Notification is one verified notification (or browser return) from
// UnionPay. The typed fields are read from Raw after the signature has been
// verified; a field absent from the message is left at its zero value.
//
// A Notification's String and LogValue methods never show AccNo, so it can
// be printed or logged as a whole.
type Notification struct {
	Version        string    // version: 5.1.0 (or 5.0.0 if the Verifier accepts it)
	MerchantID     string    // merId
	OrderID        string    // orderId: the merchant's order number for this transaction
	TxnTime        time.Time // txnTime, in Beijing time (Asia/Shanghai)
	TxnType        string    // txnType: 01 consume, 04 refund, 31 consume cancel, 03 pre-auth completion...
	TxnSubType     string    // txnSubType
	BizType        string    // bizType, e.g. 000201 (gateway payment)
	AccessType     string    // accessType: 0 merchant, 1 acquirer, 2 platform
	AcqInsCode     string    // acqInsCode: the acquirer that sent the transaction (accessType 1)
	SubMerID       string    // subMerId: the platform's sub-merchant (accessType 2)
	QueryID        string    // queryId: UnionPay's serial number for this transaction
	OrigQueryID    string    // origQryId: queryId of the original transaction (refund, cancel, completion)
	TxnAmt         int64     // txnAmt, in the minor unit of CurrencyCode: fen for 156 (CNY), whole yen for 392 (JPY)
	CurrencyCode   string    // currencyCode, 156 for CNY
	SettleAmt      int64     // settleAmt, in the minor unit of SettleCurrency (0 when absent); differs from TxnAmt when the currencies do
	SettleCurrency string    // settleCurrencyCode (exchangeDate, when sent, is in Raw)
	ExchangeRate   string    // exchangeRate, as received, when the currencies differ
	SettleDate     string    // settleDate, MMDD (the year is not sent)
	TraceNo        string    // traceNo: system trace audit number
	TraceTime      string    // traceTime, MMDDhhmmss
	RespCode       string    // respCode: the result of this transaction (see Status)
	RespMsg        string    // respMsg
	OrigRespCode   string    // origRespCode, when UnionPay sends it
	OrigRespMsg    string    // origRespMsg, when UnionPay sends it
	ReqReserved    string    // reqReserved: the merchant's pass-through value, as sent with the request

	// PayCardType and PayType are payCardType and payType, which UnionPay sends only to a
	// merchant with the permission (the settlement file's ZM record has them too).
	PayCardType string
	PayType     string

	// AccNo is the card number exactly as received: usually encrypted to the
	// merchant's signing certificate (see DecryptAccNo), otherwise already
	// masked by UnionPay. If a merchant's permissions ever make it a full
	// card number, it must not be logged: use MaskPAN.
	AccNo string

	// Raw holds every field of the message as verified (empty fields
	// dropped), including fields this type does not model. It must not be
	// modified.
	Raw sign.Fields

	// Signed tells how the message was signed (method, version, the
	// certificate that verified it).
	Signed *cert.Signed
}

// Names of the fields a Notification is decoded from.
const (
	fieldOrderID      = "orderId"
	fieldTxnTime      = "txnTime"
	fieldTxnAmt       = "txnAmt"
	fieldCurrencyCode = "currencyCode"
	fieldAccNo        = "accNo"
	fieldTxnType      = "txnType"
	fieldResp         = "respCode"
)

// txnTimeLayout is UnionPay's txnTime format.
const txnTimeLayout = "20060102150405"

// FieldError reports a verified message whose field cannot be decoded, or
// that lacks a field every notification has. It matches sign.ErrMalformed
// with errors.Is.
type FieldError struct {
	Field string // wire name of the field
	Msg   string // what is wrong
}

// Error implements error.
func (e *FieldError) Error() string {
	return fmt.Sprintf("notify: field %s: %s", e.Field, e.Msg)
}

// Unwrap returns sign.ErrMalformed.
func (e *FieldError) Unwrap() error { return sign.ErrMalformed }

// decode builds a Notification from verified fields. It does not copy f.
func decode(f sign.Fields, signed *cert.Signed) (*Notification, error) {
	for _, k := range [...]string{fieldOrderID, fieldTxnTime, fieldTxnType, fieldResp} {
		if f[k] == "" {
			return nil, &FieldError{Field: k, Msg: "missing"}
		}
	}
	t, err := time.ParseInLocation(txnTimeLayout, f[fieldTxnTime], tz.Beijing())
	if err != nil || len(f[fieldTxnTime]) != len(txnTimeLayout) { // no fraction after the seconds
		return nil, &FieldError{Field: fieldTxnTime, Msg: "not yyyyMMddHHmmss"}
	}
	amt, err := parseFen(f, fieldTxnAmt)
	if err != nil {
		return nil, err
	}
	settle, err := parseFen(f, "settleAmt")
	if err != nil {
		return nil, err
	}
	return &Notification{
		Version:        f[sign.FieldVersion],
		MerchantID:     f["merId"],
		OrderID:        f[fieldOrderID],
		TxnTime:        t,
		TxnType:        f[fieldTxnType],
		TxnSubType:     f["txnSubType"],
		BizType:        f["bizType"],
		AccessType:     f["accessType"],
		AcqInsCode:     f["acqInsCode"],
		SubMerID:       f["subMerId"],
		QueryID:        f["queryId"],
		OrigQueryID:    f["origQryId"],
		TxnAmt:         amt,
		CurrencyCode:   f["currencyCode"],
		SettleAmt:      settle,
		SettleCurrency: f["settleCurrencyCode"],
		ExchangeRate:   f["exchangeRate"],
		SettleDate:     f["settleDate"],
		TraceNo:        f["traceNo"],
		TraceTime:      f["traceTime"],
		PayCardType:    f["payCardType"],
		PayType:        f["payType"],
		RespCode:       f[fieldResp],
		RespMsg:        f["respMsg"],
		OrigRespCode:   f["origRespCode"],
		OrigRespMsg:    f["origRespMsg"],
		ReqReserved:    f["reqReserved"],
		AccNo:          f[fieldAccNo],
		Raw:            f,
		Signed:         signed,
	}, nil
}

// parseFen reads an amount in fen: an unsigned decimal integer. An absent
// field is 0.
func parseFen(f sign.Fields, key string) (int64, error) {
	s, ok := f[key]
	if !ok {
		return 0, nil
	}
	if s == "" {
		return 0, &FieldError{Field: key, Msg: "empty, not an amount in fen"}
	}
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return 0, &FieldError{Field: key, Msg: "not an amount in fen"}
		}
	}
	n, err := strconv.ParseInt(s, 10, 64)
	if err != nil {
		return 0, &FieldError{Field: key, Msg: "amount out of range"}
	}
	return n, nil
}

// Key returns the identity of the transaction the notification is about:
// orderId and txnTime as sent, which is how UnionPay (with merId) and the
// merchant's own records identify an order. UnionPay sends the same
// notification up to five times, and a query can report the same result:
// key the merchant's store on this value so the result is applied once.
// Key says nothing of the merchant: every merchant's notifications are
// signed by the same UnionPay certificate, and another merchant can pay an
// order with the same orderId and txnTime from its own merId and post
// UnionPay's genuine notification to this backUrl. Check it against what was
// stored ([Notification.Check]: merId, txnType, txnAmt, currencyCode,
// origQryId) before applying one; a merchant serving several merIds on one
// backUrl (an acquirer) keys on MerchantID too. A platform's
// sub-merchants share its merId, and UnionPay refuses an orderId and txnTime
// used before under it (12): give orderIds unique across the sub-merchants,
// and check SubMerID.
//
// The key is orderId, "@", and txnTime as sent (yyyyMMddHHmmss, Beijing
// time), e.g. "ORDER20240105001@20240105103000": [KeyOf] makes the same key
// from the merchant's own record of the order.
func (n *Notification) Key() string {
	return n.OrderID + "@" + n.Raw[fieldTxnTime]
}

// KeyOf returns the key [Notification.Key] gives the notifications of the
// transaction sent with orderID and txnTime (in any zone: it is written in
// Beijing time, to the second, as the request sent it), so that a merchant
// can key its records the same way when it sends the request.
func KeyOf(orderID string, txnTime time.Time) string {
	return orderID + "@" + txnTime.In(tz.Beijing()).Format(txnTimeLayout)
}

// String returns a one-line summary without the card number. Its receiver is a value, so that a
// Notification prints so too (fmt.Print(*n)).
func (n Notification) String() string {
	merchant := n.MerchantID
	if n.SubMerID != "" {
		merchant += "/" + n.SubMerID
	}
	return fmt.Sprintf("notify: merId %s txnType %s order %s at %s: respCode %s (%s), %s, queryId %s",
		merchant, n.TxnType, n.OrderID, n.Raw[fieldTxnTime], n.RespCode, n.Status(), amountText(n.TxnAmt, n.CurrencyCode), n.QueryID)
}

// amountText is amt as a person reads it: "N fen" in CNY (currencyCode 156, or absent), else the
// amount in the minor unit of the currency, naming it ("1000 in currency 392": ¥1000 JPY).
func amountText(amt int64, currency string) string {
	if currency == "" || currency == "156" {
		return fmt.Sprintf("%d fen", amt)
	}
	return fmt.Sprintf("%d in currency %s", amt, currency)
}

// GoString is String, so that %#v prints no card number either.
func (n Notification) GoString() string { return n.String() }

// MarshalJSON encodes n with AccNo masked (MaskPAN when it is a card number in clear; a ciphertext
// as "(encrypted)"), any run of 12 digits or more in RespMsg and OrigRespMsg masked as a card number
// (UnionPay's text, which may quote one), and without Raw, which holds it too: a Notification
// stored or logged as JSON shows no card number.
func (n Notification) MarshalJSON() ([]byte, error) {
	type fields Notification // the same fields, without this method
	f := fields(n)
	f.Raw = nil
	f.AccNo = pan.MaskAccNo(n.AccNo)
	f.RespMsg, f.OrigRespMsg = pan.MaskRuns(n.RespMsg), pan.MaskRuns(n.OrigRespMsg) // UnionPay's text may quote one
	return json.Marshal(f)
}

// LogValue implements slog.LogValuer: the notification's identity and
// outcome, without the card number or any other sensitive field.
func (n Notification) LogValue() slog.Value {
	attrs := []slog.Attr{
		slog.String("merId", n.MerchantID),
		slog.String(fieldOrderID, n.OrderID),
		slog.String(fieldTxnTime, n.Raw[fieldTxnTime]),
		slog.String(fieldTxnType, n.TxnType),
		slog.String("queryId", n.QueryID),
		slog.Int64(fieldTxnAmt, n.TxnAmt),
		slog.String(fieldResp, n.RespCode),
		slog.String("status", n.Status().String()),
	}
	if n.CurrencyCode != "" && n.CurrencyCode != "156" { // txnAmt is not in fen
		attrs = append(attrs, slog.String("currencyCode", n.CurrencyCode))
	}
	if n.SubMerID != "" {
		attrs = append(attrs, slog.String("subMerId", n.SubMerID))
	}
	return slog.GroupValue(attrs...)
}

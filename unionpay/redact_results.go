package unionpay

import (
	"encoding/json"
	"fmt"
	"log/slog"
	"time"

	"github.com/goacp/unionpay/internal/pan"
	"github.com/goacp/unionpay/sign"
)

// The answers the Client returns keep every field of the verified answer in Raw, and a Transaction
// its accNo "as received": encrypted to the merchant's key with the encryption permission,
// otherwise as UnionPay sent it. A batch result file may list the batch's card numbers. As for
// notify.Notification, their String, GoString, LogValue and MarshalJSON methods never show card
// data: accNo masked (621626******0018 when in clear, "(encrypted)" when not), customerInfo and
// the other card data as "***", the values inside reserved and riskRateInfo as "***" (Raw as
// sign.Fields.Masked masks it), any run of 12 digits or more in RespMsg and OrigRespMsg (UnionPay's
// free text, which may quote a card number) masked as a card number, fileContent and decoded files
// by their size, and so the
// signature and UnionPay's certificates (signPubKeyCert, encryptPubKeyCert), which are not secret
// but would make every logged answer ~2 KB. The fields themselves
// are untouched: read them programmatically. That JSON is a log form, not a storage form: it
// decodes (the answers have no UnmarshalJSON, which a struct of yours embedding one would take
// over too), but into the masks. The methods are defined on every type embedding Result too, as
// promoted ones would show the embedded Result alone; for the same reason a struct of yours that
// embeds an answer gets them too, and marshals as the answer alone: hold the answer in a named
// field instead. LogValue is on the pointer, as the requests' is (null for a nil pointer, such as
// the result of a call that failed); a value logged shows as MarshalJSON or String do.

// resultFields is Result's exported fields, without its methods.
type resultFields struct {
	OrderID  string
	TxnTime  time.Time
	QueryID  string
	RespCode string
	RespMsg  string
	Raw      sign.Fields
}

func (r Result) masked() resultFields {
	return resultFields{OrderID: r.OrderID, TxnTime: r.TxnTime, QueryID: r.QueryID, RespCode: r.RespCode,
		RespMsg: pan.MaskRuns(r.RespMsg), Raw: r.Raw.Masked()}
}

// String shows the result with the card data of Raw masked.
func (r Result) String() string { return fmt.Sprintf("%+v", r.masked()) }

// GoString is String.
func (r Result) GoString() string { return "unionpay.Result" + r.String() }

// MarshalJSON encodes the result with the card data of Raw masked.
func (r Result) MarshalJSON() ([]byte, error) { return json.Marshal(r.masked()) }

// LogValue implements slog.LogValuer: the result with the card data of Raw masked.
func (r *Result) LogValue() slog.Value {
	if r == nil {
		return slog.AnyValue(nil)
	}
	return slog.AnyValue(r.masked())
}

// String shows the result with the card data of Raw masked, and PayTimeout empty when none was
// sent.
func (r AppResult) String() string { return r.masked().String() }

// GoString is String.
func (r AppResult) GoString() string { return "unionpay.AppResult" + r.String() }

// appResultFields is what an AppResult shows: its JSON leaves PayTimeout out when none was sent
// (zero), and its String shows it empty, as formatTime does, never as 0001-01-01.
type appResultFields struct {
	resultFields
	TN         string
	PayTimeout time.Time `json:",omitzero"`
	Amount     int64
	Currency   string
	TxnType    string
}

// String is AppResult's String, for slog's text handler, which shows a logged *AppResult with it.
func (f appResultFields) String() string {
	return fmt.Sprintf("{Result:%+v TN:%s PayTimeout:%s Amount:%d Currency:%s TxnType:%s}", f.resultFields, f.TN,
		formatTime(f.PayTimeout), f.Amount, f.Currency, f.TxnType)
}

func (r AppResult) masked() appResultFields {
	return appResultFields{r.Result.masked(), r.TN, r.PayTimeout, r.Amount, r.Currency, r.TxnType}
}

// MarshalJSON encodes the result with the card data of Raw masked.
func (r AppResult) MarshalJSON() ([]byte, error) { return json.Marshal(r.masked()) }

// LogValue implements slog.LogValuer: the result with the card data of Raw masked.
func (r *AppResult) LogValue() slog.Value {
	if r == nil {
		return slog.AnyValue(nil)
	}
	return slog.AnyValue(r.masked())
}

// String shows the result with the card data of Raw masked.
func (r BatchResult) String() string {
	return fmt.Sprintf("{Result:%v BatchNo:%s TotalQty:%d TotalAmount:%d}", r.Result, r.BatchNo, r.TotalQty, r.TotalAmount)
}

// GoString is String.
func (r BatchResult) GoString() string { return "unionpay.BatchResult" + r.String() }

func (r BatchResult) masked() any {
	return struct {
		resultFields
		BatchNo     string
		TotalQty    int
		TotalAmount int64
	}{r.Result.masked(), r.BatchNo, r.TotalQty, r.TotalAmount}
}

// MarshalJSON encodes the result with the card data of Raw masked.
func (r BatchResult) MarshalJSON() ([]byte, error) { return json.Marshal(r.masked()) }

// LogValue implements slog.LogValuer: the result with the card data of Raw masked.
func (r *BatchResult) LogValue() slog.Value {
	if r == nil {
		return slog.AnyValue(nil)
	}
	return slog.AnyValue(r.masked())
}

// String shows the status with the card data of Raw masked and the result file, which may list
// the batch's card numbers, by its size.
func (s BatchStatus) String() string {
	return fmt.Sprintf("{Result:%v FileName:%s File:%s}", s.Result, s.FileName, fileSize(s.File))
}

// GoString is String.
func (s BatchStatus) GoString() string { return "unionpay.BatchStatus" + s.String() }

func (s BatchStatus) masked() any {
	return struct {
		resultFields
		FileName string
		File     string
	}{s.Result.masked(), s.FileName, fileSize(s.File)}
}

// MarshalJSON encodes the status with the card data of Raw masked and File as its size.
func (s BatchStatus) MarshalJSON() ([]byte, error) { return json.Marshal(s.masked()) }

// LogValue implements slog.LogValuer: the status with the card data of Raw masked and File as
// its size.
func (s *BatchStatus) LogValue() slog.Value {
	if s == nil {
		return slog.AnyValue(nil)
	}
	return slog.AnyValue(s.masked())
}

// transactionFields is Transaction without its methods.
type transactionFields Transaction

func (t Transaction) masked() transactionFields {
	t.AccNo, t.Raw = pan.MaskAccNo(t.AccNo), t.Raw.Masked()
	t.RespMsg, t.OrigRespMsg = pan.MaskRuns(t.RespMsg), pan.MaskRuns(t.OrigRespMsg)
	return transactionFields(t) // Other, a *Transaction, masks itself
}

// describesNone reports whether t is the answer that there is no transaction to describe: a
// NotFound, or a Pending whose query itself was answered 03, 04, 05 or 83, with no TxnTime or
// Amount of its own (one built with them shows them as any Transaction does).
func (t *Transaction) describesNone() bool {
	return (t.State == NotFound || t.State == Pending && pendingCode(t.RespCode)) && t.TxnTime.IsZero() &&
		t.Amount == 0 && t.SettleAmount == 0
}

// noTransaction is how a Transaction that describes none (describesNone) prints, marshals and
// logs: the query's fields, without TxnTime, Amount and SettleAmount, whose zero values (0001-01-01,
// 0) would read as a transaction's. QueriedTxnTime is the txnTime the query sent, as its answer
// echoed it (Raw's txnTime); left out for a NotFound with an Other, whose TxnTime is its own.
type noTransaction struct {
	State          State
	OrderID        string
	QueriedTxnTime string `json:",omitempty"`
	QueryID        string
	RespCode       string
	RespMsg        string
	Raw            sign.Fields
	Other          *Transaction
}

// noneOf is the noTransaction of t, masked as t.masked masks it.
func noneOf(t Transaction) noTransaction {
	n := noTransaction{State: t.State, OrderID: t.OrderID, QueryID: t.QueryID, RespCode: t.RespCode,
		RespMsg: pan.MaskRuns(t.RespMsg), Raw: t.Raw.Masked(), Other: t.Other}
	if t.Other == nil {
		n.QueriedTxnTime = t.Raw["txnTime"]
	}
	return n
}

// String writes no TxnTime or Amount: "{State:not found OrderID:... QueriedTxnTime:... ...}" (as
// slog's text handler shows it; JSON, slog's JSON handler included, encodes the fields).
func (n noTransaction) String() string {
	return fmt.Sprintf("{State:%s OrderID:%s QueriedTxnTime:%s QueryID:%s RespCode:%s RespMsg:%s Raw:%v Other:%v}",
		n.State, n.OrderID, n.QueriedTxnTime, n.QueryID, n.RespCode, n.RespMsg, n.Raw, n.Other)
}

// logForm is what String, MarshalJSON and LogValue show of t: t masked, or, when t describes no
// transaction, its noTransaction.
func (t Transaction) logForm() any {
	if t.describesNone() {
		return noneOf(t)
	}
	return t.masked()
}

// String shows the transaction with accNo and the card data of Raw masked. A NotFound, or a
// Pending whose query itself was answered 03, 04, 05 or 83, shows the query's fields, not a zero
// TxnTime and Amount: {State:not found OrderID:... QueriedTxnTime:... QueryID:... RespCode:34
// RespMsg:... Raw:... Other:...}, QueriedTxnTime being the txnTime the query sent, as its answer
// echoed it.
func (t Transaction) String() string { return fmt.Sprintf("%+v", t.logForm()) }

// GoString is String.
func (t Transaction) GoString() string { return "unionpay.Transaction" + t.String() }

// MarshalJSON encodes the transaction with accNo and the card data of Raw masked; one that
// describes no transaction as String shows it, without TxnTime, Amount and SettleAmount.
func (t Transaction) MarshalJSON() ([]byte, error) { return json.Marshal(t.logForm()) }

// LogValue implements slog.LogValuer: the transaction with accNo and the card data of Raw
// masked; one that describes no transaction as String shows it.
func (t *Transaction) LogValue() slog.Value {
	if t == nil {
		return slog.AnyValue(nil)
	}
	return slog.AnyValue(t.logForm())
}

func (f File) masked() any {
	type fields File
	return struct {
		fields
		Content string // shadows fields.Content
	}{fields{Name: f.Name, Raw: f.Raw.Masked()}, fileSize(f.Content)}
}

// String shows the file by its name and size, and the answer with fileContent by its size.
func (f File) String() string {
	return fmt.Sprintf("{Name:%s Content:%s Raw:%v}", f.Name, fileSize(f.Content), f.Raw.Masked())
}

// GoString is String.
func (f File) GoString() string { return "unionpay.File" + f.String() }

// MarshalJSON encodes the file with Content and fileContent by their size.
func (f File) MarshalJSON() ([]byte, error) { return json.Marshal(f.masked()) }

// LogValue implements slog.LogValuer: the file with Content and fileContent by their size.
func (f *File) LogValue() slog.Value {
	if f == nil {
		return slog.AnyValue(nil)
	}
	return slog.AnyValue(f.masked())
}

package unionpay

import (
	"encoding/json"
	"fmt"
	"log/slog"
	"strings"
	"unicode/utf8"

	"github.com/goacp/unionpay/internal/mask"
	"github.com/goacp/unionpay/internal/pan"
	"github.com/goacp/unionpay/sign"
)

// Requests carry card numbers, PINs and other secrets. Their String and GoString methods mask
// them, so that logging a request (%v, %+v, %#v) never prints them: the card number as 6+4
// (621626******0018), the rest as "***". Reserved and RiskRateInfo, which carry the shopper's
// personal data (riskRateInfo: IP address, device ids, shipping address and mobile, user ids,
// e-mail; reserved: a payee's account name), show their keys with every value as "***" (an empty
// value stays empty). Their String (fmt's %v, %+v, %#v), MarshalJSON (json.Marshal) and
// LogValue (log/slog with any handler) methods show every field, with the same masking;
// ReqReserved (the merchant's own pass-through value, which notifications and queries echo) shows
// as it is, and Extra (fields the SDK does not model) as [sign.Fields.Masked] masks a message
// (Extra["accNo"] as 6+4, Extra["customerInfo"] as "***", Extra["riskRateInfo"] as {k=***&...},
// and the rest it masks); a batch request's File, which holds full card numbers, is shown by its
// size only.
// LogValue is on the pointer and gives a group (null for a nil pointer); a request logged by value
// shows as MarshalJSON or String do. That JSON is a log form, not a storage form: UnmarshalJSON
// refuses it (see ErrMaskedJSON, masked.go). (A [Form] is not masked in JSON: it may be handed to a
// front-end to post. Its String and LogValue mask; log a *Form, not a Form.) fmt never calls the
// String method of a value in an unexported field: a struct of yours holding a request, an answer
// or a Notification in an unexported field prints it field by field with %v, and so does slog's
// text handler; hold them there by pointer, or log them on their own.

// maskedSecret is what secret shows of a value.
const maskedSecret = "***"

// secret hides a value entirely, telling only whether there was one.
func secret(s string) string {
	if s == "" {
		return ""
	}
	return maskedSecret
}

// maskedPairs returns a copy of the pairs of a braced field (Reserved, RiskRateInfo) with every
// value hidden as secret hides it, keeping the keys (nil for nil): the values carry the shopper's
// personal data. A key that is not a field name is shown as [sign.Fields.Masked] shows one
// (mask.Keys: "accNo...", numbered when two are cut alike), for it may hold a value.
func maskedPairs(f sign.Fields) sign.Fields {
	if f == nil {
		return nil
	}
	out := make(sign.Fields, len(f))
	var shown map[string]string // built only for a key that is not a field name
	for k, v := range f {
		if !mask.IsName(k) {
			if shown == nil {
				shown = mask.Keys(f)
			}
			k = shown[k]
		}
		out[k] = secret(v)
	}
	return out
}

// maskName keeps the first character of a name (the surname of a Chinese one) and hides the
// others, a '*' each: 张三丰 shows as 张**. A name of one character is hidden entirely.
func maskName(name string) string {
	switch n := utf8.RuneCountInString(name); n {
	case 0:
		return ""
	case 1:
		return "*"
	default:
		_, size := utf8.DecodeRuneInString(name)
		return name[:size] + strings.Repeat("*", n-1)
	}
}

// String masks everything but the ID type and the first character of the name.
func (cu Customer) String() string {
	return fmt.Sprintf("{IDType:%s IDNumber:%s Name:%s Phone:%s SMSCode:%s PIN:%s CVN2:%s Expiry:%s}",
		cu.IDType, secret(cu.IDNumber), maskName(cu.Name), secret(cu.Phone), secret(cu.SMSCode), secret(cu.PIN),
		secret(cu.CVN2), secret(cu.Expiry))
}

// GoString is String.
func (cu Customer) GoString() string { return "unionpay.Customer" + cu.String() }

// String masks the card number, the card's token (as "***"), the customer, and the values of
// Reserved and RiskRateInfo, and Extra as [sign.Fields.Masked] masks it, as MarshalJSON and
// LogValue do; the token requestor and ReqReserved show as they are.
func (r CardRequest) String() string {
	return fmt.Sprintf("{OrderID:%s Amount:%d Currency:%s TxnTime:%s BackURL:%s AccNo:%s Token:%s TokenRequestorID:%s Customer:%v TxnSubType:%s AccType:%s ReqReserved:%s Reserved:%v RiskRateInfo:%v Extra:%v}",
		r.OrderID, r.Amount, r.Currency, formatTime(r.TxnTime), r.BackURL, pan.Mask(r.AccNo), secret(r.Token),
		r.TokenRequestorID, r.Customer, r.TxnSubType, r.AccType, r.ReqReserved, maskedPairs(r.Reserved),
		maskedPairs(r.RiskRateInfo), r.Extra.Masked())
}

// GoString is String.
func (r CardRequest) GoString() string { return "unionpay.CardRequest" + r.String() }

// String masks the card number, the card's token (as "***"), the customer, and the values of
// Reserved and RiskRateInfo, and Extra as [sign.Fields.Masked] masks it, as MarshalJSON and
// LogValue do; the token requestor (TokenRequestorID, TokenType) shows as it is, as
// FrontOpenRequest's does, and so does ReqReserved.
func (r AccountRequest) String() string {
	return fmt.Sprintf("{OrderID:%s TxnTime:%s AccNo:%s Customer:%v Amount:%d Currency:%s BizType:%s TxnSubType:%s BackURL:%s AccType:%s TokenRequestorID:%s TokenType:%s Token:%s ReqReserved:%s Reserved:%v RiskRateInfo:%v Extra:%v}",
		r.OrderID, formatTime(r.TxnTime), pan.Mask(r.AccNo), r.Customer, r.Amount, r.Currency, r.BizType, r.TxnSubType,
		r.BackURL, r.AccType, r.TokenRequestorID, r.TokenType, secret(r.Token), r.ReqReserved, maskedPairs(r.Reserved),
		maskedPairs(r.RiskRateInfo), r.Extra.Masked())
}

// GoString is String.
func (r AccountRequest) GoString() string { return "unionpay.AccountRequest" + r.String() }

// String masks the card number, the name (but its first character), the ID number and the phone,
// as MarshalJSON and LogValue do; the other fields show as they are.
func (r BatchRecord) String() string {
	return fmt.Sprintf("{OrderID:%s Currency:%s Amount:%d AccType:%s AccNo:%s CustomerName:%s BizType:%s IDType:%s IDNumber:%s Phone:%s Postscript:%s}",
		r.OrderID, r.Currency, r.Amount, r.AccType, pan.Mask(r.AccNo), maskName(r.CustomerName), r.BizType, r.IDType,
		secret(r.IDNumber), secret(r.Phone), r.Postscript)
}

// GoString is String.
func (r BatchRecord) GoString() string { return "unionpay.BatchRecord" + r.String() }

// String masks the records, shows the file by its size only (a batch file holds full card
// numbers), and Extra as [sign.Fields.Masked] masks it, as MarshalJSON and LogValue do.
func (r BatchRequest) String() string {
	return fmt.Sprintf("{Type:%s BatchNo:%s TxnTime:%s Records:%v File:(%d bytes) TotalQty:%d TotalAmount:%d Extra:%v}",
		r.Type, r.BatchNo, formatTime(r.TxnTime), r.Records, len(r.File), r.TotalQty, r.TotalAmount, r.Extra.Masked())
}

// GoString is String.
func (r BatchRequest) GoString() string { return "unionpay.BatchRequest" + r.String() }

// String masks the card number and the values of Reserved and RiskRateInfo, and Extra as
// [sign.Fields.Masked] masks it, as MarshalJSON and LogValue do; the other fields show as they
// are.
func (r ConsumeRequest) String() string {
	return fmt.Sprintf("{OrderID:%s Amount:%d Currency:%s TxnTime:%s Channel:%s Installments:%t InstallmentCount:%d FrontURL:%s BackURL:%s PayTimeout:%s OrderDesc:%s AccNo:%s ReqReserved:%s Reserved:%v RiskRateInfo:%v IssInsCode:%s Extra:%v}",
		r.OrderID, r.Amount, r.Currency, formatTime(r.TxnTime), r.Channel, r.Installments, r.InstallmentCount, r.FrontURL,
		r.BackURL, formatTime(r.PayTimeout), r.OrderDesc, pan.Mask(r.AccNo), r.ReqReserved, maskedPairs(r.Reserved),
		maskedPairs(r.RiskRateInfo), r.IssInsCode, r.Extra.Masked())
}

// GoString is String.
func (r ConsumeRequest) GoString() string { return "unionpay.ConsumeRequest" + r.String() }

// String masks the card number, the customer, and the values of Reserved and RiskRateInfo, and
// Extra as [sign.Fields.Masked] masks it, as MarshalJSON and LogValue do; the other fields show
// as they are.
func (r FrontOpenRequest) String() string {
	return fmt.Sprintf("{OrderID:%s TxnTime:%s BizType:%s TxnSubType:%s Channel:%s FrontURL:%s BackURL:%s PayTimeout:%s AccNo:%s Customer:%v TokenRequestorID:%s TokenType:%s ReqReserved:%s Reserved:%v RiskRateInfo:%v Extra:%v}",
		r.OrderID, formatTime(r.TxnTime), r.BizType, r.TxnSubType, r.Channel, r.FrontURL, r.BackURL,
		formatTime(r.PayTimeout), pan.Mask(r.AccNo), r.Customer, r.TokenRequestorID, r.TokenType, r.ReqReserved,
		maskedPairs(r.Reserved), maskedPairs(r.RiskRateInfo), r.Extra.Masked())
}

// GoString is String.
func (r FrontOpenRequest) GoString() string { return "unionpay.FrontOpenRequest" + r.String() }

// String masks the values of Reserved and RiskRateInfo, and Extra as [sign.Fields.Masked] masks
// it; ReqReserved shows as it is.
func (r FollowUpRequest) String() string {
	return fmt.Sprintf("{OrderID:%s OrigQueryID:%s Amount:%d TxnTime:%s BackURL:%s Channel:%s BizType:%s ReqReserved:%s Reserved:%v RiskRateInfo:%v Extra:%v}",
		r.OrderID, r.OrigQueryID, r.Amount, formatTime(r.TxnTime), r.BackURL, r.Channel, r.BizType, r.ReqReserved,
		maskedPairs(r.Reserved), maskedPairs(r.RiskRateInfo), r.Extra.Masked())
}

// GoString is String.
func (r FollowUpRequest) GoString() string { return "unionpay.FollowUpRequest" + r.String() }

// String describes the form without the card data it may carry (an accNo in clear with
// Config.PlainCardData) and without the shopper's personal data: its Fields as
// [sign.Fields.Masked] masks a message (accNo masked, customerInfo hidden, reserved and
// riskRateInfo with their keys and every value as "***").
func (f Form) String() string {
	return fmt.Sprintf("{Action:%s OrderID:%s TxnTime:%s PayTimeout:%s Encoding:%s Fields:%v}",
		f.Action, f.OrderID, formatTime(f.TxnTime), formatTime(f.PayTimeout), f.Encoding, f.maskedFields())
}

// GoString is String.
func (f Form) GoString() string { return "unionpay.Form" + f.String() }

// LogValue implements slog.LogValuer: the form with its card and personal data masked as String
// masks them, and without PayTimeout when none was sent (zero), as its JSON.
func (f *Form) LogValue() slog.Value {
	if f == nil {
		return slog.AnyValue(nil)
	}
	attrs := []slog.Attr{slog.String("Action", f.Action), slog.String("OrderID", f.OrderID), slog.Time("TxnTime", f.TxnTime)}
	if !f.PayTimeout.IsZero() {
		attrs = append(attrs, slog.Time("PayTimeout", f.PayTimeout))
	}
	return slog.GroupValue(append(attrs, slog.String("Encoding", f.Encoding), slog.Any("Fields", f.maskedFields()))...)
}

// maskedFields returns a copy of the form's fields masked by [sign.Fields.Masked] (accNo as 6+4,
// customerInfo hidden, the values inside reserved and riskRateInfo hidden, and the rest it
// masks), as a plain map: fmt and slog would otherwise mask it again through Fields' own String
// and LogValue.
func (f *Form) maskedFields() map[string]string { return map[string]string(f.Fields.Masked()) }

// masked returns cu with its secrets replaced as String shows them.
func (cu Customer) masked() Customer {
	return Customer{IDType: cu.IDType, IDNumber: secret(cu.IDNumber), Name: maskName(cu.Name), Phone: secret(cu.Phone),
		SMSCode: secret(cu.SMSCode), PIN: secret(cu.PIN), CVN2: secret(cu.CVN2), Expiry: secret(cu.Expiry)}
}

// MarshalJSON encodes the customer masked as String masks it.
func (cu Customer) MarshalJSON() ([]byte, error) {
	type fields Customer // the same fields, without this method
	return json.Marshal(fields(cu.masked()))
}

// LogValue implements slog.LogValuer: the customer masked as String masks it.
func (cu *Customer) LogValue() slog.Value {
	if cu == nil {
		return slog.AnyValue(nil)
	}
	m := cu.masked()
	return slog.GroupValue(slog.String("IDType", m.IDType), slog.String("IDNumber", m.IDNumber),
		slog.String("Name", m.Name), slog.String("Phone", m.Phone), slog.String("SMSCode", m.SMSCode),
		slog.String("PIN", m.PIN), slog.String("CVN2", m.CVN2), slog.String("Expiry", m.Expiry))
}

// maskedCustomer returns a masked copy of cu (nil for nil).
func maskedCustomer(cu *Customer) *Customer {
	if cu == nil {
		return nil
	}
	m := cu.masked()
	return &m
}

// customerAttr is the Customer attribute of a request's LogValue.
func customerAttr(cu *Customer) slog.Attr { return slog.Any("Customer", maskedCustomer(cu)) }

// MarshalJSON encodes the request with the card number, the token, the customer, Reserved and
// RiskRateInfo masked as String masks them, and Extra as [sign.Fields.Masked] masks it.
func (r CardRequest) MarshalJSON() ([]byte, error) {
	type fields CardRequest
	r.AccNo, r.Token, r.Customer = pan.Mask(r.AccNo), secret(r.Token), maskedCustomer(r.Customer)
	r.Reserved, r.RiskRateInfo = maskedPairs(r.Reserved), maskedPairs(r.RiskRateInfo)
	r.Extra = r.Extra.Masked()
	return json.Marshal(fields(r))
}

// LogValue implements slog.LogValuer: the request with the card number, the token, the customer,
// Reserved and RiskRateInfo masked as String masks them, and Extra as MarshalJSON masks it.
func (r *CardRequest) LogValue() slog.Value {
	if r == nil {
		return slog.AnyValue(nil)
	}
	return slog.GroupValue(slog.String("OrderID", r.OrderID), slog.Int64("Amount", r.Amount),
		slog.String("Currency", r.Currency), slog.Time("TxnTime", r.TxnTime), slog.String("BackURL", r.BackURL),
		slog.String("AccNo", pan.Mask(r.AccNo)), slog.String("Token", secret(r.Token)),
		slog.String("TokenRequestorID", r.TokenRequestorID), customerAttr(r.Customer), slog.String("TxnSubType", r.TxnSubType),
		slog.String("AccType", r.AccType), slog.String("ReqReserved", r.ReqReserved), slog.Any("Reserved", maskedPairs(r.Reserved)),
		slog.Any("RiskRateInfo", maskedPairs(r.RiskRateInfo)), slog.Any("Extra", r.Extra.Masked()))
}

// MarshalJSON encodes the request with the card number, the token, the customer, Reserved and
// RiskRateInfo masked as String masks them, and Extra as [sign.Fields.Masked] masks it.
func (r AccountRequest) MarshalJSON() ([]byte, error) {
	type fields AccountRequest
	r.AccNo, r.Token, r.Customer = pan.Mask(r.AccNo), secret(r.Token), maskedCustomer(r.Customer)
	r.Reserved, r.RiskRateInfo = maskedPairs(r.Reserved), maskedPairs(r.RiskRateInfo)
	r.Extra = r.Extra.Masked()
	return json.Marshal(fields(r))
}

// LogValue implements slog.LogValuer: the request with the card number, the token, the customer,
// Reserved and RiskRateInfo masked as String masks them, and Extra as MarshalJSON masks it.
func (r *AccountRequest) LogValue() slog.Value {
	if r == nil {
		return slog.AnyValue(nil)
	}
	return slog.GroupValue(slog.String("OrderID", r.OrderID), slog.Time("TxnTime", r.TxnTime),
		slog.String("AccNo", pan.Mask(r.AccNo)), customerAttr(r.Customer), slog.Int64("Amount", r.Amount),
		slog.String("Currency", r.Currency), slog.String("BizType", r.BizType),
		slog.String("TxnSubType", r.TxnSubType), slog.String("BackURL", r.BackURL), slog.String("AccType", r.AccType),
		slog.String("ReqReserved", r.ReqReserved), slog.Any("Reserved", maskedPairs(r.Reserved)),
		slog.Any("RiskRateInfo", maskedPairs(r.RiskRateInfo)), slog.String("TokenRequestorID", r.TokenRequestorID),
		slog.String("TokenType", r.TokenType), slog.String("Token", secret(r.Token)), slog.Any("Extra", r.Extra.Masked()))
}

// MarshalJSON encodes the request with the card number, Reserved and RiskRateInfo masked as
// String masks them, and Extra as [sign.Fields.Masked] masks it.
func (r ConsumeRequest) MarshalJSON() ([]byte, error) {
	type fields ConsumeRequest
	r.AccNo = pan.Mask(r.AccNo)
	r.Reserved, r.RiskRateInfo = maskedPairs(r.Reserved), maskedPairs(r.RiskRateInfo)
	r.Extra = r.Extra.Masked()
	return json.Marshal(fields(r))
}

// LogValue implements slog.LogValuer: the request with the card number, Reserved and
// RiskRateInfo masked as String masks them, and Extra as MarshalJSON masks it.
func (r *ConsumeRequest) LogValue() slog.Value {
	if r == nil {
		return slog.AnyValue(nil)
	}
	return slog.GroupValue(slog.String("OrderID", r.OrderID), slog.Int64("Amount", r.Amount),
		slog.String("Currency", r.Currency), slog.Time("TxnTime", r.TxnTime), slog.String("Channel", string(r.Channel)),
		slog.Bool("Installments", r.Installments), slog.Int("InstallmentCount", r.InstallmentCount), slog.String("FrontURL", r.FrontURL), slog.String("BackURL", r.BackURL),
		slog.Time("PayTimeout", r.PayTimeout), slog.String("OrderDesc", r.OrderDesc),
		slog.String("ReqReserved", r.ReqReserved), slog.Any("Reserved", maskedPairs(r.Reserved)),
		slog.Any("RiskRateInfo", maskedPairs(r.RiskRateInfo)), slog.String("IssInsCode", r.IssInsCode),
		slog.String("AccNo", pan.Mask(r.AccNo)), slog.Any("Extra", r.Extra.Masked()))
}

// MarshalJSON encodes the request with the card number, the customer, Reserved and RiskRateInfo
// masked as String masks them, and Extra as [sign.Fields.Masked] masks it.
func (r FrontOpenRequest) MarshalJSON() ([]byte, error) {
	type fields FrontOpenRequest
	r.AccNo, r.Customer = pan.Mask(r.AccNo), maskedCustomer(r.Customer)
	r.Reserved, r.RiskRateInfo = maskedPairs(r.Reserved), maskedPairs(r.RiskRateInfo)
	r.Extra = r.Extra.Masked()
	return json.Marshal(fields(r))
}

// LogValue implements slog.LogValuer: the request with the card number, the customer, Reserved
// and RiskRateInfo masked as String masks them, and Extra as MarshalJSON masks it.
func (r *FrontOpenRequest) LogValue() slog.Value {
	if r == nil {
		return slog.AnyValue(nil)
	}
	return slog.GroupValue(slog.String("OrderID", r.OrderID), slog.Time("TxnTime", r.TxnTime),
		slog.String("BizType", r.BizType), slog.String("TxnSubType", r.TxnSubType),
		slog.String("Channel", string(r.Channel)), slog.String("FrontURL", r.FrontURL),
		slog.String("BackURL", r.BackURL), slog.Time("PayTimeout", r.PayTimeout),
		slog.String("AccNo", pan.Mask(r.AccNo)), customerAttr(r.Customer),
		slog.String("TokenRequestorID", r.TokenRequestorID), slog.String("TokenType", r.TokenType),
		slog.String("ReqReserved", r.ReqReserved), slog.Any("Reserved", maskedPairs(r.Reserved)),
		slog.Any("RiskRateInfo", maskedPairs(r.RiskRateInfo)), slog.Any("Extra", r.Extra.Masked()))
}

// MarshalJSON encodes the request with Reserved and RiskRateInfo masked as String masks them, and
// Extra as [sign.Fields.Masked] masks it.
func (r FollowUpRequest) MarshalJSON() ([]byte, error) {
	type fields FollowUpRequest
	r.Reserved, r.RiskRateInfo = maskedPairs(r.Reserved), maskedPairs(r.RiskRateInfo)
	r.Extra = r.Extra.Masked()
	return json.Marshal(fields(r))
}

// LogValue implements slog.LogValuer: the request with Reserved, RiskRateInfo and Extra masked as
// String masks them.
func (r *FollowUpRequest) LogValue() slog.Value {
	if r == nil {
		return slog.AnyValue(nil)
	}
	return slog.GroupValue(slog.String("OrderID", r.OrderID), slog.String("OrigQueryID", r.OrigQueryID),
		slog.Int64("Amount", r.Amount), slog.Time("TxnTime", r.TxnTime), slog.String("BackURL", r.BackURL),
		slog.String("Channel", string(r.Channel)), slog.String("BizType", r.BizType),
		slog.String("ReqReserved", r.ReqReserved), slog.Any("Reserved", maskedPairs(r.Reserved)),
		slog.Any("RiskRateInfo", maskedPairs(r.RiskRateInfo)), slog.Any("Extra", r.Extra.Masked()))
}

// masked returns r with its card number, ID number and phone masked as String masks them.
func (r BatchRecord) masked() BatchRecord {
	r.AccNo, r.IDNumber, r.Phone = pan.Mask(r.AccNo), secret(r.IDNumber), secret(r.Phone)
	r.CustomerName = maskName(r.CustomerName)
	return r
}

// MarshalJSON encodes the record with the card number, name, ID number and phone masked as
// String masks them.
func (r BatchRecord) MarshalJSON() ([]byte, error) {
	type fields BatchRecord
	return json.Marshal(fields(r.masked()))
}

// LogValue implements slog.LogValuer: the record with the card number, name, ID number and phone
// masked as String masks them.
func (r *BatchRecord) LogValue() slog.Value {
	if r == nil {
		return slog.AnyValue(nil)
	}
	m := r.masked()
	return slog.GroupValue(slog.String("OrderID", m.OrderID), slog.String("Currency", m.Currency),
		slog.Int64("Amount", m.Amount), slog.String("AccType", m.AccType), slog.String("AccNo", m.AccNo),
		slog.String("CustomerName", m.CustomerName), slog.String("BizType", m.BizType),
		slog.String("IDType", m.IDType), slog.String("IDNumber", m.IDNumber), slog.String("Phone", m.Phone),
		slog.String("Postscript", m.Postscript))
}

// maskedRecords returns masked copies of records (the caller's slice is not changed).
func maskedRecords(records []BatchRecord) []BatchRecord {
	if records == nil {
		return nil
	}
	out := make([]BatchRecord, len(records))
	for i, r := range records {
		out[i] = r.masked()
	}
	return out
}

// fileSize stands for a batch file, which holds full card numbers, in JSON and logs: "(N bytes)",
// as sign.Fields.Masked writes a fileContent.
func fileSize(file []byte) string { return mask.Size(len(file)) }

// MarshalJSON encodes the request with the records masked as String masks them, File, which
// holds full card numbers, as its size, e.g. "(1024 bytes)", and Extra as [sign.Fields.Masked]
// masks it.
func (r BatchRequest) MarshalJSON() ([]byte, error) {
	type fields BatchRequest
	r.Records, r.Extra = maskedRecords(r.Records), r.Extra.Masked()
	return json.Marshal(struct {
		fields
		File string // shadows fields.File
	}{fields(r), fileSize(r.File)})
}

// LogValue implements slog.LogValuer: the request with the records masked as String masks them,
// File as its size, and Extra as MarshalJSON masks it.
func (r *BatchRequest) LogValue() slog.Value {
	if r == nil {
		return slog.AnyValue(nil)
	}
	return slog.GroupValue(slog.String("Type", string(r.Type)), slog.String("BatchNo", r.BatchNo),
		slog.Time("TxnTime", r.TxnTime), slog.Any("Records", maskedRecords(r.Records)),
		slog.String("File", fileSize(r.File)), slog.Int("TotalQty", r.TotalQty),
		slog.Int64("TotalAmount", r.TotalAmount), slog.Any("Extra", r.Extra.Masked()))
}

// String shows the query with Extra masked as [sign.Fields.Masked] masks it.
func (r QueryRequest) String() string {
	return fmt.Sprintf("{OrderID:%s TxnTime:%s QueryID:%s BizType:%s TxnType:%s Amount:%d Currency:%s OrigQueryID:%s SubMerID:%s Extra:%v}",
		r.OrderID, formatTime(r.TxnTime), r.QueryID, r.BizType, r.TxnType, r.Amount, r.Currency, r.OrigQueryID, r.SubMerID,
		r.Extra.Masked())
}

// GoString is String.
func (r QueryRequest) GoString() string { return "unionpay.QueryRequest" + r.String() }

// MarshalJSON encodes the query with Extra masked as [sign.Fields.Masked] masks it, the other
// fields as they are.
func (r QueryRequest) MarshalJSON() ([]byte, error) {
	type fields QueryRequest
	r.Extra = r.Extra.Masked()
	return json.Marshal(fields(r))
}

// LogValue implements slog.LogValuer: the query with Extra masked as MarshalJSON masks it.
func (r *QueryRequest) LogValue() slog.Value {
	if r == nil {
		return slog.AnyValue(nil)
	}
	return slog.GroupValue(slog.String("OrderID", r.OrderID), slog.Time("TxnTime", r.TxnTime),
		slog.String("QueryID", r.QueryID), slog.String("BizType", r.BizType), slog.String("TxnType", r.TxnType),
		slog.Int64("Amount", r.Amount), slog.String("Currency", r.Currency), slog.String("OrigQueryID", r.OrigQueryID),
		slog.String("SubMerID", r.SubMerID), slog.Any("Extra", r.Extra.Masked()))
}

// String shows the batch query with Extra masked as [sign.Fields.Masked] masks it.
func (r BatchQueryRequest) String() string {
	return fmt.Sprintf("{Type:%s BatchNo:%s TxnTime:%s Extra:%v}", r.Type, r.BatchNo, formatTime(r.TxnTime), r.Extra.Masked())
}

// GoString is String.
func (r BatchQueryRequest) GoString() string { return "unionpay.BatchQueryRequest" + r.String() }

// MarshalJSON encodes the batch query with Extra masked as [sign.Fields.Masked] masks it, the
// other fields as they are.
func (r BatchQueryRequest) MarshalJSON() ([]byte, error) {
	type fields BatchQueryRequest
	r.Extra = r.Extra.Masked()
	return json.Marshal(fields(r))
}

// LogValue implements slog.LogValuer: the batch query with Extra masked as MarshalJSON masks it.
func (r *BatchQueryRequest) LogValue() slog.Value {
	if r == nil {
		return slog.AnyValue(nil)
	}
	return slog.GroupValue(slog.String("Type", string(r.Type)), slog.String("BatchNo", r.BatchNo),
		slog.Time("TxnTime", r.TxnTime), slog.Any("Extra", r.Extra.Masked()))
}

// String shows the file request with Extra masked as [sign.Fields.Masked] masks it.
func (r FileRequest) String() string {
	return fmt.Sprintf("{SettleDate:%s FileType:%s TxnTime:%s Extra:%v}", formatTime(r.SettleDate), r.FileType,
		formatTime(r.TxnTime), r.Extra.Masked())
}

// GoString is String.
func (r FileRequest) GoString() string { return "unionpay.FileRequest" + r.String() }

// MarshalJSON encodes the file request with Extra masked as [sign.Fields.Masked] masks it, the
// other fields as they are.
func (r FileRequest) MarshalJSON() ([]byte, error) {
	type fields FileRequest
	r.Extra = r.Extra.Masked()
	return json.Marshal(fields(r))
}

// LogValue implements slog.LogValuer: the file request with Extra masked as MarshalJSON masks it.
func (r *FileRequest) LogValue() slog.Value {
	if r == nil {
		return slog.AnyValue(nil)
	}
	return slog.GroupValue(slog.Time("SettleDate", r.SettleDate), slog.String("FileType", r.FileType),
		slog.Time("TxnTime", r.TxnTime), slog.Any("Extra", r.Extra.Masked()))
}

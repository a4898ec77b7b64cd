package unionpay

import (
	"encoding/json"
	"errors"
	"fmt"
	"maps"
	"slices"
	"strings"

	"github.com/goacp/unionpay/internal/mask"
	"github.com/goacp/unionpay/sign"
)

// ErrMaskedJSON matches (with errors.Is) the error of json.Unmarshal into a [CardRequest],
// [AccountRequest], [ConsumeRequest], [FrontOpenRequest], [FollowUpRequest], [Customer],
// [BatchRecord], [BatchRequest], [QueryRequest], [BatchQueryRequest] or [FileRequest] (and
// [OpenQueryRequest], [TokenRequest], [QRCodeRequest], [QRConsumeRequest]) from the JSON their
// MarshalJSON writes. That JSON is a masked log form, not a
// storage form: the card number is kept as 6+4 (621626******0018), a name as its first character
// (张**), the other secrets (a card's token included) and every value of Reserved and RiskRateInfo as "***", a batch file
// as its size ("(1024 bytes)"), Extra as [sign.Fields.Masked] masks a message. Decoding it would
// send the masks to UnionPay, so UnmarshalJSON refuses a card number or name containing '*', a
// secret equal to "***", a Reserved or RiskRateInfo value equal to "***", a batch file given by
// its size, and an Extra value as sign.Fields.Masked writes one (Extra["accNo"] containing '*' or
// "(encrypted)", Extra["customerInfo"], ["encryptedInfo"], ["cardTransData"] or ["tokenPayData"]
// equal to "***", Extra["reserved"] or ["riskRateInfo"] equal to "***" or with a value equal to
// "***", Extra["fileContent"] given by its size, the value of a key that is not a field name,
// which Masked shows cut, Extra["accNo..."], equal to "***", and a key cut as the masked form
// cuts one, "accNo...", "...#2", in Extra, Reserved or RiskRateInfo), naming the field
// (FollowUpRequest.Extra[reserved]). JSON
// with the real values (written by hand, or by a type of the caller's own) decodes as usual. (The
// answers, Transaction included, have a masked JSON too, but no UnmarshalJSON: see Result.) Store
// requests in a form of your own, and never the CVN2 (PCI DSS).
var ErrMaskedJSON = errors.New("unionpay: the JSON is a masked log form, not a storage form")

// maskedErr is the error for a field whose JSON value is a mask.
func maskedErr(field string) error {
	return fmt.Errorf("%w: %s is masked", ErrMaskedJSON, field)
}

// checkPAN refuses a card number masked as pan.Mask masks it.
func checkPAN(field, pan string) error {
	if strings.Contains(pan, "*") {
		return maskedErr(field)
	}
	return nil
}

// checkSecrets refuses the first secret masked as secret masks it.
func checkSecrets(typ string, secrets ...[2]string) error {
	for _, s := range secrets {
		if s[1] == maskedSecret {
			return maskedErr(typ + "." + s[0])
		}
	}
	return nil
}

// checkPairs refuses a Reserved or RiskRateInfo with a value masked as maskedPairs masks it (or
// a key cut as it cuts one), and an Extra with a value masked as sign.Fields.Masked masks it, or
// a key that is not a field name with its value hidden, or cut (the first in key order).
func checkPairs(typ string, reserved, risk, extra sign.Fields) error {
	for _, f := range []struct {
		name  string
		pairs sign.Fields
	}{{"Reserved", reserved}, {"RiskRateInfo", risk}} {
		for k, v := range f.pairs {
			if v == maskedSecret || mask.IsCut(k) { // a key cut as maskedPairs cuts one: {"...": ""}
				return maskedErr(typ + "." + f.name)
			}
		}
	}
	for _, k := range slices.Sorted(maps.Keys(extra)) {
		// A key cut as the masked form cuts one (its value "" stays "") is a mask too.
		if mask.IsMasked(k, extra[k]) || mask.IsCut(k) {
			return maskedErr(typ + ".Extra[" + mask.Key(k, 0) + "]") // a key that is no name may hold a value
		}
	}
	return nil
}

// UnmarshalJSON decodes a customer, refusing with [ErrMaskedJSON] one in the masked form of
// MarshalJSON (a secret equal to "***", a name containing '*').
func (cu *Customer) UnmarshalJSON(b []byte) error {
	type fields Customer // the same fields, without this method
	var v fields
	if err := json.Unmarshal(b, &v); err != nil {
		return err
	}
	if err := checkSecrets("Customer", [2]string{"IDNumber", v.IDNumber}, [2]string{"Phone", v.Phone},
		[2]string{"SMSCode", v.SMSCode}, [2]string{"PIN", v.PIN}, [2]string{"CVN2", v.CVN2},
		[2]string{"Expiry", v.Expiry}); err != nil {
		return err
	}
	if strings.Contains(v.Name, "*") {
		return maskedErr("Customer.Name")
	}
	*cu = Customer(v)
	return nil
}

// UnmarshalJSON decodes a request, refusing with [ErrMaskedJSON] one in the masked form of
// MarshalJSON (a card number containing '*', a token, a customer secret or a value of Reserved or
// RiskRateInfo equal to "***", an Extra value masked as [sign.Fields.Masked] masks it).
func (r *CardRequest) UnmarshalJSON(b []byte) error {
	type fields CardRequest
	var v fields
	if err := json.Unmarshal(b, &v); err != nil { // Customer's UnmarshalJSON checks it
		return err
	}
	if err := checkPAN("CardRequest.AccNo", v.AccNo); err != nil {
		return err
	}
	if err := checkSecrets("CardRequest", [2]string{"Token", v.Token}); err != nil {
		return err
	}
	if err := checkPairs("CardRequest", v.Reserved, v.RiskRateInfo, v.Extra); err != nil {
		return err
	}
	*r = CardRequest(v)
	return nil
}

// UnmarshalJSON decodes a request, refusing with [ErrMaskedJSON] one in the masked form of
// MarshalJSON (a card number containing '*', a token, a customer secret or a value of Reserved or
// RiskRateInfo equal to "***", an Extra value masked as [sign.Fields.Masked] masks it).
func (r *AccountRequest) UnmarshalJSON(b []byte) error {
	type fields AccountRequest
	var v fields
	if err := json.Unmarshal(b, &v); err != nil {
		return err
	}
	if err := checkPAN("AccountRequest.AccNo", v.AccNo); err != nil {
		return err
	}
	if err := checkSecrets("AccountRequest", [2]string{"Token", v.Token}); err != nil {
		return err
	}
	if err := checkPairs("AccountRequest", v.Reserved, v.RiskRateInfo, v.Extra); err != nil {
		return err
	}
	*r = AccountRequest(v)
	return nil
}

// UnmarshalJSON decodes a request, refusing with [ErrMaskedJSON] one in the masked form of
// MarshalJSON (a card number containing '*', a value of Reserved or RiskRateInfo equal to "***",
// an Extra value masked as [sign.Fields.Masked] masks it).
func (r *ConsumeRequest) UnmarshalJSON(b []byte) error {
	type fields ConsumeRequest
	var v fields
	if err := json.Unmarshal(b, &v); err != nil {
		return err
	}
	if err := checkPAN("ConsumeRequest.AccNo", v.AccNo); err != nil {
		return err
	}
	if err := checkPairs("ConsumeRequest", v.Reserved, v.RiskRateInfo, v.Extra); err != nil {
		return err
	}
	*r = ConsumeRequest(v)
	return nil
}

// UnmarshalJSON decodes a request, refusing with [ErrMaskedJSON] one in the masked form of
// MarshalJSON (a card number containing '*', a customer secret or a value of Reserved or
// RiskRateInfo equal to "***", an Extra value masked as [sign.Fields.Masked] masks it).
func (r *FrontOpenRequest) UnmarshalJSON(b []byte) error {
	type fields FrontOpenRequest
	var v fields
	if err := json.Unmarshal(b, &v); err != nil { // Customer's UnmarshalJSON checks it
		return err
	}
	if err := checkPAN("FrontOpenRequest.AccNo", v.AccNo); err != nil {
		return err
	}
	if err := checkPairs("FrontOpenRequest", v.Reserved, v.RiskRateInfo, v.Extra); err != nil {
		return err
	}
	*r = FrontOpenRequest(v)
	return nil
}

// UnmarshalJSON decodes a request, refusing with [ErrMaskedJSON] one in the masked form of
// MarshalJSON (a value of Reserved or RiskRateInfo equal to "***", an Extra value masked as
// [sign.Fields.Masked] masks it).
func (r *FollowUpRequest) UnmarshalJSON(b []byte) error {
	type fields FollowUpRequest
	var v fields
	if err := json.Unmarshal(b, &v); err != nil {
		return err
	}
	if err := checkPairs("FollowUpRequest", v.Reserved, v.RiskRateInfo, v.Extra); err != nil {
		return err
	}
	*r = FollowUpRequest(v)
	return nil
}

// UnmarshalJSON decodes a record, refusing with [ErrMaskedJSON] one in the masked form of
// MarshalJSON (a card number or name containing '*', an ID number or phone equal to "***").
func (r *BatchRecord) UnmarshalJSON(b []byte) error {
	type fields BatchRecord
	var v fields
	if err := json.Unmarshal(b, &v); err != nil {
		return err
	}
	if err := checkPAN("BatchRecord.AccNo", v.AccNo); err != nil {
		return err
	}
	if err := checkSecrets("BatchRecord", [2]string{"IDNumber", v.IDNumber}, [2]string{"Phone", v.Phone}); err != nil {
		return err
	}
	if strings.Contains(v.CustomerName, "*") {
		return maskedErr("BatchRecord.CustomerName")
	}
	*r = BatchRecord(v)
	return nil
}

// UnmarshalJSON decodes a request, refusing with [ErrMaskedJSON] one in the masked form of
// MarshalJSON: a File given by its size ("(1024 bytes)"; "(0 bytes)" is no file), a masked
// record, an Extra value masked as [sign.Fields.Masked] masks it. File is otherwise base64, as encoding/json writes a []byte.
func (r *BatchRequest) UnmarshalJSON(b []byte) error {
	type fields BatchRequest
	var v struct {
		fields
		File json.RawMessage // shadows fields.File
	}
	if err := json.Unmarshal(b, &v); err != nil { // BatchRecord's UnmarshalJSON checks the records
		return err
	}
	var size string
	if json.Unmarshal(v.File, &size) == nil && mask.IsSize(size) {
		if size != fileSize(nil) {
			return maskedErr("BatchRequest.File")
		}
		v.File = nil
	}
	if err := checkPairs("BatchRequest", nil, nil, v.Extra); err != nil {
		return err
	}
	out := BatchRequest(v.fields)
	if len(v.File) > 0 {
		if err := json.Unmarshal(v.File, &out.File); err != nil {
			return fmt.Errorf("unionpay: BatchRequest.File: %w", err)
		}
	}
	*r = out
	return nil
}

// UnmarshalJSON decodes a query, refusing with [ErrMaskedJSON] one in the masked form of
// MarshalJSON (an Extra value masked as [sign.Fields.Masked] masks it).
func (r *QueryRequest) UnmarshalJSON(b []byte) error {
	type fields QueryRequest
	var v fields
	if err := json.Unmarshal(b, &v); err != nil {
		return err
	}
	if err := checkPairs("QueryRequest", nil, nil, v.Extra); err != nil {
		return err
	}
	*r = QueryRequest(v)
	return nil
}

// UnmarshalJSON decodes a batch query, refusing with [ErrMaskedJSON] one in the masked form of
// MarshalJSON (an Extra value masked as [sign.Fields.Masked] masks it).
func (r *BatchQueryRequest) UnmarshalJSON(b []byte) error {
	type fields BatchQueryRequest
	var v fields
	if err := json.Unmarshal(b, &v); err != nil {
		return err
	}
	if err := checkPairs("BatchQueryRequest", nil, nil, v.Extra); err != nil {
		return err
	}
	*r = BatchQueryRequest(v)
	return nil
}

// UnmarshalJSON decodes a file request, refusing with [ErrMaskedJSON] one in the masked form of
// MarshalJSON (an Extra value masked as [sign.Fields.Masked] masks it).
func (r *FileRequest) UnmarshalJSON(b []byte) error {
	type fields FileRequest
	var v fields
	if err := json.Unmarshal(b, &v); err != nil {
		return err
	}
	if err := checkPairs("FileRequest", nil, nil, v.Extra); err != nil {
		return err
	}
	*r = FileRequest(v)
	return nil
}

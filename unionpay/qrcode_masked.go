package unionpay

import (
	"encoding/json"
	"fmt"
	"log/slog"
	"time"
)

// String shows the request with Extra masked.
func (r QRCodeRequest) String() string {
	return fmt.Sprintf("{OrderID:%s Amount:%d Currency:%s TxnTime:%s BackURL:%s PayTimeout:%s Channel:%s TermID:%s ReqReserved:%s Extra:%v}",
		r.OrderID, r.Amount, r.Currency, formatTime(r.TxnTime), r.BackURL, formatTime(r.PayTimeout), r.Channel, r.TermID,
		r.ReqReserved, r.Extra.Masked())
}

// GoString is String.
func (r QRCodeRequest) GoString() string { return "unionpay.QRCodeRequest" + r.String() }

// MarshalJSON encodes the request with Extra masked as String masks it.
func (r QRCodeRequest) MarshalJSON() ([]byte, error) {
	type fields QRCodeRequest
	r.Extra = r.Extra.Masked()
	return json.Marshal(fields(r))
}

// UnmarshalJSON decodes the request, refusing with [ErrMaskedJSON] the masked form MarshalJSON
// writes.
func (r *QRCodeRequest) UnmarshalJSON(b []byte) error {
	type fields QRCodeRequest
	var v fields
	if err := json.Unmarshal(b, &v); err != nil {
		return err
	}
	if err := checkPairs("QRCodeRequest", nil, nil, v.Extra); err != nil {
		return err
	}
	*r = QRCodeRequest(v)
	return nil
}

// LogValue implements slog.LogValuer: the request with Extra masked as String masks it.
func (r *QRCodeRequest) LogValue() slog.Value {
	if r == nil {
		return slog.AnyValue(nil)
	}
	return slog.GroupValue(slog.String("OrderID", r.OrderID), slog.Int64("Amount", r.Amount),
		slog.String("Currency", r.Currency), slog.Time("TxnTime", r.TxnTime), slog.String("BackURL", r.BackURL),
		slog.Time("PayTimeout", r.PayTimeout), slog.String("Channel", string(r.Channel)), slog.String("TermID", r.TermID),
		slog.String("ReqReserved", r.ReqReserved), slog.Any("Extra", r.Extra.Masked()))
}

// maskedQRNo is the log form of a payer's payment code: "***", an empty one as it is.
func maskedQRNo(v string) string {
	if v != "" {
		return maskedSecret
	}
	return ""
}

// String shows the request with the payer's code and Extra masked.
func (r QRConsumeRequest) String() string {
	return fmt.Sprintf("{OrderID:%s QRNo:%s Amount:%d Currency:%s TxnTime:%s BackURL:%s TermID:%s Channel:%s ReqReserved:%s Extra:%v}",
		r.OrderID, maskedQRNo(r.QRNo), r.Amount, r.Currency, formatTime(r.TxnTime), r.BackURL, r.TermID, r.Channel,
		r.ReqReserved, r.Extra.Masked())
}

// GoString is String.
func (r QRConsumeRequest) GoString() string { return "unionpay.QRConsumeRequest" + r.String() }

// MarshalJSON encodes the request with the payer's code and Extra masked as String masks them.
func (r QRConsumeRequest) MarshalJSON() ([]byte, error) {
	type fields QRConsumeRequest
	r.QRNo, r.Extra = maskedQRNo(r.QRNo), r.Extra.Masked()
	return json.Marshal(fields(r))
}

// UnmarshalJSON decodes the request, refusing with [ErrMaskedJSON] the masked form MarshalJSON
// writes (QRNo "***", masked Extra values).
func (r *QRConsumeRequest) UnmarshalJSON(b []byte) error {
	type fields QRConsumeRequest
	var v fields
	if err := json.Unmarshal(b, &v); err != nil {
		return err
	}
	if v.QRNo == maskedSecret {
		return maskedErr("QRConsumeRequest.QRNo")
	}
	if err := checkPairs("QRConsumeRequest", nil, nil, v.Extra); err != nil {
		return err
	}
	*r = QRConsumeRequest(v)
	return nil
}

// LogValue implements slog.LogValuer: the request with the payer's code and Extra masked as
// String masks them.
func (r *QRConsumeRequest) LogValue() slog.Value {
	if r == nil {
		return slog.AnyValue(nil)
	}
	return slog.GroupValue(slog.String("OrderID", r.OrderID), slog.String("QRNo", maskedQRNo(r.QRNo)),
		slog.Int64("Amount", r.Amount), slog.String("Currency", r.Currency), slog.Time("TxnTime", r.TxnTime),
		slog.String("BackURL", r.BackURL), slog.String("TermID", r.TermID), slog.String("Channel", string(r.Channel)),
		slog.String("ReqReserved", r.ReqReserved), slog.Any("Extra", r.Extra.Masked()))
}

// String shows the result with the card data of Raw masked, and PayTimeout empty when none was
// sent.
func (r QRCodeResult) String() string { return r.masked().String() }

// GoString is String.
func (r QRCodeResult) GoString() string { return "unionpay.QRCodeResult" + r.String() }

// qrCodeResultFields is what a QRCodeResult shows: as appResultFields, PayTimeout is left out of
// its JSON when none was sent (zero), and shown empty by its String, never as 0001-01-01.
type qrCodeResultFields struct {
	resultFields
	QRCode     string
	PayTimeout time.Time `json:",omitzero"`
}

// String is QRCodeResult's String, for slog's text handler, which shows a logged *QRCodeResult
// with it.
func (f qrCodeResultFields) String() string {
	return fmt.Sprintf("{Result:%+v QRCode:%s PayTimeout:%s}", f.resultFields, f.QRCode, formatTime(f.PayTimeout))
}

func (r QRCodeResult) masked() qrCodeResultFields {
	return qrCodeResultFields{r.Result.masked(), r.QRCode, r.PayTimeout}
}

// MarshalJSON encodes the result with the card data of Raw masked.
func (r QRCodeResult) MarshalJSON() ([]byte, error) { return json.Marshal(r.masked()) }

// LogValue implements slog.LogValuer: the result with the card data of Raw masked.
func (r *QRCodeResult) LogValue() slog.Value {
	if r == nil {
		return slog.AnyValue(nil)
	}
	return slog.AnyValue(r.masked())
}

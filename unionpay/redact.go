package unionpay

import "fmt"

// Requests carry card numbers, PINs and other secrets. Their String and GoString methods mask
// them, so that logging a request (%v, %+v, %#v) never prints them: the card number as 6+4
// (621626******0018), the rest as "***".

// maskPAN keeps the first 6 and last 4 digits of a card number of 16 or more, the last 4 of a
// shorter one (at least six are hidden), nothing of one of 10 or fewer.
func maskPAN(pan string) string {
	switch n := len(pan); {
	case n >= 16:
		return pan[:6] + "******" + pan[n-4:]
	case n > 10:
		return "******" + pan[n-4:]
	default:
		return secret(pan)
	}
}

// secret hides a value entirely, telling only whether there was one.
func secret(s string) string {
	if s == "" {
		return ""
	}
	return "***"
}

// String masks everything but the name and the ID type.
func (cu Customer) String() string {
	return fmt.Sprintf("{IDType:%s IDNumber:%s Name:%s Phone:%s SMSCode:%s PIN:%s CVN2:%s Expiry:%s}",
		cu.IDType, secret(cu.IDNumber), cu.Name, secret(cu.Phone), secret(cu.SMSCode), secret(cu.PIN),
		secret(cu.CVN2), secret(cu.Expiry))
}

// GoString is String.
func (cu Customer) GoString() string { return "unionpay.Customer" + cu.String() }

// String masks the card number and the customer.
func (r CardRequest) String() string {
	return fmt.Sprintf("{OrderID:%s Amount:%d Currency:%s TxnTime:%s BackURL:%s AccNo:%s Customer:%v TxnSubType:%s}",
		r.OrderID, r.Amount, r.Currency, formatTime(r.TxnTime), r.BackURL, maskPAN(r.AccNo), r.Customer, r.TxnSubType)
}

// GoString is String.
func (r CardRequest) GoString() string { return "unionpay.CardRequest" + r.String() }

// String masks the card number and the customer.
func (r AccountRequest) String() string {
	return fmt.Sprintf("{OrderID:%s TxnTime:%s AccNo:%s Customer:%v BizType:%s TxnSubType:%s}",
		r.OrderID, formatTime(r.TxnTime), maskPAN(r.AccNo), r.Customer, r.BizType, r.TxnSubType)
}

// GoString is String.
func (r AccountRequest) GoString() string { return "unionpay.AccountRequest" + r.String() }

// String masks the card number and the ID number.
func (r BatchRecord) String() string {
	return fmt.Sprintf("{OrderID:%s Amount:%d AccType:%s AccNo:%s CustomerName:%s IDNumber:%s Phone:%s}",
		r.OrderID, r.Amount, r.AccType, maskPAN(r.AccNo), r.CustomerName, secret(r.IDNumber), secret(r.Phone))
}

// GoString is String.
func (r BatchRecord) GoString() string { return "unionpay.BatchRecord" + r.String() }

// String masks the records and leaves the file out: a batch file holds full card numbers.
func (r BatchRequest) String() string {
	return fmt.Sprintf("{Type:%s BatchNo:%s TxnTime:%s Records:%v File:(%d bytes) TotalQty:%d TotalAmount:%d}",
		r.Type, r.BatchNo, formatTime(r.TxnTime), r.Records, len(r.File), r.TotalQty, r.TotalAmount)
}

// GoString is String.
func (r BatchRequest) GoString() string { return "unionpay.BatchRequest" + r.String() }

// String masks the card number.
func (r ConsumeRequest) String() string {
	return fmt.Sprintf("{OrderID:%s Amount:%d Currency:%s TxnTime:%s Channel:%s FrontURL:%s BackURL:%s AccNo:%s}",
		r.OrderID, r.Amount, r.Currency, formatTime(r.TxnTime), r.Channel, r.FrontURL, r.BackURL, maskPAN(r.AccNo))
}

// GoString is String.
func (r ConsumeRequest) GoString() string { return "unionpay.ConsumeRequest" + r.String() }

// String describes the form without the card data it may carry (an accNo in clear with
// Config.PlainCardData): accNo masked, customerInfo hidden, the other fields as they are.
func (f Form) String() string {
	fields := make(map[string]string, len(f.Fields))
	for k, v := range f.Fields {
		switch k {
		case "accNo":
			if isDigits(v) {
				v = maskPAN(v)
			}
		case "customerInfo":
			v = secret(v)
		}
		fields[k] = v
	}
	return fmt.Sprintf("{Action:%s OrderID:%s TxnTime:%s Encoding:%s Fields:%v}",
		f.Action, f.OrderID, formatTime(f.TxnTime), f.Encoding, fields)
}

// GoString is String.
func (f Form) GoString() string { return "unionpay.Form" + f.String() }

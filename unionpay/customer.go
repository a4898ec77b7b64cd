package unionpay

import (
	"encoding/base64"
	"errors"
	"fmt"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/goacp/unionpay/cert"
	"github.com/goacp/unionpay/internal/javagbk"
	"github.com/goacp/unionpay/sign"
)

// Customer is the cardholder information sent in customerInfo. Empty fields are not sent. Phone,
// CVN2 and expiry go into the encrypted part (encryptedInfo), unless Config.PlainCardData, and
// the PIN always as an encrypted ISO 9564 PIN block; the rest is only base64-encoded. No value
// may contain & { } [ ], a control character or line break, or invalid UTF-8. A value refused is
// a *[RequestError] naming the field (Customer.PIN, Customer.Name...), never the value.
//
// Its JSON (json.Marshal) and its log/slog value are a masked form meant for logs: IDNumber,
// Phone, SMSCode, PIN, CVN2 and Expiry as "***", Name by its first character (张三丰 as 张**),
// IDType as it is.
// It is not a storage form: json.Unmarshal refuses it with [ErrMaskedJSON], so that the masks
// are never sent to UnionPay; JSON with the real values decodes as usual.
type Customer struct {
	IDType   string // certifTp, 2 digits: "01" resident ID card
	IDNumber string // certifId
	Name     string // customerNm
	Phone    string // phoneNo, sent as is: "13552535506", "+852 9123 4567"...; at most 32 characters, no '=' or control characters
	SMSCode  string // smsCode
	PIN      string // pin: 4 to 12 digits (needs the card number)
	CVN2     string // cvn2: 3 digits
	Expiry   string // expired: YYMM, 4 digits, year first (December 2025 is "2512")
}

// setCard sets accNo, customerInfo and encryptCertId, encrypted with one encrypter (in clear
// with Config.PlainCardData, but for a PIN).
func (c *Client) setCard(op string, f sign.Fields, accNo string, cu *Customer) error {
	f["accNo"], f["customerInfo"] = "", ""
	if sign.Blank(accNo) { // blank: not given (required ones are checked before)
		accNo = ""
	}
	if accNo == "" && cu == nil {
		return nil
	}
	if cu != nil {
		if err := c.checkCustomer(op, cu); err != nil {
			return err
		}
	}
	plain, pin := c.cfg.PlainCardData, cu != nil && cu.PIN != ""
	encrypts := !plain || pin // something is encrypted: it needs the encrypter, and encryptCertId goes
	enc := c.encrypter.Load()
	if enc == nil && encrypts {
		reason := "required to send card data (or set PlainCardData)"
		if plain {
			reason = "required to encrypt the PIN"
		}
		return &ConfigError{Field: "Config.Encrypter", Reason: reason}
	}
	if accNo != "" {
		if !validAccNo(accNo) {
			return &RequestError{Op: op, Field: "AccNo", Reason: "must be 12 to 19 digits"}
		}
		f["accNo"] = accNo
		if !plain {
			v, err := enc.Encrypt(accNo)
			if err != nil {
				return fmt.Errorf("unionpay: %s: encrypting accNo: %w", op, err)
			}
			f["accNo"] = v
		}
	}
	if cu != nil {
		v, err := c.customerInfo(op, cu, accNo, enc, encrypts)
		if err != nil {
			return err
		}
		f["customerInfo"] = v
	}
	if encrypts {
		f["encryptCertId"] = enc.CertID()
	}
	return nil
}

// checkCustomer refuses a Customer that customerInfo cannot carry or, in a GBK message, that GBK
// cannot encode.
func (c *Client) checkCustomer(op string, cu *Customer) error {
	ch := &checker{op: op}
	if cu.check(ch); ch.err != nil {
		return ch.err
	}
	if c.gbk() {
		for _, p := range cu.fields() {
			if !inGBK(p.value) {
				return &RequestError{Op: op, Field: "Customer." + p.name, Reason: notGBK}
			}
		}
	}
	return nil
}

// customerInfo builds cu's customerInfo in the message charset: with enc when encrypts (the PIN
// block, and encryptedInfo unless Config.PlainCardData), in clear otherwise.
func (c *Client) customerInfo(op string, cu *Customer, accNo string, enc *cert.Encrypter, encrypts bool) (string, error) {
	if cu.PIN != "" && accNo == "" {
		return "", &RequestError{Op: op, Field: "Customer.PIN", Reason: "needs AccNo for the PIN block"}
	}
	var v string
	var err error
	if encrypts {
		v, err = enc.CustomerInfo(cu.pairs(), accNo, !c.cfg.PlainCardData)
	} else {
		v, err = cert.PlainCustomerInfo(cu.pairs())
	}
	if err == nil && c.gbk() {
		v, err = base64GBK(v)
	}
	if ie := (*cert.InputError)(nil); errors.As(err, &ie) { // check should have caught it
		return "", &RequestError{Op: op, Field: customerField(ie.Field), Reason: ie.Detail}
	}
	if err != nil {
		return "", fmt.Errorf("unionpay: %s: customerInfo: %w", op, err)
	}
	return v, nil
}

// base64GBK re-encodes a customerInfo built in UTF-8 so that its text (a Chinese name, say) is
// in GBK, the message charset, as UnionPay decodes it; the encrypted parts are base64 (ASCII) and
// unchanged. The literal "{}" is not base64 and stays.
func base64GBK(v string) (string, error) {
	if v == "{}" {
		return v, nil
	}
	raw, err := base64.StdEncoding.DecodeString(v)
	if err != nil {
		return "", err
	}
	gbk, err := javagbk.NewEncoder().Bytes(raw)
	if err != nil {
		return "", fmt.Errorf("%w: customerInfo not representable in GBK", sign.ErrCharset)
	}
	return base64.StdEncoding.EncodeToString(gbk), nil
}

// check refuses, naming the Go field and never the value, what customerInfo cannot carry: invalid
// UTF-8, the characters that would break UnionPay's parser (& { } [ ]), a PIN, expiry or CVN2 not
// made of the digits they are, and a phone number too long or with '=' or a control character.
func (cu *Customer) check(ch *checker) {
	for _, f := range cu.fields() {
		switch {
		case !utf8.ValidString(f.value):
			ch.fail("Customer."+f.name, "not valid UTF-8")
		case strings.ContainsAny(f.value, "&{}[]"):
			ch.fail("Customer."+f.name, "must not contain & { } [ ]")
		case hasControl(f.value):
			ch.fail("Customer."+f.name, "must not contain control characters or line breaks")
		}
	}
	if cu.IDType != "" && (len(cu.IDType) != 2 || !isDigits(cu.IDType)) {
		ch.fail("Customer.IDType", "must be 2 digits (01 resident ID card)")
	}
	if cu.PIN != "" && (len(cu.PIN) < 4 || len(cu.PIN) > 12 || !isDigits(cu.PIN)) {
		ch.fail("Customer.PIN", "must be 4 to 12 digits")
	}
	if cu.Expiry != "" && (len(cu.Expiry) != 4 || !isDigits(cu.Expiry) || cu.Expiry[2:] < "01" || cu.Expiry[2:] > "12") {
		ch.fail("Customer.Expiry", "must be YYMM: 4 digits, year first, month 01 to 12")
	}
	if cu.CVN2 != "" && (len(cu.CVN2) != 3 || !isDigits(cu.CVN2)) {
		ch.fail("Customer.CVN2", "must be 3 digits")
	}
	switch {
	case utf8.RuneCountInString(cu.Phone) > maxPhone:
		ch.fail("Customer.Phone", fmt.Sprintf("must be at most %d characters", maxPhone))
	case strings.ContainsFunc(cu.Phone, func(r rune) bool { return r == '=' || unicode.IsControl(r) }):
		ch.fail("Customer.Phone", "must not contain = or control characters")
	}
}

// customerValue is one field of a Customer: its Go name and value.
type customerValue struct{ name, value string }

// fields returns the Customer's fields in declaration order.
func (cu *Customer) fields() []customerValue {
	return []customerValue{
		{"IDType", cu.IDType}, {"IDNumber", cu.IDNumber}, {"Name", cu.Name}, {"Phone", cu.Phone},
		{"SMSCode", cu.SMSCode}, {"PIN", cu.PIN}, {"CVN2", cu.CVN2}, {"Expiry", cu.Expiry},
	}
}

// maxPhone bounds Customer.Phone: an international number with its country code and separators
// ("+852 9123 4567", "+86-135-5253-5506") takes less.
const maxPhone = 32

// customerField names the Go field of a cert.InputError's field ("pin", "pan",
// "customerInfo customerNm"...).
func customerField(field string) string {
	switch strings.TrimPrefix(field, "customerInfo ") {
	case "pan":
		return "AccNo"
	case cert.CustomerPIN:
		return "Customer.PIN"
	case "certifTp":
		return "Customer.IDType"
	case "certifId":
		return "Customer.IDNumber"
	case "customerNm":
		return "Customer.Name"
	case cert.CustomerPhoneNo:
		return "Customer.Phone"
	case "smsCode":
		return "Customer.SMSCode"
	case cert.CustomerCVN2:
		return "Customer.CVN2"
	case cert.CustomerExpired:
		return "Customer.Expiry"
	}
	return "Customer"
}

func (cu *Customer) pairs() []cert.Pair {
	var ps []cert.Pair
	for _, p := range []cert.Pair{
		{Key: "certifTp", Value: cu.IDType}, {Key: "certifId", Value: cu.IDNumber},
		{Key: "customerNm", Value: cu.Name}, {Key: "phoneNo", Value: cu.Phone},
		{Key: "smsCode", Value: cu.SMSCode}, {Key: "pin", Value: cu.PIN},
		{Key: "cvn2", Value: cu.CVN2}, {Key: "expired", Value: cu.Expiry},
	} {
		if p.Value != "" {
			ps = append(ps, p)
		}
	}
	return ps
}

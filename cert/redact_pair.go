package cert

import (
	"encoding/json"
	"log/slog"
)

// pairShown reports whether the value of customerInfo key k may be shown: the ID type only. The
// others (certifId, customerNm, phoneNo, smsCode, pin, cvn2, expired, encryptedInfo, and any key
// this package does not know) are personal or card data.
func pairShown(k string) bool { return k == "certifTp" }

// masked returns p with its value replaced by "***" unless pairShown, and a key holding one of
// keySpecial (key=value text given whole as a key, which CustomerInfo refuses) as shownKey shows it.
func (p Pair) masked() Pair {
	p.Key = shownKey(p.Key)
	if !pairShown(p.Key) && p.Value != "" {
		p.Value = "***"
	}
	return p
}

// String shows the pair with its value hidden (certifTp's excepted): the pairs of customerInfo,
// given to [Encrypter.CustomerInfo] or returned by [ParseCustomerInfo] with encryptedInfo
// decrypted, hold the phone number, CVN2, expiry, ID number and name in clear. Read Value
// programmatically.
func (p Pair) String() string { m := p.masked(); return "{" + m.Key + " " + m.Value + "}" }

// GoString is String.
func (p Pair) GoString() string {
	m := p.masked()
	return "cert.Pair{Key:" + m.Key + " Value:" + m.Value + "}"
}

// MarshalJSON encodes the pair with its value hidden as String hides it: a log form, not a
// storage form (decoded, its values are "***").
func (p Pair) MarshalJSON() ([]byte, error) {
	type fields Pair
	return json.Marshal(fields(p.masked()))
}

// LogValue implements slog.LogValuer: the pair with its value hidden as String hides it (null for a
// nil pointer; a Pair logged by value shows as MarshalJSON or String do).
func (p *Pair) LogValue() slog.Value {
	if p == nil {
		return slog.AnyValue(nil)
	}
	m := p.masked()
	return slog.GroupValue(slog.String("Key", m.Key), slog.String("Value", m.Value))
}

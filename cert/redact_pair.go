package cert

import (
	"encoding/json"
	"log/slog"
	"strings"
)

// pairShown reports whether value v of customerInfo key k may be shown: the ID type only, as
// its two digits (01 for the ID card): more (01&certifId=..., text split at its first '=') may be
// the pairs after it. The others (certifId, customerNm, phoneNo, smsCode, pin, cvn2, expired,
// encryptedInfo, and any key this package does not know) are personal or card data.
func pairShown(k, v string) bool {
	return k == "certifTp" && len(v) <= 2 && strings.Trim(v, "0123456789") == ""
}

// masked returns p with its value replaced by "***" unless pairShown, and its key as shownKey
// shows it (key=value text given whole as a key, with '=' or another separator, shows no value).
func (p Pair) masked() Pair {
	if !pairShown(p.Key, p.Value) && p.Value != "" {
		p.Value = "***"
	}
	p.Key = shownKey(p.Key)
	return p
}

// String shows the pair with its value hidden (certifTp's two digits excepted) and its key as far
// as it reads as a field name (phoneNo... for "phoneNo 135..." or "phoneNo135..."): the pairs of customerInfo,
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

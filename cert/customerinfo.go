package cert

import (
	"encoding/base64"
	"errors"
	"fmt"
	"slices"
	"strings"
	"unicode/utf8"

	"github.com/goacp/unionpay/internal/mask"
	"github.com/goacp/unionpay/sign"
)

// Pair is one key=value entry of customerInfo, such as {"certifTp", "01"}.
type Pair struct{ Key, Value string }

// Keys of customerInfo with special treatment.
const (
	CustomerPIN           = "pin"           // replaced by the encrypted PIN block
	CustomerPhoneNo       = "phoneNo"       // in encryptedInfo with the encryption permission
	CustomerCVN2          = "cvn2"          // in encryptedInfo with the encryption permission
	CustomerExpired       = "expired"       // YYMM; in encryptedInfo with the encryption permission
	CustomerEncryptedInfo = "encryptedInfo" // the encrypted sub-fields
)

// isEncryptedInfoKey reports whether key goes into encryptedInfo.
func isEncryptedInfoKey(key string) bool {
	return key == CustomerPhoneNo || key == CustomerCVN2 || key == CustomerExpired
}

// CustomerInfo builds the customerInfo field from pairs, kept in the order
// given, as the official SDK does:
//
//   - without the encryption permission (encryptInfo false): "{k=v&k=v}" in
//     base64, with the pin replaced by its encrypted PIN block;
//   - with it (encryptInfo true): phoneNo, cvn2 and expired are taken out,
//     joined as "k=v&k=v" in their given order, encrypted, and appended as
//     the last pair, encryptedInfo; pin is encrypted as above; the rest stays
//     plain.
//
// The text is UTF-8 before base64: a GBK message (encoding=GBK) needs it in
// GBK, as the official SDK builds it in the message charset, so re-encode a
// name in Chinese (package unionpay's client does). No pairs gives the
// literal "{}" (not base64). pan (the card number, accNo in clear) is needed
// only when a pin pair is present. Keys must be unique and non-empty, and
// neither keys nor values may hold '&', '{', '}', '[' or ']', which would
// break UnionPay's parser; errors are an [*InputError] naming the key (a key
// holding another character than letters and digits only by its opening
// letters and digits, so that key=value text given as a key keeps its value
// out of the error). An unusable Encrypter (see [Encrypter.Check]) is an
// error, even without pairs.
func (e *Encrypter) CustomerInfo(pairs []Pair, pan string, encryptInfo bool) (string, error) {
	if err := e.Check(); err != nil {
		return "", err
	}
	return customerInfo(e, pairs, pan, encryptInfo)
}

// PlainCustomerInfo builds customerInfo without the encryption permission
// and without a PIN, so without any encryption: "{k=v&k=v}" in base64 of
// its UTF-8 text (re-encode it for a GBK message, as for CustomerInfo), in
// the order given (the official SDK's getCustomerInfo). A pin pair is an
// [*InputError]: a PIN is always encrypted, with [Encrypter.CustomerInfo].
// The rules on pairs are CustomerInfo's.
func PlainCustomerInfo(pairs []Pair) (string, error) {
	for _, p := range pairs {
		if p.Key == CustomerPIN {
			return "", &InputError{Field: "customerInfo " + p.Key, Detail: "a PIN must be encrypted: use Encrypter.CustomerInfo"}
		}
	}
	return customerInfo(nil, pairs, "", false)
}

// customerInfo is CustomerInfo; e is used only for a pin or with encryptInfo.
func customerInfo(e *Encrypter, pairs []Pair, pan string, encryptInfo bool) (string, error) {
	if len(pairs) == 0 {
		return "{}", nil
	}
	var outer, inner []string
	seen := make(map[string]bool, len(pairs))
	for _, p := range pairs {
		if err := checkPair(p, seen); err != nil {
			return "", err
		}
		value := p.Value
		switch {
		case encryptInfo && isEncryptedInfoKey(p.Key):
			inner = append(inner, p.Key+"="+value)
			continue
		case p.Key == CustomerPIN:
			if pan == "" {
				return "", &InputError{Field: "pan", Detail: "required when customerInfo has a pin"}
			}
			enc, err := e.EncryptPIN(value, pan)
			if err != nil {
				return "", err
			}
			value = enc
		}
		outer = append(outer, p.Key+"="+value)
	}
	if len(inner) > 0 {
		enc, err := e.Encrypt(strings.Join(inner, "&"))
		if err != nil {
			return "", fmt.Errorf("cert: customerInfo %s: %w", CustomerEncryptedInfo, err)
		}
		outer = append(outer, CustomerEncryptedInfo+"="+enc)
	}
	return base64.StdEncoding.EncodeToString([]byte("{" + strings.Join(outer, "&") + "}")), nil
}

// keySpecial are the characters a customerInfo key may not hold.
const keySpecial = "&={}[]"

// shownKey returns what an error or a log form shows of a customerInfo key (mask.Key: whole when
// it reads as a field name of at most 20 characters holding no two digits in a row, else cut, as
// "phoneNo..." for a key "phoneNo=13552535506"): such a key is most likely key=value text given
// whole as a key, whose value (a phone number, CVN2, expiry, card number) must not reach a log.
func shownKey(k string) string { return mask.Key(k, 20) }

func checkPair(p Pair, seen map[string]bool) error {
	const special = "&{}[]"
	switch {
	case p.Key == "":
		return &InputError{Field: "customerInfo key", Detail: "is empty"}
	case strings.ContainsAny(p.Key, keySpecial):
		return &InputError{Field: "customerInfo key", Detail: fmt.Sprintf("%q holds one of &={}[] (the rest not shown)", shownKey(p.Key))}
	case p.Key == CustomerEncryptedInfo:
		return &InputError{Field: "customerInfo " + p.Key, Detail: "is computed, not given"}
	case seen[p.Key]:
		return &InputError{Field: "customerInfo " + shownKey(p.Key), Detail: "given twice"}
	case strings.ContainsAny(p.Value, special):
		return &InputError{Field: "customerInfo " + shownKey(p.Key), Detail: "value holds one of &{}[]"}
	}
	seen[p.Key] = true
	return nil
}

// ParseCustomerInfo parses a customerInfo value returned by UnionPay:
// base64 of "{k=v&k=v}" (or the literal "{}"), split with UnionPay's raw rule
// ([sign.ParseRaw]). If it carries encryptedInfo, d decrypts it and its
// fields are merged in (encryptedInfo itself is dropped; one within it is
// malformed); d may be nil otherwise. The pin, if any, stays encrypted. Pairs
// are returned sorted by key. Errors wrap [sign.ErrMalformed] when the value
// is not well formed, and [sign.ErrTooManyFields] too when it holds more than
// [sign.MaxFields] pairs, its encryptedInfo's counted. The text is taken as
// UTF-8: for a GBK message use [ParseCustomerInfoCharset].
func ParseCustomerInfo(s string, d *Decrypter) ([]Pair, error) {
	return ParseCustomerInfoCharset(s, sign.CharsetUTF8, d)
}

// ParseCustomerInfoCharset is [ParseCustomerInfo] for a message in charset
// (its encoding field: UTF-8 or GBK), in which UnionPay writes customerInfo
// and its encryptedInfo, as the official SDK decodes them; the pairs are
// returned in UTF-8. Text that is not valid in charset is an error wrapping
// [sign.ErrCharset].
func ParseCustomerInfoCharset(s, charset string, d *Decrypter) ([]Pair, error) {
	if strings.TrimSpace(s) == "{}" {
		return nil, nil
	}
	raw, err := base64.StdEncoding.DecodeString(s)
	if err != nil {
		return nil, fmt.Errorf("cert: customerInfo is not base64: %w: %w", sign.ErrMalformed, err)
	}
	text, err := decodeText(raw, charset)
	if err != nil {
		return nil, fmt.Errorf("cert: customerInfo: %w", err)
	}
	fields, err := parseBraced(text)
	if err != nil {
		return nil, err
	}
	if enc, ok := fields[CustomerEncryptedInfo]; ok {
		delete(fields, CustomerEncryptedInfo)
		if err := mergeEncryptedInfo(fields, enc, charset, d); err != nil {
			return nil, err
		}
	}
	pairs := make([]Pair, 0, len(fields))
	for k, v := range fields {
		pairs = append(pairs, Pair{Key: k, Value: v})
	}
	slices.SortFunc(pairs, func(a, b Pair) int { return strings.Compare(a.Key, b.Key) })
	return pairs, nil
}

// parseBraced parses "{k=v&...}" with the raw rule.
func parseBraced(s string) (sign.Fields, error) {
	if len(s) < 2 || s[0] != '{' || s[len(s)-1] != '}' {
		return nil, fmt.Errorf("cert: customerInfo is not wrapped in {}: %w", sign.ErrMalformed)
	}
	if s == "{}" {
		return sign.Fields{}, nil
	}
	fields, err := sign.ParseRaw(s)
	if err != nil {
		return nil, fmt.Errorf("cert: customerInfo: %w", err)
	}
	return fields, nil
}

// decodeText converts b from charset to UTF-8, refusing text invalid in it.
func decodeText(b []byte, charset string) (string, error) {
	s, err := sign.DecodeBody(b, charset)
	if err == nil && !utf8.ValidString(s) {
		err = fmt.Errorf("%w: not valid %s", sign.ErrCharset, charset)
	}
	return s, err
}

// mergeEncryptedInfo decrypts enc with d, parses it with the raw rule and
// adds its fields to fields: a key in both, an encryptedInfo within it, or
// more than sign.MaxFields in all, is an error.
func mergeEncryptedInfo(fields sign.Fields, enc, charset string, d *Decrypter) error {
	if d == nil {
		return errors.New("cert: customerInfo has encryptedInfo but no Decrypter was given")
	}
	plain, err := d.decrypt(enc)
	if err != nil {
		return fmt.Errorf("cert: customerInfo encryptedInfo: %w", err)
	}
	text, err := decodeText(plain, charset)
	if err != nil {
		return fmt.Errorf("cert: customerInfo encryptedInfo: %w", err)
	}
	inner, err := sign.ParseRaw(text)
	if err != nil {
		return fmt.Errorf("cert: customerInfo encryptedInfo: %w", err)
	}
	if _, nested := inner[CustomerEncryptedInfo]; nested {
		// Encrypter.CustomerInfo never writes one; merged in, it would be returned as a pair.
		return fmt.Errorf("cert: customerInfo: encryptedInfo within encryptedInfo: %w", sign.ErrMalformed)
	}
	for k := range inner {
		if _, dup := fields[k]; dup {
			return fmt.Errorf("cert: customerInfo: %q both plain and in encryptedInfo: %w",
				shownKey(k), sign.ErrMalformed) // cut as checkPair names a key: it may hold a value
		}
	}
	// Each part is bounded by sign.ParseRaw; together they are bounded too,
	// as every decoded message is (an SM2 ciphertext has no size limit).
	if len(fields)+len(inner) > sign.MaxFields {
		return fmt.Errorf("cert: customerInfo with its encryptedInfo: %d fields: %w: %w",
			len(fields)+len(inner), sign.ErrTooManyFields, sign.ErrMalformed)
	}
	for k, v := range inner {
		fields[k] = v
	}
	return nil
}

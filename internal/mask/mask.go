// Package mask holds the rules by which the fields of a message are masked for logs, shared by the
// sign package (sign.Fields.Masked, which String, GoString and LogValue show) and the unionpay
// package (the Extra of its requests, which their log forms mask so, and which their
// UnmarshalJSON refuses when it holds a masked value, so that a mask is never sent): which fields
// carry card or personal data, how each is masked, how a masked value is recognised, the size
// text that stands for a file, and how a key that may hold a value is shown (Key, Keys).
package mask

import (
	"cmp"
	"slices"
	"strconv"
	"strings"

	"github.com/goacp/unionpay/internal/pan"
)

// Hidden is what a value hidden entirely shows.
const Hidden = pan.Hidden

// kind is how a field is masked.
type kind int

const (
	plain  kind = iota // shown as it is
	accNo              // a card number as pan.MaskAccNo masks it
	hidden             // hidden entirely: Hidden
	braced             // {k=v&...}: the keys kept, every value Hidden
	file               // a file, or a signature or certificate (long, not secret): its size, Size
	text               // free text: every digit run that may be a card number masked, pan.MaskRuns
)

// kindOf tells how field key is masked: the one list of the fields that carry card or personal
// data. A key that differs from one of them in case alone ("AccNo", "ACCNO") is masked as it
// would be: the gateway would not read it as that field, but the value it holds is the same.
func kindOf(key string) kind {
	// Unicode folds the Kelvin sign (3 bytes) to k and the long s (2 bytes) to s: a key that folds
	// to the longest name may hold up to 3 bytes for each of its letters.
	if k := exactKindOf(key); k != plain || len(key) > 3*len("encryptPubKeyCert") {
		return k
	}
	for _, name := range [...]string{"accNo", "customerInfo", "encryptedInfo", "cardTransData",
		"tokenPayData", "qrNo", "reserved", "riskRateInfo", "fileContent", "signature",
		"signPubKeyCert", "encryptPubKeyCert", "respMsg", "origRespMsg"} {
		if strings.EqualFold(key, name) {
			return exactKindOf(name)
		}
	}
	return plain
}

// exactKindOf is kindOf for key spelt as the gateway spells it.
func exactKindOf(key string) kind {
	switch key {
	case "accNo":
		return accNo
	case "customerInfo", "encryptedInfo", "cardTransData", "tokenPayData", "qrNo":
		return hidden
	case "reserved", "riskRateInfo":
		return braced
	case "fileContent", "signature", "signPubKeyCert", "encryptPubKeyCert":
		return file
	case "respMsg", "origRespMsg":
		return text
	}
	return plain
}

// Field returns v, the value of field key, masked for logs: accNo as [pan.MaskAccNo] masks it
// (621626******0018, "(encrypted)"); customerInfo, encryptedInfo, cardTransData, tokenPayData and
// qrNo (the payer's payment code, which pays until it expires) as Hidden; reserved and riskRateInfo as [Braced] masks them; fileContent by its size, as [Size]
// writes it, and so signature, signPubKeyCert and encryptPubKeyCert (not secret, but ~2 KB of
// every log line); respMsg and origRespMsg, UnionPay's free text, which may quote a card number,
// with every run of 12 digits or more masked as [pan.MaskRuns] masks it (in any script, across
// spaces, dashes, dots and invisible characters: 卡号621626******0018无效); any other field as it is. "" stays "", and masking a masked value again leaves it as
// it is.
func Field(key, v string) string {
	if v == "" {
		return ""
	}
	switch kindOf(key) {
	case accNo:
		return pan.MaskAccNo(v)
	case hidden:
		return Hidden
	case braced:
		return Braced(v)
	case file:
		if IsSize(v) { // already masked
			return v
		}
		return Size(len(v))
	case text:
		return pan.MaskRuns(v)
	}
	return v
}

// IsMasked reports whether v, the value of field key, reads as Field masks a value (not as a value
// to send): an accNo containing '*' or "(encrypted)", a hidden field equal to Hidden, a reserved
// or riskRateInfo equal to Hidden or with a value equal to Hidden, a fileContent (signature,
// signPubKeyCert, encryptPubKeyCert) given by its size, a respMsg or origRespMsg holding six stars
// (as a card number pan.MaskRuns masked shows); a reserved or riskRateInfo with a key cut as
// Braced cuts one ([IsCut]: {...=}, whose value was empty); and the value of a key that is not a
// field name ([IsName]) equal to Hidden, as [CutValue] masks it (its key then cut, "accNo...", as
// [Keys] shows it).
func IsMasked(key, v string) bool {
	if !IsName(key) {
		return v == Hidden
	}
	switch kindOf(key) {
	case accNo:
		return strings.Contains(v, "*") || v == pan.Encrypted
	case hidden:
		return v == Hidden
	case braced:
		return isMaskedBraced(v)
	case file:
		return IsSize(v)
	case text:
		return strings.Contains(v, "******")
	}
	return false
}

// Braced masks a braced value ({k=v&k2=v2}): the keys kept as [Key] shows them (a field name
// whole, "accNo..." for "accNo 6216261000000000018"), every non-empty value Hidden, and a
// non-empty segment without '=' Hidden whole. A value not in braces is hidden whole.
func Braced(v string) string {
	if v == "" {
		return ""
	}
	inner, ok := strings.CutPrefix(v, "{")
	inner, ok2 := strings.CutSuffix(inner, "}")
	if !ok || !ok2 {
		return Hidden
	}
	pairs := strings.Split(inner, "&")
	for i, p := range pairs {
		k, val, found := strings.Cut(p, "=")
		switch {
		case !found && p != "":
			pairs[i] = Hidden
		case val != "":
			pairs[i] = Key(k, 0) + "=" + Hidden
		case found:
			pairs[i] = Key(k, 0) + "="
		}
	}
	return "{" + strings.Join(pairs, "&") + "}"
}

// isMaskedBraced reports whether v reads as Braced masks a value: Hidden, or braced with a pair
// (or a segment without '=') whose value is Hidden, or a pair whose key is cut ([IsCut]).
func isMaskedBraced(v string) bool {
	if v == Hidden {
		return true
	}
	inner, ok := strings.CutPrefix(v, "{")
	inner, ok2 := strings.CutSuffix(inner, "}")
	if !ok || !ok2 {
		return false
	}
	for p := range strings.SplitSeq(inner, "&") {
		if k, val, found := strings.Cut(p, "="); val == Hidden || !found && p == Hidden || found && IsCut(k) {
			return true
		}
	}
	return false
}

// Size is the text that stands for a file of n bytes in logs: "(n bytes)". A file (a batch file,
// a batch result's fileContent) lists full card numbers.
func Size(n int) string { return "(" + strconv.Itoa(n) + " bytes)" }

// IsSize reports whether s reads as Size writes it: "(", one or more ASCII digits, " bytes)".
func IsSize(s string) bool {
	n, ok := strings.CutPrefix(s, "(")
	n, ok2 := strings.CutSuffix(n, " bytes)")
	if !ok || !ok2 || n == "" {
		return false
	}
	for i := 0; i < len(n); i++ {
		if n[i] < '0' || n[i] > '9' {
			return false
		}
	}
	return true
}

// Key returns key k as an error or a log may name it, in case it holds a value: whole when it
// reads as a field name (an ASCII letter, then ASCII letters or digits, at most maxName of them
// when maxName > 0) holding no two digits in a row; otherwise its part before the first other
// character or run of two digits or more, when that reads as a field name, then "...", or "..."
// alone. Such a key is most likely key=value text given whole as a key
// ("accNo=6216261000000000018", "phoneNo 13552535506", "phoneNo13552535506"), whose value (a card
// or phone number, a CVN2, an expiry) must not reach a log; no field name of UnionPay's holds two
// digits in a row (cvn2 holds one), and every such value has two or more: "cvn2741" shows as
// "cvn...".
func Key(k string, maxName int) string {
	i := 0
	for i < len(k) && (isLetter(k[i]) || isDigit(k[i]) && (i+1 == len(k) || !isDigit(k[i+1]))) {
		i++
	}
	switch name := k[:i]; {
	case k == "":
		return ""
	case name == "" || !isLetter(name[0]) || maxName > 0 && len(name) > maxName:
		return "..."
	case i == len(k):
		return k
	default:
		return name + "..."
	}
}

// isDigit reports whether c is an ASCII digit.
func isDigit(c byte) bool { return '0' <= c && c <= '9' }

// isLetter reports whether c is an ASCII letter.
func isLetter(c byte) bool { return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' }

// IsName reports whether k reads as a field name, so that a log shows it whole ([Key] leaves it
// as it is and it holds no "..." that Key writes): an ASCII letter, then ASCII letters or digits,
// no two digits in a row. Every field name of UnionPay's reads so (merId, orderId, txnAmt, cvn2,
// reserved1).
func IsName(k string) bool { return k != "" && k[len(k)-1] != '.' && Key(k, 0) == k }

// Keys returns, for every key of m, the text a log shows for it, distinct for distinct keys, so
// that a map shown with its keys replaced by these loses none: a key that reads as a field name
// ([IsName]) whole; any other as [Key] cuts it ("accNo=6216261000000000018" as "accNo...", a card
// number as "..."), and when two keys or more are cut to the same text, that text then "#1",
// "#2", ... for each, in the order of the keys (shorter first, then in byte order), so that the
// same map shows the same way every time ("accNo...#1", "accNo...#2"). A text Keys writes for a
// cut key is not a field name, and is cut to itself by Keys again, numbered alike.
func Keys[V any](m map[string]V) map[string]string {
	shown := make(map[string]string, len(m))
	var groups map[string][]string // the keys cut to the same text, by that text
	for k := range m {
		if IsName(k) {
			shown[k] = k
			continue
		}
		c := Key(k, 0)
		if groups == nil {
			groups = make(map[string][]string)
		}
		groups[c] = append(groups[c], k)
	}
	for c, ks := range groups {
		if len(ks) == 1 {
			shown[ks[0]] = c
			continue
		}
		slices.SortFunc(ks, func(a, b string) int { return cmp.Or(cmp.Compare(len(a), len(b)), strings.Compare(a, b)) })
		for i, k := range ks {
			shown[k] = c + "#" + strconv.Itoa(i+1)
		}
	}
	return shown
}

// IsCut reports whether k reads as a key [Key] cut, as [Keys] and [Braced] show one: ending in
// "...", then perhaps "#" and a number ("accNo...", "...", "accNo...#2"). No field name reads so;
// a map or a braced value holding such a key is a masked log form, not a message to send.
func IsCut(k string) bool {
	if i := strings.LastIndexByte(k, '#'); i >= 0 && i+1 < len(k) && strings.Trim(k[i+1:], "0123456789") == "" {
		k = k[:i]
	}
	return strings.HasSuffix(k, "...")
}

// CutValue returns v, the value of a key that is not a field name ([IsName]), masked for logs:
// Hidden, or "" when v is "". Such a pair is not UnionPay's, and its value (or its key given whole,
// as "accNo 6216261000000000018" for "accNo=6216261000000000018") is not known to hold no card or
// personal data.
func CutValue(v string) string {
	if v == "" {
		return ""
	}
	return Hidden
}

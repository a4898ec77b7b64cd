package sign

import (
	"errors"
	"fmt"
	"maps"
	"slices"
	"strings"
	"unicode"

	"github.com/goacp/unionpay/internal/ascii"
	"github.com/goacp/unionpay/internal/javagbk"
	"github.com/goacp/unionpay/internal/textesc"
)

// Fields is one UnionPay message: each key carries exactly one value.
// Keys and values are Go (UTF-8) strings whatever the message charset; the
// charset named by the "encoding" field is applied when the message is
// turned into bytes ([Canonical], [Encode]).
type Fields map[string]string

// Names of the fields this package reads or writes.
const (
	FieldSignature  = "signature"
	FieldSignMethod = "signMethod"
	FieldCertID     = "certId"
	FieldVersion    = "version"
	FieldEncoding   = "encoding"
)

// Signature methods (the signMethod field) and message versions.
const (
	MethodRSA       = "01" // certificate, RSA (SHA-256 for 5.1.0, SHA-1 for 5.0.0)
	MethodSHA256Key = "11" // secure key, SHA-256
	MethodSM3Key    = "12" // secure key, SM3
	MethodSM2       = "21" // certificate, SM2 with SM3 (国密)

	Version500 = "5.0.0" // SHA-1 generation
	Version510 = "5.1.0" // SHA-256 generation, current
)

// Charsets a message may declare in its "encoding" field. Comparison is
// case-insensitive; an empty encoding means UTF-8.
const (
	CharsetUTF8 = "UTF-8"
	CharsetGBK  = "GBK"
)

// ErrCharset reports an "encoding" value other than UTF-8 or GBK, or a value
// that cannot be represented in the message charset.
var ErrCharset = errors.New("sign: unsupported or unrepresentable charset")

// Clone returns a copy of f that shares nothing with it.
func (f Fields) Clone() Fields {
	c := make(Fields, len(f))
	maps.Copy(c, f)
	return c
}

// isGBK reports whether the message charset is GBK, and fails for a charset
// this package does not know.
func isGBK(encoding string) (bool, error) {
	switch {
	case encoding == "" || strings.EqualFold(encoding, CharsetUTF8) || strings.EqualFold(encoding, "UTF8"):
		return false, nil
	case strings.EqualFold(encoding, CharsetGBK):
		return true, nil
	}
	return false, fmt.Errorf("%w: encoding %s", ErrCharset, textesc.QuoteShort(encoding, maxShown))
}

// Canonical returns the string to sign of f in the message charset: every
// field except "signature", sorted by key in byte order, joined as
// "k=v&k=v" with raw values. An empty value that is present yields "k=",
// as UnionPay's SDK does for received messages.
//
// It fails for an unknown "encoding", for a field name that is empty or not
// printable ASCII (an error matching [ErrMalformed], naming the smallest
// such name; [ParseForm] refuses such a notification too) and, with GBK, for
// text that GBK cannot represent, naming the field (never its value, which
// may be a card number).
func Canonical(f Fields) ([]byte, error) {
	gbk, err := isGBK(f[FieldEncoding])
	if err != nil {
		return nil, err
	}
	if err := CheckFieldNames(f); err != nil {
		return nil, err
	}
	b := AppendCanonical(nil, f)
	if !gbk {
		return b, nil
	}
	out, err := javagbk.NewEncoder().Bytes(b)
	if err != nil {
		return nil, notGBKError(f)
	}
	return out, nil
}

// CheckFieldNames refuses a message with a key that is not a field name
// UnionPay could read as this package writes it, with an error matching
// [ErrMalformed]; [Canonical], [Sign], [Encode] and [ParseForm] apply it. It
// is for code that builds a string to sign otherwise ([AppendCanonical]).
// An empty key cannot be sent: the form
// body would start a pair with '=', which UnionPay, like [ParseForm], cannot
// read. A key holding a space, a control character or a non-ASCII character
// would be signed otherwise by UnionPay's official SDK, which sorts keys in
// Java's UTF-16 order (not byte order), writes them into the body unencoded
// (not in the message charset) and leaves out of the string to sign any key
// that trims to "signature". UnionPay's field names are ASCII letters and
// digits. The smallest bad key is named, so that the error does not depend
// on map order, as [ParseError] quotes a key (cut where it stops reading as
// a field name: it may hold a value).
func CheckFieldNames(f Fields) error {
	bad, found := "", false
	for k := range f {
		if !printableASCII(k) && (!found || k < bad) {
			bad, found = k, true
		}
	}
	switch {
	case !found:
		return nil
	case bad == "":
		return fmt.Errorf("%w: empty key (field %q)", ErrMalformed, "")
	}
	return fmt.Errorf("%w: field name %s: want printable ASCII (no space, control or non-ASCII character)", ErrMalformed,
		fieldShown(bad)) // cut as ParseError cuts it: "accNo 6216261000000000018" holds a card number
}

// printableASCII reports whether s is not empty and holds only the bytes
// from '!' to '~'.
func printableASCII(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] <= ' ' || s[i] > '~' {
			return false
		}
	}
	return s != ""
}

// notGBKError names the first field of f, in the order of the string to
// sign, whose value GBK cannot represent (keys are ASCII: CheckFieldNames).
func notGBKError(f Fields) error {
	keys := make([]string, 0, len(f))
	for k := range f {
		if k != FieldSignature {
			keys = append(keys, k)
		}
	}
	slices.Sort(keys)
	enc := javagbk.NewEncoder()
	for _, k := range keys {
		if _, err := enc.String(f[k]); err != nil {
			return fmt.Errorf("%w: field %s not representable in GBK", ErrCharset, textesc.Short(k, maxShown))
		}
	}
	return fmt.Errorf("%w: field value not representable in GBK", ErrCharset)
}

// AppendCanonical appends the string to sign of f to dst in UTF-8,
// whatever f's "encoding" says; use [Canonical] for the bytes that are
// hashed.
func AppendCanonical(dst []byte, f Fields) []byte {
	if len(f) > maxSmallMessage {
		return appendCanonicalLarge(dst, f)
	}
	// The fields in map order, and their order by key sorted as 16-byte
	// entries (the first eight bytes of the key and an index): cheaper to
	// move than the fields themselves.
	var (
		fieldsBuf [maxSmallMessage]canonicalField
		orderBuf  [maxSmallMessage]sortEntry
	)
	fields, order := fieldsBuf[:0], orderBuf[:0]
	n := 0
	for k, v := range f {
		if k == FieldSignature {
			continue
		}
		order = append(order, sortEntry{prefix: keyPrefix(k), i: uint32(len(fields))})
		fields = append(fields, canonicalField{k, v})
		n += len(k) + len(v) + 2
	}
	for i := 1; i < len(order); i++ { // insertion sort
		x := order[i]
		j := i
		for ; j > 0 && x.less(order[j-1], fields); j-- {
			order[j] = order[j-1]
		}
		order[j] = x
	}
	dst = slices.Grow(dst, n)
	for i, e := range order {
		if i > 0 {
			dst = append(dst, '&')
		}
		dst = append(dst, fields[e.i].key...)
		dst = append(dst, '=')
		dst = append(dst, fields[e.i].value...)
	}
	return dst
}

// maxSmallMessage bounds the messages AppendCanonical sorts on the stack
// by insertion; a notification has about 25 fields.
const maxSmallMessage = 48

// canonicalField is one field of the string to sign.
type canonicalField struct{ key, value string }

// sortEntry is a field's place in the sort: the first eight bytes of its
// key as a big-endian number, and its index. Keys whose prefixes differ
// compare as their prefixes do, so most comparisons need no string compare.
type sortEntry struct {
	prefix uint64
	i      uint32
}

func (a sortEntry) less(b sortEntry, fields []canonicalField) bool {
	if a.prefix != b.prefix {
		return a.prefix < b.prefix
	}
	return fields[a.i].key < fields[b.i].key
}

// keyPrefix returns the first eight bytes of k, big-endian, padded with
// zeros. If keyPrefix(a) < keyPrefix(b) then a < b; equal prefixes say
// nothing (a key may contain zero bytes).
func keyPrefix(k string) uint64 {
	if len(k) >= 8 { // one load: the compiler merges these
		return uint64(k[7]) | uint64(k[6])<<8 | uint64(k[5])<<16 | uint64(k[4])<<24 |
			uint64(k[3])<<32 | uint64(k[2])<<40 | uint64(k[1])<<48 | uint64(k[0])<<56
	}
	var p uint64
	for i := range 8 {
		p <<= 8
		if i < len(k) {
			p |= uint64(k[i])
		}
	}
	return p
}

// appendCanonicalLarge is AppendCanonical for a message too large to sort
// on the stack.
func appendCanonicalLarge(dst []byte, f Fields) []byte {
	keys := make([]string, 0, len(f))
	for k := range f {
		if k != FieldSignature {
			keys = append(keys, k)
		}
	}
	slices.Sort(keys)
	for i, k := range keys {
		if i > 0 {
			dst = append(dst, '&')
		}
		dst = append(dst, k...)
		dst = append(dst, '=')
		dst = append(dst, f[k]...)
	}
	return dst
}

// Prepare returns a copy of f ready to be signed and sent, as the official
// SDK's filterBlank does: fields whose value is blank ([Blank]) are dropped,
// and the others are trimmed as Java's String.trim trims, of the characters
// U+0000 to U+0020 at either end (not of U+3000 IDEOGRAPHIC SPACE or U+00A0,
// which the SDK sends as they are).
func Prepare(f Fields) Fields {
	out := make(Fields, len(f))
	for k, v := range f {
		if !Blank(v) {
			out[k] = javaTrim(v)
		}
	}
	return out
}

// Blank reports whether [Prepare] drops a field with value v: v trims to
// nothing as Prepare trims it (a lone control character, say), or every
// character of v is white space as StringUtils.isBlank sees it (Java's
// Character.isWhitespace: U+3000 and the other Unicode space separators but
// the no-break spaces U+00A0, U+2007 and U+202F; line and paragraph
// separators; tab, line feed, U+000B, form feed, carriage return and U+001C
// to U+001F). UnionPay's official SDKs differ here: the B2C SDK drops only
// what trims to nothing, and sends a value of U+3000 alone; the Token SDK
// drops only what isBlank accepts, and sends a lone control character as an
// empty value. Blank drops what either drops, and where they agree it agrees
// with both: "\x01\u3000", which both send as "\u3000", is kept.
func Blank(v string) bool {
	if javaTrim(v) == "" {
		return true
	}
	for _, r := range v {
		if !javaWhitespace(r) {
			return false
		}
	}
	return true
}

// javaTrim returns s without the bytes from 0x00 to 0x20 at either end, as
// Java's String.trim (those characters are single bytes in UTF-8).
func javaTrim(s string) string {
	i, j := 0, len(s)
	for i < j && s[i] <= ' ' {
		i++
	}
	for j > i && s[j-1] <= ' ' {
		j--
	}
	return s[i:j]
}

// javaWhitespace reports whether r is white space to Java's
// Character.isWhitespace.
func javaWhitespace(r rune) bool {
	switch r {
	case '\u00a0', '\u2007', '\u202f':
		return false
	case '\t', '\n', '\v', '\f', '\r', 0x1c, 0x1d, 0x1e, 0x1f:
		return true
	}
	return unicode.In(r, unicode.Zs, unicode.Zl, unicode.Zp)
}

// Encode returns f as an application/x-www-form-urlencoded body in the
// message charset: keys sorted, values percent-encoded with space as '+',
// byte for byte as Java's URLEncoder encodes them (which the gateway
// expects), keys likewise. UnionPay's keys are plain ASCII names, which
// encoding leaves as they are (the official SDK writes keys unencoded, and
// its pairs in hash-map order: the body decodes to the same fields); a key
// holding '&' or '=' is escaped so that the body still decodes to f. A field
// name that is empty or not printable ASCII is an error matching
// [ErrMalformed], as for [Canonical].
func Encode(f Fields) (string, error) {
	gbk, err := isGBK(f[FieldEncoding])
	if err != nil {
		return "", err
	}
	if err := CheckFieldNames(f); err != nil {
		return "", err
	}
	keys := make([]string, 0, len(f))
	for k := range f {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	var sb strings.Builder
	enc := javagbk.NewEncoder()
	for i, k := range keys {
		v := f[k]
		if gbk && !ascii.Is(v) {
			if v, err = enc.String(v); err != nil {
				return "", fmt.Errorf("%w: field %s not representable in GBK", ErrCharset, textesc.Short(k, maxShown))
			}
		}
		if i > 0 {
			sb.WriteByte('&')
		}
		appendURLEncoded(&sb, k, false)
		sb.WriteByte('=')
		appendURLEncoded(&sb, v, gbk)
	}
	return sb.String(), nil
}

// appendURLEncoded appends s, percent-encoded as Java's URLEncoder encodes
// it: letters, digits and ". - * _" as they are, space as '+', every other
// byte as %XX (upper case). (net/url's QueryEscape differs on '*' and '~',
// which decode the same; a body compared with the Java SDK's, byte for byte,
// would not.) With gbk, s is
// GBK bytes, in which a byte from 0x80 starts a two-byte character whose
// second byte may be an ASCII letter or '_' (0x40-0x7E): URLEncoder escapes
// both bytes of such a character (as it escapes every byte of a UTF-8 one),
// so both are.
func appendURLEncoded(sb *strings.Builder, s string, gbk bool) {
	const hex = "0123456789ABCDEF"
	escape := func(c byte) {
		sb.WriteByte('%')
		sb.WriteByte(hex[c>>4])
		sb.WriteByte(hex[c&15])
	}
	for i := 0; i < len(s); i++ {
		switch c := s[i]; {
		case 'a' <= c && c <= 'z', 'A' <= c && c <= 'Z', '0' <= c && c <= '9', c == '.', c == '-', c == '*', c == '_':
			sb.WriteByte(c)
		case c == ' ':
			sb.WriteByte('+')
		case gbk && c >= 0x80 && i+1 < len(s):
			escape(c)
			i++
			escape(s[i])
		default:
			escape(c)
		}
	}
}

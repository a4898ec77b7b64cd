package sign

import (
	"bytes"
	"encoding/binary"
	"errors"
	"fmt"
	"math/bits"
	"slices"
	"strings"
	"unicode/utf8"

	"golang.org/x/text/encoding/simplifiedchinese"
)

// ErrMalformed reports a message that cannot be parsed. Every *ParseError
// matches it with errors.Is.
var ErrMalformed = errors.New("sign: malformed message")

// ParseError describes where a message could not be parsed.
type ParseError struct {
	Pos   int    // byte offset in the body where the problem was found
	Field string // key of the field concerned, if known
	Msg   string // what is wrong
	Err   error  // a more specific condition (such as ErrCharset), or nil
}

// Error implements error.
func (e *ParseError) Error() string {
	if e.Field != "" {
		return fmt.Sprintf("sign: malformed message at byte %d, field %q: %s", e.Pos, e.Field, e.Msg)
	}
	return fmt.Sprintf("sign: malformed message at byte %d: %s", e.Pos, e.Msg)
}

// Unwrap returns ErrMalformed, and Err if it is set.
func (e *ParseError) Unwrap() []error {
	if e.Err != nil {
		return []error{ErrMalformed, e.Err}
	}
	return []error{ErrMalformed}
}

// ParseRaw parses a synchronous response body in UnionPay's raw format, the
// way the official SDK's convertResultStringToMap does: the body is not
// URL-decoded; a body wrapped in an outer "{...}" loses those braces; the
// key runs to the first '='; inside a value, '{' opens a region that lasts
// to the next '}' and '[' one that lasts to the next ']' (no nesting), and
// an '&' outside such a region ends the pair. Values keep every byte,
// including the CR LF inside signPubKeyCert.
//
// ParseRaw is stricter than the SDK where the SDK would silently produce
// garbage: a pair without '=', an empty key, a trailing '&', a repeated key
// and a value whose '{' or '[' region is still open at the end of the body
// (it would swallow what follows, so the same signed bytes could be split
// into other pairs) are errors. body must already be decoded to UTF-8 (see
// [DecodeBody]).
func ParseRaw(body string) (Fields, error) {
	if len(body) >= 2 && body[0] == '{' && body[len(body)-1] == '}' {
		body = body[1 : len(body)-1]
	}
	f := make(Fields, 32)
	if body == "" {
		return f, nil
	}
	for pos := 0; ; {
		eq := strings.IndexByte(body[pos:], '=')
		amp := strings.IndexByte(body[pos:], '&')
		if eq < 0 || (amp >= 0 && amp < eq) {
			return nil, &ParseError{Pos: pos, Msg: "pair without '='"}
		}
		key := body[pos : pos+eq]
		if key == "" {
			return nil, &ParseError{Pos: pos, Msg: "empty key"}
		}
		start := pos + eq + 1
		end, open := scanRegions(body, start)
		if open {
			return nil, &ParseError{Pos: start, Field: key, Msg: "value leaves '{' or '[' open"}
		}
		if _, dup := f[key]; dup {
			return nil, &ParseError{Pos: pos, Field: key, Msg: "repeated key"}
		}
		f[key] = body[start:end]
		if end == len(body) {
			return f, nil
		}
		pos = end + 1
		if pos == len(body) {
			return nil, &ParseError{Pos: end, Msg: "trailing '&'"}
		}
	}
}

// scanRegions returns the index of the first '&' of s from start on that
// is outside a {...} or [...] region, or len(s), and whether a region is
// still open there.
func scanRegions(s string, start int) (end int, open bool) {
	var closer byte
	for i := start; i < len(s); i++ {
		c := s[i]
		switch {
		case closer != 0:
			if c == closer {
				closer = 0
			}
		case c == '{':
			closer = '}'
		case c == '[':
			closer = ']'
		case c == '&':
			return i, false
		}
	}
	return len(s), closer != 0
}

// ParseForm decodes an application/x-www-form-urlencoded body, as UnionPay
// posts its notifications to backUrl and frontUrl. Like the official SDK it
// drops fields whose value is empty before the message is verified. A
// repeated key and invalid percent-encoding are errors: a notification is
// never guessed at. If the decoded "encoding" field says GBK, values are
// converted from GBK to UTF-8.
//
// So is a pair the string to sign could be read back from in another way:
// a key holding '&' or '=', or a value holding an '&' outside a {...} or
// [...] region or leaving such a region open (see [ParseRaw] for the
// regions). The string to sign joins the pairs with '&' and '=', so without
// this rule a genuine notification could be re-encoded into other fields
// under the same signature: "respCode=00&respMsg=success" sent as one
// field, respCode "00&respMsg=success". UnionPay's own values follow the
// rule (its raw answers could not be parsed otherwise), and so must
// reqReserved, which it echoes.
//
// Notifications carry a percent-encoded certificate of about 2 KB, so the
// body is decoded in one pass into a local buffer, copied once into the
// string that every key and value then shares.
func ParseForm(body string) (Fields, error) {
	// A local array rather than a heap buffer for the common body size:
	// decoding into it allocates nothing and stores no pointer.
	var local [4096]byte
	var buf []byte
	if len(body) <= len(local) {
		buf = local[:len(body)]
	} else {
		buf = make([]byte, len(body))
	}
	copy(buf, body)
	var spansBuf [48]formSpan
	n, spans, err := decodeForm(buf, spansBuf[:0], nil)
	if err != nil {
		return nil, err
	}
	return buildForm(string(buf[:n]), spans, true)
}

// ParseRequestForm is ParseForm without its rule against pairs that make
// the string to sign ambiguous, for the other side of the exchange: a
// gateway (such as unionpaytest) reading merchants' requests, whose free
// text (orderDesc, a frontUrl's query string) may hold '&', or a tool
// reading a message to sign. Messages received from UnionPay go through
// ParseForm.
func ParseRequestForm(body string) (Fields, error) {
	buf := []byte(body)
	n, spans, err := decodeForm(buf, nil, nil)
	if err != nil {
		return nil, err
	}
	return buildForm(string(buf[:n]), spans, false)
}

// Unambiguous returns nil if the string to sign of f can be read back only
// as f, as ParseForm requires of what it returns, and otherwise a
// *ParseError matching ErrMalformed for the first offending field in key
// order: a key holding '&' or '=', or a value holding an '&' outside a
// {...} or [...] region or leaving such a region open. Verifying fields
// decoded by other means (net/url) should check it first.
func Unambiguous(f Fields) error {
	var bad []string
	for k, v := range f {
		if !unambiguousPair(k, v) {
			bad = append(bad, k)
		}
	}
	if len(bad) == 0 {
		return nil
	}
	return &ParseError{Field: slices.Min(bad), Msg: errAmbiguous, Err: ErrAmbiguous}
}

// ParseFormCanonical is ParseForm on a body held as bytes that also
// appends the message's string to sign, the bytes [Canonical] returns for
// the Fields, to dst. For a UTF-8 message it is built from the decoded
// pairs themselves, in the order they came: no map is iterated, a body
// whose keys arrive sorted (as [Encode] writes them) needs almost no
// sorting, and any other order costs less than sorting a map. [ValueCache]
// has a variant that also skips decoding a long value seen before.
//
// body is decoded in place, so it is overwritten; the Fields refer to a
// copy of the decoded text, never to body, which the caller may reuse as
// soon as ParseFormCanonical returns.
func ParseFormCanonical(body, dst []byte) (Fields, []byte, error) {
	return parseFormCanonical(body, dst, nil)
}

// parseFormCanonical is ParseFormCanonical with an optional value cache.
func parseFormCanonical(body, dst []byte, vc *ValueCache) (Fields, []byte, error) {
	var spansBuf [48]formSpan
	n, spans, err := decodeForm(body, spansBuf[:0], vc)
	if err != nil {
		return nil, dst, err
	}
	all := string(body[:n]) // values from the cache are not in it
	f, err := buildForm(all, spans, true)
	if err != nil {
		return nil, dst, err
	}
	if gbk, _ := isGBK(f[FieldEncoding]); gbk { // buildForm checked the name
		c, err := Canonical(f)
		if err != nil {
			return nil, dst, err
		}
		return f, append(dst, c...), nil
	}
	return f, appendSpansCanonical(dst, all, spans), nil
}

// appendSpansCanonical appends the string to sign of the decoded pairs
// spans of all: pairs with an empty value (dropped from the Fields) and
// the signature left out, the rest sorted by key (insertion sort, linear
// for pairs already in order, up to maxSmallMessage of them; buildForm has
// rejected repeated keys).
func appendSpansCanonical(dst []byte, all string, spans []formSpan) []byte {
	kept := spans[:0] // reuses spans' array: the caller is done with it
	size := 0
	for _, sp := range spans {
		if sp.empty() || all[sp.k0:sp.k1] == FieldSignature {
			continue
		}
		kept = append(kept, sp)
		size += sp.k1 - sp.k0 + len(sp.value(all)) + 2
	}
	if len(kept) > maxSmallMessage {
		// A hostile body can hold thousands of pairs in reverse order:
		// no quadratic sort for it.
		slices.SortFunc(kept, func(a, b formSpan) int {
			return strings.Compare(all[a.k0:a.k1], all[b.k0:b.k1])
		})
	}
	for i := 1; i < len(kept); i++ { // sorted already if it was long
		x := kept[i]
		key := all[x.k0:x.k1]
		j := i
		for ; j > 0 && key < all[kept[j-1].k0:kept[j-1].k1]; j-- {
			kept[j] = kept[j-1]
		}
		kept[j] = x
	}
	dst = slices.Grow(dst, size)
	for i, sp := range kept {
		if i > 0 {
			dst = append(dst, '&')
		}
		dst = append(dst, all[sp.k0:sp.k1]...)
		dst = append(dst, '=')
		dst = append(dst, sp.value(all)...)
	}
	return dst
}

// buildForm makes the Fields of the decoded pairs spans of all; strict
// applies ParseForm's rule of unambiguous pairs.
func buildForm(all string, spans []formSpan, strict bool) (Fields, error) {
	f := make(Fields, len(spans))
	empty := false
	for _, sp := range spans {
		key := all[sp.k0:sp.k1]
		n := len(f)
		f[key] = sp.value(all)
		if len(f) == n {
			return nil, &ParseError{Pos: sp.pos, Field: key, Msg: "repeated key"}
		}
		empty = empty || sp.empty()
	}
	gbk, err := formFromGBK(f)
	if err != nil {
		return nil, err
	}
	if strict {
		if err := ambiguous(f, gbk, all, spans); err != nil {
			return nil, err
		}
	}
	if empty {
		for _, sp := range spans {
			if sp.empty() {
				delete(f, all[sp.k0:sp.k1])
			}
		}
	}
	return f, nil
}

// ErrAmbiguous is wrapped, besides ErrMalformed, by the *ParseError for a
// field that breaks ParseForm's rule: the string to sign could be read back
// as other fields.
var ErrAmbiguous = errors.New("sign: the string to sign would not be read back as these fields")

// errAmbiguous is the message of the ParseError wrapping ErrAmbiguous.
const errAmbiguous = "'&' or '=' in the key, or an '&' outside {} or [] (or one of them left open) in the value"

// ambiguous returns the error for the first of the decoded pairs spans of
// all (f being their Fields) that breaks ParseForm's rule, or nil. A pair
// with an empty value is dropped, so it cannot break it.
func ambiguous(f Fields, gbk bool, all string, spans []formSpan) error {
	bad := -1
	if gbk {
		// In GBK the second byte of a character may be a brace or a
		// bracket, which can hide an '&' or make one look outside a
		// region: the rule is for the characters, checked once decoded.
		for i, sp := range spans {
			if key := all[sp.k0:sp.k1]; !sp.empty() && !unambiguousPair(key, f[key]) {
				bad = i
				break
			}
		}
	} else {
		bad = firstAmbiguous(all, spans)
	}
	if bad < 0 {
		return nil
	}
	return &ParseError{Pos: spans[bad].pos, Field: all[spans[bad].k0:spans[bad].k1], Msg: errAmbiguous, Err: ErrAmbiguous}
}

// unambiguousPair reports whether key=value can be read back from a string
// to sign only as itself: the key holds no '&' or '=', and the value no '&'
// outside a {...} or [...] region, which it closes (rawValueEnd's regions).
func unambiguousPair(key, value string) bool {
	return unambiguousKey(key) && unambiguousValue(value)
}

// unambiguousKey is unambiguousPair's rule for the key.
func unambiguousKey(key string) bool {
	return strings.IndexByte(key, '&') < 0 && strings.IndexByte(key, '=') < 0
}

// unambiguousValue is unambiguousPair's rule for the value.
func unambiguousValue(v string) bool {
	if plainValue(v) {
		return true
	}
	end, open := scanRegions(v, 0)
	return end == len(v) && !open
}

// plainValue reports whether v holds none of '&', '{' and '['. Long values
// (a certificate, a signature) are searched by the runtime's vectorised
// IndexByte, the others eight bytes at a time ('{' and '[' differ only in
// the bit 0x20).
func plainValue(v string) bool {
	if len(v) >= 256 {
		return strings.IndexByte(v, '&') < 0 && strings.IndexByte(v, '{') < 0 && strings.IndexByte(v, '[') < 0
	}
	if len(v) < 8 {
		for i := 0; i < len(v); i++ {
			if c := v[i]; c == '&' || c|0x20 == '{' {
				return false
			}
		}
		return true
	}
	const ones, high, amps, braces, lower = 0x0101010101010101, 0x8080808080808080, 0x2626262626262626, 0x7b7b7b7b7b7b7b7b, 0x2020202020202020
	var found uint64
	check := func(x uint64) {
		a, b := x^amps, (x|lower)^braces // a zero byte where x is '&', b where it is '{' or '['
		found |= (a-ones)&^a | (b-ones)&^b
	}
	i := 0
	for ; i+8 <= len(v); i += 8 {
		check(uint64(v[i]) | uint64(v[i+1])<<8 | uint64(v[i+2])<<16 | uint64(v[i+3])<<24 |
			uint64(v[i+4])<<32 | uint64(v[i+5])<<40 | uint64(v[i+6])<<48 | uint64(v[i+7])<<56)
	}
	if i < len(v) { // the last eight bytes, overlapping
		j := len(v) - 8
		check(uint64(v[j]) | uint64(v[j+1])<<8 | uint64(v[j+2])<<16 | uint64(v[j+3])<<24 |
			uint64(v[j+4])<<32 | uint64(v[j+5])<<40 | uint64(v[j+6])<<48 | uint64(v[j+7])<<56)
	}
	return found&high == 0
}

// formSpan locates one decoded pair in the decoded buffer: the key is
// [k0,k1) and the value [k1,v1), or cached's text if that is set (then
// k1 == v1); pos is where the pair starts in the body.
type formSpan struct {
	k0, k1, v1, pos int
	cached          *cachedValue
	escapedKey      bool // the key had %-escapes: only then can it hold '&' or '='
}

// firstAmbiguous returns the index of the first of the decoded pairs spans
// of all (UTF-8) that breaks ParseForm's rule (unambiguousPair), or -1. Only a key
// with %-escapes can hold '&' or '=', and only a value holding '&', '{' or
// '[' can break the rule: those are found by the runtime's vectorised
// IndexByte over the whole decoded text, and only their pairs looked at.
func firstAmbiguous(all string, spans []formSpan) int {
	bad := -1
	note := func(i int) {
		if bad < 0 || i < bad {
			bad = i
		}
	}
	for i := range spans {
		sp := &spans[i]
		if sp.escapedKey && !sp.empty() && !unambiguousKey(all[sp.k0:sp.k1]) || // an empty pair is dropped
			sp.cached != nil && !sp.cached.plain && !unambiguousValue(sp.cached.decoded) {
			note(i)
		}
	}
	for _, c := range [...]byte{'&', '{', '['} {
		j := 0 // spans before j end before p
		for p := strings.IndexByte(all, c); p >= 0; {
			for j < len(spans) && spans[j].v1 <= p {
				j++
			}
			if j == len(spans) {
				break
			}
			sp := &spans[j]
			from := sp.v1 // where to look next: past this pair
			if p < sp.k1 {
				from = sp.k1 // in the key, which may hold it: the value may too
			} else if !unambiguousValue(all[sp.k1:sp.v1]) {
				note(j)
			}
			next := strings.IndexByte(all[from:], c)
			if next < 0 {
				break
			}
			p = from + next
		}
	}
	return bad
}

// value returns the pair's value, all being the decoded buffer.
func (sp *formSpan) value(all string) string {
	if sp.cached != nil {
		return sp.cached.decoded
	}
	return all[sp.k1:sp.v1]
}

// empty reports whether the pair's value is empty.
func (sp *formSpan) empty() bool {
	return sp.v1 == sp.k1 && (sp.cached == nil || sp.cached.decoded == "")
}

// decodeForm decodes the pairs of the form in buf in place: decoded bytes
// are never longer than their encoding, so they are written at or before
// the bytes still to be read. The decoded keys and values, without '=' and
// '&', end up packed in buf[:n], located by the spans appended to spans.
// vc, if not nil, supplies or remembers the decoding of its field's value,
// which is then left out of buf.
func decodeForm(buf []byte, spans []formSpan, vc *ValueCache) (n int, _ []formSpan, _ error) {
	w := 0 // write position: decoded bytes are buf[:w]
	for pos := 0; pos < len(buf); {
		end := bytes.IndexByte(buf[pos:], '&')
		if end < 0 {
			end = len(buf)
		} else {
			end += pos
		}
		if pos < end {
			// Keys are short: a plain loop finds '=' sooner than a call.
			keyEnd := pos
			for keyEnd < end && buf[keyEnd] != '=' {
				keyEnd++
			}
			valStart := min(keyEnd+1, end)
			sp := formSpan{k0: w, pos: pos}
			var ok bool
			if w, ok = unescapeInPlace(buf, w, pos, keyEnd); !ok {
				return 0, spans, &ParseError{Pos: pos, Msg: "invalid percent-encoding in key"}
			}
			sp.k1 = w
			sp.escapedKey = sp.k1-sp.k0 != keyEnd-pos
			if sp.k1 == sp.k0 {
				return 0, spans, &ParseError{Pos: pos, Msg: "empty key"}
			}
			if vc != nil && vc.key == string(buf[sp.k0:sp.k1]) {
				sp.cached, ok = vc.decode(buf, valStart, end)
			} else {
				w, ok = unescapeInPlace(buf, w, valStart, end)
			}
			if !ok {
				return 0, spans, &ParseError{Pos: pos, Field: string(buf[sp.k0:sp.k1]), Msg: "invalid percent-encoding"}
			}
			sp.v1 = w
			spans = append(spans, sp)
		}
		pos = end + 1
	}
	return w, spans, nil
}

// unescapeInPlace decodes buf[r:end] ('+' as space and %XX, as
// url.QueryUnescape does) into buf from w on (w <= r), returns the new write
// position and reports whether every escape was valid. It moves eight bytes
// at a time while they hold neither '%' nor '+': a notification's
// certificate and signature have an escape only every few dozen bytes.
func unescapeInPlace(buf []byte, w, r, end int) (int, bool) {
	for r+8 <= end {
		x := binary.LittleEndian.Uint64(buf[r:])
		m := escapeMask(x)
		if m == 0 {
			// The eight bytes written end at or before the eight just
			// read: nothing still to be read is overwritten.
			binary.LittleEndian.PutUint64(buf[w:], x)
			w += 8
			r += 8
			continue
		}
		k := bits.TrailingZeros64(m) >> 3 // bytes before the escape
		if r-w >= 8 {
			// All eight land before r: the bytes past k are overwritten
			// by what is decoded next.
			binary.LittleEndian.PutUint64(buf[w:], x)
		} else {
			copy(buf[w:], buf[r:r+k])
		}
		w += k
		r += k
		if x>>(k*8)&0xff == '+' {
			buf[w] = ' '
			w++
			r++
			continue
		}
		b, ok := percentByte(buf, r, end)
		if !ok {
			return w, false
		}
		buf[w] = b
		w++
		r += 3
	}
	for r < end { // fewer than eight bytes left
		switch c := buf[r]; c {
		case '+':
			buf[w] = ' '
			r++
		case '%':
			b, ok := percentByte(buf, r, end)
			if !ok {
				return w, false
			}
			buf[w] = b
			r += 3
		default:
			buf[w] = c
			r++
		}
		w++
	}
	return w, true
}

// percentByte returns the byte encoded by the escape %XX at buf[r], which
// must end before end, and reports whether it is one.
func percentByte(buf []byte, r, end int) (byte, bool) {
	if r+2 >= end {
		return 0, false
	}
	hi, lo := hexValue[buf[r+1]], hexValue[buf[r+2]]
	return hi<<4 | lo, hi|lo <= 0x0f
}

// hexValue maps a byte to its value as a hexadecimal digit, or 0xff.
const hexValue = "\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff" +
	"\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff" +
	"\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff" +
	"\x00\x01\x02\x03\x04\x05\x06\x07\x08\x09\xff\xff\xff\xff\xff\xff" +
	"\xff\x0a\x0b\x0c\x0d\x0e\x0f\xff\xff\xff\xff\xff\xff\xff\xff\xff" +
	"\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff" +
	"\xff\x0a\x0b\x0c\x0d\x0e\x0f\xff\xff\xff\xff\xff\xff\xff\xff\xff" +
	"\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff" +
	"\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff" +
	"\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff" +
	"\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff" +
	"\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff" +
	"\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff" +
	"\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff" +
	"\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff" +
	"\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff"

// escapeMask returns, for the eight bytes of x, a mask whose lowest set bit
// is the high bit of the first byte that is '%' or '+', or 0 if there is
// none. (Bits above the first match may be spurious.)
func escapeMask(x uint64) uint64 {
	const ones, highs = 0x0101010101010101, 0x8080808080808080
	pct := x ^ (ones * '%')
	plus := x ^ (ones * '+')
	return ((pct-ones)&^pct | (plus-ones)&^plus) & highs
}

// formFromGBK converts the values of a GBK message to UTF-8.
func formFromGBK(f Fields) (gbk bool, err error) {
	gbk, err = isGBK(f[FieldEncoding])
	if err != nil {
		return false, &ParseError{Field: FieldEncoding, Msg: fmt.Sprintf("unsupported charset %q", f[FieldEncoding]), Err: ErrCharset}
	}
	if !gbk {
		return false, nil
	}
	dec := simplifiedchinese.GBK.NewDecoder()
	bad := "" // the first invalid field in key order, for a deterministic error
	for k, v := range f {
		if !isASCII(v) {
			// The decoder replaces bad bytes with U+FFFD, which GBK cannot encode.
			if f[k], err = dec.String(v); (err != nil || strings.ContainsRune(f[k], utf8.RuneError)) && (bad == "" || k < bad) {
				bad = k
			}
		}
	}
	if bad != "" {
		return true, &ParseError{Field: bad, Msg: "invalid GBK"}
	}
	return true, nil
}

// DecodeBody converts a message body from the charset named by encoding
// (UTF-8 or GBK) to UTF-8, for [ParseRaw].
func DecodeBody(body []byte, encoding string) (string, error) {
	gbk, err := isGBK(encoding)
	if err != nil {
		return "", err
	}
	if !gbk || isASCII(string(body)) {
		return string(body), nil
	}
	s, err := simplifiedchinese.GBK.NewDecoder().Bytes(body)
	if err != nil || bytes.ContainsRune(s, utf8.RuneError) { // the decoder replaces bad bytes with U+FFFD, which GBK has not
		return "", fmt.Errorf("%w: body is not valid GBK", ErrCharset)
	}
	return string(s), nil
}

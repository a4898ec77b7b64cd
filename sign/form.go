package sign

import (
	"bytes"
	"encoding/binary"
	"math/bits"
	"slices"
	"strings"
	"unicode/utf8"

	"github.com/goacp/unionpay/internal/ascii"
	"github.com/goacp/unionpay/internal/javagbk"
	"github.com/goacp/unionpay/internal/textesc"
)

// ParseForm decodes an application/x-www-form-urlencoded body, as UnionPay
// posts its notifications to backUrl and frontUrl. Like the official SDK it
// drops fields whose value is empty before the message is verified. A
// repeated key, invalid percent-encoding and a field name that is not
// printable ASCII (which [Canonical] refuses) are errors: a notification is
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
// A body of more than [MaxFields] pairs (counting those with an empty
// value) is refused once the pair past the limit is reached, before it is
// decoded and before any map is built: a *ParseError matching
// [ErrTooManyFields]. So it is by [ParseRequestForm] and
// [ParseFormCanonical].
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
		if pe, ok := err.(*ParseError); ok && pe.Field != "" { // say where the field is
			for _, sp := range spans {
				if all[sp.k0:sp.k1] == pe.Field {
					pe.Pos = sp.pos
					break
				}
			}
		}
		return nil, err
	}
	if strict {
		// A field name UnionPay's would not have: Canonical refuses it (see
		// CheckFieldNames), so a message received with one is refused here.
		for _, sp := range spans {
			if key := all[sp.k0:sp.k1]; !sp.empty() && !printableASCII(key) {
				return nil, &ParseError{Pos: sp.pos, Field: key, Msg: "field name is not printable ASCII"}
			}
		}
		if err := ambiguous(f, gbk, all, spans); err != nil {
			return nil, err
		}
	}
	if empty {
		dropped := 0
		for _, sp := range spans {
			if sp.empty() {
				delete(f, all[sp.k0:sp.k1])
				dropped++
			}
		}
		if dropped > len(f) {
			// f was sized for every pair, and a map never shrinks: a body of
			// empty values (UnionPay's have a few) would hand the caller a
			// table many times what the Fields need, 86 KB for one field.
			small := make(Fields, len(f))
			for k, v := range f {
				small[k] = v
			}
			f = small
		}
	}
	return f, nil
}

// formSpan locates one decoded pair in the decoded buffer: the key is
// [k0,k1) and the value [k1,v1), or cached's text if that is set (then
// k1 == v1); pos is where the pair starts in the body.
type formSpan struct {
	k0, k1, v1, pos int
	cached          *cachedValue
	escapedKey      bool // the key had %-escapes: only then can it hold '&' or '='
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
			if len(spans) == MaxFields {
				return 0, spans, tooMany(pos)
			}
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
			if len(spans) == cap(spans) {
				// Grown once to the most pairs the rest of the body can hold (one
				// after each '&'), rather than by append's steps, a quarter at a
				// time past 256, each copying all: a hostile body of 64 KiB of
				// "&b" allocated 5 times its 32,768 spans' 1.5 MB. Never past
				// MaxFields, the most a body may have.
				spans = slices.Grow(spans, min(bytes.Count(buf[end:], []byte{'&'})+1, MaxFields-len(spans)))
			}
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
		return false, &ParseError{Field: FieldEncoding, Msg: "unsupported charset " + textesc.QuoteShort(f[FieldEncoding], maxShown),
			Err: ErrCharset}
	}
	if !gbk {
		return false, nil
	}
	dec := javagbk.NewDecoder()
	bad := "" // the first invalid field in key order, for a deterministic error
	for k, v := range f {
		if !ascii.Is(v) {
			// The decoder replaces bad bytes with U+FFFD, which GBK cannot encode.
			if f[k], err = dec.String(v); (err != nil || strings.ContainsRune(f[k], utf8.RuneError)) && (bad == "" || k < bad) {
				bad = k
			}
		}
	}
	if bad != "" {
		return true, &ParseError{Field: bad, Msg: "invalid GBK (a UTF-8 body declared as GBK?)", Err: ErrCharset}
	}
	return true, nil
}

package sign

import (
	"bytes"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/goacp/unionpay/internal/ascii"
	"github.com/goacp/unionpay/internal/javagbk"
	"github.com/goacp/unionpay/internal/mask"
	"github.com/goacp/unionpay/internal/textesc"
)

// ErrMalformed reports a message that cannot be parsed. Every *ParseError
// matches it with errors.Is.
var ErrMalformed = errors.New("sign: malformed message")

// MaxFields is the most pairs [ParseRaw], [ParseForm], [ParseRequestForm]
// and [ParseFormCanonical] read from one body (or one {...} region read
// with ParseRaw): UnionPay's largest messages have well under 200 fields.
// A body with more is refused, after at most MaxFields pairs are decoded,
// with a *[ParseError] matching [ErrTooManyFields], so that a body of tiny
// pairs (16 MiB of them, a client's default answer limit, would be two
// million) never becomes a map of that many entries.
const MaxFields = 1024

// ErrTooManyFields reports a body with more than [MaxFields] pairs. It
// comes as the Err of a *[ParseError], which matches [ErrMalformed] too.
var ErrTooManyFields = fmt.Errorf("sign: more than %d fields (sign.MaxFields)", MaxFields)

// ParseError describes where a message could not be parsed.
type ParseError struct {
	Pos   int    // byte offset in the body where the problem was found
	Field string // key of the field concerned, if known, whole
	Msg   string // what is wrong
	Err   error  // a more specific condition (such as ErrCharset), or nil
}

// Error implements error. It quotes Field, the message's own key, as the
// log forms of [Fields] show a key: whole when it reads as a field name
// (an ASCII letter, then ASCII letters or digits, no two digits in a row),
// else cut where it stops reading as one, "accNo...", or "..." (a refused
// body's key may hold a value: "accNo 6216261000000000018", a space sent
// for '='; notify.Handler logs the error of every refused body); and only
// up to its first 64 bytes, then says how long it is: a refused body with
// a 64 KiB key must not make a log line of that size. Field keeps the
// key whole.
func (e *ParseError) Error() string {
	if e.Field != "" {
		return fmt.Sprintf("sign: malformed message at byte %d, field %s: %s", e.Pos,
			fieldShown(e.Field), e.Msg)
	}
	return fmt.Sprintf("sign: malformed message at byte %d: %s", e.Pos, e.Msg)
}

// GoString is e in Go syntax with Field shown as Error shows it (a key that
// is no field name cut, "accNo...", and only its first 64 bytes), so that %#v
// prints no card number a refused body's key holds either; Err is shown as
// %#v shows it. Field itself keeps the key whole.
func (e *ParseError) GoString() string {
	if e == nil {
		return "(*sign.ParseError)(nil)"
	}
	field := `""`
	if e.Field != "" {
		field = fieldShown(e.Field)
	}
	return fmt.Sprintf("&sign.ParseError{Pos:%d, Field:%s, Msg:%q, Err:%#v}", e.Pos, field, e.Msg, e.Err)
}

// maxShown is how many bytes of a message's own key or value an error
// quotes.
const maxShown = 64

// fieldShown is k, a message's own key, as ParseError's text quotes it: a
// key that [mask.Key] leaves whole (a field name) quoted to its first
// maxShown bytes, as textesc.QuoteShort quotes it; any other cut by
// mask.Key, "..." when what reads as a name is longer than maxShown, then
// its length when it is longer than maxShown: `"accNo..."`,
// `"..." (65536 bytes)`.
func fieldShown(k string) string {
	if mask.IsName(k) {
		return textesc.QuoteShort(k, maxShown)
	}
	shown := strconv.Quote(mask.Key(k, maxShown))
	if len(k) > maxShown {
		shown += " (" + strconv.Itoa(len(k)) + " bytes)"
	}
	return shown
}

// tooMany is the error of a body whose pair at pos is one past MaxFields.
func tooMany(pos int) *ParseError {
	return &ParseError{Pos: pos, Msg: fmt.Sprintf("more than %d fields (sign.MaxFields)", MaxFields), Err: ErrTooManyFields}
}

// Unwrap returns ErrMalformed, and Err if it is set.
func (e *ParseError) Unwrap() []error {
	if e.Err != nil {
		return []error{ErrMalformed, e.Err}
	}
	return []error{ErrMalformed}
}

// ParseRaw parses a synchronous response body in UnionPay's raw format, the
// way the official SDK's convertResultStringToMap does. The body is not
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
//
// A body of more than [MaxFields] pairs is refused as soon as the pair past
// the limit is reached (a *ParseError matching [ErrTooManyFields]).
func ParseRaw(body string) (Fields, error) {
	if len(body) >= 2 && body[0] == '{' && body[len(body)-1] == '}' {
		body = body[1 : len(body)-1]
	}
	f := make(Fields, 32)
	if body == "" {
		return f, nil
	}
	for pos := 0; ; {
		if len(f) == MaxFields {
			return nil, tooMany(pos)
		}
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

// DecodeBody converts a message body from the charset named by encoding
// (UTF-8 or GBK) to UTF-8, for [ParseRaw].
func DecodeBody(body []byte, encoding string) (string, error) {
	gbk, err := isGBK(encoding)
	if err != nil {
		return "", err
	}
	if !gbk || ascii.Is(body) {
		return string(body), nil
	}
	s, err := javagbk.NewDecoder().Bytes(body)
	if err != nil || bytes.ContainsRune(s, utf8.RuneError) { // the decoder replaces bad bytes with U+FFFD, which GBK has not
		return "", fmt.Errorf("%w: body is not valid GBK", ErrCharset)
	}
	return string(s), nil
}

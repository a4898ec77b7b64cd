package sign

import (
	"errors"
	"fmt"
	"strings"

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
}

// Error implements error.
func (e *ParseError) Error() string {
	if e.Field != "" {
		return fmt.Sprintf("sign: malformed message at byte %d, field %q: %s", e.Pos, e.Field, e.Msg)
	}
	return fmt.Sprintf("sign: malformed message at byte %d: %s", e.Pos, e.Msg)
}

// Unwrap returns ErrMalformed.
func (e *ParseError) Unwrap() error { return ErrMalformed }

// ParseRaw parses a synchronous response body in UnionPay's raw format, the
// way the official SDK's convertResultStringToMap does: the body is not
// URL-decoded; a body wrapped in an outer "{...}" loses those braces; the
// key runs to the first '='; inside a value, '{' opens a region that lasts
// to the next '}' and '[' one that lasts to the next ']' (no nesting), and
// an '&' outside such a region ends the pair. Values keep every byte,
// including the CR LF inside signPubKeyCert.
//
// ParseRaw is stricter than the SDK where the SDK would silently produce
// garbage: a pair without '=', an empty key, a trailing '&' and a repeated
// key are errors. body must already be decoded to UTF-8 (see [DecodeBody]).
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
		end := rawValueEnd(body, start)
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

// rawValueEnd returns the index of the '&' that ends the value starting at
// start, or len(body).
func rawValueEnd(body string, start int) int {
	var closer byte
	for i := start; i < len(body); i++ {
		c := body[i]
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
			return i
		}
	}
	return len(body)
}

// ParseForm decodes an application/x-www-form-urlencoded body, as UnionPay
// posts its notifications to backUrl and frontUrl. Like the official SDK it
// drops fields whose value is empty before the message is verified. A
// repeated key and invalid percent-encoding are errors: a notification is
// never guessed at. If the decoded "encoding" field says GBK, values are
// converted from GBK to UTF-8.
//
// Notifications carry a percent-encoded certificate of about 2 KB, so the
// body is decoded in one pass into a local buffer, copied once into the
// string that every key and value then shares.
func ParseForm(body string) (Fields, error) {
	var spansBuf [48]formSpan
	spans := spansBuf[:0]
	// A slice on the stack rather than a strings.Builder: appending to it
	// stores no pointer to the heap, so no write barrier while the GC runs.
	var decBuf [4096]byte
	dec := decBuf[:0]
	if len(body) > len(decBuf) {
		dec = make([]byte, 0, len(body))
	}
	for pos := 0; pos < len(body); {
		end := strings.IndexByte(body[pos:], '&')
		if end < 0 {
			end = len(body)
		} else {
			end += pos
		}
		if pos < end {
			var sp formSpan
			var err error
			if dec, sp, err = decodeFormPair(dec, body[pos:end], pos); err != nil {
				return nil, err
			}
			spans = append(spans, sp)
		}
		pos = end + 1
	}
	all := string(dec)
	f := make(Fields, len(spans))
	empty := false
	for _, sp := range spans {
		key := all[sp.k0:sp.k1]
		n := len(f)
		f[key] = all[sp.k1:sp.v1]
		if len(f) == n {
			return nil, &ParseError{Pos: sp.pos, Field: key, Msg: "repeated key"}
		}
		empty = empty || sp.v1 == sp.k1
	}
	if err := formFromGBK(f); err != nil {
		return nil, err
	}
	if empty {
		for _, sp := range spans {
			if sp.v1 == sp.k1 {
				delete(f, all[sp.k0:sp.k1])
			}
		}
	}
	return f, nil
}

// formSpan locates one decoded pair in ParseForm's buffer: the key is
// [k0,k1) and the value [k1,v1).
type formSpan struct{ k0, k1, v1, pos int }

// decodeFormPair appends the decoded key and value of pair (which starts at
// byte pos of the body) to dec.
func decodeFormPair(dec []byte, pair string, pos int) ([]byte, formSpan, error) {
	rawKey, rawVal, _ := strings.Cut(pair, "=")
	sp := formSpan{k0: len(dec), pos: pos}
	var ok bool
	if dec, ok = appendUnescaped(dec, rawKey); !ok {
		return dec, sp, &ParseError{Pos: pos, Msg: "invalid percent-encoding in key"}
	}
	sp.k1 = len(dec)
	if sp.k1 == sp.k0 {
		return dec, sp, &ParseError{Pos: pos, Msg: "empty key"}
	}
	if dec, ok = appendUnescaped(dec, rawVal); !ok {
		return dec, sp, &ParseError{Pos: pos, Field: string(dec[sp.k0:sp.k1]), Msg: "invalid percent-encoding"}
	}
	sp.v1 = len(dec)
	return dec, sp, nil
}

// appendUnescaped appends s to dst with '+' as space and %XX decoded, as
// url.QueryUnescape does, and reports whether every escape was valid.
// Literal runs are found with strings.IndexByte, which scans many bytes at
// a time.
func appendUnescaped(dst []byte, s string) ([]byte, bool) {
	plus := strings.IndexByte(s, '+') // next '+' at or after i, or -1
	for i := 0; i < len(s); {
		j := strings.IndexByte(s[i:], '%')
		if j < 0 {
			j = len(s)
		} else {
			j += i
		}
		for plus >= 0 && plus < j {
			dst = append(dst, s[i:plus]...)
			dst = append(dst, ' ')
			i = plus + 1
			if plus = strings.IndexByte(s[i:], '+'); plus >= 0 {
				plus += i
			}
		}
		dst = append(dst, s[i:j]...)
		if j == len(s) {
			break
		}
		if j+2 >= len(s) {
			return dst, false
		}
		hi, ok1 := unhex(s[j+1])
		lo, ok2 := unhex(s[j+2])
		if !ok1 || !ok2 {
			return dst, false
		}
		dst = append(dst, hi<<4|lo)
		i = j + 3
	}
	return dst, true
}

func unhex(c byte) (byte, bool) {
	switch {
	case '0' <= c && c <= '9':
		return c - '0', true
	case 'a' <= c && c <= 'f':
		return c - 'a' + 10, true
	case 'A' <= c && c <= 'F':
		return c - 'A' + 10, true
	}
	return 0, false
}

// formFromGBK converts the values of a GBK message to UTF-8.
func formFromGBK(f Fields) error {
	gbk, err := isGBK(f[FieldEncoding])
	if err != nil || !gbk {
		return err
	}
	dec := simplifiedchinese.GBK.NewDecoder()
	for k, v := range f {
		if !isASCII(v) {
			if f[k], err = dec.String(v); err != nil {
				return &ParseError{Field: k, Msg: "invalid GBK"}
			}
		}
	}
	return nil
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
	if err != nil {
		return "", fmt.Errorf("%w: body is not valid GBK", ErrCharset)
	}
	return string(s), nil
}

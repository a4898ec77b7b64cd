package sign

import (
	"errors"
	"fmt"
	"net/url"
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
func ParseForm(body string) (Fields, error) {
	f := make(Fields, 32)
	for pos := 0; pos < len(body); {
		end := strings.IndexByte(body[pos:], '&')
		if end < 0 {
			end = len(body)
		} else {
			end += pos
		}
		if err := parseFormPair(f, body[pos:end], pos); err != nil {
			return nil, err
		}
		pos = end + 1
	}
	gbk, err := isGBK(f[FieldEncoding])
	if err != nil {
		return nil, err
	}
	if gbk {
		dec := simplifiedchinese.GBK.NewDecoder()
		for k, v := range f {
			if !isASCII(v) {
				if f[k], err = dec.String(v); err != nil {
					return nil, &ParseError{Field: k, Msg: "invalid GBK"}
				}
			}
		}
	}
	for k, v := range f {
		if v == "" {
			delete(f, k)
		}
	}
	return f, nil
}

func parseFormPair(f Fields, pair string, pos int) error {
	if pair == "" {
		return nil
	}
	rawKey, rawVal, _ := strings.Cut(pair, "=")
	key, err := url.QueryUnescape(rawKey)
	if err != nil {
		return &ParseError{Pos: pos, Msg: "invalid percent-encoding in key"}
	}
	if key == "" {
		return &ParseError{Pos: pos, Msg: "empty key"}
	}
	val, err := url.QueryUnescape(rawVal)
	if err != nil {
		return &ParseError{Pos: pos, Field: key, Msg: "invalid percent-encoding"}
	}
	if _, dup := f[key]; dup {
		return &ParseError{Pos: pos, Field: key, Msg: "repeated key"}
	}
	f[key] = val
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

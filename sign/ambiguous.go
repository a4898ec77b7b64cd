package sign

import (
	"errors"
	"slices"
	"strings"
)

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
// outside a {...} or [...] region, which it closes (the regions of scanRegions).
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

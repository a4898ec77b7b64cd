// Package textesc writes the characters that a terminal, a log line or a line-oriented tool
// would act on, instead of showing, as Go escapes: one rule for the reports of package reconcile
// and the output of the command-line tool, whose text comes from outside (a settlement file, a
// merchant's orders, a zip's member names, an answer).
package textesc

import (
	"fmt"
	"strconv"
	"strings"
	"unicode/utf8"
)

// Escape returns s with the C0 and C1 controls, DEL, the line and paragraph separators U+2028
// and U+2029, the bidirectional overrides and isolates (U+202A-U+202E, U+2066-U+2069) and every
// byte that is not UTF-8 written as Go escapes (\x1b, \n, \u202e, and \xb5 for such a byte;
// U+FFFD itself stays). With lines, text shown as lines keeps its tabs, line feeds, CR LF pairs
// and U+2028 and U+2029 (a lone CR, which lets the rest of a line overwrite its start, is still
// escaped). It returns s itself, without allocating, when there is nothing to escape.
func Escape(s string, lines bool) string {
	for i := 0; i < len(s); {
		if c := s[i]; c >= 0x20 && c < 0x7f { // printable ASCII: every real identifier
			i++
			continue
		}
		r, n := utf8.DecodeRuneInString(s[i:])
		if escaped(s, i, r, n, lines) {
			return escape(s, lines)
		}
		i += n
	}
	return s
}

// escaped reports whether Escape escapes the rune r, of n bytes at s[i] (a RuneError of one
// byte is a byte that is not UTF-8).
func escaped(s string, i int, r rune, n int, lines bool) bool {
	switch {
	case r == utf8.RuneError:
		return n == 1
	case lines && (r == '\t' || r == '\n' || r == 0x2028 || r == 0x2029 ||
		r == '\r' && strings.HasPrefix(s[i+1:], "\n")):
		return false
	case r < 0x20, r >= 0x7f && r < 0xa0, r == 0x2028, r == 0x2029, r >= 0x202a && r <= 0x202e,
		r >= 0x2066 && r <= 0x2069:
		return true
	}
	return false
}

// escape writes s as Escape returns it, when it has a rune to escape.
func escape(s string, lines bool) string {
	var b strings.Builder
	b.Grow(len(s) + 8)
	for i := 0; i < len(s); {
		r, n := utf8.DecodeRuneInString(s[i:])
		switch {
		case !escaped(s, i, r, n, lines):
			b.WriteString(s[i : i+n])
		case n == 1 && r == utf8.RuneError:
			fmt.Fprintf(&b, `\x%02x`, s[i])
		default:
			q := strconv.QuoteRuneToASCII(r)
			b.WriteString(q[1 : len(q)-1])
		}
		i += n
	}
	return b.String()
}

// QuoteShort returns s quoted as with %q, but only its first max bytes (cut at the start of a
// character) followed by "… (N bytes)" when it is longer: how an error shows a key or value whose
// length the sender of a message chose, so that a refused message cannot make a log line of its
// own size. The result is one line: %q escapes every control byte.
func QuoteShort(s string, max int) string {
	if len(s) <= max {
		return strconv.Quote(s)
	}
	return strconv.Quote(s[:cutAt(s, max)]) + lengthNote(s)
}

// Short is QuoteShort without the quoting, for text that is already escaped or printable (an
// error's own text, a printable ASCII key): s whole if it is at most max bytes, else its first
// max bytes (cut at the start of a character) followed by "… (N bytes)".
func Short(s string, max int) string {
	if len(s) <= max {
		return s
	}
	return s[:cutAt(s, max)] + lengthNote(s)
}

// cutAt returns where to cut s, longer than max bytes, to keep at most max: max, or up to three
// bytes before it, at the start of the character that max falls in.
func cutAt(s string, max int) int {
	cut := max
	for cut > 0 && cut > max-utf8.UTFMax && !utf8.RuneStart(s[cut]) {
		cut--
	}
	return cut
}

// lengthNote is what follows the part of s kept: "… (N bytes)".
func lengthNote(s string) string { return "… (" + strconv.Itoa(len(s)) + " bytes)" }

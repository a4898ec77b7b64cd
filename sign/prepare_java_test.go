package sign_test

import (
	"testing"

	"github.com/stretchr/testify/assert"

	"github.com/goacp/unionpay/sign"
)

// Prepare keeps or drops and trims each value as the official Java SDKs' filterBlank does: a
// value is dropped when String.trim (the characters U+0000 to U+0020 at either end) leaves
// nothing (the B2C SDK's rule) or StringUtils.isBlank (Character.isWhitespace on every
// character) accepts it (the Token SDK's rule); String.trim trims the others. Go's strings.TrimSpace differs from both: it
// trims U+3000 and the no-break space U+00A0, and keeps control characters.
func TestPrepareTrimsAsJava(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name, in string
		want     string // "" means dropped
	}{
		{"spaces", "  id=42  ", "id=42"},
		{"tab and line ends", "\t1\r\n", "1"},
		{"ideographic space kept at the end", "商品\u3000", "商品\u3000"},
		{"ideographic space kept inside trimmed spaces", " \u3000x\u3000 ", "\u3000x\u3000"},
		{"no-break space kept", "\u00a0x\u00a0", "\u00a0x\u00a0"},
		{"control characters trimmed", "\x01abc\x1f", "abc"},
		{"NEL kept (a control to Java, not white space, and above U+0020)", "x\u0085", "x\u0085"},
		{"only ideographic spaces: blank", "\u3000\u3000", ""},
		{"only no-break spaces: not blank", "\u00a0", "\u00a0"},
		{"figure space: not white space to Java", "\u2007", "\u2007"},
		{"narrow no-break space: not white space to Java", " \u202f ", "\u202f"},
		{"line separator: blank", "\u2028", ""},
		{"file separator U+001C: blank", "\x1c", ""},
		{"lone control character: dropped (the B2C SDK drops it; the Token SDK sends it empty)", "\x01", ""},
		{"only ideographic space, trimmed spaces around: blank", " \u3000 ", ""},
		{"control character before ideographic space: sent as both SDKs send it", "\x01\u3000", "\u3000"},
		{"control character after ideographic space: sent as both SDKs send it", "\u3000\x1b", "\u3000"},
		{"empty", "", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			got, kept := sign.Prepare(sign.Fields{"k": tt.in})["k"]
			assert.Equal(t, tt.want != "", kept, "kept")
			assert.Equal(t, tt.want, got)
			assert.Equal(t, tt.want == "", sign.Blank(tt.in), "Blank agrees with Prepare")
		})
	}
}

// javaWhitespaceTable lists the code points Java's Character.isWhitespace accepts above U+0020,
// written out from its documentation (SPACE_SEPARATOR, LINE_SEPARATOR and PARAGRAPH_SEPARATOR
// characters but U+00A0, U+2007 and U+202F): an oracle independent of the code under test.
var javaWhitespaceTable = map[rune]bool{
	0x1680: true, 0x2000: true, 0x2001: true, 0x2002: true, 0x2003: true, 0x2004: true, 0x2005: true,
	0x2006: true, 0x2008: true, 0x2009: true, 0x200a: true, 0x2028: true, 0x2029: true, 0x205f: true,
	0x3000: true,
}

// Every code point alone is blank exactly when Java's trim removes it (U+0000 to U+0020) or
// Character.isWhitespace accepts it; between two letters it is kept; at either end it is kept
// unless trim removes it.
func TestBlankEveryCodePoint(t *testing.T) {
	t.Parallel()
	for r := rune(0); r <= 0x10ffff; r++ {
		if r >= 0xd800 && r <= 0xdfff {
			continue // surrogates are not runes of a valid string
		}
		s := string(r)
		want := r <= ' ' || javaWhitespaceTable[r]
		if got := sign.Blank(s); got != want {
			t.Fatalf("Blank(%U) = %v, want %v", r, got, want)
		}
		if got := sign.Prepare(sign.Fields{"k": "a" + s + "b"})["k"]; got != "a"+s+"b" {
			t.Fatalf("Prepare changed %U between letters: %q", r, got)
		}
		wantEnd := "x" + s
		if r <= ' ' {
			wantEnd = "x"
		}
		if got := sign.Prepare(sign.Fields{"k": "x" + s})["k"]; got != wantEnd {
			t.Fatalf("Prepare(x%U) = %q, want %q", r, got, wantEnd)
		}
	}
}

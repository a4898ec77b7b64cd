package textesc

import (
	"testing"

	"github.com/stretchr/testify/assert"
)

// TestEscape: what each mode escapes and keeps.
func TestEscape(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name, in, cells, lines string // cells: Escape(in, false); lines: Escape(in, true)
	}{
		{"plain", "ORDER0001", "ORDER0001", "ORDER0001"},
		{"Chinese", "银联商户", "银联商户", "银联商户"},
		{"ESC", "a\x1b[2Kb", `a\x1b[2Kb`, `a\x1b[2Kb`},
		{"tab and LF", "a\tb\nc", `a\tb\nc`, "a\tb\nc"},
		{"CR LF", "a\r\nb", `a\r\nb`, "a\r\nb"},
		{"a lone CR", "OK\rFAIL", `OK\rFAIL`, `OK\rFAIL`},
		{"DEL and C1", "a\x7fb\u009bc", `a\x7fb\u009bc`, `a\x7fb\u009bc`},
		{"line separator", "a\u2028b", `a\u2028b`, "a\u2028b"},
		{"bidi override and isolate", "\u202e1\u20660", `\u202e1\u20660`, `\u202e1\u20660`},
		{"not UTF-8", "a\xb5b", `a\xb5b`, `a\xb5b`},
		{"U+FFFD itself", "a\ufffdb", "a\ufffdb", "a\ufffdb"},
		{"empty", "", "", ""},
	}
	for _, tt := range tests {
		assert.Equal(t, tt.cells, Escape(tt.in, false), tt.name)
		assert.Equal(t, tt.lines, Escape(tt.in, true), tt.name+" (lines)")
	}
}

// TestEscapePlainAllocs: text with nothing to escape is returned as it is.
func TestEscapePlainAllocs(t *testing.T) {
	s := "ORDER0001 银联"
	assert.Zero(t, testing.AllocsPerRun(100, func() { _ = Escape(s, false); _ = Escape(s, true) }))
}

// TestQuoteShort: short text quoted whole; longer text cut to max bytes at a character's start,
// then its length.
func TestQuoteShort(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name, in string
		max      int
		want     string
	}{
		{"short", "orderId\n", 64, `"orderId\n"`},
		{"exactly max", "abcd", 4, `"abcd"`},
		{"cut", "abcdef", 4, `"abcd"… (6 bytes)`},
		{"controls", "\x01\x01\x01\x01\x01", 2, `"\x01\x01"… (5 bytes)`},
		{"not inside a character", "a银联", 2, `"a"… (7 bytes)`},
		{"a character at the cut", "ab银联", 5, `"ab银"… (8 bytes)`},
		{"bidi override", "\u202eabc", 3, `"\u202e"… (6 bytes)`},
		{"empty", "", 4, `""`},
		// Not UTF-8 (a key percent-decoded to any bytes): the cut steps back at most
		// utf8.UTFMax bytes looking for a character's start, and never before the first.
		{"continuation bytes", "\x80\x80\x80\x80\x80\x80\x80\x80\x80\x80", 8, `"\x80\x80\x80\x80"… (10 bytes)`},
		{"continuation bytes, max below UTFMax", "\x80\x80\x80", 2, `""… (3 bytes)`},
		{"a character's start 4 bytes back", "ab\xf0\x80\x80\x80\x80", 6, `"ab"… (7 bytes)`},
	}
	for _, tt := range tests {
		assert.Equal(t, tt.want, QuoteShort(tt.in, tt.max), tt.name)
	}
}

// TestShort: QuoteShort's cut without the quotes.
func TestShort(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name, in string
		max      int
		want     string
	}{
		{"short", "orderId", 64, "orderId"},
		{"exactly max", "abcd", 4, "abcd"},
		{"cut", "abcdef", 4, "abcd… (6 bytes)"},
		{"not inside a character", "a银联", 2, "a… (7 bytes)"},
		{"a character at the cut", "ab银联", 5, "ab银… (8 bytes)"},
		{"continuation bytes", "\x80\x80\x80\x80\x80\x80\x80\x80\x80\x80", 8, "\x80\x80\x80\x80… (10 bytes)"},
		{"empty", "", 4, ""},
	}
	for _, tt := range tests {
		assert.Equal(t, tt.want, Short(tt.in, tt.max), tt.name)
	}
}

package pan

import (
	"regexp"
	"strings"
	"testing"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/goacp/unionpay/internal/threadcpu"
)

// TestMaskRunsSeparators: a card number written with any separator a person reads between digit
// groups, or in any script's digits, is masked (MaskRuns read only one space, '-' or U+FF0D between
// digits, and ASCII or full-width digits).
func TestMaskRunsSeparators(t *testing.T) {
	t.Parallel()
	const want = "621626******0018"
	for _, tt := range []struct{ name, in string }{
		{"en dash", "6216\u20132610\u20130000\u20130000\u2013018"},
		{"em dash", "6216\u20142610\u20140000\u20140000\u2014018"},
		{"figure dash and minus sign", "6216\u20122610\u22120000\u20120000\u2212018"},
		{"hyphen and non-breaking hyphen", "6216\u20102610\u20110000\u20100000\u2011018"},
		{"full stop", "6216.2610.0000.0000.018"},
		{"full-width full stop", "6216\uff0e2610\uff0e0000\uff0e0000\uff0e018"},
		{"middle dot", "6216\u00b72610\u00b70000\u00b70000\u00b7018"},
		{"katakana middle dot", "6216\u30fb2610\u30fb0000\u30fb0000\u30fb018"},
		{"bullet", "6216\u20222610\u20220000\u20220000\u2022018"},
		{"zero-width space", "6216\u200b2610\u200b0000\u200b0000\u200b018"},
		{"zero-width joiner and non-joiner", "6216\u200d2610\u200c0000\u200d0000\u200c018"},
		{"word joiner and BOM", "6216\u20602610\ufeff0000\u20600000\ufeff018"},
		{"soft hyphen", "6216\u00ad2610\u00ad0000\u00ad0000\u00ad018"},
		{"bidi marks", "6216\u200e2610\u200f0000\u061c0000\u202a018"},
		{"many zero-width spaces", "6216" + strings.Repeat("\u200b", 50) + "261000000000018"},
		{"zero-width space beside a hyphen", "6216\u200b-\u200b2610-0000-0000-018"},
		{"combining marks", "6\u03322\u03321\u03326\u0332261\u20e30000000000018"},
		{"variation selector", "6216\ufe0f261000000000018"},
		{"NBSP", "6216\u00a02610\u00a00000\u00a00000\u00a0018"},
		{"narrow NBSP", "6216\u202f2610\u202f0000\u202f0000\u202f018"},
		{"figure and thin spaces", "6216\u20072610\u20090000\u20070000\u2009018"},
		{"ideographic space", "6216\u30002610\u30000000\u30000000\u3000018"},
		{"tab and line feed", "6216\t2610\n0000\r\n0000\t018"},
		{"spaces", "6216   2610  0000 0000 018"},
		{"spaced hyphen", "6216 - 2610 - 0000 - 0000 - 018"},
		{"spaced en dash", "6216 \u2013 2610 \u2013 0000 \u2013 0000 \u2013 018"},
		{"NBSP around an en dash", "6216\u00a0\u2013\u00a02610\u00a0\u2013\u00a00000\u00a0\u2013\u00a00000\u00a0\u2013\u00a0018"},
		{"space before a hyphen", "6216 -2610 -0000 -0000 -018"},
		{"space after a full stop", "6216. 2610. 0000. 0000. 018"},
		{"control", "6216\x002610\x1b0000\x7f0000\u0085018"},
		{"not UTF-8", "6216\xff2610\xc00000\xed\xa0\x800000\x80018"},
		{"U+FFFD", "6216\ufffd261000000000018"},
		{"Arabic-Indic", "\u0666\u0662\u0661\u0666\u0662\u0666\u0661\u0660\u0660\u0660\u0660\u0660\u0660\u0660\u0660\u0660\u0660\u0661\u0668"},
		{"extended Arabic-Indic", "\u06f6\u06f2\u06f1\u06f6\u06f2\u06f6\u06f1\u06f0\u06f0\u06f0\u06f0\u06f0\u06f0\u06f0\u06f0\u06f0\u06f0\u06f1\u06f8"},
		{"Devanagari", "\u096c\u0968\u0967\u096c \u0968\u096c\u0967\u0966 \u0966\u0966\u0966\u0966 \u0966\u0966\u0966\u0966 \u0966\u0967\u096e"},
		{"mathematical bold", "\U0001d7d4\U0001d7d0\U0001d7cf\U0001d7d4\U0001d7d0\U0001d7d4\U0001d7cf\U0001d7ce\U0001d7ce\U0001d7ce\U0001d7ce\U0001d7ce\U0001d7ce\U0001d7ce\U0001d7ce\U0001d7ce\U0001d7ce\U0001d7cf\U0001d7d6"},
		{"mathematical monospace", "\U0001d7fc\U0001d7f8\U0001d7f7\U0001d7fc261000000000018"},
		{"Bengali, Thai and ASCII in one run", "\u09ec\u09e8\u09e7\u09ec-\u0e52\u0e56\u0e51\u0e50-0000-0000-018"},
		{"full-width, Arabic-Indic and ASCII", "\uff16\uff12\uff11\uff16\u0662\u0666\u0661\u0660" + "00000000018"},
	} {
		if got := MaskRuns(tt.in); got != want {
			t.Errorf("%s: MaskRuns(%q) = %q, want %q", tt.name, tt.in, got, want)
		}
		if got := MaskRuns("卡号" + tt.in + "无效"); got != "卡号"+want+"无效" {
			t.Errorf("%s: in a message, MaskRuns = %q", tt.name, got)
		}
	}
}

// TestMaskRunsOrdinaryText: text that is not a card number is left as it is, byte for byte, and
// the boundaries between the two are where the rule puts them.
func TestMaskRunsOrdinaryText(t *testing.T) {
	t.Parallel()
	for _, tt := range []struct{ name, in, want string }{
		{"date", "settled 2026-11-27", ""},
		{"date and time", "at 2026-11-27 12:30:45", ""},
		{"date and time, en dash", "at 2026\u201311\u201327 12:30:45", ""},
		{"dotted date and time", "2026.11.27 12:30", ""},
		{"times", "12:30:45 12:30:46 12:30:47", ""},
		{"amount", "amount 1,234,567.89 CNY", ""},
		{"amounts", "100.00 - 200.00", ""},
		{"order id mixing letters", "order A20261127B12345678C90", ""},
		{"order id of 14 digits after letters", "order ORD20261127123456", "order ORD******3456"}, // a card run on to a word reads so
		{"ids mixing letters", "ORD20261127X1234567890Y12", ""},
		{"phone number", "call 13552535506", ""},
		{"phone number in groups", "call 135-5253-5506 or +86 135 5253 5506", "call 135-5253-5506 or +******5506"}, // 13 digits
		{"detail code", "交易失败[6100030]", ""},
		{"11 digits", "12345678901", ""},
		{"11 digits, en dashes", "1234\u20135678\u2013901", ""},
		{"11 Arabic-Indic digits", "\u0661\u0662\u0663\u0664\u0665\u0666\u0667\u0668\u0669\u0660\u0661", ""},
		{"12 digits", "123456789012", "******9012"},
		{"12 digits, zero-width spaces", "1234\u200b5678\u200b9012", "******9012"},
		{"12 Devanagari digits", "\u0967\u0968\u0969\u096a\u096b\u096c\u096d\u096e\u096f\u0966\u0967\u0968", "******9012"},
		{"6 and 6 cut by a letter", "123456x123456", ""},
		{"cut by a colon", "123456:123456", ""},
		{"cut by a comma", "123456,123456", ""},
		{"cut by a slash", "123456/123456", ""},
		{"cut by an ideographic full stop", "123456\u3002123456", ""},
		{"cut by two hyphens", "123456--123456", ""},
		{"cut by a hyphen and a dot", "123456-.123456", ""},
		{"cut by spaced hyphens", "123456 - - 123456", ""},
		{"superscripts are not decimal digits", "123456\u00b9\u00b2\u00b3\u2074\u2075\u2076", ""},
		{"circled digits are not decimal digits", "123456\u2460\u2461\u2462\u2463\u2464\u2465", ""},
		{"separators at the ends", "- .\u2013\u200b123456789012\u200b\u2013. -", "- .\u2013\u200b******9012\u200b\u2013. -"},
		{"hyphen then space at the end", "123456789012 -", "******9012 -"},
		{"invisible after the run", "123456789012\u200b\u200bx", "******9012\u200b\u200bx"},
		{"not UTF-8 around a short run", "\xff12345678901\xfe", ""},
		{"not UTF-8 around a run", "\xff123456789012\xfe", "\xff******9012\xfe"},
		{"cut full-width digit", "12345678901\xef\xbc", ""},
		{"two runs", "6216261000000000018 and 123456789012", "621626******0018 and ******9012"},
		{"two dates one space apart read as one run", "2026-11-27 2026-12-27", "202611******1227"},
		{"a date range", "2026-11-27 - 2026-12-27", ""},
		{"a date range, day first", "27.11.2026 \u2013 28.11.2026", ""},
		{"a compact date range", "20261127 - 20261128", ""},
		{"spaced groups of 3 and 6", "621 - 626100 - 000000 - 0018", "621626******0018"},
		{"spaced group of 2 after 12 digits", "6216 - 2610 - 0000 - 0000 - 18", "621626******0018"},
		{"spaced group of 2 before 12 digits", "6216 - 2610 - 00 - 000000018", "6216 - 2610 - 00 - 000000018"},
		{"spaced group of 7", "6216 - 2610000 - 00000018", ""},
		{"spaced group of 7 behind invisible characters", "621 - 626\u200b1\u200b000 - 00000018", ""},
		{"a spaced group, then a card", "123456 - 6216261000000000018", "123456 - 621626******0018"},
		{"a spaced group, then a masked card", "123456 - 621626******0018", ""},
	} {
		want := tt.want
		if want == "" {
			want = tt.in
		}
		if got := MaskRuns(tt.in); got != want {
			t.Errorf("%s: MaskRuns(%q) = %q, want %q", tt.name, tt.in, got, want)
		}
	}
}

// TestDigitValueBlocks: digitValue's reading of unicode.Digit holds: every range is of whole
// blocks of ten digits, zero to nine, and every digit reads as its value.
func TestDigitValueBlocks(t *testing.T) {
	t.Parallel()
	for _, g := range unicode.Digit.R16 {
		if g.Stride != 1 || (g.Hi-g.Lo+1)%10 != 0 {
			t.Errorf("unicode.Digit range %U-%U stride %d: not whole blocks of ten", g.Lo, g.Hi, g.Stride)
		}
	}
	for _, g := range unicode.Digit.R32 {
		if g.Stride != 1 || (g.Hi-g.Lo+1)%10 != 0 {
			t.Errorf("unicode.Digit range %U-%U stride %d: not whole blocks of ten", g.Lo, g.Hi, g.Stride)
		}
	}
	for _, tt := range []struct {
		r    rune
		want byte
	}{
		{'0', '0'}, {'9', '9'}, {'a', 0}, {'\uff10', '0'}, {'\uff19', '9'}, {'\u0660', '0'}, {'\u0663', '3'},
		{'\u06f5', '5'}, {'\u0966', '0'}, {'\u096f', '9'}, {'\U0001d7ce', '0'}, {'\U0001d7d8', '0'}, {'\U0001d7ff', '9'},
		{'\u00b2', 0}, {'\u2460', 0}, {'\u4e00', 0}, {utf8.RuneError, 0}, {-1, 0},
	} {
		if got := digitValue(tt.r); got != tt.want {
			t.Errorf("digitValue(%U) = %q, want %q", tt.r, got, tt.want)
		}
	}
	for r := rune(0); r <= unicode.MaxRune; r++ {
		if d := digitValue(r); (d != 0) != unicode.IsDigit(r) || d != 0 && (d < '0' || d > '9') {
			t.Fatalf("digitValue(%U) = %q, unicode.IsDigit %v", r, d, unicode.IsDigit(r))
		}
	}
}

// TestMaskRunsLinear: MaskRuns reads a megabyte of digits and separators, as one run or as many,
// in linear time: well under the bound (a quadratic reading takes minutes). The bound is on CPU
// time (where the platform gives it): under -race on two loaded cores the six cases' wall-clock
// time came to 15 s, near the bound of 5 s a case.
func TestMaskRunsLinear(t *testing.T) {
	t.Parallel()
	const size = 1 << 20
	for _, tt := range []struct{ name, unit string }{
		{"digits and hyphens", "1-"},
		{"digits and spaced en dashes", "1 \u2013 "},
		{"digits and zero-width spaces", "\u0661\u200b"},
		{"short runs", "12345678901x"},
		{"runs cut after long separators", "1 " + strings.Repeat("\u200b", 100) + " -x"},
		{"separators without digits", "- . \u2013"},
	} {
		in := strings.Repeat(tt.unit, size/len(tt.unit))
		var got string
		if d, _ := threadcpu.Measure(func() { got = MaskRuns(in) }); d > 5*time.Second {
			t.Errorf("%s: %v for %d bytes", tt.name, d, len(in))
		}
		if len(got) > len(in) {
			t.Errorf("%s: %d bytes out of %d", tt.name, len(got), len(in))
		}
	}
}

// runClass is the class of r for longestDigitRun: 'd' a digit, 's' white space, 'm' a mark, 'a'
// '*', 'x' other; invisible characters are left out ("").
func runClass(r rune) string {
	switch {
	case unicode.IsDigit(r):
		return "d"
	case r == '*':
		return "a"
	case invisible(r):
		return ""
	case unicode.IsSpace(r):
		return "s"
	case dashAt(r) || dotAt(r):
		return "m"
	}
	return "x"
}

// tightSeparator and spacedSeparator are what separates two groups of digits of a run, over
// runClass's classes: white space or a mark alone; a mark with white space on either side.
var (
	tightSeparator  = regexp.MustCompile(`^(?:s+|m)$`)
	spacedSeparator = regexp.MustCompile(`^(?:s+ms*|ms+)$`)
)

// longestDigitRun is the most digits of one run in s, as MaskRuns reads runs, found another way:
// s read as groups of digits and what lies between them (runClass's classes), then the groups
// joined as the rule says (a group running on to '*' is a masked card's head, joined only across
// white space or a mark alone).
func longestDigitRun(s string) int {
	var classes strings.Builder
	for _, r := range s {
		classes.WriteString(runClass(r))
	}
	c := classes.String()
	var groups []int     // digits of each group
	var between []string // what lies between group i and group i+1
	for i := 0; i < len(c); {
		j := i
		for j < len(c) && c[j] == 'd' {
			j++
		}
		if j > i {
			groups = append(groups, j-i)
			k := j
			for k < len(c) && c[k] != 'd' {
				k++
			}
			between = append(between, c[j:k])
			i = k
			continue
		}
		i++
	}
	best, run := 0, 0
	card := func(i int) bool { return 3 <= groups[i] && groups[i] <= 6 && !strings.HasPrefix(between[i], "a") }
	for i, g := range groups {
		run += g
		best = max(best, run)
		if i+1 == len(groups) {
			break
		}
		sep := between[i]
		if !tightSeparator.MatchString(sep) && !(spacedSeparator.MatchString(sep) && (run >= 12 || card(i) && card(i+1))) {
			run = 0
		}
	}
	return best
}

// address is an IPv4 address of twelve digits, which MaskRuns leaves as it is (TestMaskRunsIPv4).
var address = regexp.MustCompile(`(?:25[0-5]|2[0-4][0-9]|[01][0-9][0-9])(?:\.(?:25[0-5]|2[0-4][0-9]|[01][0-9][0-9])){3}`)

// FuzzMaskRuns checks MaskRuns against a second reading of the rule: its output has no run of 12
// digits or more (in any script, across the separators and invisible characters it reads past) but
// in an IPv4 address, an
// input without one is left as it is, valid UTF-8 stays valid, and masking twice is masking once.
func FuzzMaskRuns(f *testing.F) {
	for _, s := range []string{"", "6216261000000000018", "6216 - 2610 - 0000 - 0000 - 018", "6216\u20132610\u201300000000018",
		"6216\u200b261000000000018", "\u0666\u0662\u0661\u0666\u0662\u0666\u0661\u0660\u0660\u0660\u0660\u0660", "12345678901",
		"2026-11-27 12:30:45", "1,234,567.89", "6216\xff261000000000018", "\U0001d7d4\U0001d7d0261000000000018",
		"123456 - - 123456", "1 \u00a0 - \u202f 2", "2026-11-27 - 2026-12-27", "6216 - 2610 - 0000 - 0000 - 18", "123456 - 6216261000000000018", "6216.2610.0000.0000.018", "\uff16\uff12\uff11\uff16\uff0d261000000000018",
		"IP 192.168.100.200:8080", "100.100.100.100 - 200.200.200.200", "6\u31642\u3164161000000000018"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		got := MaskRuns(s)
		if n := longestDigitRun(address.ReplaceAllString(got, "x")); n >= 12 {
			t.Fatalf("MaskRuns(%q) = %q: a run of %d digits", s, got, n)
		}
		if longestDigitRun(s) < 12 && got != s {
			t.Fatalf("MaskRuns(%q) = %q: changed text without a run of 12 digits", s, got)
		}
		if utf8.ValidString(s) && !utf8.ValidString(got) {
			t.Fatalf("MaskRuns(%q) = %q: not valid UTF-8", s, got)
		}
		if again := MaskRuns(got); again != got {
			t.Fatalf("MaskRuns(%q) = %q, masked again %q", s, got, again)
		}
	})
}

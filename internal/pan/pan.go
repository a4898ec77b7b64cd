// Package pan holds the card-number rules that the sign, unionpay and notify packages share:
// what an accNo in clear looks like, whether a decrypted one is a card number, and how one is
// masked for logs (notify's exported MaskPAN is Mask).
package pan

import (
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/goacp/unionpay/internal/ascii"
)

// IsText reports whether s is a card number in clear: not empty, digits, and '*' where UnionPay
// masked it (621626******0018).
func IsText(s string) bool {
	for i := 0; i < len(s); i++ {
		if c := s[i]; (c < '0' || c > '9') && c != '*' {
			return false
		}
	}
	return s != ""
}

// Plain reports whether an accNo as UnionPay sends it is in clear rather than encrypted: a card
// number, full or masked, of at most 19 characters. Encrypted, it is base64 of an RSA or SM2
// ciphertext, hundreds of characters long, and '*' is not base64.
func Plain(s string) bool { return len(s) <= 19 && IsText(s) }

// Plausible reports whether a decrypted accNo is a card number: 12 to 19 digits, '*' where
// masked, or a masked one of 10 or 11 characters (a 12- or 13-digit card masked as UnionPay's
// files mask it, six stars and the last four: ******0018). A wrong key fails RSA PKCS #1 v1.5
// padding but once in some 65,000 tries, and then "decrypts" to random bytes, which this refuses.
func Plausible(s string) bool {
	n := len(s)
	return Plain(s) && (n >= 12 || n >= 10 && strings.Contains(s, "*"))
}

// Mask masks a card number for logs, for the whole module (notify.MaskPAN is Mask): the first 6
// and last 4 characters of one of 16 or more, six stars between them whatever the length
// (6216261000000000018 and 6216***********0018 become 621626******0018 and 6216********0018), six
// stars and the last 4 of one of 11 to 15, so that at least six characters are always hidden and
// the length is not told. A value of 10 characters or fewer is hidden whole, as "***" (its length
// and digits are not told), but for one that already reads as a masked short card (******0018, as
// Mask and UnionPay's files write it), which is left as it is; so is "". A value that is not ASCII
// (a card number is digits) is hidden whole too, so that the result is never a split UTF-8
// character. Masking twice changes nothing.
func Mask(pan string) string {
	n := len(pan)
	switch {
	case n == 0:
		return ""
	case !ascii.Is(pan):
		return Hidden
	case n >= 16:
		return pan[:6] + "******" + pan[n-4:]
	case n > 10:
		return "******" + pan[n-4:]
	case n == 10 && pan[:6] == "******":
		return pan
	default:
		return Hidden
	}
}

// Hidden is what Mask shows of a value it hides whole.
const Hidden = "***"

// Encrypted is what MaskAccNo shows of an accNo that is not a card number in clear.
const Encrypted = "(encrypted)"

// MaskAccNo masks an accNo as a message carries it: a card number in clear as Mask masks it, a
// ciphertext as Encrypted; "" stays "".
func MaskAccNo(v string) string {
	switch {
	case v == "":
		return ""
	case IsText(v):
		return Mask(v)
	}
	return Encrypted
}

// MaskRuns masks, as Mask masks a card number, every run of 12 or more digits in s, the digits
// read as a person reads them, so that a card number however written is masked:
//
//   - a digit is any Unicode decimal digit (category Nd): ASCII, full-width (U+FF10-U+FF19, as a
//     GB18030 page writes them), Arabic-Indic (U+0660-U+0669, U+06F0-U+06F9), Devanagari,
//     mathematical (U+1D7CE-U+1D7FF) and every other script's, mixed in one run as they come;
//   - groups of digits separated by white space (any number of spaces, tabs, line breaks, U+00A0
//     no-break space, U+202F narrow no-break space, U+3000 ideographic space: a page or a log viewer
//     shows them as one space) or by one mark, a dash (any Unicode dash, '-', U+2013 en dash, U+2014
//     em dash, U+FF0D full-width hyphen, U+2212 minus) or a dot ('.', U+00B7 middle dot and the
//     others dotAt lists), count as one run (6216 2610, 6216-2610, 6216.2610); so do groups
//     separated by a mark with white space around it (6216 - 2610) when both are of 3 to 6 digits,
//     as a card number's are, and not a date's (2026-11-27 - 2026-12-27, 20261127 - 20261128), or
//     once the run has 12 digits (6216 - 2610 - 0000 - 0000 - 18: its last group too);
//   - an invisible character (a format character, U+200B zero-width space, U+00AD soft hyphen, bidi
//     marks; a control; a combining mark; a character Unicode tells renderers to show as nothing,
//     U+3164 Hangul filler say; a byte that is not UTF-8, and U+FFFD) is read past wherever it is
//     in a run, in any number.
//
// A run is masked as its digits, read as ASCII ones, are: the mask is ASCII, and whatever
// separated the digits goes with them. Text other than such runs is left as it is, byte for byte
// (bytes that are not UTF-8 too): a date (2026-11-27), a time (12:30:45), an amount (1,234,567.89),
// an id whose letters cut its digits into runs of 11 or fewer, a phone number of 11 digits, an IPv4
// address (203.119.100.200, which a proxy's page names for the merchant to allow: four numbers of
// at most 255 joined by dots, its run ended by anything but a fifth, 192.168.100.200 8080). Numbers
// written together as one (an id of 12 digits or more run on to a word, two dates one space apart:
// 2026-11-27 2026-12-27) are masked like a card: a card number shown is worse than a number hidden.
// MaskRuns reads each byte of s a bounded number of times: its time is linear in len(s).
func MaskRuns(s string) string {
	var (
		out    strings.Builder
		digits []byte // the run's digits, as ASCII ones
	)
	last := 0
	for i := 0; i < len(s); {
		d, n := digitAt(s, i)
		if d == 0 {
			i += n
			continue
		}
		start, end := i, i
		digits = digits[:0]
		group := 0 // digits of the run's last group
		for j := i; ; {
			digits = append(digits, d)
			group++
			end = j + n
			next, sep := nextDigit(s, end)
			if next < 0 || sep == spaced && len(digits) < 12 && !(cardGroup(group) && cardGroup(groupAt(s, next))) {
				break
			}
			if len(digits) == 12 && sep != none && !(s[end] == '.' && next == end+1) && ipv4(s[start:end]) {
				break // an address, then something else: a port, an address range
			}
			if sep != none {
				group = 0
			}
			j = next
			d, n = digitAt(s, j)
		}
		if len(digits) >= 12 && !ipv4(s[start:end]) {
			out.WriteString(s[last:start])
			out.WriteString(Mask(string(digits)))
			last = end
		}
		i = end
	}
	if last == 0 {
		return s
	}
	out.WriteString(s[last:])
	return out.String()
}

// ipv4 reports whether s is an IPv4 address as a person writes it: four numbers of one to three
// ASCII digits, none over 255, joined by three ASCII dots, and nothing else.
func ipv4(s string) bool {
	if len(s) > len("255.255.255.255") {
		return false
	}
	parts := strings.Split(s, ".")
	if len(parts) != 4 {
		return false
	}
	for _, p := range parts {
		n := 0
		for i := 0; i < len(p); i++ {
			if p[i] < '0' || p[i] > '9' {
				return false
			}
			n = n*10 + int(p[i]-'0')
		}
		if p == "" || len(p) > 3 || n > 255 {
			return false
		}
	}
	return true
}

// separator is what separates two digits of a run.
type separator int

const (
	none   separator = iota // nothing but invisible characters: one group
	tight                   // white space, or a mark alone
	spaced                  // a mark with white space before or after it
)

// nextDigit is the index of the digit that may continue a run of digits ending at s[i], and what
// separates the two: white space, a mark (dotAt, dashAt), a mark with white space on either side
// or both, with invisible characters anywhere among them; -1 when no digit follows so. It reads no
// further than the first character that is none of these, so that, run after run, MaskRuns reads
// each byte of s a bounded number of times.
func nextDigit(s string, i int) (int, separator) {
	const (
		start = iota // nothing read yet
		space        // white space
		mark         // a mark, white space before it or not
		after        // white space after a mark
	)
	state, spacedMark := start, false
	for i < len(s) {
		r, n := utf8.DecodeRuneInString(s[i:])
		switch {
		case digitValue(r) != 0:
			switch {
			case state == start:
				return i, none
			case spacedMark || state == after:
				return i, spaced
			}
			return i, tight
		case invisible(r):
		case unicode.IsSpace(r): // Unicode white space: every space separator (Zs) too
			switch state {
			case start:
				state = space
			case mark:
				state = after
			}
		case (dashAt(r) || dotAt(r)) && (state == start || state == space):
			spacedMark = state == space
			state = mark
		default:
			return -1, none
		}
		i += n
	}
	return -1, none
}

// cardGroup reports whether a group of n digits reads as a group of a card number written in
// groups: 3 to 6 digits (4 4 4 4 3, 4 6 5, 6 13 grouped by fours).
func cardGroup(n int) bool { return 3 <= n && n <= 6 }

// groupAt is the number of digits of the group starting at s[i] (invisible characters read past),
// counted up to 7, which no card group has (cardGroup); 0 for a group that runs on to '*', the
// head of a card number masked already (621626******0018), so that masking twice is masking once
// (123456 - 6216261000000000018 is masked as 123456 - 621626******0018, which stays).
func groupAt(s string, i int) int {
	n := 0
	for i < len(s) && n < 7 {
		r, size := utf8.DecodeRuneInString(s[i:])
		switch {
		case digitValue(r) != 0:
			n++
		case r == '*':
			return 0
		case !invisible(r):
			return n
		}
		i += size
	}
	return n
}

// digitAt is the digit at s[i] as an ASCII digit ('0'-'9'), and the length in bytes of the
// character there; 0 and that length when it is not a digit (digitValue), 1 for a byte that is not
// UTF-8.
func digitAt(s string, i int) (byte, int) {
	if c := s[i]; c < utf8.RuneSelf {
		if '0' <= c && c <= '9' {
			return c, 1
		}
		return 0, 1
	}
	r, n := utf8.DecodeRuneInString(s[i:])
	return digitValue(r), n
}

// digitValue is r as an ASCII digit when r is a decimal digit of any script (Unicode category Nd),
// 0 otherwise. Unicode encodes every script's digits zero to nine in ten consecutive code points,
// and unicode.Digit lists them in ranges of whole such blocks (TestDigitValueBlocks checks both),
// so a digit's value is its distance from its range's start, modulo ten.
func digitValue(r rune) byte {
	if '0' <= r && r <= '9' {
		return byte(r)
	}
	if r < utf8.RuneSelf || !unicode.IsDigit(r) {
		return 0
	}
	for _, g := range unicode.Digit.R16 {
		if rune(g.Lo) <= r && r <= rune(g.Hi) {
			return '0' + byte((r-rune(g.Lo))%10)
		}
	}
	for _, g := range unicode.Digit.R32 {
		if rune(g.Lo) <= r && r <= rune(g.Hi) {
			return '0' + byte((r-rune(g.Lo))%10)
		}
	}
	return 0
}

// dashAt reports whether r is a dash between groups of digits: a Unicode dash (category Pd: '-',
// U+2010 hyphen, U+2011 non-breaking hyphen, U+2012 figure dash, U+2013 en dash, U+2014 em dash,
// U+FE63 small and U+FF0D full-width hyphen-minus, ...) or U+2212 minus sign.
func dashAt(r rune) bool { return r == '-' || r == '\u2212' || unicode.Is(unicode.Pd, r) }

// dotAt reports whether r is a dot between groups of digits: a full stop ('.', U+FE52 small,
// U+FF0E full-width), a middle dot (U+00B7, U+30FB katakana, U+FF65 half-width katakana), U+2022
// bullet, U+2024 one dot leader, U+2027 hyphenation point, U+2219 bullet operator or U+22C5 dot
// operator. U+3002, the ideographic full stop, ends a sentence and is not one.
func dotAt(r rune) bool {
	switch r {
	case '.', '\uFE52', '\uFF0E', '\u00B7', '\u30FB', '\uFF65', '\u2022', '\u2024', '\u2027', '\u2219', '\u22C5':
		return true
	}
	return false
}

// invisible reports whether r is read past within a run of digits, as a person reading the text
// does not see it: a format character (Unicode category Cf: U+200B zero-width space, U+200C and
// U+200D zero-width non-joiner and joiner, U+2060 word joiner, U+FEFF, U+00AD soft hyphen, bidi
// marks and controls), a control that is not white space, a combining mark (categories Mn and Me:
// a digit underlined, enclosed, or with a variation selector), the other characters Unicode tells
// renderers to show as nothing (Other_Default_Ignorable_Code_Point: the Hangul fillers U+115F,
// U+1160, U+3164 and U+FFA0, which some fonts show as a blank, and reserved code points such as
// U+2065), and utf8.RuneError, which stands for a byte that is not UTF-8 as for U+FFFD.
func invisible(r rune) bool {
	return r == utf8.RuneError ||
		unicode.In(r, unicode.Cf, unicode.Cc, unicode.Mn, unicode.Me, unicode.Other_Default_Ignorable_Code_Point) && !unicode.IsSpace(r)
}

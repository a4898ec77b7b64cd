package main

import (
	"regexp"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/stretchr/testify/require"

	"github.com/goacp/unionpay/notify"
)

// clearPAN finds 13 or more digits in clear with no letter between them: written independently
// of maskNumbers, to check it.
var clearPAN = regexp.MustCompile(`\p{Nd}(?:[^\p{L}\p{Nd}]*\p{Nd}){12}`)

// TestMaskPlaintext: a card number is masked on its digits whatever separates them but a
// letter, the separators kept.
func TestMaskPlaintext(t *testing.T) {
	tests := []struct {
		name, plain, masked string
	}{
		// Only digits: masked whatever the length, as notify.MaskPAN does.
		{"bare 19 digits", "6216261000000000018", "621626******0018"},
		{"bare 13 digits", "4111111111111", "******1111"},
		{"bare 11 digits", "13552535506", "******5506"},
		{"bare 10 digits", "1355253550", "**********"},
		{"bare 3 digits", "123", "***"},
		{"fullwidth digits", "６２１６２６１００００００００００１８", "６２１６２６*********００１８"},

		// The separators of the review.
		{"line feed", "6216261000\n000000018", "621626****\n*****0018"},
		{"space and line feed", "6216 2610\n0000 0000 018", "6216 26**\n**** ***0 018"},
		{"dots", "6216.2610.0000.0000.018", "6216.26**.****.***0.018"},
		{"underscores", "6216_2610_0000_0000_018", "6216_26**_****_***0_018"},
		{"two spaces", "6216  2610  0000  0000  018", "6216  26**  ****  ***0  018"},
		// And others.
		{"single spaces", "6216 2610 0000 0018", "6216 26** **** 0018"},
		{"dashes and a final line feed", "6216-2610-0000-0018\n", "6216-26**-****-0018\n"},
		{"three spaces", "6216   2610   0000   0018", "6216   26**   ****   0018"},
		{"tabs", "6216\t2610\t0000\t0018", "6216\t26**\t****\t0018"},
		{"CR LF", "6216261000\r\n000000018", "621626****\r\n*****0018"},
		{"CR LF and a space", "6216261000\r\n 000000018", "621626****\r\n *****0018"},
		{"slashes", "6216/2610/0000/0018", "6216/26**/****/0018"},
		{"mixed", "6216 - 2610./0000_:0018", "6216 - 26**./****_:0018"},
		{"ideographic space and comma", "6216　2610，0000、0018", "6216　26**，****、0018"},
		{"one digit per group", "6 2 1 6 2 6 1 0 0 0 0 0 0 0 0 0 0 1 8", "6 2 1 6 2 6 * * * * * * * * * 0 0 1 8"},
		{"invalid UTF-8 between", "6216\xff2610\xfe0000\xff0018", "6216\xff26**\xfe****\xff0018"},

		// Inside text: a letter ends a number, the text stays.
		{"inside text", "accNo:6216261000000000018;", "accNo:621626*********0018;"},
		{"between letters", "card6216261000000000018end", "card621626*********0018end"},
		{"13 digits in text", "x 4111111111111 y", "x *********1111 y"},
		{"15 digits grouped", "card 4111 1111 1111 111.", "card **** **** ***1 111."},
		{"long run", "62162610000000000182026", "621626******2026"},
		{"two numbers", "6216261000000000018 and 6216 2610 0000 0018",
			"621626*********0018 and 6216 26** **** 0018"},
		{"already masked", "621626*********0018", "621626*********0018"},

		// Fewer than 13 digits: kept.
		{"short numbers", "orderId=20261126 amount 1000", "orderId=20261126 amount 1000"},
		{"date", "settled 2026-11-26", "settled 2026-11-26"},
		{"amounts", "1000.00 / 200.00", "1000.00 / 200.00"},
		{"12 digits", "x 6216 2610 0000 y", "x 6216 2610 0000 y"},
		{"letters split", "6216261000a000000018", "6216261000a000000018"},
		// Any number of separators but letters: still one number.
		{"four spaces", "621626100    0000000018", "621626***    ******0018"},
		{"lines apart", "621626100\n\n\n\n\n0000000018", "621626***\n\n\n\n\n******0018"},
		{"many dots", "6216.....2610.....0000.....0018", "6216.....26**.....****.....0018"},

		// False positives, accepted: 13 or more digits that close together are masked.
		{"date and time", "2026-11-26 10:00:00", "****-**-** **:00:00"},
		{"date and time in text", "paid at 2026-11-26 10:00:00.", "paid at ****-**-** **:00:00."},
		{"txnTime", "txnTime=20261126100000", "txnTime=**********0000"},
		{"amounts close together", "100.00, 200.00, 300.00", "***.**, ***.**, *00.00"},

		// key=value plaintexts: the values of sensitive keys entirely, card numbers elsewhere.
		{"encryptedInfo", "phoneNo=13552535506&cvn2=123&expired=2912",
			"phoneNo=***********&cvn2=***&expired=****"},
		{"customerInfo-like", "{certifTp=01&certifId=341126197709218366&customerNm=互联网&smsCode=111111&pin=abc}",
			"{certifTp=01&certifId=******************&customerNm=***&smsCode=******&pin=***}"},
		{"accNo field", "accNo=6216261000000000018&x=1", "accNo=*******************&x=1"},
		{"accNo field with spaces", "accNo=6216 2610 0000 0000 018&x=1", "accNo=***********************&x=1"},
		{"phone number in groups", "phoneNo=135 5253 5506&x=1", "phoneNo=*************&x=1"},
		{"name with a space", "{customerNm=张 三&certifTp=01}", "{customerNm=***&certifTp=01}"},
		{"values end at a line end", "phoneNo=135 5253 5506\nnote=ok", "phoneNo=*************\nnote=ok"},
		{"card number under another key", "bankCard=6216.2610.0000.0000.018&x=1", "bankCard=6216.26**.****.***0.018&x=1"},
		{"short values kept", "orderId=20261126&txnAmt=1000", "orderId=20261126&txnAmt=1000"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := maskPlaintext(tt.plain)
			require.Equal(t, tt.masked, got)
			require.NotRegexp(t, clearPAN, got)
			if len(tt.plain) > 10 && isASCIIDigits(tt.plain) {
				require.Equal(t, notify.MaskPAN(tt.plain), got, "a bare card number as notify.MaskPAN writes it")
				return
			}
			require.Equal(t, utf8.RuneCountInString(tt.plain), utf8.RuneCountInString(got), "length kept")
		})
	}
}

// TestMaskPlaintextNoClearPAN: card numbers of 13 to 19 digits, split into groups of every size by
// every kind of separator, alone or in text, never keep 13 digits in clear, and keep exactly what
// notify.MaskPAN keeps.
func TestMaskPlaintextNoClearPAN(t *testing.T) {
	seps := []string{" ", "  ", "   ", "\t", "\n", "\r\n", " \n", "\r\n ", ".", "_", "-", "/", ":", ",", "·", "　",
		" - ", "._/", "\u00a0", "\u200b"}
	contexts := []string{"%s", "%s\n", "accNo:%s;", "card %s end", "x=1&pan=%s&y=2", "卡号%s。", "(%s)"}
	const pan = "6216261000000000018"
	for n := 13; n <= len(pan); n++ {
		digits := pan[:n]
		for _, sep := range seps {
			for size := 1; size <= n; size++ {
				var groups []string
				for i := 0; i < n; i += size {
					groups = append(groups, digits[i:min(i+size, n)])
				}
				number := strings.Join(groups, sep)
				for _, c := range contexts {
					plain := strings.Replace(c, "%s", number, 1)
					got := maskPlaintext(plain)
					if clearPAN.MatchString(got) {
						t.Fatalf("%q masked to %q: 13 digits in clear", plain, got)
					}
					kept := keptDigits(got)
					want := keptDigits(maskNumbers(digits, 1)) // MaskPAN's rule on the digits, in place
					if plain == digits {
						want = notify.MaskPAN(digits) // a bare card number as MaskPAN writes it
					}
					if !strings.Contains(kept, want) {
						t.Fatalf("%q masked to %q: kept %q, want %q", plain, got, kept, want)
					}
				}
			}
		}
	}
}

// keptDigits returns the digits of s, and '*' for each masked one.
func keptDigits(s string) string {
	return strings.Map(func(r rune) rune {
		if r == '*' || r >= '0' && r <= '9' {
			return r
		}
		return -1
	}, s)
}

// FuzzMaskPlaintext: whatever the plaintext, no 13 digits are left in clear; a plaintext of
// more than 10 ASCII digits alone (a bare card number) is written as notify.MaskPAN writes it,
// six stars whatever the length (checked here against the rule written out: the first 6 kept
// from 16 digits, the last 4 from 11); any other has the same characters but for some replaced
// by '*'.
func FuzzMaskPlaintext(f *testing.F) {
	for _, s := range []string{"6216261000\n000000018", "6216 2610\n0000 0000 018", "6216.2610.0000.0000.018",
		"6216_2610_0000_0000_018", "6216  2610  0000  0000  018", "2026-11-26 10:00:00",
		"phoneNo=13552535506&cvn2=123&expired=2912", "accNo=6216 2610 0000 0000 018&x=1", "６２１６２６１００００００００００１８",
		"6216\xff2610\xfe0000\xff0018", "123", "00000000000", "6216261000000000018", "621626100000018"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, plain string) {
		got := maskPlaintext(plain)
		if clearPAN.MatchString(got) {
			t.Fatalf("%q masked to %q: 13 digits in clear", plain, got)
		}
		if n := len(plain); n > 10 && strings.Trim(plain, "0123456789") == "" {
			want := "******" + plain[n-4:]
			if n >= 16 {
				want = plain[:6] + want
			}
			if got != want {
				t.Fatalf("bare card number %q masked to %q, want %q", plain, got, want)
			}
			return
		}
		in, out := []rune(plain), []rune(got)
		if len(in) != len(out) {
			t.Fatalf("%q masked to %q: %d characters, not %d", plain, got, len(out), len(in))
		}
		for i := range in {
			if out[i] != in[i] && out[i] != '*' {
				t.Fatalf("%q masked to %q: character %d changed to %q", plain, got, i, out[i])
			}
		}
	})
}

package main

import (
	"regexp"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/goacp/unionpay/notify"
)

// Card numbers in a plaintext: a number is the digits between two letters (or the ends of the
// text), whatever else separates them (spaces, tabs, line breaks, '.', '_', '-', '/', ':', ...,
// any number of them), so that "6216 2610 0000 0000 018", "6216.2610...", "6216_2610...",
// "6216261000\n000000018" and groups any number of spaces apart are each one number. A number of
// minPANDigits digits or more is masked.
//
// False positives are accepted: leaking a card number is worse than hiding a number that is
// none. A date and time such as "2026-11-26 10:00:00" has 14 digits and is masked like a card
// number of 14 digits ("****-**-** **:00:00"), as the compact txnTime 20261126100000 always was;
// so are amounts or phone numbers with no letter between them that add up to 13 digits. The
// plaintexts decrypt sees (accNo, customerInfo's encryptedInfo) are a number alone, or key=value
// pairs, whose keys are letters.
const minPANDigits = 13

// sensitiveField matches key=value pairs whose value is secret or personal data, in the
// plaintext of customerInfo's encryptedInfo and similar fields (phoneNo=...&cvn2=...&expired=...).
// A value runs to the next '&', brace or line end, spaces included ("135 5253 5506", "张 三").
var sensitiveField = regexp.MustCompile(
	`(?i)\b(phoneNo|cvn2|expired|pin|certifId|smsCode|customerNm|accNo|cardNo|password)=([^&{}\r\n]*)`)

// maskPlaintext masks what decrypt prints without -reveal: the values of sensitive key=value
// fields entirely, and every number (see minPANDigits) of 13 or more digits, alone or inside other
// text, keeping the digits notify.MaskPAN keeps (the first 6 and last 4 for 16 digits and more,
// the last 4 only for 13 to 15), each other digit becoming '*' where it is; separators and
// everything else stay where they are. A plaintext made only of digits is masked whatever its length: of ASCII digits, more
// than 10, as notify.MaskPAN writes it (621626******0018: six stars, the length not told), other
// digits in place (the last 4 kept for 11 to 15 digits, all masked for 10 or fewer).
func maskPlaintext(s string) string {
	if isDigits(s) {
		if len(s) > 10 && isASCIIDigits(s) {
			return notify.MaskPAN(s)
		}
		return maskNumbers(s, 1)
	}
	s = sensitiveField.ReplaceAllStringFunc(s, func(kv string) string {
		k, v, _ := strings.Cut(kv, "=")
		return k + "=" + strings.Repeat("*", utf8.RuneCountInString(v))
	})
	return maskNumbers(s, minPANDigits)
}

// digitSpan is where one digit of a number is in the text: its byte offset and width.
type digitSpan struct{ at, size int }

// maskNumbers replaces by '*' the digits that notify.MaskPAN hides of every number in s (see
// minPANDigits) that has minDigits digits or more, and returns s otherwise unchanged.
func maskNumbers(s string, minDigits int) string {
	var (
		b       strings.Builder
		done    int         // bytes of s written to b
		number  []digitSpan // the digits of the number being read
		flushed bool        // whether b is in use
	)
	flush := func() {
		if len(number) >= minDigits {
			if !flushed {
				b.Grow(len(s))
				flushed = true
			}
			done = maskDigits(&b, s, done, number)
		}
		number = number[:0]
	}
	for i, r := range s {
		switch {
		case unicode.IsDigit(r):
			number = append(number, digitSpan{i, utf8.RuneLen(r)})
		case unicode.IsLetter(r):
			flush()
		} // anything else, an invalid byte (utf8.RuneError) too, separates digits of a number
	}
	flush()
	if !flushed {
		return s
	}
	b.WriteString(s[done:])
	return b.String()
}

// maskDigits writes to b the text of s from done up to the last digit of number, with the digits
// notify.MaskPAN would hide replaced by '*', and returns the bytes of s written by then.
func maskDigits(b *strings.Builder, s string, done int, number []digitSpan) int {
	for k, d := range number {
		if keptDigit(k, len(number)) {
			continue
		}
		b.WriteString(s[done:d.at])
		b.WriteByte('*')
		done = d.at + d.size
	}
	return done
}

// keptDigit reports whether notify.MaskPAN keeps digit k (from 0) of a card number of n digits:
// the first 6 and last 4 of 16 or more, the last 4 of 11 to 15, none of 10 or fewer. (MaskPAN
// writes six stars for the others whatever their number; masking in place keeps the text's
// layout, so here each hidden digit becomes one '*'.)
func keptDigit(k, n int) bool {
	switch {
	case n >= 16:
		return k < 6 || k >= n-4
	case n > 10:
		return k >= n-4
	}
	return false
}

// shownAccNo is an accNo in clear (sent so, decrypted, or a settlement file's) as query and
// reconcile show it: one UnionPay already masked, with '*' (6216***********0018, as its answers
// carry it; 621626******0018, 621626*********0018, as its files do), as it is, when it shows no
// digit that notify.MaskPAN would hide (keptDigit), so that the operator sees UnionPay's own mask
// and not another one over it; anything else, a whole card number first, as MaskPAN masks it
// (621626******0018). A value whose '*' hides too little (62162610****0018) is masked anew: at
// least six characters stay hidden either way.
func shownAccNo(s string) string {
	masked := false
	for k := 0; k < len(s); k++ {
		switch c := s[k]; {
		case c == '*':
			masked = true
		case c < '0' || c > '9' || !keptDigit(k, len(s)):
			return notify.MaskPAN(s)
		}
	}
	if !masked {
		return notify.MaskPAN(s)
	}
	return s
}

// isASCIIDigits reports whether s is made of the digits 0 to 9 only.
func isASCIIDigits(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return true
}

// isDigits reports whether s is a non-empty string of digits.
func isDigits(s string) bool {
	for _, r := range s {
		if !unicode.IsDigit(r) {
			return false
		}
	}
	return s != ""
}

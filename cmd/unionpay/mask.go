package main

import (
	"regexp"
	"strings"
	"unicode/utf8"

	"github.com/goacp/unionpay/notify"
)

// digitRun is a run of digits, possibly grouped by single spaces or dashes (6216 2610 0000 0000
// 018, 6216-2610-...).
var digitRun = regexp.MustCompile(`[0-9](?:[ -]?[0-9])*`)

// sensitiveField matches key=value pairs whose value is secret or personal data, in the
// plaintext of customerInfo's encryptedInfo and similar fields (phoneNo=...&cvn2=...&expired=...).
var sensitiveField = regexp.MustCompile(
	`(?i)\b(phoneNo|cvn2|expired|pin|certifId|smsCode|customerNm|accNo|cardNo|password)=([^&{}\s]*)`)

// maskPlaintext masks what decrypt prints without -reveal: the values of sensitive key=value
// fields entirely, and every run of 13 or more digits (a card number, alone or inside other
// text, also grouped by spaces or dashes) like notify.MaskPAN, 6+4 for 16 digits and more.
func maskPlaintext(s string) string {
	if isDigits(s) {
		return notify.MaskPAN(s)
	}
	s = sensitiveField.ReplaceAllStringFunc(s, func(kv string) string {
		k, v, _ := strings.Cut(kv, "=")
		return k + "=" + strings.Repeat("*", utf8.RuneCountInString(v))
	})
	return digitRun.ReplaceAllStringFunc(s, maskDigitRun)
}

// maskDigitRun masks a run of digits (with separators) holding 13 or more digits as
// notify.MaskPAN masks its digits, keeping the separators where they were.
func maskDigitRun(run string) string {
	digits := strings.Map(func(r rune) rune {
		if r == ' ' || r == '-' {
			return -1
		}
		return r
	}, run)
	if len(digits) < 13 {
		return run
	}
	masked := notify.MaskPAN(digits)
	b := []byte(run)
	i := 0 // digits seen
	for j, c := range b {
		if c >= '0' && c <= '9' {
			b[j] = masked[i]
			i++
		}
	}
	return string(b)
}

// isDigits reports whether s is a non-empty string of ASCII digits.
func isDigits(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return s != ""
}

// Package pan holds the card-number rules that the sign, unionpay and notify packages share:
// what an accNo in clear looks like, whether a decrypted one is a card number, and how one is
// masked for logs (notify's exported MaskPAN keeps rules of its own).
package pan

import "strings"

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

// Mask masks a card number for logs: the first 6 and last 4 digits of one of 16 or more
// (621626******0018), the last 4 of a shorter one (at least six are hidden), nothing of one of
// 10 or fewer ("***"); "" stays "". A value already hiding six or more characters behind '*'
// and showing at most 10 digits (as Mask or UnionPay masked it) is left as it is, so that
// masking twice changes nothing; one showing more (621626******1000018, a 19-digit card with
// only six stars) is masked as 6+4 again.
func Mask(pan string) string {
	switch n := len(pan); {
	case strings.Count(pan, "*") >= 6 && digits(pan) <= 10:
		return pan
	case n >= 16:
		return pan[:6] + "******" + pan[n-4:]
	case n > 10:
		return "******" + pan[n-4:]
	case n == 0:
		return ""
	default:
		return "***"
	}
}

// MaskAccNo masks an accNo as a message carries it: a card number in clear as Mask masks it, a
// ciphertext as "(encrypted)"; "" stays "".
func MaskAccNo(v string) string {
	switch {
	case v == "":
		return ""
	case IsText(v):
		return Mask(v)
	}
	return "(encrypted)"
}

// digits counts the ASCII digits in s: what a masked card number shows.
func digits(s string) int {
	n := 0
	for i := 0; i < len(s); i++ {
		if s[i] >= '0' && s[i] <= '9' {
			n++
		}
	}
	return n
}

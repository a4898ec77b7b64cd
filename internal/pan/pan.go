// Package pan holds the card-number rules that the sign, unionpay and notify packages share:
// what an accNo in clear looks like, whether a decrypted one is a card number, and how one is
// masked for logs (notify's exported MaskPAN is Mask).
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
	case !ascii(pan):
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

// ascii reports whether s is all ASCII.
func ascii(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] >= 0x80 {
			return false
		}
	}
	return true
}

// MaskRuns masks, as Mask masks a card number, every run of 12 or more digits in s, ASCII or
// full-width (U+FF10-U+FF19, as a GB18030 page may write them) and mixed, digits separated by one
// space or hyphen (or a full-width hyphen, U+FF0D) counting as one run (6216 2610 0000 0000 018).
// A run is masked as its ASCII digits are.
func MaskRuns(s string) string {
	var out strings.Builder
	last := 0
	for i := 0; i < len(s); {
		if _, n := digitAt(s, i); n == 0 {
			i++
			continue
		}
		start, end := i, i
		var digits []byte
		for j := i; j < len(s); {
			if d, n := digitAt(s, j); n > 0 {
				digits = append(digits, d)
				j += n
				end = j
				continue
			}
			sep := separatorAt(s, j)
			if sep == 0 || j+sep >= len(s) {
				break
			}
			if _, n := digitAt(s, j+sep); n == 0 {
				break
			}
			j += sep
		}
		if len(digits) >= 12 {
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

// digitAt is the digit at s[i] as an ASCII digit, and its length in bytes: 1 for an ASCII digit,
// 3 for a full-width one (０-９, U+FF10-U+FF19, EF BC 90-99 in UTF-8); 0, 0 for anything else.
func digitAt(s string, i int) (byte, int) {
	if '0' <= s[i] && s[i] <= '9' {
		return s[i], 1
	}
	if i+2 < len(s) && s[i] == 0xEF && s[i+1] == 0xBC && 0x90 <= s[i+2] && s[i+2] <= 0x99 {
		return '0' + s[i+2] - 0x90, 3
	}
	return 0, 0
}

// separatorAt is the length in bytes of the separator a digit run may hold at s[i]: 1 for a space
// or a hyphen, 3 for a full-width hyphen (－, U+FF0D, EF BC 8D); 0 for anything else.
func separatorAt(s string, i int) int {
	switch {
	case s[i] == ' ' || s[i] == '-':
		return 1
	case strings.HasPrefix(s[i:], "\uFF0D"):
		return 3
	}
	return 0
}

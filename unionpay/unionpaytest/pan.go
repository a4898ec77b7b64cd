package unionpaytest

import "strings"

// filePAN is a card number as UnionPay's settlement files show it: the first six and the last four
// digits with six stars between them, whatever the length (622609******0048 in UnionPay's sample
// file); a number of ten digits or fewer is all stars.
func filePAN(pan string) string {
	switch n := len(pan); {
	case n >= 16:
		return pan[:6] + "******" + pan[n-4:]
	case n > 10:
		return "******" + pan[n-4:]
	default:
		return strings.Repeat("*", n)
	}
}

// messagePAN is a card number as UnionPay masks it before encrypting it into the accNo of a
// notification or a query answer: the first four and the last four digits, a star for each of the
// others (6216***********0018 in captures of the test environment), for 14 digits or more; a
// shorter number as filePAN masks it, so that six digits at least are always hidden.
func messagePAN(pan string) string {
	if n := len(pan); n >= 14 {
		return pan[:4] + strings.Repeat("*", n-8) + pan[n-4:]
	}
	return filePAN(pan)
}

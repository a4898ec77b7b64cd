// Package tokenpay reads tokenPayData, {token=...&trId=...&tokenType=...}: one rule for the
// answers the client reads (package unionpay) and the notifications package notify reads, so
// that the two accept and refuse the same values.
package tokenpay

import "github.com/goacp/unionpay/sign"

// Parse reads v as UnionPay's token samples read tokenPayData: exactly one outer pair of braces
// taken off (the inside is not stripped again, as parseQString would not: {{token=a}} is the
// pair "{token" = "a}", without a token), the inside read with UnionPay's raw rule
// ([sign.ParseRaw]), so that a {...} or [...] region inside a value keeps its '&'. "{}" is no
// pair. Every fault is a *sign.ParseError (so matching sign.ErrMalformed): a v not wrapped in
// braces ("" too) has Msg "not {k=v&...}", and ParseRaw's own name theirs.
func Parse(v string) (sign.Fields, error) {
	if len(v) < 2 || v[0] != '{' || v[len(v)-1] != '}' {
		return nil, &sign.ParseError{Msg: "not {k=v&...}"}
	}
	// ParseRaw takes off the outer braces checked above, and only those.
	return sign.ParseRaw(v)
}

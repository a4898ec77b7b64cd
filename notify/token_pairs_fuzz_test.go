package notify_test

import (
	"errors"
	"fmt"
	"strings"
	"testing"

	"github.com/goacp/unionpay/notify"
	"github.com/goacp/unionpay/sign"
)

// tokenErrors are the only texts Token's errors may have: they name the field and the fault,
// never a value of the tokenPayData (the token is a payment credential).
// Past the braces, they are sign.ParseRaw's faults (its *ParseError's Msg, without its Field: a
// key is the sender's text too).
var tokenErrors = map[string]bool{
	notify.ErrNoToken.Error():                                            true,
	"notify: field tokenPayData: not {k=v&...}":                          true,
	"notify: field tokenPayData: pair without '='":                       true,
	"notify: field tokenPayData: empty key":                              true,
	"notify: field tokenPayData: trailing '&'":                           true,
	"notify: field tokenPayData: repeated key":                           true,
	"notify: field tokenPayData: value leaves '{' or '[' open":           true,
	"notify: field tokenPayData: more than 1024 fields (sign.MaxFields)": true,
}

// FuzzTokenPairs builds a tokenPayData from pairs: spec's items, separated by ';' ('&', '{' and
// '[' in an item made '_', so that each item is one pair: regions, which keep an '&', are
// FuzzToken's and TestTokenBracedPairs'), then pad "k0=v", "k1=v"... pairs (to reach
// sign.MaxFields), braced unless unbraced is set. Token must return the token iff the value is
// braced, every item holds '=' after a non-empty key, there are at most sign.MaxFields pairs, no
// key is repeated, and one item's key is token, with a non-empty value; ErrNoToken iff the value
// is well formed but has no token (or an empty one); a *FieldError matching sign.ErrMalformed
// otherwise. No error holds a value.
func FuzzTokenPairs(f *testing.F) {
	for _, s := range []string{"token=6235240000020757182;trId=62000000001;tokenType=01", "trId=1", "", "token=",
		"token=a;token=b", "=;token=a", "token=a;x", "token=a=b", "token={a};b=}", "token=a;=x", "token=&b;token=c",
		"trId=1;token=a;trId=2", "token=[a&b]", "token=a;"} {
		f.Add(s, uint16(0), false)
		f.Add(s, uint16(0), true)
	}
	f.Add("token=a", uint16(sign.MaxFields-1), false)
	f.Add("token=a", uint16(sign.MaxFields), false)
	f.Add("", uint16(sign.MaxFields+1), false)
	f.Fuzz(func(t *testing.T, spec string, pad uint16, unbraced bool) {
		var items []string
		if spec != "" {
			items = strings.Split(strings.NewReplacer("&", "_", "{", "_", "[", "_").Replace(spec), ";")
		}
		for i := range pad {
			items = append(items, fmt.Sprintf("k%d=v", i))
		}
		v := strings.Join(items, "&")
		if !unbraced {
			v = "{" + v + "}"
		}
		// The expected answer, worked out from the items.
		wellFormed := !unbraced && len(items) <= sign.MaxFields
		keys, want := map[string]bool{}, ""
		for _, it := range items {
			k, val, ok := strings.Cut(it, "=")
			wellFormed = wellFormed && ok && k != "" && !keys[k]
			keys[k] = true
			if ok && k == "token" {
				want = val
			}
		}
		n := &notify.Notification{Raw: sign.Fields{"tokenPayData": v}}
		tok, err := n.Token()
		switch {
		case v == "" || v == "{}": // empty, or braced without a pair
			if !errors.Is(err, notify.ErrNoToken) {
				t.Fatalf("Token(%q) = %q, %v; want ErrNoToken", v, tok, err)
			}
		case !wellFormed:
			var fe *notify.FieldError
			if tok != "" || !errors.As(err, &fe) || !errors.Is(err, sign.ErrMalformed) {
				t.Fatalf("Token(%q) = %q, %v; want a *FieldError", v, tok, err)
			}
		case want == "":
			if tok != "" || !errors.Is(err, notify.ErrNoToken) {
				t.Fatalf("Token(%q) = %q, %v; want ErrNoToken", v, tok, err)
			}
		default:
			if err != nil || tok != want {
				t.Fatalf("Token(%q) = %q, %v; want %q", v, tok, err, want)
			}
		}
		if err != nil && !tokenErrors[err.Error()] {
			t.Fatalf("Token(%q): error %q is not one of Token's texts", v, err)
		}
	})
}

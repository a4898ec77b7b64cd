package notify_test

import (
	"errors"
	"fmt"
	"strings"
	"testing"

	"github.com/goacp/unionpay/notify"
	"github.com/goacp/unionpay/sign"
)

// TestTokenBracedPairs pins Token's doc: a tokenPayData that is not braced pairs is a *FieldError
// wherever the fault sits (a malformed pair after the token was let through, one before it
// refused), and so is one of more than sign.MaxFields pairs (docs/SECURITY.md: "sign.MaxFields
// pairs in ... a tokenPayData"); a braced one without a token, "{}" too, is ErrNoToken (it was
// a *FieldError). The inside is read with UnionPay's raw rule (sign.ParseRaw), as the client reads
// an answer's tokenPayData: a {...} or [...] region in a value keeps its '&' (it was split there
// and refused), a region left open and a repeated key of any name are refused (they were let
// through), and the braces are taken off once.
func TestTokenBracedPairs(t *testing.T) {
	t.Parallel()
	many := func(n int) string {
		var b strings.Builder
		b.WriteString("{token=a")
		for i := range n - 1 {
			fmt.Fprintf(&b, "&k%d=v", i)
		}
		return b.String() + "}"
	}
	for _, tt := range []struct {
		name, value, want string
		err               error // nil, notify.ErrNoToken or sign.ErrMalformed (a *FieldError)
	}{
		{"no pair", "{}", "", notify.ErrNoToken},
		{"empty token", "{token=}", "", notify.ErrNoToken},
		{"token alone", "{token=6235240000020757182}", "6235240000020757182", nil},
		{"sign.MaxFields pairs", many(sign.MaxFields), "a", nil},
		{"one pair more than sign.MaxFields", many(sign.MaxFields + 1), "", sign.ErrMalformed},
		{"empty pair before the token", "{&token=a}", "", sign.ErrMalformed},
		{"empty pair after the token", "{token=a&}", "", sign.ErrMalformed},
		{"pair without = after the token", "{token=a&trId}", "", sign.ErrMalformed},
		{"pair without = before the token", "{trId&token=a}", "", sign.ErrMalformed},
		{"empty key after the token", "{token=a&=1}", "", sign.ErrMalformed},
		{"token repeated", "{token=a&token=b}", "", sign.ErrMalformed},
		{"a blank", "{ }", "", sign.ErrMalformed},
		{"no closing brace", "{token=a", "", sign.ErrMalformed},
		{"no opening brace", "token=a}", "", sign.ErrMalformed},
		{"another key repeated", "{trId=1&token=a&trId=2}", "", sign.ErrMalformed},
		{"trailing &", "{token=a&trId=1&}", "", sign.ErrMalformed},
		{"& in a {} region of another value", "{trId={x=1&y}&token=a&tokenType=01}", "a", nil},
		{"& in a [] region of another value", "{trId=[1&2]&token=a}", "a", nil},
		{"& in a region of the token", "{token={a&b}&trId=1}", "{a&b}", nil},
		{"region of the token left open", "{token={a&trId=1}", "", sign.ErrMalformed},
		{"[ region left open after the token", "{token=a&trId=[1}", "", sign.ErrMalformed},
		{"braces taken off once", "{{token=a}}", "", notify.ErrNoToken}, // key "{token", as parseQString reads it
	} {
		n := &notify.Notification{Raw: sign.Fields{"tokenPayData": tt.value}}
		got, err := n.Token()
		var fe *notify.FieldError
		switch {
		case got != tt.want:
			t.Errorf("%s: Token(%.40q) = %q, want %q", tt.name, tt.value, got, tt.want)
		case tt.err == nil && err != nil:
			t.Errorf("%s: Token(%.40q): %v", tt.name, tt.value, err)
		case tt.err == notify.ErrNoToken && !errors.Is(err, notify.ErrNoToken):
			t.Errorf("%s: Token(%.40q): %v, want ErrNoToken", tt.name, tt.value, err)
		case tt.err == sign.ErrMalformed && !(errors.As(err, &fe) && errors.Is(err, sign.ErrMalformed)):
			t.Errorf("%s: Token(%.40q): %v, want a *FieldError", tt.name, tt.value, err)
		}
	}
}

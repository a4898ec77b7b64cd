package notify_test

import (
	"errors"
	"strings"
	"testing"

	"github.com/goacp/unionpay/notify"
	"github.com/goacp/unionpay/sign"
)

// TestTokenBracedPairs pins Token's doc: a tokenPayData that is not braced pairs is a *FieldError
// wherever the fault sits (a malformed pair after the token was let through, one before it
// refused), and so is one of more than sign.MaxFields pairs (docs/SECURITY.md: "sign.MaxFields
// pairs in ... a tokenPayData"); a braced one without a token, "{}" too, is ErrNoToken (it was
// a *FieldError).
func TestTokenBracedPairs(t *testing.T) {
	t.Parallel()
	many := func(n int) string { return "{token=a" + strings.Repeat("&k=v", n-1) + "}" }
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

package notify_test

import (
	"errors"
	"strings"
	"testing"

	"github.com/goacp/unionpay/notify"
	"github.com/goacp/unionpay/sign"
)

// FuzzToken: Token never panics on a hostile tokenPayData; a token it returns is the value of
// a token= pair of the braced value, and its errors are ErrNoToken or a *FieldError matching
// sign.ErrMalformed, with one of Token's fixed texts (tokenErrors): none holds a value.
func FuzzToken(f *testing.F) {
	for _, seed := range []string{"{token=6235240000020757182&trId=62000000001&tokenType=01}", "{trId=1}", "{}",
		"{token=}", "token=1", "{token=a&token=b}", "{=}", "{&}", "{token=a=b}", "", "{{token=1}}"} {
		f.Add(seed)
	}
	f.Fuzz(func(t *testing.T, v string) {
		n := &notify.Notification{Raw: sign.Fields{"tokenPayData": v}}
		tok, err := n.Token()
		if err != nil {
			var fe *notify.FieldError
			if !errors.Is(err, notify.ErrNoToken) && !(errors.As(err, &fe) && errors.Is(err, sign.ErrMalformed)) {
				t.Fatalf("Token(%q): untyped error %v", v, err)
			}
			if tok != "" {
				t.Fatalf("Token(%q) = %q with error %v", v, tok, err)
			}
			if !tokenErrors[err.Error()] { // no value of v, the token's least of all
				t.Fatalf("Token(%q): error %q is not one of Token's texts", v, err)
			}
			return
		}
		if tok == "" || strings.Contains(tok, "&") {
			t.Fatalf("Token(%q) = %q", v, tok)
		}
		if !strings.Contains(v, "token="+tok) {
			t.Fatalf("Token(%q) = %q: not a token= pair of it", v, tok)
		}
	})
}

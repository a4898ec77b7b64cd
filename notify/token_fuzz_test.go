package notify_test

import (
	"errors"
	"strings"
	"testing"

	"github.com/goacp/unionpay/notify"
	"github.com/goacp/unionpay/sign"
)

// FuzzToken: Token never panics on a hostile tokenPayData; a token it returns is the value of
// a token= pair of the braced value, with an '&' only inside a {...} or [...] region of its own,
// and its errors are ErrNoToken or a *FieldError matching sign.ErrMalformed, with one of Token's
// fixed texts (tokenErrors): none holds a value. It reads a braced value as sign.ParseRaw does,
// as the client reads an answer's tokenPayData: the same token, refused where ParseRaw refuses.
func FuzzToken(f *testing.F) {
	for _, seed := range []string{"{token=6235240000020757182&trId=62000000001&tokenType=01}", "{trId=1}", "{}",
		"{token=}", "token=1", "{token=a&token=b}", "{=}", "{&}", "{token=a=b}", "", "{{token=1}}",
		"{token={a&b}&trId=1}", "{trId=[1&2]&token=a}", "{token={a&trId=1}", "{trId=1&token=a&trId=2}"} {
		f.Add(seed)
	}
	f.Fuzz(func(t *testing.T, v string) {
		n := &notify.Notification{Raw: sign.Fields{"tokenPayData": v}}
		tok, err := n.Token()
		if len(v) >= 2 && v[0] == '{' && v[len(v)-1] == '}' {
			f, perr := sign.ParseRaw(v)
			if (perr != nil) != errors.Is(err, sign.ErrMalformed) || f["token"] != tok {
				t.Fatalf("Token(%q) = %q, %v; sign.ParseRaw: token %q, %v", v, tok, err, f["token"], perr)
			}
		}
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
		if tok == "" || !ampsInRegions(tok) {
			t.Fatalf("Token(%q) = %q", v, tok)
		}
		if !strings.Contains(v, "token="+tok) {
			t.Fatalf("Token(%q) = %q: not a token= pair of it", v, tok)
		}
	})
}

// ampsInRegions reports whether every '&' of s is inside a {...} or [...] region of s (regions as
// sign.ParseRaw reads them: '{' to the next '}', '[' to the next ']', no nesting) and s leaves no
// region open: what a value of a braced tokenPayData can hold.
func ampsInRegions(s string) bool {
	var closer rune
	for _, c := range s {
		switch {
		case closer != 0:
			if c == closer {
				closer = 0
			}
		case c == '{':
			closer = '}'
		case c == '[':
			closer = ']'
		case c == '&':
			return false
		}
	}
	return closer == 0
}

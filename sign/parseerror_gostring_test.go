package sign_test

import (
	"fmt"
	"strings"
	"testing"

	"github.com/goacp/unionpay/sign"
)

// TestParseErrorGoStringCutsKey: %#v of a *ParseError shows Field as Error does: a key holding a
// card number (a refused body's "accNo 6216261000000000018") cut, a field name whole, and the
// wrapped error and position as they are.
func TestParseErrorGoStringCutsKey(t *testing.T) {
	const card = "6216261000000000018"
	tests := []struct {
		name string
		err  *sign.ParseError
		want []string // in %#v
		not  string   // never in %#v, %v or %+v
	}{
		{"key holding a card", &sign.ParseError{Pos: 7, Field: "accNo " + card, Msg: "bad", Err: sign.ErrCharset},
			[]string{"&sign.ParseError{Pos:7,", `Field:"accNo..."`, `Msg:"bad"`, "Err:"}, card},
		{"card as the key", &sign.ParseError{Pos: 0, Field: card, Msg: "bad"},
			[]string{`Field:"..."`, "Err:<nil>"}, card},
		{"field name", &sign.ParseError{Pos: 3, Field: "merId", Msg: "bad"},
			[]string{`Field:"merId"`}, card},
		{"no field", &sign.ParseError{Pos: 3, Msg: "bad"}, []string{`Field:""`}, card},
		{"nil", nil, []string{"(*sign.ParseError)(nil)"}, card},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got := fmt.Sprintf("%#v", tc.err)
			for _, w := range tc.want {
				if !strings.Contains(got, w) {
					t.Errorf("%%#v = %s, want it to hold %s", got, w)
				}
			}
			if tc.err == nil {
				return
			}
			for _, verb := range []string{"%#v", "%v", "%+v", "%s"} {
				if s := fmt.Sprintf(verb, tc.err); strings.Contains(s, tc.not) {
					t.Errorf("%s = %s: holds the card number", verb, s)
				}
			}
		})
	}
}

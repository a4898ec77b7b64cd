package notify_test

import (
	"errors"
	"testing"

	"github.com/goacp/unionpay/notify"
	"github.com/goacp/unionpay/sign"
)

// TestTokenFaultNamed: a tokenPayData Token refuses gives a *FieldError whose text names the
// fault sign.ParseRaw found inside the braces (its *ParseError's Msg), not only "not {k=v&...}",
// which is for a value not wrapped in braces.
func TestTokenFaultNamed(t *testing.T) {
	t.Parallel()
	for _, tt := range []struct{ value, want string }{
		{"token=a}", "notify: field tokenPayData: not {k=v&...}"},
		{"{token=a", "notify: field tokenPayData: not {k=v&...}"},
		{"{token=a&token=b}", "notify: field tokenPayData: repeated key"},
		{"{token=[a&trId=1}", "notify: field tokenPayData: value leaves '{' or '[' open"},
		{"{token=a&}", "notify: field tokenPayData: trailing '&'"},
		{"{token=a&trId}", "notify: field tokenPayData: pair without '='"},
		{"{token=a&=1}", "notify: field tokenPayData: empty key"},
	} {
		n := &notify.Notification{Raw: sign.Fields{"tokenPayData": tt.value}}
		got, err := n.Token()
		_, isField := errors.AsType[*notify.FieldError](err)
		if got != "" || err == nil || !isField || err.Error() != tt.want {
			t.Errorf("Token(%q) = %q, %v; want a *FieldError %q", tt.value, got, err, tt.want)
		}
	}
}

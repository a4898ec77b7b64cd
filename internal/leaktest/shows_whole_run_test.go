package leaktest

import "testing"

// TestShowsShortSecretBounds: a short secret of digits is found in clear only where no digit,
// '0' to '9' inclusive, comes right before or after it; a short secret with any other character
// is found anywhere, digits around it or not.
func TestShowsShortSecretBounds(t *testing.T) {
	for _, c := range []struct {
		out, secret string
		want        bool
	}{
		{`trace 97419`, "741", false}, // '9' is a digit too
		{`trace 07410`, "741", false}, // and so is '0'
		{`x 0741`, "741", false},
		{`id 1ab2`, "ab", true}, // not digits: anywhere
		{`key9`, "key", true},
	} {
		if got, _ := Shows(c.out, c.secret); got != c.want {
			t.Errorf("Shows(%q, %q) = %v, want %v", c.out, c.secret, got, c.want)
		}
	}
}

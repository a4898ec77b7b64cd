package leaktest

import "testing"

func TestShowsShortDigitSecrets(t *testing.T) {
	for _, c := range []struct {
		out, secret string
		want        bool
	}{
		{`cvn2=741`, "741", true},
		{`"cvn2":"741"`, "741", true},
		{`741 at the start`, "741", true},
		{`duration=137741µs`, "741", false}, // inside a longer run of digits: not the CVN2
		{`port 7410`, "741", false},
		{`13774 then 741`, "741", true}, // the second occurrence is whole
		{`expiry 3012`, "3012", true},
		{`txnTime 20261230120000`, "3012", false},
		{`card 6216261000000000018`, "6216261000000000018", true},
		{`x6216261000000000018y`, "6216261000000000018", true}, // a long secret: anywhere
		{`password abc000000def`, "000000", true},              // more than shortDigits: anywhere
		{`secretkey`, "key", true},                             // not digits: anywhere
	} {
		if got, _ := Shows(c.out, c.secret); got != c.want {
			t.Errorf("Shows(%q, %q) = %v, want %v", c.out, c.secret, got, c.want)
		}
	}
}

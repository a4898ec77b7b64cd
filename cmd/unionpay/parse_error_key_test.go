package main

import (
	"strings"
	"testing"

	"github.com/goacp/unionpay/internal/leaktest"
)

// TestParseErrorKeyHoldingValue: a field name of the input holding a value (a card number after a
// space typed for '=') is not shown whole when another mistake in the same pair is what is
// reported first: a repeated key, a bad %-escape, bytes not in the charset, a name not printable
// ASCII. The sign package's parse errors quoted a key up to 64 bytes, and so did the tool's own
// errors for key=value lines; the tool's own errors cut the name as checkFieldNames cuts it
// ("accNo ..."), the sign package's as every log form of the SDK cuts a key (internal/mask.Key:
// "accNo...").
func TestParseErrorKeyHoldingValue(t *testing.T) {
	t.Parallel()
	const pan = "6216261000000000018"
	tests := []struct {
		name, stdin, want string
		commands          [][]string
	}{
		{"repeated line", "merId=1\naccNo " + pan + "=\naccNo " + pan + "=\n", `field "accNo ..." repeated`,
			[][]string{{"sign"}, {"verify", "-request"}}},
		{"line not UTF-8", "merId=1\naccNo " + pan + "=\xff\n", `field "accNo ..." is not valid UTF-8`,
			[][]string{{"sign"}, {"verify", "-request"}}},
		{"form body value not UTF-8", "merId=1&accNo%20" + pan + "=%ff", `field "accNo ..." is not valid UTF-8`,
			[][]string{{"sign"}, {"verify", "-request"}}},
		{"repeated pair", "merId=1&accNo " + pan + "=&accNo " + pan + "=", `field "accNo...": repeated key`,
			[][]string{{"sign"}, {"verify"}, {"verify", "-request"}}},
		{"bad escape", "merId=1&accNo " + pan + "=%zz", `field "accNo...": invalid percent-encoding`,
			[][]string{{"sign"}, {"verify"}, {"verify", "-request"}}},
		{"not GBK", "merId=1&accNo " + pan + "=%ff&encoding=GBK", `field "accNo...": invalid GBK`,
			[][]string{{"sign"}, {"verify"}, {"verify", "-request"}}},
		{"full-width colon", "merId=1&accNo：" + pan + "=x", `field "accNo...": field name is not printable ASCII`,
			[][]string{{"verify"}}},
		{"run into the name", "merId=1&accNo" + pan + "=&accNo" + pan + "=", `field "accNo...": repeated key`,
			[][]string{{"sign"}, {"verify"}}},
		{"run into a name before a space", "merId=1&a" + pan + " b=x", `field name "a..." holds ' '`,
			[][]string{{"sign"}}},
		{"a name sign refuses", "signMethod=11&version=5.1.0&signature=00&accNo " + pan + "=x",
			`field name "accNo...": want printable ASCII`, [][]string{{"verify", "-raw"}, {"verify", "-request"}}},
		{"a name sign refuses, in lines", "signMethod=11\nversion=5.1.0\nsignature=00\naccNo\t" + pan + "=x\n",
			`field name "accNo...": want printable ASCII`, [][]string{{"verify", "-request"}}},
		{"a plain name stays whole", "merId=1&accNo=1&accNo=2", `field "accNo": repeated key`,
			[][]string{{"sign"}, {"verify"}}},
	}
	for _, tt := range tests {
		for _, cmd := range tt.commands {
			t.Run(tt.name+"/"+strings.Join(cmd, " "), func(t *testing.T) {
				t.Parallel()
				r := runCLI(t, tt.stdin, append(cmd, "-secure-key", "88888888")...)
				if cmd[0] == "sign" {
					r = runCLI(t, tt.stdin, "sign", "-sign-method", "11", "-secure-key", "88888888")
				}
				requireFailure(t, r, exitFailed, tt.want)
				if ok, form := leaktest.Shows(r.stdout+r.stderr, pan); ok {
					t.Errorf("the output shows the card number (%s): %s", form, strings.TrimSpace(r.stderr))
				}
			})
		}
	}
}

package main

import (
	"strings"
	"testing"

	"github.com/goacp/unionpay/internal/leaktest"
)

// parseKeyInputs are the inputs of TestParseErrorKeyHoldingValue with the key, holding a card
// number, as %s: each makes a parse error about that key, or about its pair.
var parseKeyInputs = []string{
	"merId=1\n%s=\n%s=\n",          // a repeated line
	"merId=1\n%s=\xff\n",           // a line not UTF-8
	"merId=1&%s=%%ff",              // a form value not UTF-8
	"merId=1&%s=&%s=",              // a repeated pair
	"merId=1&%s=%%zz",              // a bad escape
	"merId=1&%s=%%ff&encoding=GBK", // not GBK
	"merId=1&%s=x",                 // maybe a name not printable ASCII
	"merId=1&%s",                   // a pair without '='
	// Parsed, then refused by sign.CheckFieldNames (verify -raw, verify -request).
	"signMethod=11&version=5.1.0&signature=00&%s=x",
	"signMethod=11\nversion=5.1.0\nsignature=00\n%s=x\n",
	"signMethod=01&version=5.1.0&certId=1&signature=00&%s=x",
}

// FuzzParseErrorKey: a card number typed into a field name, with whatever before and after it
// (a name, a space or a full-width colon typed for '=', more digits), never reaches the output
// whole, whichever parse error the pair makes and whichever command reads it.
func FuzzParseErrorKey(f *testing.F) {
	for i := range parseKeyInputs {
		for _, around := range [][2]string{{"accNo ", ""}, {"accNo", ""}, {"accNo：", ""}, {"", ""}, {"a", " b"},
			{"_", "_x"}, {"accNo\t", "\x00"}, {"phoneNo 13552535506 cvn2 ", ""}, {"x{", "}"}, {"accNo%20", ""}} {
			f.Add(uint8(i), uint8(i), around[0], around[1])
		}
	}
	commands := append([][]string{{"verify", "-request", "-secure-key", "88888888"}}, stdinCommands...)
	const pan = "6216261000000000018"
	f.Fuzz(func(t *testing.T, which, command uint8, before, after string) {
		// Kept in the key: no '=', '&' or line end ends it.
		clean := strings.NewReplacer("=", "", "&", "", "\n", "", "\r", "")
		key := clean.Replace(before) + pan + clean.Replace(after)
		input := parseKeyInputs[int(which)%len(parseKeyInputs)]
		stdin := strings.ReplaceAll(strings.ReplaceAll(input, "%s", key), "%%", "%")
		args := commands[int(command)%len(commands)]
		r := runCLI(t, stdin, args...)
		if ok, form := leaktest.Shows(r.stdout+r.stderr, pan); ok && r.code != exitOK {
			t.Fatalf("%q on stdin of %s: the output shows the card number (%s): %s", stdin, args[0], form,
				strings.TrimSpace(r.stderr))
		}
	})
}

package main

import (
	"bytes"
	"context"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestWrongPasswordNamesItsSource: a wrong PFX or .sm2 password says whether it came from
// -password or $UNIONPAY_PASSWORD (with the variable exported, an operator often does not know
// which one was used), in every command that loads a credential, and never prints the password.
func TestWrongPasswordNamesItsSource(t *testing.T) {
	t.Parallel()
	const wrong = "wr0ng-pw"
	creds := []string{"-root", testRoot, "-middle", testMiddle}
	tests := []struct {
		name  string
		args  []string
		stdin string
		code  int
	}{
		{"certinfo", []string{"certinfo", testPFX}, "", exitFailed},
		{"certinfo .sm2", []string{"certinfo", testSM2}, "", exitFailed},
		{"certinfo -expires-within", []string{"certinfo", "-expires-within", "720h", testPFX}, "", exitFailed},
		{"decrypt", []string{"decrypt", "-pfx", testPFX}, "", exitFailed},
		{"sign", []string{"sign", "-pfx", testPFX}, "a=b", exitFailed},
		{"preflight", append([]string{"preflight", "-env", "test", "-merid", demoMerID, "-pfx", testPFX}, creds...), "", exitFailed},
		{"query", append([]string{"query", "-order", "A1234567", "-txn-time", "20261127100000", "-env", "test",
			"-merid", demoMerID, "-pfx", testPFX}, creds...), "", exitRefused},
	}
	for _, tt := range tests {
		for _, from := range []string{"-password", "$UNIONPAY_PASSWORD"} {
			t.Run(tt.name+" "+from, func(t *testing.T) {
				t.Parallel()
				args := tt.args
				variable := ""
				if from == "-password" {
					args = append([]string{args[0], "-password", wrong}, args[1:]...)
				} else {
					variable = wrong
				}
				var out, errOut bytes.Buffer
				e := &env{ctx: context.Background(), stdin: strings.NewReader(tt.stdin), stdout: &out, stderr: &errOut,
					getenv: func(k string) string {
						if k == passwordEnv {
							return variable
						}
						return ""
					}}
				code := e.dispatch(args)
				require.Equal(t, tt.code, code, "stderr %q", errOut.String())
				all := out.String() + errOut.String()
				assert.Contains(t, all, "wrong ")
				assert.Contains(t, all, "(the password from "+from+")")
				assert.NotContains(t, all, wrong)
			})
		}
	}
}

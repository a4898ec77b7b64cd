package main

import (
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
)

// A flag the package cannot parse is a usage error that names the flag but shows no text that may
// be a secret: a value given to a switch (-secure-key-env=KEY), a value run on to a secret flag's
// name (-password000000), a malformed argument. Other mistakes keep the flag package's words.
func TestFlagErrorsShowNoSecret(t *testing.T) {
	const secret = "S3cretValue88"
	tests := []struct {
		name string
		args []string
		want string
	}{
		{"value given to -secure-key-env", []string{"sign", "-sign-method", "11", "-secure-key-env=" + secret},
			"-secure-key-env is a switch and takes no value"},
		{"value given to verify -secure-key-env", []string{"verify", "-secure-key-env=" + secret},
			"-secure-key-env is a switch and takes no value"},
		{"value given to -reveal", []string{"decrypt", "-reveal=" + secret}, "-reveal is a switch and takes no value"},
		{"password run on", []string{"certinfo", "-password" + secret, testPFX},
			"flag provided but not defined: -password followed by more text"},
		{"password run on, capitals", []string{"decrypt", "-PASSWORD" + secret, "-pfx", testPFX},
			"flag provided but not defined: -password followed by more text"},
		{"secure key run on", []string{"sign", "-sign-method", "11", "-secure-key" + secret},
			"flag provided but not defined: -secure-key followed by more text"},
		{"bad flag syntax", []string{"certinfo", "-=" + secret, testPFX}, "bad flag syntax"},
		{"three dashes", []string{"sign", "---password=" + secret}, "bad flag syntax"},
		{"unknown flag still named", []string{"reconcile", "-no-such-flag", "x"}, "flag provided but not defined: -no-such-flag"},
		{"typo still named", []string{"certinfo", "-pasword", secret, testPFX},
			"flag provided but not defined: -pasword (did you mean -password?)"},
		{"password mistyped, run on", []string{"certinfo", "-pasword" + secret, testPFX},
			"an argument close to -password followed by more text"},
		{"secure key mistyped, run on", []string{"verify", "-secure-kye" + secret},
			"an argument close to -secure-key followed by more text"},
		{"another name, run on", []string{"certinfo", "-pwd" + secret, testPFX},
			"flag provided but not defined (the argument is not shown"},
		{"capitals not quoted", []string{"certinfo", "-Pwd" + "Secret", testPFX},
			"flag provided but not defined (the argument is not shown"},
		{"duration given the next flag", []string{"certinfo", "-expires-within", "-password=" + secret, testPFX},
			"-expires-within needs a value, and the argument after it is a flag"},
		{"path given the next flag", []string{"verify", "-root", "-secure-key=" + secret, "-middle", testRoot},
			"-root needs a value, and was given the flag after it"},
		{"repeatable path given the next flag", []string{"verify", "-verify-cert", "-secure-key=" + secret},
			"-verify-cert needs a value, and was given the flag after it"},
		{"time given the next flag run on", []string{"verify", "-at", "-secure-key" + secret, "-root", testRoot,
			"-middle", testRoot}, "-at needs a value, and was given the flag after it"},
		{"password given the next flag", []string{"decrypt", "-password", "-pfx", testPFX},
			"-password needs a value, and was given the flag after it (-pfx"},
		{"flag before the command", []string{"-password=" + secret, "certinfo", testPFX}, "a flag before the command"},
		{"bad duration still quoted", []string{"certinfo", "-expires-within", "soon", testRoot}, `invalid value "soon" for flag -expires-within`},
		{"days are not a duration unit", []string{"certinfo", "-expires-within", "30d", testRoot},
			`invalid value "30d" for flag -expires-within: parse error: write a duration in hours, minutes or seconds, such as 720h for 30 days (there is no d unit)`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := runCLI(t, "a=1", tt.args...)
			requireFailure(t, r, exitUsage, tt.want)
			assert.NotContains(t, strings.ToLower(r.stderr), strings.ToLower(secret))
		})
	}
}

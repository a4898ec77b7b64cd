package main

import (
	"errors"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
)

// TestVerifyRawCRLFRetryStillChecksSignature: verify -raw tries a raw answer ending in CR LF again
// without it, and that second try is a verification like the first: an answer altered after
// signing is refused whether or not it ends in CR LF.
func TestVerifyRawCRLFRetryStillChecksSignature(t *testing.T) {
	g := testGateway(t)
	d := testSettlement(t)
	tampered := strings.Replace(d.rawAnswer, "respCode=00", "respCode=01", 1)
	if tampered == d.rawAnswer {
		t.Fatalf("no respCode=00 in the answer: %q", d.rawAnswer)
	}
	for _, tail := range []string{"", "\n", "\r\n"} {
		r := runCLI(t, tampered+tail, "verify", "-raw", "-root", g.root, "-middle", g.middle)
		assert.Equal(t, exitFailed, r.code, "tail %q: %s", tail, r.stderr)
		assert.NotContains(t, r.stdout, "OK", "tail %q", tail)
		assert.Contains(t, r.stderr, "signature does not verify", "tail %q", tail)
	}
}

// TestFlagNamesNameEveryVerifierField: the cert package's errors name VerifierConfig's fields
// (VerifierConfig.Root, VerifierConfig.SM2Certs[1]); verify's errors name its flags instead.
func TestFlagNamesNameEveryVerifierField(t *testing.T) {
	tests := []struct{ in, want string }{
		{"cert: VerifierConfig.Root: certificate 1: unknown authority", "cert: -root: certificate 1"},
		{"cert: VerifierConfig.Middle: certificate 1: unknown authority", "cert: -middle: certificate 1"},
		{"cert: VerifierConfig.Root and VerifierConfig.Middle: expired", "cert: -root and -middle: expired"},
		{"cert: VerifierConfig.SM2Root: certificate 1: not SM2", "cert: -sm2-root: certificate 1"},
		{"cert: VerifierConfig.SM2Middle: certificate 1: not SM2", "cert: -sm2-middle: certificate 1"},
		{"cert: VerifierConfig.LegacyCerts[2] has a *ecdsa.PublicKey key, want RSA", "cert: -verify-cert has a"},
		{"cert: VerifierConfig.SM2Certs[1] is nil or not an SM2 certificate", "cert: -sm2-verify-cert is nil"},
		{"cert: VerifierConfig.LegacyCerts has two certificates with certId 7", "cert: -verify-cert has two"},
	}
	for _, tt := range tests {
		got := flagNames(errors.New(tt.in)).Error()
		assert.Contains(t, got, tt.want, "%s", tt.in)
		assert.NotContains(t, got, "VerifierConfig", "%s", tt.in)
	}
}

package main

import (
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
)

// A raw answer saved on Windows, or piped by PowerShell (Get-Content answer.txt | unionpay ...),
// ends in CR LF. UnionPay's raw answers need not end with signature; here the same answer with
// its fields reordered (the canonical string sorts them) ends with another field.
func TestPortRawAnswerCRLF(t *testing.T) {
	g := testGateway(t)
	d := testSettlement(t)
	parts := strings.Split(d.rawAnswer, "&")
	var sig string
	var rest []string
	for _, p := range parts {
		if strings.HasPrefix(p, "signature=") {
			sig = p
		} else {
			rest = append(rest, p)
		}
	}
	reordered := sig + "&" + strings.Join(rest, "&")
	t.Logf("tail: %q", reordered[len(reordered)-30:])
	r := runCLI(t, reordered, "verify", "-raw", "-root", g.root, "-middle", g.middle)
	assert.Equal(t, exitOK, r.code, "LF-free: %s", r.stderr)
	r = runCLI(t, reordered+"\n", "verify", "-raw", "-root", g.root, "-middle", g.middle)
	assert.Equal(t, exitOK, r.code, "LF: %s", r.stderr)
	r = runCLI(t, reordered+"\r\n", "verify", "-raw", "-root", g.root, "-middle", g.middle)
	assert.Equal(t, exitOK, r.code, "CRLF: %s", r.stderr)
}

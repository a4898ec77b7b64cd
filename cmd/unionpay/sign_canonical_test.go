package main

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestSignCanonicalGBK: -canonical writes the string to sign in UTF-8 whatever the charset,
// as its doc says (a GBK message's are not written in GBK).
func TestSignCanonicalGBK(t *testing.T) {
	r := runCLI(t, "encoding=GBK\norderDesc=欧元€\n", "sign", "-canonical", "-sign-method", "11", "-secure-key", "88888888")
	require.Equal(t, exitOK, r.code, r.stderr)
	assert.Equal(t, "encoding=GBK&orderDesc=欧元€&signMethod=11&version=5.1.0", r.stdout)
}

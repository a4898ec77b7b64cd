package main

import (
	"net/url"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// The accNo of a real test-environment notification decrypts with the merchant PFX to the
// masked card number UnionPay put in it.
func TestDecryptRealAccNo(t *testing.T) {
	form, err := url.ParseQuery(readTestFile(t, realNotification))
	require.NoError(t, err)
	accNo := form.Get("accNo")
	require.NotEmpty(t, accNo)

	r := runCLI(t, accNo+"\n", "decrypt", "-pfx", appPFX, "-password", "000000")
	require.Equal(t, exitOK, r.code, r.stderr)
	assert.Equal(t, "6216***********0018\n", r.stdout)
	assert.Empty(t, r.stderr)

	// Line breaks inside the base64, as some systems wrap it, are ignored.
	r = runCLI(t, accNo[:40]+"\n"+accNo[40:]+"\n", "decrypt", "-pfx", appPFX, "-password", "000000")
	require.Equal(t, exitOK, r.code, r.stderr)
	assert.Equal(t, "6216***********0018\n", r.stdout)
}

func TestDecryptFailures(t *testing.T) {
	form, err := url.ParseQuery(readTestFile(t, realNotification))
	require.NoError(t, err)
	accNo := form.Get("accNo")
	tests := []struct {
		name  string
		args  []string
		stdin string
		code  int
		want  string
	}{
		{"wrong password", []string{"-pfx", appPFX, "-password", "654321"}, accNo, exitFailed, "wrong PFX password"},
		{"other merchant key", []string{"-pfx", testPFX, "-password", "000000"}, accNo, exitFailed, "cert:"},
		{"not base64", []string{"-pfx", appPFX, "-password", "000000"}, "not base64!", exitFailed, "cert:"},
		{"empty input", []string{"-pfx", appPFX, "-password", "000000"}, "\n", exitFailed, "no ciphertext"},
		{"no pfx", []string{"-password", "000000"}, accNo, exitUsage, "-pfx is required"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := runCLI(t, tt.stdin, append([]string{"decrypt"}, tt.args...)...)
			requireFailure(t, r, tt.code, tt.want)
			assert.NotContains(t, r.stderr, "0018")
		})
	}
}

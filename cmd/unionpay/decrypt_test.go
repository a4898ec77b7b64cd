package main

import (
	"net/url"
	"os"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/goacp/unionpay/cert"
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

// TestDecryptMasksCardNumbers: a decrypted card number is printed 6+4 unless -reveal is given;
// other plaintext (customerInfo's encryptedInfo) is printed as it is.
func TestDecryptMasksCardNumbers(t *testing.T) {
	pfx, err := cert.LoadPFXFile(appPFX, "000000")
	require.NoError(t, err)
	e, err := cert.NewEncrypter(pfx.Certificate)
	require.NoError(t, err)
	pan, err := e.Encrypt("6216261000000000018")
	require.NoError(t, err)
	r := runCLI(t, pan+"\n", "decrypt", "-pfx", appPFX, "-password", "000000")
	require.Equal(t, exitOK, r.code, r.stderr)
	assert.Equal(t, "621626*********0018\n", r.stdout)
	r = runCLI(t, pan+"\n", "decrypt", "-reveal", "-pfx", appPFX, "-password", "000000")
	require.Equal(t, exitOK, r.code, r.stderr)
	assert.Equal(t, "6216261000000000018\n", r.stdout)
	info, err := e.Encrypt("phoneNo=13552535506&cvn2=123")
	require.NoError(t, err)
	r = runCLI(t, info+"\n", "decrypt", "-pfx", appPFX, "-password", "000000")
	require.Equal(t, exitOK, r.code, r.stderr)
	assert.Equal(t, "phoneNo=13552535506&cvn2=123\n", r.stdout)
}

// TestStrayArgumentIsNotEchoed: a password typed without -password is not repeated in the usage
// error (it would land in terminal scrollback and CI logs).
func TestStrayArgumentIsNotEchoed(t *testing.T) {
	r := runCLI(t, "", "decrypt", "-pfx", appPFX, "S3cretPW")
	requireFailure(t, r, exitUsage, "unexpected argument")
	assert.NotContains(t, r.stderr, "S3cretPW")
}

// TestReadFileLimited: a settlement file named on the command line is read up to a limit, so
// that /dev/zero or a runaway file ends in an error, not in running out of memory.
func TestReadFileLimited(t *testing.T) {
	path := filepath.Join(t.TempDir(), "f")
	require.NoError(t, os.WriteFile(path, make([]byte, 100), 0o600))
	b, err := readFileLimited(path, 100)
	require.NoError(t, err)
	assert.Len(t, b, 100)
	_, err = readFileLimited(path, 99)
	require.ErrorContains(t, err, "exceeds 99 bytes")
}

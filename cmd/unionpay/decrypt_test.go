package main

import (
	"net/url"
	"os"
	"path/filepath"
	"strings"
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

// A ciphertext copied URL-encoded from a notification body (%2B, %2F, %3D) decrypts too.
func TestDecryptURLEncoded(t *testing.T) {
	form, err := url.ParseQuery(readTestFile(t, realNotification))
	require.NoError(t, err)
	accNo := form.Get("accNo")
	escaped := url.QueryEscape(accNo)
	require.NotEqual(t, accNo, escaped)
	tests := []struct {
		name  string
		stdin string
	}{
		{"as sent", escaped},
		{"lower-case escapes", strings.NewReplacer("%2B", "%2b", "%2F", "%2f", "%3D", "%3d").Replace(escaped)},
		{"plain", accNo},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := runCLI(t, tt.stdin+"\n", "decrypt", "-pfx", appPFX, "-password", "000000")
			require.Equal(t, exitOK, r.code, r.stderr)
			require.Equal(t, "6216***********0018\n", r.stdout)
		})
	}
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
		{"no password", []string{"-pfx", appPFX}, accNo, exitUsage, "no password given: use -password or $UNIONPAY_PASSWORD"},
		{"other merchant key", []string{"-pfx", testPFX, "-password", "000000"}, accNo, exitFailed,
			"does not decrypt with this key (certId 69629715588): it was encrypted to another certificate"},
		{"cut short", []string{"-pfx", appPFX, "-password", "000000"}, accNo[:len(accNo)/2/4*4], exitFailed,
			"does not decrypt with this key (certId 69903319369)"},
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

// TestDecryptMasksCardNumbers: without -reveal, card numbers anywhere in the plaintext (grouped
// or not, by any separators) are printed 6+4 and the values of sensitive key=value fields masked;
// -reveal shows all. maskPlaintext's own tests cover the cases one by one.
func TestDecryptMasksCardNumbers(t *testing.T) {
	pfx, err := cert.LoadPFXFile(appPFX, "000000")
	require.NoError(t, err)
	e, err := cert.NewEncrypter(pfx.Certificate)
	require.NoError(t, err)
	tests := []struct {
		name, plain, masked string
	}{
		{"bare 19-digit PAN", "6216261000000000018", "621626******0018"},
		{"16-digit PAN", "6216261000000018", "621626******0018"},
		{"PAN with spaces", "6216 2610 0000 0018", "6216 26** **** 0018"},
		{"PAN with dashes and a line feed", "6216-2610-0000-0018\n", "6216-26**-****-0018\n"},
		{"PAN inside text", "accNo:6216261000000000018;", "accNo:621626*********0018;"},
		{"13-digit PAN", "x 4111111111111 y", "x *********1111 y"},
		{"long run", "62162610000000000182026", "621626******2026"},
		{"short numbers kept", "orderId=20261126 amount 1000", "orderId=20261126 amount 1000"},
		{"encryptedInfo", "phoneNo=13552535506&cvn2=123&expired=2912",
			"phoneNo=***********&cvn2=***&expired=****"},
		{"customerInfo-like", "{certifTp=01&certifId=341126197709218366&customerNm=互联网&smsCode=111111&pin=abc}",
			"{certifTp=01&certifId=******************&customerNm=***&smsCode=******&pin=***}"},
		{"accNo field", "accNo=6216261000000000018&x=1", "accNo=*******************&x=1"},
		{"PAN across a line feed", "6216261000\n000000018", "621626****\n*****0018"},
		{"PAN grouped across lines", "6216 2610\n0000 0000 018", "6216 26**\n**** ***0 018"},
		{"PAN with dots", "6216.2610.0000.0000.018", "6216.26**.****.***0.018"},
		{"PAN with underscores", "6216_2610_0000_0000_018", "6216_26**_****_***0_018"},
		{"PAN with two spaces", "6216  2610  0000  0000  018", "6216  26**  ****  ***0  018"},
		{"PAN with CR LF and tabs", "card:\t6216\t2610\r\n0000/0018", "card:\t6216\t26**\r\n****/0018"},
		{"date and time, masked too", "2026-11-26 10:00:00", "****-**-** **:00:00"},
		{"key=value with a grouped PAN", "bankCard=6216.2610.0000.0000.018&phoneNo=13552535506",
			"bankCard=6216.26**.****.***0.018&phoneNo=***********"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c, err := e.Encrypt(tt.plain)
			require.NoError(t, err)
			r := runCLI(t, c+"\n", "decrypt", "-pfx", appPFX, "-password", "000000")
			require.Equal(t, exitOK, r.code, r.stderr)
			require.Equal(t, tt.masked+"\n", r.stdout)
			r = runCLI(t, c+"\n", "decrypt", "-reveal", "-pfx", appPFX, "-password", "000000")
			require.Equal(t, exitOK, r.code, r.stderr)
			require.Equal(t, tt.plain+"\n", r.stdout)
		})
	}
}

// TestStrayArgumentIsNotEchoed: a password typed without -password is not repeated in the usage
// error (it would land in terminal scrollback and CI logs), for any command; its position is named.
func TestStrayArgumentIsNotEchoed(t *testing.T) {
	tests := []struct {
		name string
		args []string
		want string
	}{
		{"decrypt", []string{"decrypt", "-pfx", appPFX, "S3cretPW"}, "unexpected argument (1 of them"},
		{"certinfo FILE PASSWORD", []string{"certinfo", appPFX, "S3cretPW"}, "unexpected argument at position 2"},
		{"certinfo FILE PASSWORD flag", []string{"certinfo", appPFX, "S3cretPW", "-password", "x"}, "at position 2"},
		{"reconcile", []string{"reconcile", sampleZip, "S3cretPW"}, "unexpected argument at position 2"},
		{"sign", []string{"sign", "-pfx", appPFX, "S3cretPW", "more"}, "unexpected argument (2 of them"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := runCLI(t, "", tt.args...)
			requireFailure(t, r, exitUsage, tt.want)
			require.NotContains(t, r.stderr, "S3cretPW")
		})
	}
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

package main

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/goacp/unionpay/cert"
)

// A credential file of the wrong kind is named as what it is, with the flag to use; errors of
// verify's configuration name its flags, not the cert package's fields, and a message whose
// method is not configured names the flags missing.
func TestWrongFileKindHints(t *testing.T) {
	dir := t.TempDir()
	cred, err := cert.LoadSM2File(testSM2, "cfca1234")
	require.NoError(t, err)
	sm2Cert := writeTestFile(t, dir, "sm2.cer", pemOf(cred.Certificate.Raw))
	sm2AsPFX := writeTestFile(t, dir, "merchant.pfx", []byte(readTestFile(t, testSM2)))
	notification := readTestFile(t, realNotification)
	signed500 := readTestFile(t, vectorsDir+"/consume_request.signed-5.0.0-acp_test_sign.kv")
	signed11 := readTestFile(t, vectorsDir+"/consume_request.signed-secure-key-11.kv")
	r := runCLI(t, readTestFile(t, vectorsDir+"/consume_request.kv"), "sign", "-sign-method", "21", "-sm2", testSM2,
		"-password", "cfca1234")
	require.Equal(t, exitOK, r.code, r.stderr)
	signedSM2 := r.stdout

	tests := []struct {
		name  string
		args  []string
		stdin string
		code  int
		want  string
	}{
		{"sign -pfx given a .sm2", []string{"sign", "-pfx", testSM2, "-password", "cfca1234"}, "a=1", exitFailed,
			"-pfx " + testSM2 + ": not a PKCS#12 (.pfx) file but a CFCA .sm2 file: use -sign-method 21 -sm2 FILE"},
		{"sign -sm2 given a PFX", []string{"sign", "-sign-method", "21", "-sm2", testPFX, "-password", "000000"}, "a=1", exitFailed,
			"not a CFCA .sm2 file but a PKCS#12 (.pfx) file: use -sign-method 01 -pfx FILE"},
		{"sign -pfx given a certificate", []string{"sign", "-pfx", testRoot, "-password", "000000"}, "a=1", exitFailed,
			"not a PKCS#12 (.pfx) file but a certificate"},
		{"decrypt -pfx given a .sm2", []string{"decrypt", "-pfx", testSM2, "-password", "cfca1234"}, "AAAA", exitFailed,
			"but a CFCA .sm2 file: use -sm2 FILE"},
		{"decrypt -sm2 given a PFX", []string{"decrypt", "-sm2", testPFX, "-password", "000000"}, "AAAA", exitFailed,
			"but a PKCS#12 (.pfx) file: use -pfx FILE"},
		{"certinfo .sm2 named .pfx", []string{"certinfo", "-password", "cfca1234", sm2AsPFX}, "", exitFailed,
			"but a CFCA .sm2 file: name it .sm2"},
		{"wrong password stays a wrong password", []string{"sign", "-pfx", testPFX, "-password", "1"}, "a=1", exitFailed,
			"wrong PFX password"},
		{"root and middle swapped", []string{"verify", "-root", testMiddle, "-middle", testRoot}, notification, exitFailed,
			"cert: -middle: certificate"},
		{"PFX to -verify-cert", []string{"verify", "-verify-cert", testPFX}, notification, exitFailed,
			"-verify-cert " + testPFX + ": not a certificate but a PKCS#12 (.pfx) file: give UnionPay's certificate"},
		{".sm2 to -sm2-root", []string{"verify", "-sm2-root", testSM2, "-sm2-middle", testSM2}, notification, exitFailed,
			"not a certificate but a CFCA .sm2 file"},
		{"SM2 certificate to -verify-cert", []string{"verify", "-verify-cert", sm2Cert}, notification, exitUsage,
			"a SM2 certificate, not RSA (an SM2 certificate goes to -sm2-verify-cert)"},
		{"RSA certificate to -sm2-verify-cert", []string{"verify", "-sm2-verify-cert", testRoot}, notification, exitUsage,
			"not SM2 (an RSA certificate goes to -verify-cert)"},
		{"5.1.0 message without -root", []string{"verify", "-secure-key", "k"}, notification, exitFailed,
			"(no -root/-middle given)"},
		{"5.0.0 message without -verify-cert", []string{"verify", "-root", testRoot, "-middle", testMiddle},
			signed500, exitFailed, "version 5.0.0 signMethod 01 (no -verify-cert given)"},
		{"secure-key message without a key", []string{"verify", "-root", testRoot, "-middle", testMiddle},
			signed11, exitFailed, "not accepted: secure-key signMethod 11 (no -secure-key or -secure-key-env given)"},
		{"SM2 message without SM2 trust", []string{"verify", "-secure-key", "k"}, signedSM2, exitFailed,
			"signMethod 21 (no -sm2-root/-sm2-middle or -sm2-verify-cert given)"},
		{"SM2 5.1.0 message with -sm2-verify-cert only", []string{"verify", "-sm2-verify-cert", sm2Cert}, signedSM2,
			exitFailed, "version 5.1.0 signMethod 21 (no -sm2-root/-sm2-middle given)"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := runCLI(t, tt.stdin, tt.args...)
			requireFailure(t, r, tt.code, tt.want)
			require.NotContains(t, r.stderr, "VerifierConfig")
			require.NotRegexp(t, `(LegacyCerts|SM2Root|SM2Middle|SM2Certs|SecureKey|\bRoot\b|\bMiddle\b)`, r.stderr)
			require.NotContains(t, r.stderr, "asn1:")
		})
	}
	// Swapped root and middle are called so.
	r = runCLI(t, notification, "verify", "-root", testMiddle, "-middle", testRoot)
	require.Contains(t, r.stderr, "-root and -middle swapped?")

	// A PFX under another name is read as a PFX.
	renamed := filepath.Join(dir, "merchant.bin")
	b, err := os.ReadFile(testPFX)
	require.NoError(t, err)
	require.NoError(t, os.WriteFile(renamed, b, 0o600))
	r = runCLI(t, "", "certinfo", "-password", "000000", renamed)
	require.Equal(t, exitOK, r.code, r.stderr)
	require.Contains(t, r.stdout, "certId: 69629715588\n")
}

package main

import (
	"crypto/rand"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// An empty credential or certificate file is called empty, and a PFX flag's file that is nothing
// this tool knows is called so, naming the flag, instead of the PKCS#12 parser's ASN.1 dump; a
// directory and a missing file keep the system's words, the missing file after its flag.
func TestEmptyOrUnknownCredentialFile(t *testing.T) {
	dir := t.TempDir()
	empty := writeTestFile(t, dir, "empty", nil)
	emptyPFX := writeTestFile(t, dir, "empty.pfx", nil)
	noise := make([]byte, 2000)
	_, err := rand.Read(noise)
	require.NoError(t, err)
	noise[0] = 'x' // neither DER (0x30) nor base64 of a .sm2 file
	random := writeTestFile(t, dir, "random.bin", noise)
	randomPFX := writeTestFile(t, dir, "random.pfx", noise)
	tests := []struct {
		name  string
		args  []string
		stdin string
		want  string
	}{
		{"sign -pfx empty", []string{"sign", "-pfx", empty, "-password", "1"}, "a=1",
			"-pfx " + empty + ": the file is empty, not a PKCS#12 (.pfx) file"},
		{"sign -pfx random", []string{"sign", "-pfx", random, "-password", "1"}, "a=1",
			"-pfx " + random + ": not a PKCS#12 (.pfx) file, nor a CFCA .sm2 file or a certificate"},
		{"decrypt -pfx random", []string{"decrypt", "-pfx", random, "-password", "1"}, "AAAA",
			"-pfx " + random + ": not a PKCS#12 (.pfx) file, nor"},
		{"decrypt -sm2 empty", []string{"decrypt", "-sm2", empty, "-password", "1"}, "AAAA",
			"-sm2 " + empty + ": the file is empty, not a CFCA .sm2 file"},
		{"certinfo empty", []string{"certinfo", empty}, "", "FILE " + empty + ": the file is empty, not a certificate"},
		{"certinfo empty .pfx", []string{"certinfo", "-password", "1", emptyPFX}, "",
			"FILE " + emptyPFX + ": the file is empty, not a PKCS#12 (.pfx) file"},
		{"certinfo random .pfx", []string{"certinfo", "-password", "1", randomPFX}, "",
			"FILE " + randomPFX + ": not a PKCS#12 (.pfx) file, nor"},
		{"verify -root empty", []string{"verify", "-root", empty, "-middle", testMiddle}, "a=1",
			"-root " + empty + ": the file is empty, not a certificate"},
		{"verify -request -verify-cert random .pfx", []string{"verify", "-request", "-verify-cert", randomPFX, "-password", "1"}, "a=1",
			"-verify-cert " + randomPFX + ": not a PKCS#12 (.pfx) file, nor"},
		{"sign -pfx a directory", []string{"sign", "-pfx", dir, "-password", "1"}, "a=1", "is a directory"},
		{"sign -pfx missing", []string{"sign", "-pfx", dir + "/nosuch.pfx", "-password", "1"}, "a=1",
			"-pfx: cert: open " + dir + "/nosuch.pfx: " + notExist(dir+"/nosuch.pfx")},
		{"sign -sm2 missing", []string{"sign", "-sign-method", "21", "-sm2", dir + "/nosuch.sm2", "-password", "1"}, "a=1",
			"-sm2: cert: open " + dir + "/nosuch.sm2: " + notExist(dir+"/nosuch.sm2")},
		{"decrypt -pfx missing", []string{"decrypt", "-pfx", dir + "/nosuch.pfx", "-password", "1"}, "AAAA",
			"-pfx: cert: open " + dir + "/nosuch.pfx: " + notExist(dir+"/nosuch.pfx")},
		{"verify -request -verify-cert missing", []string{"verify", "-request", "-verify-cert", dir + "/nosuch.pfx", "-password", "1"}, "a=1",
			"-verify-cert: cert: open " + dir + "/nosuch.pfx: " + notExist(dir+"/nosuch.pfx")},
		{"certinfo missing", []string{"certinfo", "-password", "1", dir + "/nosuch.pfx"}, "",
			"unionpay certinfo: cert: open " + dir + "/nosuch.pfx: " + notExist(dir+"/nosuch.pfx")},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := runCLI(t, tt.stdin, tt.args...)
			requireFailure(t, r, exitFailed, tt.want)
			assert.NotContains(t, r.stderr, "asn1:")
		})
	}
}

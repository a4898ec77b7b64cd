package main

import (
	"bytes"
	"context"
	"crypto/ecdsa"
	"crypto/ed25519"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/pem"
	"math/big"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/goacp/unionpay/cert"
)

// verify -request checks what a merchant signed, as UnionPay's gateway would: the official Java
// SDK's signed requests (5.1.0 and 5.0.0, two PFXs, both secure-key methods) verify with the
// merchant's PFX or certificate at a time the certificate was valid; anything else fails
// naming why, and flags meant for UnionPay's messages are refused.
func TestVerifyRequest(t *testing.T) {
	dir := t.TempDir()
	pfx, err := cert.LoadPFXFile(testPFX, "000000")
	require.NoError(t, err)
	testCer := writeTestFile(t, dir, "merchant.cer", pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: pfx.Certificate.Raw}))
	underOtherName := writeTestFile(t, dir, "merchant.key", []byte(readTestFile(t, testPFX)))

	v510 := readTestFile(t, vectorsDir+"/consume_request.signed-5.1.0-acp_test_sign.kv")
	v500 := readTestFile(t, vectorsDir+"/consume_request.signed-5.0.0-acp_test_sign.kv")
	app := readTestFile(t, vectorsDir+"/consume_request.signed-5.1.0-unipayAppCert.kv")
	key11 := readTestFile(t, vectorsDir+"/consume_request.signed-secure-key-11.kv")
	key12 := readTestFile(t, vectorsDir+"/consume_request.signed-secure-key-12.kv")
	unsigned := readTestFile(t, vectorsDir+"/consume_request.kv")

	const valid = "2021-06-01T00:00:00+08:00" // both PFXs' certificates are valid then
	withPFX := []string{"verify", "-request", "-at", valid, "-verify-cert", testPFX, "-password", "000000"}
	tests := []struct {
		name  string
		args  []string
		stdin string
		code  int
		want  string
	}{
		{"5.1.0 with the PFX", withPFX, v510, exitOK, "OK 69629715588 (signMethod 01, 5.1.0, merchant request, certificate -verify-cert)\n"},
		{"5.0.0 with the PFX", withPFX, v500, exitOK, "OK 69629715588 (signMethod 01, 5.0.0, merchant request, certificate -verify-cert)\n"},
		{"with the certificate", []string{"verify", "-request", "-at", valid, "-verify-cert", testCer}, v510, exitOK,
			"OK 69629715588 (signMethod 01, 5.1.0, merchant request, certificate -verify-cert)\n"},
		{"a PFX under another name", []string{"verify", "-request", "-at", valid, "-verify-cert", underOtherName, "-password", "000000"},
			v510, exitOK, "OK 69629715588 (signMethod 01, 5.1.0, merchant request, certificate -verify-cert)\n"},
		{"the right one of two", []string{"verify", "-request", "-at", "2022-01-01T00:00:00Z", "-verify-cert", testCer,
			"-verify-cert", appPFX, "-password", "000000"}, app, exitOK,
			"OK 69903319369 (signMethod 01, 5.1.0, merchant request, certificate -verify-cert)\n"},
		{"a form body", withPFX, kvForm(t, v510), exitOK, "OK 69629715588 (signMethod 01, 5.1.0, merchant request, certificate -verify-cert)\n"},
		{"secure key 11", []string{"verify", "-request", "-secure-key", "88888888"}, key11, exitOK, "OK (signMethod 11, merchant request, secure key)\n"},
		{"secure key 12", []string{"verify", "-request", "-secure-key", "88888888"}, key12, exitOK, "OK (signMethod 12, merchant request, secure key)\n"},

		{"changed amount", withPFX, strings.Replace(v510, "txnAmt=", "txnAmt=1", 1), exitFailed, "signature does not verify"},
		{"5.1.0 signature read as 5.0.0", withPFX, strings.Replace(v510, "version=5.1.0", "version=5.0.0", 1), exitFailed,
			"signature does not verify"},
		{"expired now", []string{"verify", "-request", "-verify-cert", testPFX, "-password", "000000"}, v510, exitFailed,
			"certificate 69629715588 is not valid at 2"},
		{"not yet valid", []string{"verify", "-request", "-at", "2010-01-01T00:00:00Z", "-verify-cert", testCer}, v510, exitFailed,
			"NOT YET VALID"},
		{"another merchant's certificate", []string{"verify", "-request", "-at", valid, "-verify-cert", testCer}, app, exitFailed,
			"certId 69903319369: no -verify-cert certificate has this serial number (given: 69629715588)"},
		{"only a secure key for 01", []string{"verify", "-request", "-secure-key", "88888888"}, v510, exitFailed,
			"no -verify-cert certificate has this serial number (given: none)"},
		{"wrong secure key", []string{"verify", "-request", "-secure-key", "88888889"}, key11, exitFailed, "signature does not verify"},
		{"no key for 11", withPFX, key11, exitFailed, "signMethod 11: give -secure-key"},
		{"unsigned", withPFX, unsigned, exitFailed, "the request has no signature"},
		{"no certId", withPFX, dropLine(t, v510, "certId="), exitFailed, "signMethod 01: the request has no certId"},
		{"unknown method", withPFX, strings.Replace(v510, "signMethod=01", "signMethod=02", 1), exitFailed, `signMethod "02"`},
		{"wrong password", []string{"verify", "-request", "-verify-cert", testPFX, "-password", "s3cr3t"}, v510, exitFailed, "password"},
		{"no password", []string{"verify", "-request", "-verify-cert", testPFX}, v510, exitUsage, "no password given"},

		{"with -root", append(withPFX, "-root", testRoot, "-middle", testMiddle), v510, exitUsage, "-request: -root is for messages from UnionPay"},
		{"with -raw", append(withPFX, "-raw"), v510, exitUsage, "-request: -raw is for messages from UnionPay"},
		{"nothing to check with", []string{"verify", "-request"}, v510, exitUsage, "-request: nothing to check with"},
		{"an RSA certificate as SM2", []string{"verify", "-request", "-sm2-verify-cert", testCer}, v510, exitUsage,
			"the certificate's key is RSA-2048: give it as -verify-cert"},
		{"an SM2 file as RSA", []string{"verify", "-request", "-verify-cert", testSM2, "-password", "cfca1234"}, v510, exitUsage,
			"the certificate's key is SM2: give it as -sm2-verify-cert"},
		{"-password without -request", []string{"verify", "-password", "x", "-root", testRoot, "-middle", testMiddle}, v510, exitUsage,
			"-password goes with -request"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			r := runCLI(t, tc.stdin, tc.args...)
			requireOutcome(t, r, tc.code, tc.want)
			require.NotContains(t, r.stderr, "s3cr3t")
		})
	}
}

// What sign -sign-method 21 writes with the CFCA test .sm2 file verifies with -request and the
// same file (its certificate) as -sm2-verify-cert; a changed request does not.
func TestVerifyRequestSM2(t *testing.T) {
	kv := readTestFile(t, vectorsDir+"/consume_request.kv")
	signed := runCLI(t, kv, "sign", "-sign-method", "21", "-sm2", testSM2, "-password", "cfca1234")
	require.Equal(t, exitOK, signed.code, signed.stderr)
	args := []string{"verify", "-request", "-at", "2019-06-01T00:00:00Z", "-sm2-verify-cert", testSM2, "-password", "cfca1234"}

	requireOutcome(t, runCLI(t, signed.stdout, args...), exitOK,
		"OK 69629716832 (signMethod 21, 5.1.0, merchant request, certificate -sm2-verify-cert)\n")
	requireOutcome(t, runCLI(t, strings.Replace(signed.stdout, "txnAmt=", "txnAmt=1", 1), args...), exitFailed,
		"signature does not verify")
	requireOutcome(t, runCLI(t, signed.stdout, "verify", "-request", "-at", "2019-06-01T00:00:00Z", "-verify-cert", testPFX,
		"-password", "000000"), exitFailed, "no -sm2-verify-cert certificate has this serial number (given: none)")
}

// kvForm turns key=value lines into the form body the official SDK would post.
func kvForm(t *testing.T, kv string) string {
	t.Helper()
	f, err := parseFields([]byte(kv))
	require.NoError(t, err)
	return encodeKV(f)
}

// dropLine removes the key=value line starting with prefix.
func dropLine(t *testing.T, kv, prefix string) string {
	t.Helper()
	var out []string
	for line := range strings.SplitSeq(kv, "\n") {
		if !strings.HasPrefix(line, prefix) {
			out = append(out, line)
		}
	}
	require.Less(t, len(out), len(strings.Split(kv, "\n")), "no line starts with %q", prefix)
	return strings.Join(out, "\n")
}

// TestVerifyRequestFlagsAndFiles: what TestVerifyRequest leaves open. Every flag meant for UnionPay's
// messages is refused with -request; the certIds given are listed sorted; an unreadable
// certificate is named by its flag; a .sm2 file's password comes from $UNIONPAY_PASSWORD too.
func TestVerifyRequestFlagsAndFiles(t *testing.T) {
	dir := t.TempDir()
	v510 := readTestFile(t, vectorsDir+"/consume_request.signed-5.1.0-acp_test_sign.kv")
	withKey := []string{"verify", "-request", "-secure-key", "88888888"}
	for _, flagArgs := range [][]string{{"-test-names"}, {"-middle", testMiddle}, {"-sm2-root", testSM2}, {"-sm2-middle", testSM2}} {
		r := runCLI(t, v510, append(append([]string{}, withKey...), flagArgs...)...)
		requireOutcome(t, r, exitUsage, "-request: "+flagArgs[0]+" is for messages from UnionPay")
	}

	for range 10 { // the certIds are kept in a map: sorted whatever its order
		r0 := runCLI(t, strings.Replace(v510, "certId=69629715588", "certId=1", 1), "verify", "-request",
			"-verify-cert", appPFX, "-verify-cert", testPFX, "-password", "000000")
		requireOutcome(t, r0, exitFailed, "certId 1: no -verify-cert certificate has this serial number (given: 69629715588, 69903319369)")
	}

	bad := writeTestFile(t, dir, "bad.cer", []byte("hello"))
	requireOutcome(t, runCLI(t, v510, "verify", "-request", "-verify-cert", bad), exitFailed, "-verify-cert")

	kv := readTestFile(t, vectorsDir+"/consume_request.kv")
	signed := runCLI(t, kv, "sign", "-sign-method", "21", "-sm2", testSM2, "-password", "cfca1234")
	require.Equal(t, exitOK, signed.code, signed.stderr)
	var out, errOut bytes.Buffer
	e := &env{ctx: context.Background(), stdin: strings.NewReader(signed.stdout), stdout: &out, stderr: &errOut,
		getenv: func(k string) string {
			if k == passwordEnv {
				return "cfca1234"
			}
			return ""
		}}
	code := e.dispatch([]string{"verify", "-request", "-at", "2019-06-01T00:00:00Z", "-sm2-verify-cert", testSM2})
	require.Equal(t, exitOK, code, errOut.String())
	require.Contains(t, out.String(), "OK 69629716832 (signMethod 21")
}

// TestVerifyRequestOtherKeyTypes: a certificate that is neither RSA nor SM2 given to -request is
// a usage error naming the flag and the file, not a panic ("internal error: interface
// conversion"); certinfo's error for an unreadable file names no "FILE:" placeholder.
func TestVerifyRequestOtherKeyTypes(t *testing.T) {
	dir := t.TempDir()
	v510 := readTestFile(t, vectorsDir+"/consume_request.signed-5.1.0-acp_test_sign.kv")
	for name, key := range map[string]any{"ECDSA": mustECDSA(t), "Ed25519": mustEd25519(t)} {
		tmpl := &x509.Certificate{SerialNumber: big.NewInt(69629715588), Subject: pkix.Name{CommonName: name},
			NotBefore: time.Now().Add(-time.Hour), NotAfter: time.Now().Add(time.Hour)}
		var pub, priv any
		switch k := key.(type) {
		case *ecdsa.PrivateKey:
			pub, priv = &k.PublicKey, k
		case ed25519.PrivateKey:
			pub, priv = k.Public(), k
		}
		der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, pub, priv)
		require.NoError(t, err)
		path := writeTestFile(t, dir, name+".cer", pemOf(der))
		r := runCLI(t, v510, "verify", "-request", "-verify-cert", path)
		require.Equal(t, exitUsage, r.code, r.stderr)
		require.NotContains(t, r.stderr, "internal error")
		require.Contains(t, r.stderr, "-verify-cert "+path)
	}

	bad := writeTestFile(t, dir, "bad.cer", []byte("hello"))
	r := runCLI(t, "", "certinfo", bad)
	require.Equal(t, exitFailed, r.code)
	require.NotContains(t, r.stderr, "FILE:")
}

func mustECDSA(t *testing.T) *ecdsa.PrivateKey {
	k, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	require.NoError(t, err)
	return k
}

func mustEd25519(t *testing.T) ed25519.PrivateKey {
	_, k, err := ed25519.GenerateKey(rand.Reader)
	require.NoError(t, err)
	return k
}

// TestSecureKeyNotASCII: a secure key that is not ASCII (the SDK refuses it: UnionPay's SDKs hash
// the key in the message charset) is a usage error naming where it came from, for sign and
// verify, from the flag or the environment, and the key is never echoed.
func TestSecureKeyNotASCII(t *testing.T) {
	const key = "密钥s3cr3t"
	kv := readTestFile(t, vectorsDir+"/consume_request.signed-secure-key-11.kv")
	keyEnv := func(k string) string {
		if k == secureKeyEnv {
			return key
		}
		return ""
	}
	for _, tc := range []struct {
		name   string
		args   []string
		getenv func(string) string
		want   string
	}{
		{"verify flag", []string{"verify", "-secure-key", key}, nil, "-secure-key: sign: secure key is not ASCII"},
		{"verify -request flag", []string{"verify", "-request", "-secure-key", key}, nil, "-secure-key: sign: secure key is not ASCII"},
		{"verify env", []string{"verify", "-secure-key-env"}, keyEnv, "-secure-key-env: $UNIONPAY_SECURE_KEY: sign: secure key is not ASCII"},
		{"sign flag", []string{"sign", "-sign-method", "11", "-secure-key", key}, nil, "-secure-key: sign: secure key is not ASCII"},
		{"sign implicit env", []string{"sign", "-sign-method", "11"}, keyEnv, "$UNIONPAY_SECURE_KEY: sign: secure key is not ASCII"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var out, errOut bytes.Buffer
			getenv := tc.getenv
			if getenv == nil {
				getenv = func(string) string { return "" }
			}
			e := &env{ctx: context.Background(), stdin: strings.NewReader(kv), stdout: &out, stderr: &errOut, getenv: getenv}
			r := result{e.dispatch(tc.args), out.String(), errOut.String()}
			requireOutcome(t, r, exitUsage, tc.want)
			require.NotContains(t, r.stderr, "s3cr3t")
		})
	}
}

// -at half a second after the certificate's notAfter (2021-11-26T03:54:31Z), given in UTC or
// with a local offset: refused as expired, but the message says "not valid at 03:54:31Z:
// EXPIRED since 03:54:31Z", the same second twice, as -at is printed without its fraction.
func TestTrialClockAtFractionPrinted(t *testing.T) {
	v510 := readTestFile(t, vectorsDir+"/consume_request.signed-5.1.0-acp_test_sign.kv")
	for _, at := range []string{"2021-11-26T03:54:31.5Z", "2021-11-25T19:54:31.5-08:00"} {
		r := runCLI(t, v510, "verify", "-request", "-at", at, "-verify-cert", testPFX, "-password", "000000")
		requireFailure(t, r, exitFailed, "EXPIRED since 2021-11-26T03:54:31Z")
		require.False(t, strings.Contains(r.stderr, "not valid at 2021-11-26T03:54:31Z"),
			"-at must not print as the notAfter it is after: %s", r.stderr)
	}
}

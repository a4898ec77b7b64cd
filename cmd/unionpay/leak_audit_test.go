package main

import (
	"crypto/rsa"
	"encoding/hex"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/goacp/unionpay/cert"
	"github.com/goacp/unionpay/internal/leaktest"
)

const auditPassword = "Wr0ngPa55word!"

// TestAuditCLIShowsNoSecret runs each subcommand in ways that fail or succeed around secrets and
// looks for the password, the private key and full card data in stdout and stderr.
func TestAuditCLIShowsNoSecret(t *testing.T) {
	pfx, err := cert.LoadPFXFile(testPFX, "000000")
	if err != nil {
		t.Fatal(err)
	}
	k := pfx.Key.(*rsa.PrivateKey)
	keySecrets := []string{k.D.String(), hex.EncodeToString(k.D.Bytes()), string(k.D.Bytes())}
	enc, err := cert.NewEncrypter(pfx.Certificate)
	if err != nil {
		t.Fatal(err)
	}
	encrypt := func(s string) string {
		c, err := enc.Encrypt(s)
		if err != nil {
			t.Fatal(err)
		}
		return c
	}
	pan, phone, cvn2, expiry, id := "6216261000000000018", "13552535506", "741", "3309", "110101199003077777"
	body := "accNo=" + pan + "&customerInfo=e3Bob25lTm89MTM1NTI1MzU1MDZ9&merId=777290058110048&orderId=ORDER0001&txnTime=20240105103000&signMethod=01&version=5.1.0&certId=1&signature=AAAA"
	dir := t.TempDir()
	notPFX := filepath.Join(dir, "x.pfx")
	if err := os.WriteFile(notPFX, []byte("garbage "+auditPassword), 0o600); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name    string
		stdin   string
		args    []string
		secrets []string
	}{
		{"certinfo wrong password", "", []string{"certinfo", "-password", auditPassword, testPFX}, []string{auditPassword}},
		{"certinfo garbage pfx", "", []string{"certinfo", "-password", auditPassword, notPFX}, []string{auditPassword}},
		{"certinfo right password", "", []string{"certinfo", "-password", "000000", testPFX}, keySecrets},
		{"sign wrong password", "a=b\nc=d\n", []string{"sign", "-pfx", testPFX, "-password", auditPassword}, []string{auditPassword}},
		{"sign secure key bad method", "a=b\nc=d\n", []string{"sign", "-sign-method", "13", "-secure-key", auditPassword}, []string{auditPassword}},
		{"decrypt wrong password", "AAAA", []string{"decrypt", "-pfx", testPFX, "-password", auditPassword}, []string{auditPassword}},
		{"decrypt a PAN", encrypt(pan), []string{"decrypt", "-pfx", testPFX, "-password", "000000"}, []string{pan}},
		{"decrypt encryptedInfo", encrypt("phoneNo=" + phone + "&cvn2=" + cvn2 + "&expired=" + expiry),
			[]string{"decrypt", "-pfx", testPFX, "-password", "000000"}, []string{phone, "cvn2=" + cvn2, "expired=" + expiry}},
		{"decrypt customerInfo-like", encrypt("{certifTp=01&certifId=" + id + "&phoneNo=" + phone + "}"),
			[]string{"decrypt", "-pfx", testPFX, "-password", "000000"}, []string{id, phone}},
		{"verify message with card data", body, []string{"verify", "-raw", "-root", testRoot, "-middle", testMiddle}, []string{pan, phone, "e3Bob25lTm89MTM1NTI1MzU1MDZ9"}},
		{"verify -request", body, []string{"verify", "-request", "-verify-cert", testPFX, "-password", auditPassword}, []string{pan, auditPassword}},
		{"filecontent garbage", "fileContent=" + pan, []string{"filecontent"}, []string{pan}},
	}
	for _, tt := range tests {
		r := runCLI(t, tt.stdin, tt.args...)
		out := r.stdout + r.stderr
		t.Logf("%s: exit %d: %s", tt.name, r.code, strings.TrimSpace(out[:min(len(out), 300)]))
		for _, s := range tt.secrets {
			if ok, form := leaktest.Shows(out, s); ok {
				t.Errorf("%s: output shows %.20q (%s):\n%s", tt.name, s, form, out)
			}
		}
	}
}

package main

import (
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/x509"
	"crypto/x509/pkix"
	"math/big"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/goacp/unionpay/unionpay"
)

// certinfoLines is what certinfo prints: one line per item, in this order.
var certinfoLines = []string{"certId: ", "subject: ", "issuer: ", "notBefore: ", "notAfter: ", "keyType: ", "status: "}

// checkCertinfoOutput fails unless out is exactly certinfo's seven lines: a subject or issuer
// taken from the file must not add a line (a forged "status: valid", "certId: ...").
func checkCertinfoOutput(t *testing.T, out string) {
	t.Helper()
	lines := strings.Split(strings.TrimSuffix(out, "\n"), "\n")
	if len(lines) != len(certinfoLines) || !strings.HasSuffix(out, "\n") {
		t.Fatalf("certinfo printed %d lines, want %d:\n%s", len(lines), len(certinfoLines), out)
	}
	for i, l := range lines {
		if !strings.HasPrefix(l, certinfoLines[i]) || strings.ContainsAny(l, "\r\x1b") {
			t.Fatalf("line %d is %q, want it to start with %q and hold no CR or ESC", i+1, l, certinfoLines[i])
		}
	}
}

// TestCertinfoSubjectNewline: a certificate whose CN holds a line feed (a UTF8String may) makes
// certinfo print a line of the certificate's choosing, e.g. "status: valid" for an expired one.
func TestCertinfoSubjectNewline(t *testing.T) {
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	tmpl := &x509.Certificate{SerialNumber: big.NewInt(69629715588),
		Subject:   pkix.Name{CommonName: "evil\nstatus: valid\r\ncertId: 1"},
		NotBefore: time.Date(2000, 1, 1, 0, 0, 0, 0, time.UTC), NotAfter: time.Date(2001, 1, 1, 0, 0, 0, 0, time.UTC)}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &key.PublicKey, key)
	if err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(t.TempDir(), "evil.cer")
	if err := os.WriteFile(path, der, 0o600); err != nil {
		t.Fatal(err)
	}
	r := runCLI(t, "", "certinfo", path)
	if r.code != exitOK {
		t.Fatalf("status %d: %s", r.code, r.stderr)
	}
	checkCertinfoOutput(t, r.stdout)
}

// FuzzCertinfo: whatever the file (named .cer, .pfx, .sm2 or otherwise), certinfo exits 0 or
// 1 with one error line; a success prints exactly its seven lines.
func FuzzCertinfo(f *testing.F) {
	for _, p := range []string{testRoot, testMiddle, testPFX, certsDir + "/acp_test_enc.cer"} {
		b, err := os.ReadFile(p)
		if err != nil {
			f.Fatal(err)
		}
		for ext := range byte(4) {
			f.Add(b, ext)
		}
	}
	dir := f.TempDir()
	f.Fuzz(func(t *testing.T, data []byte, ext byte) {
		name := [...]string{"c.cer", "c.pfx", "c.sm2", "c.bin"}[ext%4]
		path := filepath.Join(dir, name)
		if err := os.WriteFile(path, data, 0o600); err != nil {
			t.Fatal(err)
		}
		r := runCLI(t, "", "certinfo", "-password", "000000", path)
		checkOutcome(t, r)
		if r.code == exitOK {
			checkCertinfoOutput(t, r.stdout)
		}
	})
}

// FuzzFilecontentAgrees: "unionpay filecontent" decodes a bare fileContent with a decoder of
// its own (a streaming base64 and compress/zlib); it must agree with unionpay.DecodeFileContent,
// which Client.DownloadFile uses: the same bytes for what the library reads, a failure for what
// it refuses. Otherwise the tool shows a file the SDK would not return, or the reverse.
func FuzzFilecontentAgrees(f *testing.F) {
	f.Add([]byte("hello"), "", byte(0))
	f.Add([]byte{}, "eJwDAAAAAAE=", byte(0))
	f.Add([]byte{}, "eJwDAAAAAAE=AAAA", byte(0))
	f.Add([]byte{}, "eJwDAAAAAAE", byte(0))
	f.Add([]byte("x"), "", byte(3))
	f.Fuzz(func(t *testing.T, file []byte, text string, edit byte) {
		if text == "" {
			text = unionpay.EncodeFileContent(file)
			if edit != 0 && len(text) > 0 {
				b := []byte(text)
				b[int(edit)%len(b)] ^= edit
				text = string(b)
			}
		}
		if strings.Contains(text, "fileContent=") || strings.Contains(text, "respCode=") {
			return // read as an answer
		}
		r := runCLI(t, text, "filecontent")
		checkOutcome(t, r)
		want, err := unionpay.DecodeFileContent(strings.TrimSpace(text), maxFileBytes)
		switch {
		case err == nil && r.code != exitOK:
			t.Fatalf("filecontent refuses %q (%s), DecodeFileContent reads %q", text, r.stderr, want)
		case err != nil && r.code == exitOK:
			t.Fatalf("filecontent reads %q as %q, DecodeFileContent refuses it: %v", text, r.stdout, err)
		case err == nil && r.stdout != string(want):
			t.Fatalf("filecontent reads %q as %q, DecodeFileContent as %q", text, r.stdout, want)
		}
	})
}

// TestFilecontentTextAfterPadding: base64 text after the padding of a fileContent ("=" then
// more characters) is read by "unionpay filecontent" (the streaming base64 decoder checks
// padding per chunk only), while unionpay.DecodeFileContent refuses it. Found by
// FuzzFilecontentAgrees.
func TestFilecontentTextAfterPadding(t *testing.T) {
	const text = "eJwDAAAAAAE=AAAA" // the empty file, then "AAAA"
	if _, err := unionpay.DecodeFileContent(text, maxFileBytes); err == nil {
		t.Fatal("DecodeFileContent reads it")
	}
	if r := runCLI(t, text, "filecontent"); r.code == exitOK {
		t.Errorf("filecontent reads %q as %q; DecodeFileContent refuses it", text, r.stdout)
	}
}

package cert

import (
	"bytes"
	"encoding/base64"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"unicode"
)

// secretText is data as mode has a secret store hold it: 0 as it is, 1 base64, 2 base64 in lines
// of 64 after a UTF-8 byte-order mark, 3 PEM whose line breaks are written as the two characters
// \n (an environment variable or a JSON value pasted as it was escaped).
func secretText(data []byte, mode byte) []byte {
	switch mode % 4 {
	case 1:
		return []byte(base64.StdEncoding.EncodeToString(data))
	case 2:
		text := base64.StdEncoding.EncodeToString(data)
		var b strings.Builder
		b.WriteString("\xef\xbb\xbf")
		for len(text) > 64 {
			b.WriteString(text[:64] + "\r\n")
			text = text[64:]
		}
		b.WriteString(text + "\n")
		return []byte(b.String())
	case 3:
		text := base64.StdEncoding.EncodeToString(data)
		var b strings.Builder
		b.WriteString(`-----BEGIN CERTIFICATE-----\n`)
		for len(text) > 64 {
			b.WriteString(text[:64] + `\n`)
			text = text[64:]
		}
		b.WriteString(text + `\n-----END CERTIFICATE-----\n`)
		return []byte(b.String())
	}
	return bytes.Clone(data)
}

// otherPassword is password with every character but white space changed: the error of a load
// with it tells what of an error's text comes from the password.
func otherPassword(password string) string {
	return strings.Map(func(r rune) rune {
		switch {
		case unicode.IsSpace(r):
			return r
		case r == 'x':
			return 'y'
		}
		return 'x'
	}, password)
}

// FuzzSecretTextHints gives LoadPFX and ParseCertificate a file as a secret store may hold it
// (secretText). Neither panics (nor has the PKCS#12 decoder's panic recovered); ParseCertificate's
// errors are *InvalidError. A hint that the bytes are base64 text comes only for text that
// decodes to a PFX (LoadPFX) or to a certificate (ParseCertificate), and always comes for the
// base64 of one; the hint of PEM with escaped line breaks comes for the escaped PEM of a
// certificate. LoadPFX's error never holds the password (found by loading again with another of
// the same shape: text the error holds all the same is the file's), and a wrong password with
// white space at an end, and only such a one, is named so.
func FuzzSecretTextHints(f *testing.F) {
	for _, name := range []string{"acp_test_sign.pfx", "acp_test_root.cer", "unipayCertPublicKey.cer"} {
		data, err := os.ReadFile(filepath.Join(testCertDir, name))
		if err != nil {
			f.Fatal(err)
		}
		for mode := range byte(4) {
			for _, pw := range []string{testPFXPassword, testPFXPassword + "\n", " " + testPFXPassword, "wrong"} {
				f.Add(data, pw, mode)
			}
		}
	}
	f.Add([]byte("not a PFX at all"), "000000", byte(1))
	f.Add([]byte{}, "", byte(0))
	f.Fuzz(func(t *testing.T, data []byte, password string, mode byte) {
		in := secretText(data, mode)
		isPFX := looksLikePFX(data)
		_, certErr := parseCertificate(data)
		isCert := certErr == nil

		p, err := LoadPFX(in, password)
		if err == nil {
			if p == nil {
				t.Fatal("LoadPFX returned neither a PFX nor an error")
			}
		} else {
			msg := err.Error()
			if errors.Is(err, errDecoderPanic) {
				t.Fatalf("the PFX decoder panicked: %v", err)
			}
			if password != "" && strings.Contains(msg, password) {
				if _, err2 := LoadPFX(in, otherPassword(password)); err2 != nil && !strings.Contains(err2.Error(), password) {
					t.Fatalf("the error holds the password %q: %v", password, err)
				}
			}
			hinted := strings.Contains(msg, hintBase64)
			if hinted {
				decoded, ok := base64Text(in)
				if !ok || !looksLikePFX(decoded) {
					t.Fatalf("a base64 hint for %q, which is no base64 of a PFX: %v", in, err)
				}
			}
			if (mode%4 == 1 || mode%4 == 2) && isPFX && !hinted {
				t.Fatalf("the base64 of a PFX is not named so: %v", err)
			}
			if errors.Is(err, ErrPassword) {
				named := strings.Contains(msg, "begins or ends with white space")
				if named != (strings.TrimSpace(password) != password) {
					t.Fatalf("password %q: white space named %v: %v", password, named, err)
				}
			}
		}

		c, err := ParseCertificate(in)
		if err == nil {
			if c == nil {
				t.Fatal("ParseCertificate returned neither a certificate nor an error")
			}
			if mode%4 != 0 {
				t.Fatalf("the certificate parsed from secret text %q (mode %d)", in, mode%4)
			}
			return
		}
		if _, ok := err.(*InvalidError); !ok {
			t.Fatalf("error is %T, want *InvalidError: %v", err, err)
		}
		msg := err.Error()
		hinted := strings.Contains(msg, hintBase64)
		if hinted {
			decoded, ok := base64Text(in)
			if !ok {
				t.Fatalf("a base64 hint for %q, which is no base64: %v", in, err)
			}
			if _, err := parseCertificate(decoded); err != nil {
				t.Fatalf("a base64 hint for %q, which decodes to no certificate: %v", in, err)
			}
		}
		if (mode%4 == 1 || mode%4 == 2) && isCert && !hinted {
			t.Fatalf("the base64 of a certificate is not named so: %v", err)
		}
		escaped := strings.Contains(msg, `written as \n`)
		if escaped && !escapedPEM(bytes.TrimSpace(in)) {
			t.Fatalf("an escaped-PEM hint for %q: %v", in, err)
		}
		if mode%4 == 3 && !escaped {
			t.Fatalf("PEM with escaped line breaks is not named so: %v", err)
		}
	})
}

package cert

import (
	"crypto/rsa"
	"crypto/x509"
	"os"
	"path/filepath"
	"reflect"
	"slices"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/goacp/unionpay/sign"
)

// Seed corpora built from the repository's test vectors live in
// testdata/fuzz/<FuzzName>/ (see testdata/fuzz/README.md); f.Add adds a few
// small hand-written ones.

func FuzzLoadPFX(f *testing.F) {
	f.Add([]byte{}, "")
	f.Add([]byte("0\x82\x01\x00"), testPFXPassword)
	f.Fuzz(func(t *testing.T, data []byte, password string) {
		p, err := LoadPFX(data, password)
		if err != nil {
			if strings.Contains(err.Error(), "decoder failed") {
				t.Fatalf("the PFX decoder panicked: %v", err)
			}
			return
		}
		if p.Key == nil || p.Certificate == nil {
			t.Fatal("LoadPFX returned no key or certificate without an error")
		}
		if !p.Key.Public().(*rsa.PublicKey).Equal(p.Certificate.PublicKey) {
			t.Fatal("certificate does not match the key")
		}
		if CertID(p.Certificate) == "" {
			t.Fatal("empty certId")
		}
	})
}

func FuzzParseCertificate(f *testing.F) {
	f.Add([]byte("-----BEGIN CERTIFICATE-----\r\n-----END CERTIFICATE-----\r\n"))
	f.Add([]byte{0x30, 0x03, 0x02, 0x01, 0x00})
	v := testVerifier(f, timeValid)
	f.Fuzz(func(t *testing.T, data []byte) {
		c, err := ParseCertificate(data)
		if err != nil {
			if _, ok := err.(*InvalidError); !ok {
				t.Fatalf("error is %T, want *InvalidError", err)
			}
			return
		}
		_ = CertID(c)
		_ = v.ValidateCertificate(c)
		_ = v.ValidateEncryptionCertificate(c)
		if _, err := NewEncrypter(c); err == nil && c.PublicKey == nil {
			t.Fatal("encrypter without a key")
		}
	})
}

func FuzzParseCustomerInfo(f *testing.F) {
	f.Add("{}")
	f.Add("e2NlcnRpZlRwPTAxfQ==") // {certifTp=01}
	_, d := opensslMerchant(f)
	f.Add("e2N1c3RvbWVyTm09u6XBqs34fQ==") // {customerNm=互联网} in GBK
	f.Fuzz(func(t *testing.T, s string) {
		for _, charset := range []string{sign.CharsetUTF8, sign.CharsetGBK} {
			pairs, err := ParseCustomerInfoCharset(s, charset, d)
			if err != nil {
				continue
			}
			keys := make([]string, len(pairs))
			for i, p := range pairs {
				keys[i] = p.Key
				if p.Key == CustomerEncryptedInfo {
					t.Fatal("encryptedInfo left in the result")
				}
				if !utf8.ValidString(p.Key) || !utf8.ValidString(p.Value) {
					t.Fatalf("%s: pair %q=%q is not valid UTF-8", charset, p.Key, p.Value)
				}
			}
			if !slices.IsSorted(keys) || len(slices.Compact(slices.Clone(keys))) != len(keys) {
				t.Fatalf("keys not sorted and unique: %q", keys)
			}
		}
	})
}

// FuzzVerify feeds raw response bodies to a Verifier enabling every method:
// whatever the message, Verify must return, never panic.
func FuzzVerify(f *testing.F) {
	data, err := os.ReadFile(filepath.Join("..", "testdata", "official-sdk-vectors", "raw_response.txt"))
	if err == nil {
		f.Add(string(data))
	}
	f.Add("signMethod=01&version=5.0.0&certId=69629715588&signature=AAAA")
	f.Add("signMethod=11&version=5.1.0&signature=00")
	if ks, err := sign.NewSecureKeySigner(sign.MethodSHA256Key, []byte("88888888")); err == nil {
		// A form that verifies (secure key 11), for the fuzzer to mutate.
		keyed := sign.Fields{"version": sign.Version510, "encoding": "UTF-8", "orderId": "F1", "txnAmt": "1",
			"respMsg": "成功 ok&x={y}"}
		if sign.Sign(ks, keyed) == nil {
			if body, err := sign.Encode(keyed); err == nil {
				f.Add(body)
			}
		}
	}
	v, err := NewVerifier(VerifierConfig{
		Root:        loadTestCert(f, "acp_test_root.cer"),
		Middle:      loadTestCert(f, "acp_test_middle.cer"),
		LegacyCerts: []*x509.Certificate{loadTestPFX(f, "acp_test_sign.pfx").Certificate},
		SecureKey:   []byte("88888888"),
		Now:         fixedNow(timeValid),
	})
	if err != nil {
		f.Fatal(err)
	}
	f.Fuzz(func(t *testing.T, body string) {
		// As a form: VerifyForm agrees with ParseForm then Verify.
		formFields, formSigned, formErr := v.VerifyForm([]byte(body))
		if parsed, err := sign.ParseForm(body); err == nil && len(parsed) > 0 {
			s, err := v.Verify(parsed)
			if (err == nil) != (formErr == nil) || !reflect.DeepEqual(s, formSigned) {
				t.Fatalf("VerifyForm: %v, %v; ParseForm and Verify: %v, %v", formSigned, formErr, s, err)
			}
			if err == nil && !reflect.DeepEqual(parsed, formFields) {
				t.Fatalf("VerifyForm fields %q, ParseForm %q", formFields, parsed)
			}
		} else if formErr == nil {
			t.Fatalf("VerifyForm accepted a body ParseForm refuses (%v)", err)
		}

		fields, err := sign.ParseRaw(body)
		if err != nil {
			return
		}
		s, err := v.Verify(fields)
		if err == nil && s == nil {
			t.Fatal("nil Signed without an error")
		}
	})
}

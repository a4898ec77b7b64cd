package cert

import (
	"bytes"
	"crypto/rsa"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/pem"
	"errors"
	"os"
	"path/filepath"
	"reflect"
	"slices"
	"strings"
	"testing"
	"unicode/utf8"

	"software.sslmate.com/src/go-pkcs12"

	"github.com/goacp/unionpay/sign"
)

// Seed corpora built from the repository's test vectors live in
// testdata/fuzz/<FuzzName>/ (see testdata/fuzz/README.md); f.Add adds a few
// small hand-written ones.

// FuzzLoadPFX checks that LoadPFX never lets the PKCS#12 decoder's panic
// through nor hides one (a recovered panic wraps errDecoderPanic), that a
// wrong password is reported as one, and that whatever it accepts is
// usable: an RSA key that is valid, the certificate of that key, a Signer
// whose signatures verify with the certificate and a Decrypter that
// decrypts what is encrypted to the certificate.
func FuzzLoadPFX(f *testing.F) {
	f.Add([]byte{}, "")
	f.Add([]byte("0\x82\x01\x00"), testPFXPassword)
	f.Fuzz(func(t *testing.T, data []byte, password string) {
		p, err := LoadPFX(data, password)
		if err != nil {
			if errors.Is(err, errDecoderPanic) {
				t.Fatalf("the PFX decoder panicked: %v", err)
			}
			if p != nil {
				t.Fatalf("LoadPFX returned %+v with the error %v", p, err)
			}
			if !strings.HasPrefix(err.Error(), "cert: ") {
				t.Fatalf("error %q is not prefixed with the package name", err)
			}
			if errors.Is(err, ErrPassword) != errors.Is(err, pkcs12.ErrIncorrectPassword) {
				t.Fatalf("error %v matches only one of ErrPassword and pkcs12.ErrIncorrectPassword", err)
			}
			return
		}
		checkUsablePFX(t, p)
	})
}

// checkUsablePFX fails unless p's key is a valid RSA key that its
// certificate carries, and signs and decrypts so that the certificate
// verifies and encrypts for it.
func checkUsablePFX(t *testing.T, p *PFX) {
	t.Helper()
	if p == nil || p.Key == nil || p.Certificate == nil {
		t.Fatalf("LoadPFX returned %+v without an error", p)
	}
	key, ok := p.Key.(*rsa.PrivateKey)
	if !ok {
		t.Fatalf("key is %T, want *rsa.PrivateKey", p.Key)
	}
	if err := key.Validate(); err != nil {
		t.Fatalf("invalid RSA key: %v", err)
	}
	pub, ok := p.Certificate.PublicKey.(*rsa.PublicKey)
	if !ok || !key.PublicKey.Equal(pub) {
		t.Fatal("the certificate's public key is not the private key's")
	}
	if p.CertID() == "" || p.CertID() != CertID(p.Certificate) {
		t.Fatalf("certId %q, certificate serial %v", p.CertID(), p.Certificate.SerialNumber)
	}
	s, err := p.Signer()
	if err != nil {
		t.Fatalf("Signer: %v", err)
	}
	if s.CertID() != p.CertID() || s.Method() != sign.MethodRSA {
		t.Fatalf("signer sends certId %q, method %q; want %q, %q", s.CertID(), s.Method(), p.CertID(), sign.MethodRSA)
	}
	msg := []byte("merId=777290058110048&orderId=fuzz&txnAmt=1&version=5.1.0")
	for _, version := range []string{sign.Version510, sign.Version500} {
		sig, err := s.Sign(version, msg)
		if err != nil {
			t.Fatalf("Sign %s: %v", version, err)
		}
		if err := sign.VerifyRSA(pub, version, msg, sig); err != nil {
			t.Fatalf("a %s signature does not verify with the certificate: %v", version, err)
		}
	}
	d, err := p.Decrypter()
	if err != nil {
		t.Fatalf("Decrypter: %v", err)
	}
	e, err := NewEncrypter(p.Certificate)
	if err != nil {
		t.Fatalf("NewEncrypter(the PFX certificate): %v", err)
	}
	ct, err := e.Encrypt("6216261000000000018")
	if err != nil {
		t.Fatalf("Encrypt: %v", err)
	}
	if pt, err := d.Decrypt(ct); err != nil || pt != "6216261000000000018" {
		t.Fatalf("Decrypt gave %q, %v", pt, err)
	}
}

// FuzzParseCertificate parses arbitrary bytes as a certificate file. Every error is an
// *InvalidError. A certificate parsed is the input's DER exactly (c.Raw is the input, or the
// bytes of its PEM block) and its certId is its serial number; it parses again, the same, from
// its DER and from the PEM forms UnionPay's files and signPubKeyCert take (LF or CRLF line ends,
// white space or a UTF-8 byte-order mark before, white space after), and not once anything but
// white space follows the PEM block; ParseSM2Certificate agrees with it on SM2 certificates and
// refuses the others. The errors of parsing and validating it are at most 2,048 bytes of text,
// whatever the certificate quotes.
func FuzzParseCertificate(f *testing.F) {
	f.Add([]byte("-----BEGIN CERTIFICATE-----\r\n-----END CERTIFICATE-----\r\n"))
	f.Add([]byte{0x30, 0x03, 0x02, 0x01, 0x00})
	// Texts a certificate chooses that an error quotes: a SAN URI crypto/x509 cannot parse (a
	// parse error), a critical extension's OID of 2,000 arcs (a validation error).
	oid, uri := longTextNames(2000)
	key := testKey(f, "FuzzParseCertificate")
	f.Add(createWithExtension(f, sanURI(f, uri), nil, key))
	f.Add(createWithExtension(f, pkix.Extension{Id: oid, Critical: true, Value: []byte{0x05, 0x00}}, nil, key))
	v := testVerifier(f, timeValid)
	shortError := func(t *testing.T, what string, err error) {
		t.Helper()
		if err != nil && len(err.Error()) > 2048 {
			t.Fatalf("%s: an error of %d bytes: %.2100s", what, len(err.Error()), err)
		}
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		c, err := ParseCertificate(data)
		shortError(t, "ParseCertificate", err)
		if err != nil {
			if _, ok := err.(*InvalidError); !ok {
				t.Fatalf("error is %T, want *InvalidError", err)
			}
			return
		}
		der := data // the documented input: DER, or PEM after white space or a byte-order mark
		if text := bytes.TrimLeft(bytes.TrimPrefix(data, []byte("\xef\xbb\xbf")), " \t\r\n"); bytes.HasPrefix(text, []byte("-----BEGIN")) {
			if block, _ := pem.Decode(text); block != nil {
				der = block.Bytes
			}
		}
		if !bytes.Equal(c.Raw, der) || CertID(c) != c.SerialNumber.String() {
			t.Fatalf("ParseCertificate(%q): certificate %x, certId %q", data, c.Raw, CertID(c))
		}
		lf := pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: c.Raw})
		crlf := bytes.ReplaceAll(lf, []byte("\n"), []byte("\r\n"))
		for _, form := range [][]byte{c.Raw, lf, crlf, append([]byte("\xef\xbb\xbf\r\n \t"), crlf...), append(slices.Clone(lf), " \r\n\t"...)} {
			again, err := ParseCertificate(form)
			if err != nil || !bytes.Equal(again.Raw, c.Raw) {
				t.Fatalf("the certificate %x, as %q, does not parse again: %v", c.Raw, form, err)
			}
		}
		for _, trailing := range []string{"x", "\x00", string(lf)} {
			if _, err := ParseCertificate(append(slices.Clone(crlf), trailing...)); err == nil {
				t.Fatalf("the certificate %x as PEM followed by %q parses", c.Raw, trailing)
			}
		}
		sc, err := ParseSM2Certificate(data)
		if isSM2Certificate(c) != (err == nil) || err == nil && !bytes.Equal(sc.Raw, c.Raw) {
			t.Fatalf("ParseSM2Certificate(%q): %v; ParseCertificate's key is %T", data, err, c.PublicKey)
		}
		_ = CertID(c)
		shortError(t, "ValidateCertificate", v.ValidateCertificate(c))
		shortError(t, "ValidateEncryptionCertificate", v.ValidateEncryptionCertificate(c))
		if _, err := NewEncrypter(c); err == nil && c.PublicKey == nil {
			t.Fatal("encrypter without a key")
		}
	})
}

// FuzzParseCustomerInfo reads arbitrary text as a customerInfo field, in UTF-8 and in GBK: what
// it accepts is at most sign.MaxFields pairs of valid UTF-8, sorted by key, unique, without
// encryptedInfo; what it refuses, it refuses with an error of at most 1,024 bytes of text.
func FuzzParseCustomerInfo(f *testing.F) {
	f.Add("{}")
	f.Add("e2NlcnRpZlRwPTAxfQ==") // {certifTp=01}
	_, d := opensslMerchant(f)
	f.Add("e2N1c3RvbWVyTm09u6XBqs34fQ==") // {customerNm=互联网} in GBK
	// The bodies of sign.MaxFields pairs and one more are in TestParseCustomerInfoFuzzCheckAtMaxFields.
	f.Fuzz(func(t *testing.T, s string) {
		if len(s) > 2048 {
			// Base64 of 1.5 KB: 200 short pairs, several times a real customerInfo (a mutant
			// of a body of sign.MaxFields pairs cost as much; the limit is checked apart).
			return
		}
		checkParseCustomerInfo(t, d, s)
	})
}

// checkParseCustomerInfo is FuzzParseCustomerInfo's check of one customerInfo text s, read with d.
func checkParseCustomerInfo(t *testing.T, d *Decrypter, s string) {
	for _, charset := range []string{sign.CharsetUTF8, sign.CharsetGBK} {
		pairs, err := ParseCustomerInfoCharset(s, charset, d)
		if err != nil {
			if len(err.Error()) > 1024 {
				t.Fatalf("%s: an error of %d bytes: %.1100s", charset, len(err.Error()), err)
			}
			continue
		}
		if len(pairs) > sign.MaxFields {
			t.Fatalf("%s: %d pairs, more than sign.MaxFields", charset, len(pairs))
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
}

// FuzzVerify feeds raw response bodies to a Verifier enabling every method:
// whatever the message, Verify must return, never panic. A form is also
// verified by a new Verifier, whose certificate cache is empty: its answer
// and error text must be the shared Verifier's, whatever certificates (or
// other texts of them) earlier inputs left in that one's cache; and its
// error is at most 2,048 bytes of text.
func FuzzVerify(f *testing.F) {
	data, err := os.ReadFile(filepath.Join("..", "testdata", "official-sdk-vectors", "raw_response.txt"))
	if err != nil {
		f.Fatal(err) // a committed vector: the seed must not go missing unnoticed
	}
	f.Add(string(data))
	f.Add("signMethod=01&version=5.0.0&certId=69629715588&signature=AAAA")
	f.Add("signMethod=11&version=5.1.0&signature=00")
	// A form that verifies (secure key 11), for the fuzzer to mutate: without it the seeds never
	// reach a successful verification.
	ks, err := sign.NewSecureKeySigner(sign.MethodSHA256Key, []byte("88888888"))
	if err != nil {
		f.Fatal(err)
	}
	keyed := sign.Fields{"version": sign.Version510, "encoding": "UTF-8", "orderId": "F1", "txnAmt": "1",
		"respMsg": "成功 ok&x={y}"}
	if err := sign.Sign(ks, keyed); err != nil {
		f.Fatal(err)
	}
	body, err := sign.Encode(keyed)
	if err != nil {
		f.Fatal(err)
	}
	f.Add(body)
	// A real notification that verifies (signMethod 01, its signPubKeyCert chained to the test
	// root), then the same with its certificate's text in LF line ends: the same DER in a text
	// not seen yet, which the Verifier's cache answers from the first one's entry (refused for
	// its signature, which covers the text).
	captured, err := sign.Encode(readKV(f, capturedNotification))
	if err != nil {
		f.Fatal(err)
	}
	f.Add(captured)
	f.Add(strings.ReplaceAll(captured, "%0D%0A", "%0A"))
	config := VerifierConfig{
		Root:        loadTestCert(f, "acp_test_root.cer"),
		Middle:      loadTestCert(f, "acp_test_middle.cer"),
		LegacyCerts: []*x509.Certificate{loadTestPFX(f, "acp_test_sign.pfx").Certificate},
		SecureKey:   []byte("88888888"),
		Now:         fixedNow(timeValid),
	}
	v, err := NewVerifier(config)
	if err != nil {
		f.Fatal(err)
	}
	f.Fuzz(func(t *testing.T, body string) {
		// As a form: VerifyForm agrees with ParseForm then Verify, and v, whose cache holds
		// the certificates of earlier inputs, agrees with a Verifier that has seen none.
		formFields, formSigned, formErr := v.VerifyForm([]byte(body))
		if parsed, err := sign.ParseForm(body); err == nil && len(parsed) > 0 {
			s, err := v.Verify(parsed)
			if (err == nil) != (formErr == nil) || !reflect.DeepEqual(s, formSigned) {
				t.Fatalf("VerifyForm: %v, %v; ParseForm and Verify: %v, %v", formSigned, formErr, s, err)
			}
			fresh, ferr := NewVerifier(config)
			if ferr != nil {
				t.Fatal(ferr)
			}
			fs, ferr := fresh.Verify(parsed)
			if (err == nil) != (ferr == nil) || !reflect.DeepEqual(s, fs) || err != nil && err.Error() != ferr.Error() {
				t.Fatalf("Verify: %v, %v; with an empty cache: %v, %v", s, err, fs, ferr)
			}
			if err != nil && len(err.Error()) > 2048 {
				t.Fatalf("an error of %d bytes: %.2100s", len(err.Error()), err)
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

package cert

import (
	"bytes"
	"encoding/base64"
	"encoding/pem"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/emmansun/gmsm/smx509"
)

// FuzzDecrypt: the RSA and SM2 Decrypters take any text (an accNo or encryptedInfo field of an
// answer or a notification) without a panic, with an error of the package's; what is
// encrypted to their certificates decrypts back exactly; and an SM2 ciphertext changed in one
// byte never decrypts (C3, the SM3 hash, binds C1 and C2).
func FuzzDecrypt(f *testing.F) {
	rsaEnc, rsaDec := opensslMerchant(f)
	c := loadSM2Credential(f)
	sm2Dec, err := c.Decrypter()
	if err != nil {
		f.Fatal(err)
	}
	sm2Enc, err := NewEncrypter(c.Certificate)
	if err != nil {
		f.Fatal(err)
	}
	f.Add("", "6216261000000000018", uint16(0), byte(1))
	f.Add("AAAA", "12345678", uint16(70), byte(0x80))
	f.Add("BA==\r\n", "phoneNo=13552535506&cvn2=123", uint16(100), byte(0))
	if ct, err := sm2Enc.Encrypt("6216261000000000018"); err == nil {
		f.Add(ct, "x", uint16(5), byte(0))
	}
	if ct, err := rsaEnc.Encrypt("6216261000000000018"); err == nil {
		f.Add(ct, "y", uint16(5), byte(0))
	}
	f.Fuzz(func(t *testing.T, text, plain string, pos uint16, flip byte) {
		for _, d := range []*Decrypter{rsaDec, sm2Dec} {
			p, err := d.Decrypt(text)
			if err != nil && (p != "" || !strings.HasPrefix(err.Error(), "cert: ")) {
				t.Fatalf("Decrypt(%q) = %q, %v", text, p, err)
			}
		}
		for i, e := range []*Encrypter{rsaEnc, sm2Enc} {
			d := []*Decrypter{rsaDec, sm2Dec}[i]
			ct, err := e.Encrypt(plain)
			if err != nil {
				if !strings.HasPrefix(err.Error(), "cert: ") || strings.Contains(err.Error(), plain) && len(plain) > 3 {
					t.Fatalf("Encrypt(%q): %v", plain, err)
				}
				continue
			}
			back, err := d.Decrypt(ct)
			if err != nil || back != plain {
				t.Fatalf("%d: Decrypt(Encrypt(%q)) = %q, %v", i, plain, back, err)
			}
			if i == 1 && flip != 0 {
				raw, _ := base64.StdEncoding.DecodeString(ct)
				raw[int(pos)%len(raw)] ^= flip
				if back, err := d.Decrypt(base64.StdEncoding.EncodeToString(raw)); err == nil {
					t.Fatalf("SM2 ciphertext of %q changed at %d decrypts to %q", plain, int(pos)%len(raw), back)
				}
			}
		}
	})
}

// FuzzOwner: ParseSM2Certificate never panics and fails with an *InvalidError; whenever
// crypto/x509 (ParseCertificate) and gmsm's smx509 (ParseSM2Certificate's parser) both read
// the same bytes, Owner gives the same answer for both readings, and CertID the same certId:
// the owner check must not depend on which parser read a certificate. A certificate read is
// the input's DER, or the DER of its one PEM block: nothing else (a PEM inside the PEM).
func FuzzOwner(f *testing.F) {
	for _, name := range []string{"acp_test_root.cer", "acp_test_middle.cer", "acp_test_enc.cer", "unipayCertPublicKey.cer"} {
		if b, err := os.ReadFile(filepath.Join(testCertDir, name)); err == nil {
			f.Add(b)
		}
	}
	f.Add(loadSM2Credential(f).Certificate.Raw)
	f.Fuzz(func(t *testing.T, data []byte) {
		if c, err := ParseSM2Certificate(data); err != nil {
			if _, ok := err.(*InvalidError); !ok {
				t.Fatalf("ParseSM2Certificate: %T %v", err, err)
			}
		} else {
			_, _ = Owner(c)
			_ = CertID(c)
		}
		std, err := ParseCertificate(data)
		if err != nil {
			return
		}
		if der, _ := certificateDER(data); !bytes.Equal(std.Raw, der) {
			t.Fatalf("ParseCertificate read a certificate that is not the input's DER (or its one PEM block):\n%q", data)
		}
		sc, err := smx509.ParseCertificate(std.Raw)
		if err != nil {
			return
		}
		gm := sc.ToX509()
		o1, err1 := Owner(std)
		o2, err2 := Owner(gm)
		if (err1 == nil) != (err2 == nil) || o1 != o2 {
			t.Fatalf("Owner: crypto/x509 reads %q (%v), smx509 %q (%v)", o1, err1, o2, err2)
		}
		if CertID(std) != CertID(gm) || !bytes.Equal(std.RawSubject, gm.RawSubject) {
			t.Fatalf("CertID: %s and %s", CertID(std), CertID(gm))
		}
	})
}

// FuzzCustomerInfoRoundTrip: what Encrypter.CustomerInfo (with and without encryptedInfo) and
// PlainCustomerInfo build from pairs, ParseCustomerInfo reads back as the same pairs, sorted by
// key. FuzzParseCustomerInfo only checks the shape of what it reads. The pairs come from
// spec: "k=v" items separated by ';' (a pin is left out: it comes back as a PIN block).
func FuzzCustomerInfoRoundTrip(f *testing.F) {
	f.Add("certifTp=01;certifId=341126197709218366;customerNm=全渠道;phoneNo=13552535506;cvn2=123;expired=2912", true)
	f.Add("a=;b==x", false)
	f.Add("phoneNo=1", true)
	e, d := opensslMerchant(f)
	f.Fuzz(func(t *testing.T, spec string, encryptInfo bool) {
		if !utf8.ValidString(spec) {
			return
		}
		var pairs []Pair
		for item := range strings.SplitSeq(spec, ";") {
			k, v, _ := strings.Cut(item, "=")
			if k == CustomerPIN {
				continue
			}
			pairs = append(pairs, Pair{Key: k, Value: v})
		}
		want := slices.Clone(pairs)
		slices.SortFunc(want, func(a, b Pair) int { return strings.Compare(a.Key, b.Key) })
		for _, plain := range []bool{false, true} {
			var s string
			var err error
			if plain {
				s, err = PlainCustomerInfo(pairs)
			} else {
				s, err = e.CustomerInfo(pairs, "", encryptInfo)
			}
			if err != nil {
				continue
			}
			got, err := ParseCustomerInfo(s, d)
			if err != nil || len(got) != len(want) || len(want) > 0 && !slices.Equal(got, want) {
				t.Fatalf("plain %v, encryptInfo %v: %q read back as %q, %v; want %q", plain, encryptInfo, pairs, got, err, want)
			}
		}
	})
}

// TestParseCertificateNestedPEM: a PEM block whose content is itself PEM text is read when the
// inner certificate is SM2 (ParseCertificate hands the block's bytes to ParseSM2Certificate,
// which strips PEM again), and refused when it is RSA: the same wrapping is accepted or not by
// key type, and signPubKeyCert is read in a form UnionPay never sends.
func TestParseCertificateNestedPEM(t *testing.T) {
	wrap := func(b []byte) []byte {
		return pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: b})
	}
	rsaCert := loadTestCert(t, "acp_test_root.cer")
	sm2Cert := loadSM2Credential(t).Certificate
	if _, err := ParseCertificate(wrap(wrap(rsaCert.Raw))); err == nil {
		t.Error("RSA certificate in nested PEM accepted")
	}
	if c, err := ParseCertificate(wrap(wrap(sm2Cert.Raw))); err == nil {
		t.Errorf("SM2 certificate in nested PEM accepted (certId %s)", CertID(c))
	}
	if c, err := ParseCertificate(wrap(sm2Cert.Raw)[:0:0]); err == nil { // sanity: empty input refused
		t.Errorf("empty input read as %v", c.Subject)
	}
	if _, err := ParseCertificate(wrap(sm2Cert.Raw)); err != nil {
		t.Errorf("SM2 certificate in PEM: %v", err)
	}
}

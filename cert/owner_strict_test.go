package cert

import (
	"bytes"
	"crypto/rand"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/asn1"
	"encoding/pem"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/emmansun/gmsm/sm2"
	"github.com/emmansun/gmsm/smx509"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// t61CN is a common name encoded as a T61String holding exactly the bytes
// of s.
func t61CN(s string) pkix.AttributeTypeAndValue {
	return pkix.AttributeTypeAndValue{Type: oidCommonName, Value: asn1.RawValue{Tag: asn1.TagT61String, Bytes: []byte(s)}}
}

// plainCN is a common name encoded as Go encodes CommonName.
func plainCN(s string) pkix.AttributeTypeAndValue {
	return pkix.AttributeTypeAndValue{Type: oidCommonName, Value: s}
}

// issueSubject issues a signing leaf (the key usage of leafSpec) with the
// subject name under parent, with a shared cached key.
func issueSubject(t testing.TB, name pkix.Name, parent *issued) *issued {
	t.Helper()
	tmpl := leafSpec().template()
	tmpl.Subject = name
	key := testKey(t, "Owner Leaf")
	der, err := x509.CreateCertificate(rand.Reader, tmpl, parent.cert, &key.PublicKey, parent.key)
	require.NoError(t, err)
	c, err := x509.ParseCertificate(der)
	require.NoError(t, err)
	p := string(pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: der}))
	return &issued{cert: c, key: key, pem: strings.ReplaceAll(p, "\n", "\r\n")}
}

// issueSM2Subject is issueSubject for an SM2 chain.
func issueSM2Subject(t testing.TB, name pkix.Name, parent *sm2Issued) *sm2Issued {
	t.Helper()
	tmpl := leafSpec().template()
	tmpl.Subject = name
	key, err := sm2.GenerateKey(rand.Reader)
	require.NoError(t, err)
	der, err := smx509.CreateCertificate(rand.Reader, tmpl, parent.cert, &key.PublicKey, parent.key)
	require.NoError(t, err)
	c, err := ParseSM2Certificate(der)
	require.NoError(t, err)
	p := string(pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: der}))
	return &sm2Issued{cert: c, key: key, pem: strings.ReplaceAll(p, "\n", "\r\n")}
}

// The owner rule is exact: one common name, read the same by every parser,
// whose third '@' field is UnionPay's name itself (or, only when configured,
// the test owner). Each case is refused with WrongOwner by ValidateCertificate
// and by Verify, on an RSA and on an SM2 chain, even with AcceptTestOwner
// where it says so; Owner itself fails or returns a name that is not
// accepted (C11, C13, C14, C15 of the mutation review).
func TestOwnerStrict(t *testing.T) {
	t.Parallel()
	const testOwnerCN = "041@Z2017-11-1@%s@00000001" // %s: OwnerTest or OwnerSM2Test
	name := func(atvs ...pkix.AttributeTypeAndValue) pkix.Name {
		return pkix.Name{Country: []string{"CN"}, Organization: []string{"Test CA"}, ExtraNames: atvs}
	}
	tests := []struct {
		name      string
		subject   func(testOwner string) pkix.Name
		testOwner bool   // AcceptTestOwner
		owner     string // what Owner returns, %s standing for the test owner; "" with ownerErr
		ownerErr  bool
	}{
		// C11: the first common name must not be taken alone.
		{name: "two CNs, UnionPay's first",
			subject:  func(string) pkix.Name { return name(plainCN(unionPayCN), plainCN("041@1@Some Shop@2")) },
			ownerErr: true},
		{name: "two CNs, UnionPay's twice",
			subject:  func(string) pkix.Name { return name(plainCN(unionPayCN), plainCN(unionPayCN)) },
			ownerErr: true},
		{name: "two CNs, UnionPay's second",
			subject:  func(string) pkix.Name { return name(plainCN("041@1@Some Shop@2"), plainCN(unionPayCN)) },
			ownerErr: true},
		{name: "two CNs, test owner first, AcceptTestOwner",
			subject: func(o string) pkix.Name {
				return name(plainCN(strings.Replace(testOwnerCN, "%s", o, 1)), plainCN("041@1@Some Shop@2"))
			},
			testOwner: true, ownerErr: true},
		// C13: 0x80 is the first byte outside ASCII.
		{name: "T61String CN with byte 0x80, AcceptTestOwner",
			subject: func(o string) pkix.Name {
				return name(t61CN(strings.Replace("041@Z2017\x80@%s@00000001", "%s", o, 1)))
			},
			testOwner: true, ownerErr: true},
		{name: "T61String CN with byte 0x80 in the owner",
			subject:  func(string) pkix.Name { return name(t61CN("041@1@\x80@2")) },
			ownerErr: true},
		{name: "T61String CN with byte 0xff, AcceptTestOwner",
			subject: func(o string) pkix.Name {
				return name(t61CN(strings.Replace("041@Z2017\xff@%s@00000001", "%s", o, 1)))
			},
			testOwner: true, ownerErr: true},
		// C14: a name that merely starts with UnionPay's.
		{name: "UnionPay's name followed by text",
			subject: func(string) pkix.Name {
				return name(plainCN("041@8310000000083040@" + OwnerUnionPay + "(测试)@00016495"))
			},
			owner: OwnerUnionPay + "(测试)"},
		{name: "UnionPay's name followed by a space",
			subject: func(string) pkix.Name { return name(plainCN("041@8310000000083040@" + OwnerUnionPay + " @00016495")) },
			owner:   OwnerUnionPay + " "},
		{name: "UnionPay's name followed by text, AcceptTestOwner",
			subject:   func(string) pkix.Name { return name(plainCN("041@8310000000083040@" + OwnerUnionPay + "X@00016495")) },
			testOwner: true, owner: OwnerUnionPay + "X"},
		{name: "test owner followed by text, AcceptTestOwner",
			subject: func(o string) pkix.Name {
				return name(plainCN(strings.Replace(testOwnerCN, "%s", o+"X", 1)))
			},
			testOwner: true, owner: "%sX"},
		// C15: an empty owner field is nobody, with or without a test owner.
		{name: "empty owner",
			subject: func(string) pkix.Name { return name(plainCN("041@8310000000083040@@00016495")) },
			owner:   ""},
		{name: "empty owner, AcceptTestOwner",
			subject:   func(string) pkix.Name { return name(plainCN("041@8310000000083040@@00016495")) },
			testOwner: true, owner: ""},
		{name: "CN ending after the second @",
			subject: func(string) pkix.Name { return name(plainCN("041@8310000000083040@")) },
			owner:   ""},
	}

	rsaChain := newTestChain(t, "Owner", nil)
	sm2Chain := newSM2TestChain(t, "Owner", nil)
	for _, tt := range tests {
		t.Run("RSA "+tt.name, func(t *testing.T) {
			t.Parallel()
			leaf := issueSubject(t, tt.subject(OwnerTest), rsaChain.middle)
			checkOwnerCase(t, leaf.cert, tt.owner, tt.ownerErr, OwnerTest)
			v, err := NewVerifier(VerifierConfig{Root: rsaChain.root.cert, Middle: rsaChain.middle.cert,
				AcceptTestOwner: tt.testOwner, Now: fixedNow(timeGenerated)})
			require.NoError(t, err)
			requireReason(t, v.ValidateCertificate(leaf.cert), WrongOwner)
			ch := &testChain{root: rsaChain.root, middle: rsaChain.middle, leaf: leaf}
			_, err = v.Verify(ch.notification(t))
			requireReason(t, err, WrongOwner)
		})
		t.Run("SM2 "+tt.name, func(t *testing.T) {
			t.Parallel()
			leaf := issueSM2Subject(t, tt.subject(OwnerSM2Test), sm2Chain.middle)
			checkOwnerCase(t, leaf.cert, tt.owner, tt.ownerErr, OwnerSM2Test)
			v, err := NewVerifier(VerifierConfig{SM2Root: sm2Chain.root.cert, SM2Middle: sm2Chain.middle.cert,
				AcceptTestOwner: tt.testOwner, Now: fixedNow(sm2TestNow)})
			require.NoError(t, err)
			requireReason(t, v.ValidateCertificate(leaf.cert), WrongOwner)
			_, err = v.Verify(sm2Response(t, leaf, "5.1.0"))
			requireReason(t, err, WrongOwner)
		})
	}

	// The other side of each boundary: one plain CN with exactly UnionPay's
	// name, and an ASCII T61String (0x7f included) with the test owner.
	for _, tt := range []struct {
		name    string
		subject pkix.Name
		owner   string
	}{
		{"UnionPay's name", name(plainCN(unionPayCN)), OwnerUnionPay},
		{"ASCII T61String with 0x7f", name(t61CN("041@Z2017\x7f@" + OwnerTest + "@00000001")), OwnerTest},
	} {
		t.Run("accepted "+tt.name, func(t *testing.T) {
			t.Parallel()
			leaf := issueSubject(t, tt.subject, rsaChain.middle)
			owner, err := Owner(leaf.cert)
			require.NoError(t, err)
			assert.Equal(t, tt.owner, owner)
			v, err := NewVerifier(VerifierConfig{Root: rsaChain.root.cert, Middle: rsaChain.middle.cert,
				AcceptTestOwner: true, Now: fixedNow(timeGenerated)})
			require.NoError(t, err)
			require.NoError(t, v.ValidateCertificate(leaf.cert))
		})
	}
}

// checkOwnerCase checks what Owner says of c: an error with reason
// WrongOwner if ownerErr, otherwise owner, with %s standing for testOwner.
func checkOwnerCase(t *testing.T, c *x509.Certificate, owner string, ownerErr bool, testOwner string) {
	t.Helper()
	got, err := Owner(c)
	if ownerErr {
		requireReason(t, err, WrongOwner)
		assert.Empty(t, got)
		return
	}
	require.NoError(t, err)
	assert.Equal(t, strings.ReplaceAll(owner, "%s", testOwner), got)
}

// FuzzOwner: ParseSM2Certificate never panics and fails with an *InvalidError; whenever
// crypto/x509 (ParseCertificate) and gmsm's smx509 (ParseSM2Certificate's parser) both read
// the same bytes, Owner gives the same answer for both readings, and CertID the same certId:
// the owner check must not depend on which parser read a certificate. A certificate read is
// the input's DER, or the DER of its one PEM block: nothing else (a PEM inside the PEM).
func FuzzOwner(f *testing.F) {
	for _, name := range []string{"acp_test_root.cer", "acp_test_middle.cer", "acp_test_enc.cer", "unipayCertPublicKey.cer"} {
		b, err := os.ReadFile(filepath.Join(testCertDir, name))
		if err != nil {
			f.Fatal(err) // a committed certificate: the seed must not go missing unnoticed
		}
		f.Add(b)
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

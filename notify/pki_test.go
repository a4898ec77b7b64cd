package notify_test

import (
	"crypto/rand"
	"crypto/rsa"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/pem"
	"math/big"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/goacp/unionpay/cert"
	"github.com/goacp/unionpay/sign"
)

// testNow is the fixed time at which the generated chains are checked.
var testNow = time.Date(2026, 6, 1, 0, 0, 0, 0, time.UTC)

// Subject common names of the generated signing certificates: the owner is
// the third '@'-separated part.
const (
	unionPayCN   = "041@8310000000083040@中国银联股份有限公司@00016495"
	wrongOwnerCN = "041@8310000000083040@某某科技有限公司@00016495"
)

// issued is a generated certificate and its key.
type issued struct {
	cert *x509.Certificate
	key  *rsa.PrivateKey
}

// pemCRLF returns the certificate as UnionPay sends it in signPubKeyCert:
// PEM with CR LF line ends.
func (c issued) pemCRLF() string {
	s := string(pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: c.cert.Raw}))
	return strings.ReplaceAll(strings.TrimSpace(s), "\n", "\r\n")
}

// pki is a UnionPay-like hierarchy (root, middle, UnionPay-named signing
// leaf) plus the forgeries of the attack catalogue.
type pki struct {
	root, middle issued
	leaf         issued // valid, UnionPay's name, issued by middle

	selfSigned  issued // UnionPay's name, self-signed
	otherCA     issued // UnionPay's name, issued by another CA's middle
	fakeMiddle  issued // UnionPay's name, issued by a forged middle with our middle's name and key id
	expired     issued // UnionPay's name, issued by middle, expired at testNow
	wrongOwner  issued // another owner name, issued by middle
	unionPayPub *rsa.PublicKey
}

// testPKI generates the hierarchy once per test binary (RSA key generation
// is slow).
var testPKI = sync.OnceValue(func() *pki {
	p := &pki{}
	serial := int64(69678957000)
	mustIssue := func(tmpl *x509.Certificate, parent *issued) issued {
		serial++
		return issue(serial, tmpl, parent)
	}
	valid := [2]time.Time{testNow.AddDate(-1, 0, 0), testNow.AddDate(4, 0, 0)}
	p.root = mustIssue(caTemplate("Test Root CA", -1, valid), nil)
	p.middle = mustIssue(caTemplate("Test OCA1", 0, valid), &p.root)
	p.leaf = mustIssue(leafTemplate(unionPayCN, valid), &p.middle)
	p.selfSigned = mustIssue(leafTemplate(unionPayCN, valid), nil)

	otherRoot := mustIssue(caTemplate("Other Root CA", -1, valid), nil)
	otherMiddle := mustIssue(caTemplate("Other OCA1", 0, valid), &otherRoot)
	p.otherCA = mustIssue(leafTemplate(unionPayCN, valid), &otherMiddle)

	forged := caTemplate("Test OCA1", 0, valid)
	forged.SubjectKeyId = p.middle.cert.SubjectKeyId
	fake := mustIssue(forged, &otherRoot)
	p.fakeMiddle = mustIssue(leafTemplate(unionPayCN, valid), &fake)

	p.expired = mustIssue(leafTemplate(unionPayCN, [2]time.Time{testNow.AddDate(-3, 0, 0), testNow.AddDate(0, 0, -1)}), &p.middle)
	p.wrongOwner = mustIssue(leafTemplate(wrongOwnerCN, valid), &p.middle)
	p.unionPayPub = &p.leaf.key.PublicKey
	return p
})

func caTemplate(cn string, maxPathLen int, valid [2]time.Time) *x509.Certificate {
	return &x509.Certificate{
		Subject:               pkix.Name{Country: []string{"CN"}, Organization: []string{"Test CA"}, CommonName: cn},
		NotBefore:             valid[0],
		NotAfter:              valid[1],
		KeyUsage:              x509.KeyUsageCertSign | x509.KeyUsageCRLSign,
		BasicConstraintsValid: true,
		IsCA:                  true,
		MaxPathLen:            maxPathLen,
		MaxPathLenZero:        maxPathLen == 0,
	}
}

// leafTemplate mirrors UnionPay's signing certificate: key usage
// digitalSignature, nonRepudiation, keyEncipherment, keyAgreement.
func leafTemplate(cn string, valid [2]time.Time) *x509.Certificate {
	return &x509.Certificate{
		Subject: pkix.Name{Country: []string{"cn"}, Organization: []string{"CFCA OCA1"},
			OrganizationalUnit: []string{"Local RA OCA1", "Enterprises"}, CommonName: cn},
		NotBefore: valid[0],
		NotAfter:  valid[1],
		KeyUsage: x509.KeyUsageDigitalSignature | x509.KeyUsageContentCommitment |
			x509.KeyUsageKeyEncipherment | x509.KeyUsageKeyAgreement,
		ExtKeyUsage: []x509.ExtKeyUsage{x509.ExtKeyUsageClientAuth, x509.ExtKeyUsageEmailProtection},
	}
}

// issue generates a key and a certificate from tmpl, signed by parent
// (self-signed when parent is nil). It runs once, outside any test.
func issue(serial int64, tmpl *x509.Certificate, parent *issued) issued {
	key, err := rsa.GenerateKey(rand.Reader, 2048)
	if err != nil {
		panic(err)
	}
	tmpl.SerialNumber = big.NewInt(serial)
	parentCert, parentKey := tmpl, key
	if parent != nil {
		parentCert, parentKey = parent.cert, parent.key
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, parentCert, &key.PublicKey, parentKey)
	if err != nil {
		panic(err)
	}
	c, err := x509.ParseCertificate(der)
	if err != nil {
		panic(err)
	}
	return issued{cert: c, key: key}
}

// verifier returns the merchant's verifier for p: 5.1.0 certificates
// chaining to p's root and middle, checked at testNow; nothing else.
func (p *pki) verifier(t testing.TB) *cert.Verifier {
	t.Helper()
	v, err := cert.NewVerifier(cert.VerifierConfig{
		Root:   p.root.cert,
		Middle: p.middle.cert,
		Now:    func() time.Time { return testNow },
	})
	require.NoError(t, err)
	return v
}

// signWith puts by's certificate into f as signPubKeyCert and signs f (5.1.0)
// with by's key, as UnionPay signs a notification.
func signWith(t testing.TB, by issued, f sign.Fields) sign.Fields {
	t.Helper()
	f = f.Clone()
	f["signPubKeyCert"] = by.pemCRLF()
	s, err := sign.NewRSASigner(by.key, cert.CertID(by.cert))
	require.NoError(t, err)
	require.NoError(t, sign.Sign(s, f))
	return f
}

// consumeFields returns the fields of a successful front-consume back
// notification, before signing.
func consumeFields(orderID string) sign.Fields {
	return sign.Fields{
		"version":            sign.Version510,
		"encoding":           "UTF-8",
		"bizType":            "000201",
		"txnType":            "01",
		"txnSubType":         "01",
		"accessType":         "0",
		"merId":              "777290058110048",
		"orderId":            orderID,
		"txnTime":            "20260601080000",
		"txnAmt":             "1000",
		"currencyCode":       "156",
		"queryId":            "772606010800000000001",
		"respCode":           "00",
		"respMsg":            "成功[0000000]",
		"settleAmt":          "1000",
		"settleCurrencyCode": "156",
		"settleDate":         "0601",
		"traceNo":            "000001",
		"traceTime":          "0601080000",
		"reqReserved":        "{cart=42&note=a b}",
		"accNo":              "6216***********0018",
	}
}

// encode returns f as a form body.
func encode(t testing.TB, f sign.Fields) string {
	t.Helper()
	body, err := sign.Encode(f)
	require.NoError(t, err)
	return body
}

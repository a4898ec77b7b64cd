package unionpaytest

import (
	"crypto"
	"crypto/rand"
	"crypto/rsa"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/pem"
	"errors"
	"fmt"
	"math/big"
	"strings"
	"time"

	"software.sslmate.com/src/go-pkcs12"
)

// Subject names of the certificates the fake gateway generates. The signing certificate carries
// UnionPay's owner name in the third '@' field of its CN, as the real one does.
const (
	// SigningCN is the common name of the gateway's response-signing certificate.
	SigningCN = "041@8310000000083040@中国银联股份有限公司@00016495"
	// EncryptionCN is the common name of the gateway's encryption certificate.
	EncryptionCN = "041@8310000000083040@中国银联股份有限公司@00016496"
	// WrongOwnerCN is the common name used by the wrongly named signing certificate
	// ([FaultWrongName]): the owner field is not UnionPay's.
	WrongOwnerCN = "041@8310000000083040@某某科技有限公司@00016497"
)

// Serial numbers (and so certIds) of the generated certificates. They are fixed so that certIds are
// deterministic across runs; the keys are not.
const (
	serialRoot       = 1001
	serialMiddle     = 1002
	serialSigning    = 70000000001
	serialEncryption = 70000000002
	serialMerchant   = 70000000003
	serialExpired    = 70000000004
	serialWrongName  = 70000000005
	serialRotated    = 70000000100 // plus the rotation count
)

// identity is one generated key with its certificate.
type identity struct {
	key  *rsa.PrivateKey
	cert *x509.Certificate
}

// pki holds every key and certificate one server uses. It is built once by NewServer and then only
// read, except the encryption identity, which RotateEncryptionCert replaces under the server lock.
type pki struct {
	root, middle identity
	signing      identity // UnionPay's response-signing certificate
	expired      identity // same key as signing, validity over
	wrongName    identity // same key as signing, owner not UnionPay
	encryption   identity // UnionPay's encryption certificate (current)
	merchant     identity // the test merchant's signing certificate
	sigAlg       x509.SignatureAlgorithm
	now          time.Time
}

// Keys is the set of RSA keys a gateway uses: root, middle, signing, encryption and merchant.
// Generating them takes most of NewServer's time; tests that start many servers can generate one
// Keys and share it with WithKeys (certificates are still made per server). A Keys is immutable and
// safe for concurrent use. Make it with NewKeys: the zero value is not usable.
type Keys struct {
	root, middle, signing, encryption, merchant *rsa.PrivateKey
}

// NewKeys generates a set of 2048-bit RSA keys.
func NewKeys() (*Keys, error) {
	var ks [5]*rsa.PrivateKey
	for i := range ks {
		k, err := rsa.GenerateKey(rand.Reader, 2048)
		if err != nil {
			return nil, fmt.Errorf("unionpaytest: generate key: %w", err)
		}
		ks[i] = k
	}
	return &Keys{root: ks[0], middle: ks[1], signing: ks[2], encryption: ks[3], merchant: ks[4]}, nil
}

// newPKI makes the root, middle, signing, encryption and merchant identities, valid at now, with
// keys (nil: fresh keys).
func newPKI(now time.Time, sha1 bool, merchantID string, keys *Keys) (*pki, error) {
	if keys == nil {
		var err error
		if keys, err = NewKeys(); err != nil {
			return nil, err
		}
	}
	if keys.root == nil || keys.middle == nil || keys.signing == nil || keys.encryption == nil || keys.merchant == nil {
		return nil, errors.New("unionpaytest: WithKeys: a Keys not made by NewKeys")
	}
	p := &pki{sigAlg: x509.SHA256WithRSA, now: now}
	if sha1 {
		p.sigAlg = x509.SHA1WithRSA
	}
	var err error
	if p.root, err = p.issue(keys.root, nil, serialRoot, caName("unionpaytest Root CA"), true, now); err != nil {
		return nil, err
	}
	if p.middle, err = p.issue(keys.middle, &p.root, serialMiddle, caName("unionpaytest OCA1"), true, now); err != nil {
		return nil, err
	}
	if p.signing, err = p.issue(keys.signing, &p.middle, serialSigning, leafName(SigningCN), false, now); err != nil {
		return nil, err
	}
	if p.encryption, err = p.issue(keys.encryption, &p.middle, serialEncryption, leafName(EncryptionCN), false, now); err != nil {
		return nil, err
	}
	merchantCN := fmt.Sprintf("041@Z2014-11-11@%s:SIGN@00000002", merchantID)
	if p.merchant, err = p.issue(keys.merchant, &p.middle, serialMerchant, leafName(merchantCN), false, now); err != nil {
		return nil, err
	}
	// The faulty signing certificates reuse the signing key: only the certificate is wrong.
	expiredAt := now.Add(-2 * 365 * 24 * time.Hour)
	if p.expired, err = p.reissue(p.signing.key, serialExpired, leafName(SigningCN), expiredAt); err != nil {
		return nil, err
	}
	if p.wrongName, err = p.reissue(p.signing.key, serialWrongName, leafName(WrongOwnerCN), now); err != nil {
		return nil, err
	}
	return p, nil
}

func caName(cn string) pkix.Name {
	return pkix.Name{Country: []string{"CN"}, Organization: []string{"unionpaytest"}, CommonName: cn}
}

func leafName(cn string) pkix.Name {
	return pkix.Name{
		Country:            []string{"cn"},
		Organization:       []string{"unionpaytest OCA1"},
		OrganizationalUnit: []string{"Local RA OCA1", "Enterprises"},
		CommonName:         cn,
	}
}

// issue certifies key, issued by parent (nil: self-signed), valid from a day before now for ten
// years (CAs) or five years (leaves).
func (p *pki) issue(key *rsa.PrivateKey, parent *identity, serial int64, name pkix.Name, ca bool, now time.Time) (identity, error) {
	years := 5
	if ca {
		years = 10
	}
	tpl := &x509.Certificate{
		SerialNumber:       big.NewInt(serial),
		Subject:            name,
		NotBefore:          now.Add(-24 * time.Hour),
		NotAfter:           now.AddDate(years, 0, 0),
		SignatureAlgorithm: p.sigAlg,
	}
	if ca {
		tpl.IsCA, tpl.BasicConstraintsValid = true, true
		tpl.KeyUsage = x509.KeyUsageCertSign | x509.KeyUsageCRLSign
		tpl.MaxPathLenZero = parent != nil
	} else {
		tpl.KeyUsage = x509.KeyUsageDigitalSignature | x509.KeyUsageContentCommitment |
			x509.KeyUsageKeyEncipherment | x509.KeyUsageDataEncipherment
	}
	issuerCert, issuerKey := tpl, key
	if parent != nil {
		issuerCert, issuerKey = parent.cert, parent.key
	}
	c, err := p.create(tpl, issuerCert, &key.PublicKey, issuerKey)
	if err != nil {
		return identity{}, err
	}
	return identity{key: key, cert: c}, nil
}

// reissue certifies an existing key under the middle CA, valid for a year from notBefore.
func (p *pki) reissue(key *rsa.PrivateKey, serial int64, name pkix.Name, notBefore time.Time) (identity, error) {
	tpl := &x509.Certificate{
		SerialNumber:       big.NewInt(serial),
		Subject:            name,
		NotBefore:          notBefore,
		NotAfter:           notBefore.AddDate(1, 0, 0),
		SignatureAlgorithm: p.sigAlg,
		KeyUsage:           x509.KeyUsageDigitalSignature | x509.KeyUsageContentCommitment,
	}
	c, err := p.create(tpl, p.middle.cert, &key.PublicKey, p.middle.key)
	if err != nil {
		return identity{}, err
	}
	return identity{key: key, cert: c}, nil
}

func (p *pki) create(tpl, parent *x509.Certificate, pub crypto.PublicKey, priv crypto.Signer) (*x509.Certificate, error) {
	der, err := x509.CreateCertificate(rand.Reader, tpl, parent, pub, priv)
	if err != nil {
		return nil, fmt.Errorf("unionpaytest: create certificate %s: %w", tpl.Subject.CommonName, err)
	}
	c, err := x509.ParseCertificate(der)
	if err != nil {
		return nil, fmt.Errorf("unionpaytest: parse certificate: %w", err)
	}
	return c, nil
}

// newEncryption generates a fresh encryption identity (used by RotateEncryptionCert).
func (p *pki) newEncryption(n int) (identity, error) {
	key, err := rsa.GenerateKey(rand.Reader, 2048)
	if err != nil {
		return identity{}, fmt.Errorf("unionpaytest: generate key: %w", err)
	}
	return p.issue(key, &p.middle, serialRotated+int64(n), leafName(EncryptionCN), false, p.now)
}

// certID returns the decimal serial number of c, UnionPay's certId.
func certID(c *x509.Certificate) string { return c.SerialNumber.String() }

// pemLF returns the PEM encoding of c with LF line ends and a final newline (files).
func pemLF(c *x509.Certificate) []byte {
	return pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: c.Raw})
}

// pemCRLF returns the PEM of c the way UnionPay puts it into signPubKeyCert and encryptPubKeyCert:
// CRLF line ends and no final line break.
func pemCRLF(c *x509.Certificate) string {
	s := strings.TrimRight(string(pemLF(c)), "\n")
	return strings.ReplaceAll(s, "\n", "\r\n")
}

// RootPEM returns the PEM encoding of the fake gateway's root certificate (the trust anchor a
// verifier needs).
func (s *Server) RootPEM() []byte { return pemLF(s.pki.root.cert) }

// MiddlePEM returns the PEM encoding of the fake gateway's intermediate certificate.
func (s *Server) MiddlePEM() []byte { return pemLF(s.pki.middle.cert) }

// SigningPEM returns the PEM encoding of the gateway's response-signing certificate.
func (s *Server) SigningPEM() []byte { return pemLF(s.pki.signing.cert) }

// SigningCertificate returns UnionPay's (fake) response-signing certificate.
func (s *Server) SigningCertificate() *x509.Certificate { return s.pki.signing.cert }

// EncryptionCertificate returns the gateway's current encryption certificate (the one txnType 95
// hands out).
func (s *Server) EncryptionCertificate() *x509.Certificate {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.pki.encryption.cert
}

// EncryptionPEM returns the PEM encoding of the gateway's current encryption certificate.
func (s *Server) EncryptionPEM() []byte { return pemLF(s.EncryptionCertificate()) }

// MerchantCertificate returns the test merchant's RSA signing certificate (also on a gateway made
// WithSM2, whose Config uses SM2MerchantCertificate; so do MerchantKey, MerchantCertID,
// MerchantPFX and MerchantSigner).
func (s *Server) MerchantCertificate() *x509.Certificate { return s.pki.merchant.cert }

// MerchantKey returns the test merchant's RSA private key.
func (s *Server) MerchantKey() *rsa.PrivateKey { return s.pki.merchant.key }

// MerchantCertID returns the certId of the test merchant's RSA signing certificate.
func (s *Server) MerchantCertID() string { return certID(s.pki.merchant.cert) }

// MerchantPFX returns the test merchant's key and certificate (with the middle and root
// certificates) as a PKCS#12 file protected by password, in the legacy format of the PFX files
// UnionPay issues (3DES, SHA-1 MAC): UnionPay's own Java SDK, with the BouncyCastle it ships,
// reads no other, and OpenSSL 3 and Python read it too.
func (s *Server) MerchantPFX(password string) ([]byte, error) {
	ca := []*x509.Certificate{s.pki.middle.cert, s.pki.root.cert}
	data, err := pkcs12.LegacyDES.Encode(s.pki.merchant.key, s.pki.merchant.cert, ca, password)
	if err != nil {
		return nil, fmt.Errorf("unionpaytest: encode PFX: %w", err)
	}
	return data, nil
}

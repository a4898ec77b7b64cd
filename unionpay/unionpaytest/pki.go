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
	// RotateSigningCert and RotateRoot: a base plus the rotation count (shared with
	// RotateEncryptionCert), so that no two certificates of one server share a certId.
	serialRootRotated      = 1000000
	serialMiddleRotated    = 2000000
	serialSigningRotated   = 70001000000
	serialExpiredRotated   = 70002000000
	serialWrongNameRotated = 70003000000
)

// identity is one generated key with its certificate.
type identity struct {
	key  *rsa.PrivateKey
	cert *x509.Certificate
}

// pki holds every key and certificate one server uses. It is built once by NewServer. The
// rotations (RotateEncryptionCert, RotateSigningCert, RotateRoot) then replace UnionPay's
// identities (root, middle, signing, expired, wrongName, encryption) and add to retired, under
// the server lock; merchant, merchantCA, sigAlg and now never change.
type pki struct {
	root, middle identity
	signing      identity            // UnionPay's response-signing certificate
	expired      identity            // same key as signing, validity over
	wrongName    identity            // same key as signing, owner not UnionPay
	encryption   identity            // UnionPay's encryption certificate (current)
	merchant     identity            // the test merchant's signing certificate
	merchantCA   []*x509.Certificate // the middle and root that issued merchant (NewServer's)
	retired      []*x509.Certificate // signing certificates rotated out, oldest first
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
		k, err := newKey()
		if err != nil {
			return nil, err
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
	p.merchantCA = []*x509.Certificate{p.middle.cert, p.root.cert}
	if p.expired, p.wrongName, err = p.faulty(p.signing.key, &p.middle, serialExpired, serialWrongName); err != nil {
		return nil, err
	}
	return p, nil
}

// faulty issues, under middle, the certificates the signing faults use: key under an expired
// certificate and under one whose owner is not UnionPay (the key is right, only the certificate
// is wrong).
func (p *pki) faulty(key *rsa.PrivateKey, middle *identity, expiredSerial, wrongNameSerial int64) (expired, wrongName identity, err error) {
	expiredAt := p.now.Add(-2 * 365 * 24 * time.Hour)
	if expired, err = p.reissue(key, middle, expiredSerial, leafName(SigningCN), expiredAt); err != nil {
		return identity{}, identity{}, err
	}
	if wrongName, err = p.reissue(key, middle, wrongNameSerial, leafName(WrongOwnerCN), p.now); err != nil {
		return identity{}, identity{}, err
	}
	return expired, wrongName, nil
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

// reissue certifies an existing key under middle, valid for a year from notBefore.
func (p *pki) reissue(key *rsa.PrivateKey, middle *identity, serial int64, name pkix.Name, notBefore time.Time) (identity, error) {
	tpl := &x509.Certificate{
		SerialNumber:       big.NewInt(serial),
		Subject:            name,
		NotBefore:          notBefore,
		NotAfter:           notBefore.AddDate(1, 0, 0),
		SignatureAlgorithm: p.sigAlg,
		KeyUsage:           x509.KeyUsageDigitalSignature | x509.KeyUsageContentCommitment,
	}
	c, err := p.create(tpl, middle.cert, &key.PublicKey, middle.key)
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

// newKey generates a 2048-bit RSA key.
func newKey() (*rsa.PrivateKey, error) {
	key, err := rsa.GenerateKey(rand.Reader, 2048)
	if err != nil {
		return nil, fmt.Errorf("unionpaytest: generate key: %w", err)
	}
	return key, nil
}

// rotatedAt is the time the n-th rotation issues its certificates at (their NotBefore a day
// before it, as the ones issued at the start): the server's start plus n seconds, whatever its
// clock reads at the rotation, so that a rotated certificate is always newer than the one it
// replaces, as UnionPay's are (a verifier's newest signing certificate seen, cert.RoleSeenSigning,
// goes by NotBefore), and never dated after a clock that has not moved.
func (p *pki) rotatedAt(n int64) time.Time { return p.now.Add(time.Duration(n) * time.Second) }

// newLeaf generates a fresh key and certifies it under middle for the n-th rotation
// (RotateEncryptionCert, RotateSigningCert, RotateRoot).
func (p *pki) newLeaf(middle *identity, serial int64, cn string, n int64) (identity, error) {
	key, err := newKey()
	if err != nil {
		return identity{}, err
	}
	return p.issue(key, middle, serial, leafName(cn), false, p.rotatedAt(n))
}

// newCA generates a fresh key and certifies it as a CA under parent, or as a self-signed root
// when parent is nil, for the n-th rotation (RotateRoot).
func (p *pki) newCA(parent *identity, serial int64, cn string, n int64) (identity, error) {
	key, err := newKey()
	if err != nil {
		return identity{}, err
	}
	return p.issue(key, parent, serial, caName(cn), true, p.rotatedAt(n))
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

// current returns the identity pick chooses, read under the server lock (a rotation may replace
// it).
func (s *Server) current(pick func(*pki) identity) identity {
	s.mu.Lock()
	defer s.mu.Unlock()
	return pick(s.pki)
}

// RootPEM returns the PEM encoding of the fake gateway's current root certificate (the trust
// anchor a verifier needs; [Server.RotateRoot] replaces it).
func (s *Server) RootPEM() []byte {
	return pemLF(s.current(func(p *pki) identity { return p.root }).cert)
}

// MiddlePEM returns the PEM encoding of the fake gateway's current intermediate certificate.
func (s *Server) MiddlePEM() []byte {
	return pemLF(s.current(func(p *pki) identity { return p.middle }).cert)
}

// SigningPEM returns the PEM encoding of the gateway's current response-signing certificate.
func (s *Server) SigningPEM() []byte { return pemLF(s.SigningCertificate()) }

// SigningCertificate returns UnionPay's (fake) current response-signing certificate
// ([Server.RotateSigningCert] and [Server.RotateRoot] replace it).
func (s *Server) SigningCertificate() *x509.Certificate {
	return s.current(func(p *pki) identity { return p.signing }).cert
}

// EncryptionCertificate returns the gateway's current RSA encryption certificate (the one txnType
// 95 signed with RSA hands out; see [Server.SM2EncryptionCertificate] for SM2).
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
// certificates that issued it, NewServer's, whatever [Server.RotateRoot] did since) as a PKCS#12
// file protected by password, in the legacy format of the PFX files UnionPay issues (3DES, SHA-1
// MAC): UnionPay's own Java SDK, with the BouncyCastle it ships, reads no other, and OpenSSL 3 and
// Python read it too.
func (s *Server) MerchantPFX(password string) ([]byte, error) {
	ca := s.pki.merchantCA
	data, err := pkcs12.LegacyDES.Encode(s.pki.merchant.key, s.pki.merchant.cert, ca, password)
	if err != nil {
		return nil, fmt.Errorf("unionpaytest: encode PFX: %w", err)
	}
	return data, nil
}

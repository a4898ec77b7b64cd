package unionpaytest

import (
	"crypto/ecdsa"
	"crypto/rand"
	"crypto/x509"
	"crypto/x509/pkix"
	"errors"
	"fmt"
	"math/big"
	"time"

	"github.com/emmansun/gmsm/sm2"
	"github.com/emmansun/gmsm/smx509"

	"github.com/goacp/unionpay/cert"
	"github.com/goacp/unionpay/sign"
)

// WithSM2 makes the test merchant a 国密 (SM2) merchant, as UnionPay's gm SDK configures one: the
// gateway generates a second PKI with SM2 keys and SM2-with-SM3 certificates (root, middle,
// signing, encryption and the merchant's certificate), accepts requests signed with signMethod 21
// by the merchant's SM2 key, answers and notifies them with signMethod 21, and encrypts and
// decrypts sensitive fields with SM2 (04||X||Y||C3||C2). [Server.Config] then hands out the
// merchant's SM2 signer, an encrypter for the SM2 encryption certificate and a decrypter with the
// merchant's SM2 key, and [Server.VerifierConfig] trusts the SM2 chain (SM2Root, SM2Middle,
// SM2Certs) besides the RSA one. Requests signed with other methods are still answered with those
// methods; txnType 95 signed with SM2 returns the SM2 encryption certificate.
func WithSM2() Option { return func(o *options) { o.sm2 = true } }

// Serial numbers of the SM2 certificates.
const (
	serialSM2Root       = 2001
	serialSM2Middle     = 2002
	serialSM2Signing    = 71000000001
	serialSM2Encryption = 71000000002
	serialSM2Merchant   = 71000000003
	serialSM2Expired    = 71000000004
	serialSM2WrongName  = 71000000005
	serialSM2Rotated    = 71000000100 // plus the rotation count
	// RotateSigningCert and RotateRoot, as for RSA.
	serialSM2RootRotated      = 3000000
	serialSM2MiddleRotated    = 4000000
	serialSM2SigningRotated   = 71001000000
	serialSM2ExpiredRotated   = 71002000000
	serialSM2WrongNameRotated = 71003000000
)

// sm2Identity is one generated SM2 key with its certificate.
type sm2Identity struct {
	key  *sm2.PrivateKey
	cert *x509.Certificate
}

// sm2PKI is the SM2 side of a server started WithSM2. After NewServer the rotations replace
// UnionPay's identities (all but merchant) and add to encKeys and retired, under the server's mu.
type sm2PKI struct {
	root, middle, signing, encryption, merchant sm2Identity
	encKeys                                     map[string]*sm2.PrivateKey // encryption keys by certId, current and rotated out
	expired                                     sm2Identity                // the signing key under an expired certificate ([FaultExpiredCert])
	wrongName                                   sm2Identity                // the signing key under a certificate not owned by UnionPay ([FaultWrongName])
	retired                                     []*x509.Certificate        // signing certificates rotated out, oldest first
}

func newSM2PKI(now time.Time, merchantID string) (*sm2PKI, error) {
	p := &sm2PKI{}
	from := now.Add(-24 * time.Hour)
	var err error
	if p.root, err = issueSM2(nil, nil, serialSM2Root, caName("unionpaytest SM2 Root CA"), true, from, 10); err != nil {
		return nil, err
	}
	if p.middle, err = issueSM2(&p.root, nil, serialSM2Middle, caName("unionpaytest SM2 OCA1"), true, from, 10); err != nil {
		return nil, err
	}
	leaf := func(serial int64, cn string) (sm2Identity, error) {
		return issueSM2(&p.middle, nil, serial, leafName(cn), false, from, 5)
	}
	if p.signing, err = leaf(serialSM2Signing, SigningCN); err != nil {
		return nil, err
	}
	if p.encryption, err = leaf(serialSM2Encryption, EncryptionCN); err != nil {
		return nil, err
	}
	p.encKeys = map[string]*sm2.PrivateKey{certID(p.encryption.cert): p.encryption.key}
	if p.merchant, err = leaf(serialSM2Merchant, fmt.Sprintf("041@Z2014-11-11@%s:SIGN@00000002", merchantID)); err != nil {
		return nil, err
	}
	if p.expired, p.wrongName, err = sm2Faulty(&p.middle, p.signing.key, serialSM2Expired, serialSM2WrongName, now); err != nil {
		return nil, err
	}
	return p, nil
}

// sm2Faulty issues, under middle, the certificates the SM2 signing faults use: key under an
// expired certificate and under one not owned by UnionPay (only the certificate is wrong).
func sm2Faulty(middle *sm2Identity, key *sm2.PrivateKey, expiredSerial, wrongNameSerial int64, now time.Time) (expired, wrongName sm2Identity, err error) {
	if expired, err = issueSM2(middle, key, expiredSerial, leafName(SigningCN), false, now.Add(-2*365*24*time.Hour), 1); err != nil {
		return sm2Identity{}, sm2Identity{}, err
	}
	if wrongName, err = issueSM2(middle, key, wrongNameSerial, leafName(WrongOwnerCN), false, now.Add(-24*time.Hour), 1); err != nil {
		return sm2Identity{}, sm2Identity{}, err
	}
	return expired, wrongName, nil
}

// issueSM2 certifies key (a fresh SM2 key if nil), issued by parent (nil: self-signed), valid
// from notBefore for years.
func issueSM2(parent *sm2Identity, key *sm2.PrivateKey, serial int64, name pkix.Name, ca bool, notBefore time.Time,
	years int) (sm2Identity, error) {
	if key == nil {
		var err error
		if key, err = sm2.GenerateKey(rand.Reader); err != nil {
			return sm2Identity{}, fmt.Errorf("unionpaytest: generate SM2 key: %w", err)
		}
	}
	usage := x509.KeyUsageDigitalSignature | x509.KeyUsageContentCommitment | x509.KeyUsageKeyEncipherment | x509.KeyUsageDataEncipherment
	if ca {
		usage = x509.KeyUsageCertSign | x509.KeyUsageCRLSign
	}
	tpl := &x509.Certificate{
		SerialNumber: big.NewInt(serial), Subject: name, NotBefore: notBefore,
		NotAfter: notBefore.AddDate(years, 0, 0), KeyUsage: usage, BasicConstraintsValid: true, IsCA: ca,
	}
	parentCert, parentKey := tpl, key
	if parent != nil {
		parentCert, parentKey = parent.cert, parent.key
	}
	der, err := smx509.CreateCertificate(rand.Reader, tpl, parentCert, &key.PublicKey, parentKey)
	if err != nil {
		return sm2Identity{}, fmt.Errorf("unionpaytest: create SM2 certificate: %w", err)
	}
	c, err := cert.ParseSM2Certificate(der)
	if err != nil {
		return sm2Identity{}, fmt.Errorf("unionpaytest: %w", err)
	}
	return sm2Identity{key: key, cert: c}, nil
}

// SM2 reports whether the server was started WithSM2.
func (s *Server) SM2() bool { return s.sm2 != nil }

// SM2RootCertificate returns the SM2 root certificate of a server started WithSM2, nil otherwise
// (so do SM2MiddleCertificate, SM2SigningCertificate, SM2EncryptionCertificate and
// SM2MerchantCertificate, for theirs).
func (s *Server) SM2RootCertificate() *x509.Certificate {
	return s.sm2Cert(func(p *sm2PKI) sm2Identity { return p.root })
}

// SM2MiddleCertificate returns the SM2 middle certificate (see [Server.SM2RootCertificate]).
func (s *Server) SM2MiddleCertificate() *x509.Certificate {
	return s.sm2Cert(func(p *sm2PKI) sm2Identity { return p.middle })
}

// SM2SigningCertificate returns the gateway's SM2 signing certificate.
func (s *Server) SM2SigningCertificate() *x509.Certificate {
	return s.sm2Cert(func(p *sm2PKI) sm2Identity { return p.signing })
}

// SM2EncryptionCertificate returns the gateway's SM2 encryption certificate.
func (s *Server) SM2EncryptionCertificate() *x509.Certificate {
	return s.sm2Cert(func(p *sm2PKI) sm2Identity { return p.encryption })
}

// SM2MerchantCertificate returns the test merchant's SM2 signing certificate.
func (s *Server) SM2MerchantCertificate() *x509.Certificate {
	return s.sm2Cert(func(p *sm2PKI) sm2Identity { return p.merchant })
}

// SM2MerchantKey returns the test merchant's SM2 private key (what its .sm2 file,
// [Server.MerchantSM2File], holds).
func (s *Server) SM2MerchantKey() *sm2.PrivateKey {
	if s.sm2 == nil {
		return nil
	}
	return s.sm2.merchant.key
}

// MerchantSM2File returns the test merchant's SM2 key and certificate (those of
// [Server.SM2MerchantKey] and [Server.SM2MerchantCertificate]) as a CFCA .sm2 file protected by
// password, the 国密 counterpart of [Server.MerchantPFX], written by [cert.MarshalSM2]: as
// UnionPay's gm SDK reads acp_*_sign.sm2 (acpsdk.sm2.signCert.path) and [cert.LoadSM2] decodes it.
// The file holds the merchant's certificate alone, as CFCA's do. A server not started WithSM2 has no
// SM2 merchant: that is an error.
func (s *Server) MerchantSM2File(password string) ([]byte, error) {
	if s.sm2 == nil {
		return nil, errors.New("unionpaytest: the server was not started WithSM2: it has no SM2 merchant")
	}
	b, err := cert.MarshalSM2(&cert.SM2Credential{Key: s.sm2.merchant.key, Certificate: s.sm2.merchant.cert}, password)
	if err != nil {
		return nil, fmt.Errorf("unionpaytest: %w", err)
	}
	return b, nil
}

func (s *Server) sm2Cert(pick func(*sm2PKI) sm2Identity) *x509.Certificate {
	if s.sm2 == nil {
		return nil
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	return pick(s.sm2).cert
}

// rotateSM2Encryption replaces the SM2 encryption certificate with a new one (new key), the
// n-th; the previous keys still decrypt. Like every certificate a rotation issues it is dated
// from the server's start (n seconds after it, pki.rotatedAt), not from its clock at the
// rotation. Callers hold s.rotMu.
func (s *Server) rotateSM2Encryption(n int64) error {
	if s.sm2 == nil {
		return nil
	}
	id, err := issueSM2(&s.sm2.middle, nil, serialSM2Rotated+n, leafName(EncryptionCN), false,
		s.pki.rotatedAt(n).Add(-24*time.Hour), 5)
	if err != nil {
		return err
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	s.sm2.encryption = id
	s.sm2.encKeys[certID(id.cert)] = id.key
	return nil
}

// SM2MerchantSigner returns a signMethod 21 signer for the test merchant of a server started
// WithSM2, holding its certificate.
func (s *Server) SM2MerchantSigner() (*sign.SM2Signer, error) {
	if s.sm2 == nil {
		return nil, fmt.Errorf("unionpaytest: the server was not started WithSM2")
	}
	sg, err := sign.NewSM2Signer(s.sm2.merchant.key, certID(s.sm2.merchant.cert))
	if err != nil {
		return nil, err
	}
	return sg.WithCertificate(s.sm2.merchant.cert)
}

// sm2Config fills the merchant's SM2 signer and encrypter into cfg (Decrypter gives the SM2
// decrypter itself).
func (s *Server) sm2Config(signer *sign.Signer, enc **cert.Encrypter) {
	if sg, err := s.SM2MerchantSigner(); err == nil {
		*signer = sg
	}
	if e, err := cert.NewEncrypter(s.SM2EncryptionCertificate()); err == nil {
		*enc = e
	}
}

// sm2Trust sets the SM2 part of a verifier configuration: the SM2 root and middle (5.1.0) and
// the SM2 signing certificates by certId (5.0.0). Callers hold s.mu.
func (s *Server) sm2Trust(cfg *cert.VerifierConfig) {
	cfg.SM2Root, cfg.SM2Middle = s.sm2.root.cert, s.sm2.middle.cert
	cfg.SM2Certs = append(append([]*x509.Certificate(nil), s.sm2.retired...), s.sm2.signing.cert, s.sm2.expired.cert) // as LegacyCerts
}

// checkSM2 verifies a signMethod 21 request: certId must be the merchant's SM2 certificate.
func (s *Server) checkSM2(f sign.Fields, canonical []byte) (*rejection, error) {
	if s.sm2 == nil {
		return violation(CodeBadSignature, "signMethod 21 not enabled for this merchant (start the server WithSM2)"), nil
	}
	if id := certID(s.sm2.merchant.cert); f["certId"] != id {
		return violation(CodeBadSignature, "certId %q is not the merchant's SM2 certificate (%s)", f["certId"], id), nil
	}
	return nil, sign.VerifySM2(s.sm2.merchant.cert.PublicKey.(*ecdsa.PublicKey), f["certId"], canonical, f["signature"])
}

// signSM2 signs f as UnionPay's gm gateway: 5.1.0 with the SM2 signing certificate in
// signPubKeyCert, 5.0.0 with its certId. FaultWrongKey signs with another key; FaultExpiredCert
// and FaultWrongName sign with the signing key under an expired or wrongly owned certificate, as
// for RSA.
func (s *Server) signSM2(f sign.Fields, fault Fault) error {
	s.mu.Lock() // a rotation may replace the signing identities
	key, c := s.sm2.signing.key, s.sm2.signing.cert
	switch fault {
	case FaultWrongKey:
		key = s.sm2.merchant.key
	case FaultExpiredCert:
		c = s.sm2.expired.cert
	case FaultWrongName:
		c = s.sm2.wrongName.cert
	}
	s.mu.Unlock()
	sg, err := sign.NewSM2Signer(key, certID(c))
	if err != nil {
		return fmt.Errorf("unionpaytest: %w", err)
	}
	if f["version"] == sign.Version500 {
		return sign.Sign(sg, f)
	}
	f["signPubKeyCert"] = pemCRLF(c)
	return sign.Sign(certless{sg}, f)
}

// sm2EncryptForMerchant encrypts plain to the merchant's SM2 certificate.
func (s *Server) sm2EncryptForMerchant(plain string) (string, error) {
	e, err := cert.NewEncrypter(s.sm2.merchant.cert)
	if err != nil {
		return "", fmt.Errorf("unionpaytest: %w", err)
	}
	return e.Encrypt(plain)
}

// sm2DecryptSensitive decrypts a field encrypted to one of the gateway's SM2 encryption
// certificates (the current one or one replaced by RotateEncryptionCert); ok reports whether
// encryptCertID names one. Callers hold s.mu.
func (s *Server) sm2DecryptSensitive(b64, encryptCertID string) (plain string, ok bool, err error) {
	if s.sm2 == nil || s.sm2.encKeys[encryptCertID] == nil {
		return "", false, nil
	}
	d, err := cert.NewDecrypter(s.sm2.encKeys[encryptCertID])
	if err == nil {
		plain, err = d.Decrypt(b64)
	}
	return plain, true, err
}

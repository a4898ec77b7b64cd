package sign

import (
	"crypto"
	"crypto/rand"
	"crypto/rsa"
	"crypto/sha256"
	"crypto/x509"
	"encoding/base64"
	"errors"
	"fmt"

	"github.com/goacp/unionpay/internal/verifycore"
)

// RSASigner signs with signMethod 01 using any crypto.Signer whose public
// key is RSA, so a key held in an HSM or a cloud KMS works as well as one
// loaded from a PFX file. It is safe for concurrent use if the key is.
//
// The zero value is not usable: use [NewRSASigner]. A zero or nil
// *RSASigner returns an error from its Sign method (and from the package's
// [Sign] and [CheckSigner]) and "" from Method and CertID; it never panics.
type RSASigner struct {
	key    crypto.Signer
	certID string
	cert   *x509.Certificate // optional: see WithCertificate
}

// NewRSASigner returns a signer for key, which sends certID (the decimal
// serial number of the merchant's signing certificate). A nil key, including
// a nil pointer such as (*rsa.PrivateKey)(nil), is an error.
func NewRSASigner(key crypto.Signer, certID string) (*RSASigner, error) {
	pub, err := publicKey("RSA signer", key)
	if err != nil {
		return nil, err
	}
	rsaPub, ok := pub.(*rsa.PublicKey)
	if !ok {
		return nil, fmt.Errorf("sign: RSA signer: key is %T, not RSA", pub)
	}
	if rsaPub.N == nil || rsaPub.N.Sign() <= 0 {
		return nil, errors.New("sign: RSA signer: key has no modulus")
	}
	if certID == "" {
		return nil, errors.New("sign: RSA signer: certID is empty")
	}
	for i := 0; i < len(certID); i++ {
		if certID[i] < '0' || certID[i] > '9' {
			return nil, fmt.Errorf("sign: RSA signer: certID %q is not a decimal serial number", certID)
		}
	}
	return &RSASigner{key: key, certID: certID}, nil
}

// Method returns [MethodRSA], or "" if s is not usable (nil or zero).
func (s *RSASigner) Method() string {
	if s.check() != nil {
		return ""
	}
	return MethodRSA
}

// CertID returns the certId sent with each message, or "" if s is not
// usable (nil or zero).
func (s *RSASigner) CertID() string {
	if s.check() != nil {
		return ""
	}
	return s.certID
}

// Public returns the signer's RSA public key, or nil if s is not usable
// (nil or zero).
func (s *RSASigner) Public() *rsa.PublicKey {
	if s.check() != nil {
		return nil
	}
	pub, _ := s.key.Public().(*rsa.PublicKey)
	return pub
}

// check reports whether s was made by NewRSASigner.
func (s *RSASigner) check() error {
	if s == nil || s.key == nil {
		return errors.New("sign: RSASigner is not initialised: use NewRSASigner")
	}
	return nil
}

// Sign returns base64(RSASSA-PKCS1-v1_5(H(hex(H(canonical))))), with H =
// SHA-256 for version 5.1.0 and SHA-1 for 5.0.0, 5.0.1 and 1.0.0.
func (s *RSASigner) Sign(version string, canonical []byte) (string, error) {
	if err := s.check(); err != nil {
		return "", err
	}
	h, err := verifycore.RSAHash(version)
	if err != nil {
		return "", err
	}
	var d [sha256.Size]byte
	digest := verifycore.RSADigest(h, verifycore.Whole(canonical), &d)
	sig, err := s.key.Sign(rand.Reader, digest, h)
	if err != nil {
		return "", fmt.Errorf("sign: RSA signing: %w", err)
	}
	return base64.StdEncoding.EncodeToString(sig), nil
}

// VerifyRSA checks a signMethod 01 signature made over canonical for a
// message of the given version with the key whose public half is pub.
// Failures match [ErrSignature].
func VerifyRSA(pub *rsa.PublicKey, version string, canonical []byte, signature string) error {
	return verifycore.RSA(pub, version, verifycore.Whole(canonical), signature)
}

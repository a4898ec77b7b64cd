package sign

import (
	"crypto"
	"crypto/rand"
	"crypto/rsa"
	"crypto/sha1"
	"crypto/sha256"
	"crypto/x509"
	"encoding/base64"
	"encoding/hex"
	"errors"
	"fmt"
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
	h, err := rsaHash(version)
	if err != nil {
		return "", err
	}
	var d [sha256.Size]byte
	digest := hexDigest(h, canonical, &d)
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
	if pub == nil {
		return errors.New("sign: VerifyRSA: nil public key")
	}
	h, err := rsaHash(version)
	if err != nil {
		return err
	}
	// Signatures of up to maxRSASignature bytes (RSA-4096) are decoded on
	// the stack; Decode writes up to DecodedLen bytes, so the length is
	// checked first (a longer signature overran buf and panicked).
	var src [(maxRSASignature + 2) / 3 * 4]byte
	var buf [maxRSASignature + 2]byte
	if len(signature) > len(src) {
		return verifyError("signature is not base64 of an RSA signature")
	}
	n, err := base64.StdEncoding.Decode(buf[:], src[:copy(src[:], signature)])
	if err != nil {
		return verifyError("signature is not base64 of an RSA signature")
	}
	var d [sha256.Size]byte
	if err := rsa.VerifyPKCS1v15(pub, h, hexDigest(h, canonical, &d), buf[:n]); err != nil {
		return verifyError("RSA (version %s)", version)
	}
	return nil
}

// maxRSASignature is the largest RSA signature VerifyRSA decodes, in bytes
// (RSA-4096).
const maxRSASignature = 512

// rsaHash returns the hash of signMethod 01 for a version.
func rsaHash(version string) (crypto.Hash, error) {
	switch version {
	case Version510:
		return crypto.SHA256, nil
	case Version500, "5.0.1", "1.0.0":
		return crypto.SHA1, nil
	}
	return 0, fmt.Errorf("sign: version %q has no RSA signature method", version)
}

// hexDigest returns H(hex(H(msg))), the digest the RSA layer signs, in
// out.
func hexDigest(h crypto.Hash, msg []byte, out *[sha256.Size]byte) []byte {
	var hexBuf [2 * sha256.Size]byte
	if h == crypto.SHA1 {
		s := sha1.Sum(msg)
		hex.Encode(hexBuf[:], s[:])
		s = sha1.Sum(hexBuf[:2*sha1.Size])
		return out[:copy(out[:], s[:])]
	}
	s := sha256.Sum256(msg)
	hex.Encode(hexBuf[:], s[:])
	*out = sha256.Sum256(hexBuf[:])
	return out[:]
}

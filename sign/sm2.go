package sign

import (
	"crypto"
	"crypto/ecdsa"
	"crypto/rand"
	"crypto/x509"
	"encoding/base64"
	"errors"
	"fmt"
	"sync/atomic"

	"github.com/emmansun/gmsm/sm2"
	"github.com/emmansun/gmsm/sm3"
	"golang.org/x/crypto/cryptobyte"
	cbasn1 "golang.org/x/crypto/cryptobyte/asn1"

	"github.com/goacp/unionpay/internal/verifycore"
)

// SM2Signer signs with signMethod 21 (国密 SM2 certificate) using any
// crypto.Signer whose public key is an SM2 key (*ecdsa.PublicKey on
// gmsm's sm2.P256 curve), so that a key held in a hardware security module,
// as UnionPay expects for production SM2 keys, works as well as a
// *sm2.PrivateKey read from a CFCA .sm2 file.
//
// The key's Sign method is called the way gmsm's *sm2.PrivateKey expects:
// with the message itself (not a digest) and an *sm2.SM2SignerOption whose
// ForceGMSign is true and whose UID is the certId, so that the key computes
// e = SM3(Z_A || message) with Z_A over that user ID (GB/T 32918.2). It must
// return the signature as an ASN.1 SEQUENCE of r and s, as crypto.Signer
// implementations for elliptic curves do. An HSM wrapper must honour the
// option's UID; a signer that ignores it and uses the default ID
// 1234567812345678 produces signatures UnionPay rejects.
//
// An SM2Signer is safe for concurrent use if the key is.
//
// The zero value is not usable: use [NewSM2Signer]. A zero or nil *SM2Signer
// returns an error from its Sign method (and from the package's [Sign] and
// [CheckSigner]) and "" from Method and CertID; it never panics.
type SM2Signer struct {
	key    crypto.Signer
	pub    *ecdsa.PublicKey
	certID string
	opts   *sm2.SM2SignerOption
	check1 *atomic.Bool      // a signature of the key is still to be checked (a key not gmsm's)
	cert   *x509.Certificate // optional: see WithCertificate
}

// NewSM2Signer returns a signMethod 21 signer for key that sends certID, the
// decimal serial number of the merchant's SM2 signing certificate. certID is
// also the SM2 user ID of every signature, as in UnionPay's SDK. A nil key,
// including a nil pointer such as (*sm2.PrivateKey)(nil), is an error. With a
// key other than gmsm's *sm2.PrivateKey (an HSM's), the first signature is
// checked with certID as user ID (an SM2 verification, no extra call to the
// key): a key that ignores it fails that Sign, before anything is sent,
// rather than every request being refused by UnionPay.
func NewSM2Signer(key crypto.Signer, certID string) (*SM2Signer, error) {
	public, err := publicKey("SM2 signer", key)
	if err != nil {
		return nil, err
	}
	pub, ok := public.(*ecdsa.PublicKey)
	//lint:ignore SA1019 gmsm represents SM2 points as ecdsa.PublicKey X and Y (crypto/ecdh has no SM2); only their presence is read.
	if !ok || pub.X == nil || pub.Y == nil || !sm2.IsSM2PublicKey(pub) {
		return nil, fmt.Errorf("sign: SM2 signer: key is %T, not an SM2 key", public)
	}
	if !isDecimal(certID) {
		return nil, fmt.Errorf("sign: SM2 signer: certID %q is not a decimal serial number", certID)
	}
	_, own := key.(*sm2.PrivateKey)
	s := &SM2Signer{
		key:    key,
		pub:    pub,
		certID: certID,
		opts:   sm2.NewSM2SignerOption(true, []byte(certID)),
		check1: new(atomic.Bool),
	}
	s.check1.Store(!own)
	return s, nil
}

// Method returns [MethodSM2], or "" if s is not usable (nil or zero).
func (s *SM2Signer) Method() string {
	if s.check() != nil {
		return ""
	}
	return MethodSM2
}

// CertID returns the certId sent with each message, which is also the SM2
// user ID, or "" if s is not usable (nil or zero).
func (s *SM2Signer) CertID() string {
	if s.check() != nil {
		return ""
	}
	return s.certID
}

// Public returns the signer's SM2 public key, or nil if s is not usable (nil
// or zero).
func (s *SM2Signer) Public() *ecdsa.PublicKey {
	if s.check() != nil {
		return nil
	}
	return s.pub
}

// check reports whether s was made by NewSM2Signer.
func (s *SM2Signer) check() error {
	if s == nil || s.key == nil || s.opts == nil {
		return errors.New("sign: SM2Signer is not initialised: use NewSM2Signer")
	}
	return nil
}

// Sign returns base64(r || s), the SM3withSM2 signature, with the certId as
// user ID, of the 64 lowercase hex characters of SM3(canonical); r and s are
// each 32 bytes, so the result is 88 characters. The algorithm is the same
// for every version. Signatures are randomised.
func (s *SM2Signer) Sign(_ string, canonical []byte) (string, error) {
	if err := s.check(); err != nil {
		return "", err
	}
	var hexText [2 * sm3.Size]byte
	der, err := s.key.Sign(rand.Reader, verifycore.SM2Text(verifycore.Whole(canonical), &hexText), s.opts)
	if err != nil {
		return "", fmt.Errorf("sign: SM2 signing: %w", err)
	}
	var raw [verifycore.SM2SignatureSize]byte
	if !derToRaw(raw[:], der) {
		return "", errors.New("sign: SM2 signing: the key returned a signature that is not an ASN.1 (r, s) pair of 32-byte integers")
	}
	sig := base64.StdEncoding.EncodeToString(raw[:])
	if s.check1 != nil && s.check1.Load() {
		// A key other than gmsm's (an HSM's) might ignore the option's user ID, and UnionPay would
		// refuse every signature (respCode 11): its first good signature is checked with the
		// certId, at no extra call to the key.
		if err := VerifySM2(s.pub, s.certID, canonical, sig); err != nil {
			return "", fmt.Errorf("sign: SM2 signing: the key's signature does not verify with the certId %s as SM2 "+
				"user ID (a key that ignores sm2.SM2SignerOption's UID, or signs a digest, makes signatures UnionPay refuses): %v",
				s.certID, err)
		}
		s.check1.Store(false)
	}
	return sig, nil
}

// VerifySM2 checks a signMethod 21 signature made over canonical by the
// holder of the SM2 key pub, whose SM2 user ID is userID: the decimal serial
// number (certId) of the certificate that carries pub. The signature must be
// the base64 of exactly 64 bytes, r || s. Failures match [ErrSignature]; a
// pub that is nil, on another curve, or whose X and Y are not a point of
// the SM2 curve (gmsm would panic on some) is an error that does not.
func VerifySM2(pub *ecdsa.PublicKey, userID string, canonical []byte, signature string) error {
	return verifycore.SM2(pub, userID, verifycore.Whole(canonical), signature)
}

// derToRaw converts an ASN.1 SEQUENCE { INTEGER r, INTEGER s } into r || s,
// each left-padded to half of dst. It reports false for anything else,
// including negative, zero or oversized integers.
func derToRaw(dst, der []byte) bool {
	var seq cryptobyte.String
	var r, s []byte
	in := cryptobyte.String(der)
	if !in.ReadASN1(&seq, cbasn1.SEQUENCE) || !in.Empty() ||
		!seq.ReadASN1Integer(&r) || !seq.ReadASN1Integer(&s) || !seq.Empty() {
		return false
	}
	half := len(dst) / 2
	return putUnsigned(dst[:half], r) && putUnsigned(dst[half:], s)
}

// putUnsigned copies the unsigned big-endian integer b (as cryptobyte reads
// a non-negative INTEGER) right-aligned into dst. Zero does not fit.
func putUnsigned(dst, b []byte) bool {
	for len(b) > 0 && b[0] == 0 {
		b = b[1:]
	}
	if len(b) == 0 || len(b) > len(dst) {
		return false
	}
	clear(dst)
	copy(dst[len(dst)-len(b):], b)
	return true
}

// isDecimal reports whether s is a non-empty string of ASCII digits.
func isDecimal(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return s != ""
}

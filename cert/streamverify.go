package cert

import (
	"crypto"
	"crypto/ecdsa"
	"crypto/rsa"
	"crypto/sha256"
	"crypto/subtle"
	"encoding/base64"
	"encoding/hex"
	"errors"
	"fmt"
	"hash"
	"strings"

	"github.com/emmansun/gmsm/sm2"
	"github.com/emmansun/gmsm/sm3"

	"github.com/goacp/unionpay/internal/canon"
	"github.com/goacp/unionpay/internal/sm2der"
	"github.com/goacp/unionpay/sign"
)

// This file verifies messages whose string to sign is larger than streamAbove (a settlement
// file's answer, tens of megabytes): the string is written into the hash in pieces
// (canon.Write), never built whole, which would double the memory the message takes. Every
// method hashes the string to sign first and uses only its digest, so the signature checked
// is the one sign.VerifyRSA, sign.VerifySM2 and sign.SecureKeySigner.Verify check, with the
// same errors: the differential tests hold them to it. Smaller messages keep the string built
// in a pooled buffer (Verifier.canonical), which is faster.

// streamAbove is the length of a string to sign above which it is hashed in pieces: that of
// the buffers a Verifier pools, beyond which the whole string would be garbage at once.
const streamAbove = maxPooledBuffer

// streamed reports whether f's string to sign is to be hashed in pieces: it is longer than
// streamAbove, f's field names are such that sign.Canonical accepts them, and its charset is
// one Canonical writes. In all other cases Canonical is called, and fails as it would.
func streamed(f sign.Fields) bool {
	if _, ok := streamCharset(f[sign.FieldEncoding]); !ok {
		return false
	}
	n, names := canon.Size(f)
	return names && n > streamAbove
}

// streamCharset reports whether a message of this encoding is in GBK, and whether it is one
// of the charsets sign.Canonical knows (UTF-8, spelled also UTF8 or not at all, and GBK).
func streamCharset(encoding string) (gbk, ok bool) {
	switch {
	case encoding == "" || strings.EqualFold(encoding, sign.CharsetUTF8) || strings.EqualFold(encoding, "UTF8"):
		return false, true
	case strings.EqualFold(encoding, sign.CharsetGBK):
		return true, true
	}
	return false, false
}

// streamWrite writes f's string to sign into h. A value GBK cannot represent fails as
// sign.Canonical fails for it (Canonical is asked for the error, which names the field).
func streamWrite(h hash.Hash, f sign.Fields) error {
	gbk, _ := streamCharset(f[sign.FieldEncoding])
	if err := canon.Write(h, f, gbk); err != nil {
		if _, cerr := sign.Canonical(f); cerr != nil {
			err = cerr
		}
		return fmt.Errorf("cert: building the string to sign: %w", err)
	}
	return nil
}

// streamSum is streamWrite, then h's digest appended to dst.
func streamSum(h hash.Hash, f sign.Fields, dst []byte) ([]byte, error) {
	if err := streamWrite(h, f); err != nil {
		return nil, err
	}
	return h.Sum(dst), nil
}

// signatureError is the error sign's verification functions return for a signature that does
// not verify: it matches sign.ErrSignature, and says what.
func signatureError(format string, args ...any) error {
	return fmt.Errorf("%w: "+format, append([]any{sign.ErrSignature}, args...)...)
}

// maxRSASignature is the longest RSA signature sign.VerifyRSA decodes, in bytes (RSA-4096).
const maxRSASignature = 512

// rsaStreamHash returns the hash of signMethod 01 for version, 5.1.0 (SHA-256) or 5.0.0 (SHA-1;
// verifyRSA has mapped 5.0.1 and 1.0.0 to it).
func rsaStreamHash(version string) crypto.Hash {
	if version == sign.Version510 {
		return crypto.SHA256
	}
	return crypto.SHA1
}

// verifyRSADigest is sign.VerifyRSA(pub, version, canonical, signature) given sum, the digest
// by h (rsaStreamHash(version)) of canonical, which streamSum computes in pieces.
func verifyRSADigest(pub *rsa.PublicKey, h crypto.Hash, version string, sum []byte, signature string) error {
	if pub == nil {
		return errors.New("sign: VerifyRSA: nil public key")
	}
	if len(signature) > (maxRSASignature+2)/3*4 {
		return signatureError("signature is not base64 of an RSA signature")
	}
	sig, err := base64.StdEncoding.DecodeString(signature)
	if err != nil {
		return signatureError("signature is not base64 of an RSA signature")
	}
	// The RSA layer signs H(hex(H(canonical))).
	var hexBuf [2 * sha256.Size]byte
	second := h.New()
	second.Write(hexBuf[:hex.Encode(hexBuf[:], sum)])
	if err := rsa.VerifyPKCS1v15(pub, h, second.Sum(nil), sig); err != nil {
		return signatureError("RSA (version %s)", version)
	}
	return nil
}

// verifySM2Digest is sign.VerifySM2(pub, userID, canonical, signature) given sum, the SM3
// digest of canonical, which streamSum computes in pieces: the signature is SM3withSM2, with
// userID, of the 64 lowercase hex characters of sum.
func verifySM2Digest(pub *ecdsa.PublicKey, userID string, sum []byte, signature string) error {
	//lint:ignore SA1019 gmsm represents SM2 points as ecdsa.PublicKey X and Y (crypto/ecdh has no SM2), and checks them with IsOnCurve.
	if pub == nil || pub.X == nil || pub.Y == nil || !sm2.IsSM2PublicKey(pub) || !pub.Curve.IsOnCurve(pub.X, pub.Y) {
		return errors.New("sign: VerifySM2: public key is not an SM2 key")
	}
	if userID == "" {
		return errors.New("sign: VerifySM2: empty user ID")
	}
	var raw [sm2der.SignatureSize + 2]byte
	if len(signature) != base64.StdEncoding.EncodedLen(sm2der.SignatureSize) {
		return signatureError("SM2 signature is not base64 of 64 bytes (r || s)")
	}
	n, err := base64.StdEncoding.Decode(raw[:], []byte(signature))
	if err != nil || n != sm2der.SignatureSize {
		return signatureError("SM2 signature is not base64 of 64 bytes (r || s)")
	}
	var hexText [2 * sm3.Size]byte
	hex.Encode(hexText[:], sum)
	if !sm2.VerifyASN1WithSM2(pub, []byte(userID), hexText[:], sm2der.FromRaw(raw[:sm2der.SignatureSize])) {
		return signatureError("SM2 (user ID %s)", userID)
	}
	return nil
}

// secureKey is a secure-key method a Verifier accepts: its signer, which verifies small
// messages, and the digest of the key it holds, hex(H(key)), for large ones.
type secureKey struct {
	signer  *sign.SecureKeySigner
	keyHash string
	newHash func() hash.Hash
}

// newSecureKey returns the secure key of method (11 or 12, checked) with key.
func newSecureKey(method string, key []byte) (*secureKey, error) {
	s, err := sign.NewSecureKeySigner(method, key) // an ASCII key; only its digest is kept
	if err != nil {
		return nil, err
	}
	k := &secureKey{signer: s, newHash: sha256.New}
	if method == sign.MethodSM3Key {
		k.newHash = sm3.New
	}
	h := k.newHash()
	h.Write(key)
	k.keyHash = hex.EncodeToString(h.Sum(nil))
	return k, nil
}

// verifyHashed is k.signer.Verify(canonical, signature) given h, a hash of k's method
// (k.newHash) into which canonical has been written (streamWrite, in pieces): the signature is
// the lowercase hex of H(canonical + "&" + hex(H(key))), compared in constant time.
func (k *secureKey) verifyHashed(h hash.Hash, signature string) error {
	h.Write([]byte{'&'})
	h.Write([]byte(k.keyHash))
	want := hex.EncodeToString(h.Sum(nil))
	if subtle.ConstantTimeCompare([]byte(want), []byte(signature)) != 1 {
		return signatureError("secure key (signMethod %s)", k.signer.Method())
	}
	return nil
}

// Package verifycore checks the signatures of the three kinds of signMethod once the string to
// sign is hashed: RSA (01), SM2 (21) and the secure key (11 and 12). Package sign, which holds a
// string to sign whole, and package cert, which hashes a large one in pieces (a settlement file's
// answer) and keeps only its digest, both call it, so that both check the same way, in the same
// order, with the same errors. Its errors are sign's: they say "sign:", and a signature that
// does not verify matches ErrSignature, which is sign.ErrSignature.
package verifycore

import (
	"crypto"
	"crypto/ecdsa"
	"crypto/rsa"
	"crypto/sha1"
	"crypto/sha256"
	"crypto/subtle"
	"encoding/base64"
	"encoding/hex"
	"errors"
	"fmt"
	"hash"

	"github.com/emmansun/gmsm/sm2"
	"github.com/emmansun/gmsm/sm3"
	"golang.org/x/crypto/cryptobyte"
	cbasn1 "golang.org/x/crypto/cryptobyte/asn1"

	"github.com/goacp/unionpay/internal/ascii"
)

// ErrSignature reports a signature that does not verify; package sign exports it as
// sign.ErrSignature.
var ErrSignature = errors.New("sign: signature does not verify")

// signatureError wraps ErrSignature with what went wrong.
func signatureError(format string, args ...any) error {
	return fmt.Errorf("%w: "+format, append([]any{ErrSignature}, args...)...)
}

// Message is a string to sign, held whole ([Whole]) or only by its digest ([Digest]).
type Message struct {
	b      []byte
	hashed bool
}

// Whole is the string to sign canonical, which the check hashes itself.
func Whole(canonical []byte) Message { return Message{b: canonical} }

// Digest is a string to sign given by sum, its digest by the hash of the method and version
// checked (RSAHash, SM3), which the caller computed (in pieces).
func Digest(sum []byte) Message { return Message{b: sum, hashed: true} }

// maxRSASignature is the largest RSA signature RSA decodes, in bytes (RSA-4096).
const maxRSASignature = 512

// RSAHash returns the hash of signMethod 01 for a version: SHA-256 for 5.1.0, SHA-1 for 5.0.0,
// 5.0.1 and 1.0.0.
func RSAHash(version string) (crypto.Hash, error) {
	switch version {
	case "5.1.0":
		return crypto.SHA256, nil
	case "5.0.0", "5.0.1", "1.0.0":
		return crypto.SHA1, nil
	}
	return 0, fmt.Errorf("sign: version %q has no RSA signature method", version)
}

// RSADigest returns H(hex(H(m))), the digest the RSA layer signs, in out; h is SHA-1 or SHA-256
// (RSAHash), and a Digest m is H(canonical).
func RSADigest(h crypto.Hash, m Message, out *[sha256.Size]byte) []byte {
	var hexBuf [2 * sha256.Size]byte
	if h == crypto.SHA1 {
		sum := m.b
		if !m.hashed {
			s := sha1.Sum(m.b)
			sum = s[:]
		}
		s := sha1.Sum(hexBuf[:hex.Encode(hexBuf[:], sum)])
		return out[:copy(out[:], s[:])]
	}
	sum := m.b
	if !m.hashed {
		s := sha256.Sum256(m.b)
		sum = s[:]
	}
	*out = sha256.Sum256(hexBuf[:hex.Encode(hexBuf[:], sum)])
	return out[:]
}

// RSA checks a signMethod 01 signature of m for a message of the given version with the key
// whose public half is pub: sign.VerifyRSA. Failures match ErrSignature, except a nil pub and a
// version without RSA.
func RSA(pub *rsa.PublicKey, version string, m Message, signature string) error {
	if pub == nil {
		return errors.New("sign: VerifyRSA: nil public key")
	}
	h, err := RSAHash(version)
	if err != nil {
		return err
	}
	// Signatures of up to maxRSASignature bytes (RSA-4096) are decoded on
	// the stack; Decode writes up to DecodedLen bytes, so the length is
	// checked first (a longer signature overran buf and panicked).
	var src [(maxRSASignature + 2) / 3 * 4]byte
	var buf [maxRSASignature + 2]byte
	if len(signature) > len(src) {
		return signatureError("signature is not base64 of an RSA signature")
	}
	n, err := base64.StdEncoding.Decode(buf[:], src[:copy(src[:], signature)])
	if err != nil {
		return signatureError("signature is not base64 of an RSA signature")
	}
	var d [sha256.Size]byte
	if err := rsa.VerifyPKCS1v15(pub, h, RSADigest(h, m, &d), buf[:n]); err != nil {
		return signatureError("RSA (version %s)", version)
	}
	return nil
}

// SM2SignatureSize is the length of a signMethod 21 signature before base64: r and s, each
// left-padded to 32 bytes.
const SM2SignatureSize = 64

// SM2Text writes into dst, and returns, what SM2 signs: the 64 lowercase hex characters of
// SM3(m) (a Digest m is SM3(canonical)).
func SM2Text(m Message, dst *[2 * sm3.Size]byte) []byte {
	if m.hashed {
		hex.Encode(dst[:], m.b)
		return dst[:]
	}
	sum := sm3.Sum(m.b)
	hex.Encode(dst[:], sum[:])
	return dst[:]
}

// SM2 checks a signMethod 21 signature of m by the holder of the SM2 key pub, whose SM2 user
// ID is userID: sign.VerifySM2. The signature must be the base64 of exactly 64 bytes, r || s.
// Failures match ErrSignature, except a pub that is nil, on another curve, or whose X and Y are
// not a point of the SM2 curve (gmsm would panic on some), and an empty userID.
func SM2(pub *ecdsa.PublicKey, userID string, m Message, signature string) error {
	if !isSM2Point(pub) {
		return errors.New("sign: VerifySM2: public key is not an SM2 key")
	}
	if userID == "" {
		return errors.New("sign: VerifySM2: empty user ID")
	}
	// Base64 of 64 bytes is exactly 88 characters, which decode to at most
	// 66 bytes (Decode panics if dst is too small, so check first).
	var raw [SM2SignatureSize + 2]byte
	if len(signature) != base64.StdEncoding.EncodedLen(SM2SignatureSize) {
		return signatureError("SM2 signature is not base64 of 64 bytes (r || s)")
	}
	n, err := base64.StdEncoding.Decode(raw[:], []byte(signature))
	if err != nil || n != SM2SignatureSize {
		return signatureError("SM2 signature is not base64 of 64 bytes (r || s)")
	}
	der := rawToDER(raw[:SM2SignatureSize])
	var hexText [2 * sm3.Size]byte
	if !sm2.VerifyASN1WithSM2(pub, []byte(userID), SM2Text(m, &hexText), der) {
		return signatureError("SM2 (user ID %s)", userID)
	}
	return nil
}

// isSM2Point reports whether pub is a point of the SM2 curve: X and Y
// present, in range and on the curve.
func isSM2Point(pub *ecdsa.PublicKey) bool {
	//lint:ignore SA1019 gmsm represents SM2 points as ecdsa.PublicKey X and Y (crypto/ecdh has no SM2), and checks them with IsOnCurve.
	return pub != nil && pub.X != nil && pub.Y != nil && sm2.IsSM2PublicKey(pub) && pub.Curve.IsOnCurve(pub.X, pub.Y)
}

// rawToDER converts r || s (two equal halves) into the ASN.1 form gmsm verifies. Zero values
// are encoded as such and then rejected by gmsm.
func rawToDER(raw []byte) []byte {
	half := len(raw) / 2
	var b cryptobyte.Builder
	b.AddASN1(cbasn1.SEQUENCE, func(b *cryptobyte.Builder) {
		addUnsigned(b, raw[:half])
		addUnsigned(b, raw[half:])
	})
	der, _ := b.Bytes() // cannot fail: the lengths are small and fixed
	return der
}

// addUnsigned adds the unsigned big-endian integer v as an ASN.1 INTEGER.
func addUnsigned(b *cryptobyte.Builder, v []byte) {
	b.AddASN1(cbasn1.INTEGER, func(b *cryptobyte.Builder) {
		for len(v) > 1 && v[0] == 0 {
			v = v[1:]
		}
		if v[0]&0x80 != 0 {
			b.AddUint8(0)
		}
		b.AddBytes(v)
	})
}

// SecureKey is a secure key (对称密钥) of signMethod 11 (SHA-256) or 12 (SM3), held only by its
// digest hex(H(key)), which is all signing and verifying need: the signature of a string to sign
// S is hex(H(S + "&" + hex(H(key)))). That digest signs as the key does: fmt never shows it (see
// String).
type SecureKey struct {
	method  string
	newHash func() hash.Hash
	// keyHash is hex(H(key)), behind a pointer: fmt prints a SecureKey held by value in another
	// struct's unexported field field by field, without its String method, and shows a pointer
	// there as an address.
	keyHash *string
}

// String shows k's method, never its digest, so that a SecureKey printed by value or by pointer
// (%v, %+v, %s) shows no more.
func (k SecureKey) String() string { return "verifycore.SecureKey(" + k.method + ")" }

// GoString is String, for %#v.
func (k SecureKey) GoString() string { return k.String() }

// NewSecureKey returns the secure key of method (11 or 12) with key, which must be ASCII, as
// the keys UnionPay issues are. Only the key's digest is kept.
func NewSecureKey(method string, key []byte) (*SecureKey, error) {
	var newHash func() hash.Hash
	switch method {
	case "11":
		newHash = sha256.New
	case "12":
		newHash = sm3.New
	default:
		return nil, fmt.Errorf("sign: signMethod %q is not a secure-key method", method)
	}
	if len(key) == 0 {
		return nil, errors.New("sign: secure key is empty")
	}
	if !ascii.Is(key) {
		return nil, errors.New("sign: secure key is not ASCII (UnionPay's SDKs hash it in the message charset: " +
			"a non-ASCII key signs otherwise in UTF-8 and GBK messages)")
	}
	h := newHash()
	h.Write(key)
	keyHash := hex.EncodeToString(h.Sum(nil))
	return &SecureKey{method: method, newHash: newHash, keyHash: &keyHash}, nil
}

// Method returns k's signMethod, 11 or 12.
func (k *SecureKey) Method() string { return k.method }

// New returns a hash of k's method, into which the caller writes the string to sign (whole or in
// pieces) for Sum or Verify.
func (k *SecureKey) New() hash.Hash { return k.newHash() }

// Sum returns the lowercase hex signature of the string to sign written into h (from New).
func (k *SecureKey) Sum(h hash.Hash) string {
	h.Write([]byte{'&'})
	h.Write([]byte(*k.keyHash))
	return hex.EncodeToString(h.Sum(nil))
}

// Verify checks, in constant time, a signature of the string to sign written into h (from New):
// it must be the lowercase hex Sum returns. A signature that does not match is an error
// matching ErrSignature.
func (k *SecureKey) Verify(h hash.Hash, signature string) error {
	want := k.Sum(h)
	if subtle.ConstantTimeCompare([]byte(want), []byte(signature)) != 1 {
		return signatureError("secure key (signMethod %s)", k.method)
	}
	return nil
}

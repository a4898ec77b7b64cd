package sign

import (
	"crypto/sha256"
	"crypto/subtle"
	"encoding/hex"
	"errors"
	"fmt"
	"hash"

	"github.com/emmansun/gmsm/sm3"

	"github.com/goacp/unionpay/internal/ascii"
)

// SecureKeySigner signs with a secure key (对称密钥): signMethod 11
// (SHA-256) or 12 (SM3). The signature is hex(H(S + "&" + hex(H(key)))).
// It never reveals the key, not even through fmt, and is safe for
// concurrent use.
//
// The zero value is not usable: use [NewSecureKeySigner]. A zero or nil
// *SecureKeySigner returns an error from its Sign and Verify methods (and
// from the package's [Sign] and [CheckSigner]) and "" from Method; it never
// panics.
type SecureKeySigner struct {
	method string
	// keyHash is hex(H(key)), which is all signing needs, behind a pointer: fmt prints a
	// SecureKeySigner held by value in another struct's unexported field field by field, without
	// its String method, and shows a pointer there as an address.
	keyHash *string
}

// NewSecureKeySigner returns a signer for method 11 or 12 with key, which
// must be ASCII, as the keys UnionPay issues are: its SDKs hash the key in
// the message charset, so that a non-ASCII key would sign otherwise in UTF-8
// and GBK messages.
//
// In production use only the random key UnionPay issues to the merchant:
// every front form a shopper loads carries a string to sign and its digest,
// against which a short or chosen key can be guessed offline, and the test
// environment's key (88888888) is public. Whoever has the key can sign
// notifications and answers as UnionPay.
func NewSecureKeySigner(method string, key []byte) (*SecureKeySigner, error) {
	newHash, err := secureKeyHash(method)
	if err != nil {
		return nil, err
	}
	if err := checkSecureKey(key); err != nil {
		return nil, err
	}
	h := hexSum(newHash(), key)
	return &SecureKeySigner{method: method, keyHash: &h}, nil
}

// Method returns the signMethod, 11 or 12, or "" if s is not usable (nil or
// zero).
func (s *SecureKeySigner) Method() string {
	if s.check() != nil {
		return ""
	}
	return s.method
}

// CertID returns "": secure-key messages carry no certId.
func (s *SecureKeySigner) CertID() string { return "" }

// Sign returns the lowercase hex signature of canonical. The version does
// not change the secure-key methods.
func (s *SecureKeySigner) Sign(_ string, canonical []byte) (string, error) {
	if err := s.check(); err != nil {
		return "", err
	}
	newHash, err := secureKeyHash(s.method)
	if err != nil {
		return "", err
	}
	return secureKeySum(newHash(), canonical, *s.keyHash), nil
}

// Verify checks a signature over canonical made with s's key and method, in constant time: the
// signature must be the lowercase hex that [SecureKeySigner.Sign] writes. A signature that does
// not match is an error matching [ErrSignature], as [VerifySecureKey]'s are; an unusable s is an
// error of its own. It needs no more than s holds, the digest of the key, so that a verifier need
// not keep the key itself.
func (s *SecureKeySigner) Verify(canonical []byte, signature string) error {
	want, err := s.Sign("", canonical)
	if err != nil {
		return err
	}
	if subtle.ConstantTimeCompare([]byte(want), []byte(signature)) != 1 {
		return verifyError("secure key (signMethod %s)", s.method)
	}
	return nil
}

// check reports whether s was made by NewSecureKeySigner.
func (s *SecureKeySigner) check() error {
	if s == nil || s.keyHash == nil || *s.keyHash == "" {
		return errors.New("sign: SecureKeySigner is not initialised: use NewSecureKeySigner")
	}
	return nil
}

// String describes the signer without revealing the key or its hash (which
// is all signing needs). Its receiver is a value, so that a signer printed
// by value, or inside a struct that holds one, prints so too (held in an
// unexported field, where fmt cannot call it, the hash shows as an address).
func (s SecureKeySigner) String() string { return "sign.SecureKeySigner(" + s.method + ")" }

// GoString describes the signer without revealing the key.
func (s SecureKeySigner) GoString() string { return s.String() }

// VerifySecureKey checks a signMethod 11 or 12 signature over canonical in
// constant time. Failures match [ErrSignature]; key must be ASCII, as for
// [NewSecureKeySigner].
func VerifySecureKey(method string, key []byte, canonical []byte, signature string) error {
	s, err := NewSecureKeySigner(method, key)
	if err != nil {
		return err
	}
	return s.Verify(canonical, signature)
}

// checkSecureKey refuses an empty key and one that is not ASCII (whose bytes
// UnionPay's SDKs would take in the message charset, not as given).
func checkSecureKey(key []byte) error {
	if len(key) == 0 {
		return errors.New("sign: secure key is empty")
	}
	if !ascii.Is(key) {
		return errors.New("sign: secure key is not ASCII (UnionPay's SDKs hash it in the message charset: " +
			"a non-ASCII key signs otherwise in UTF-8 and GBK messages)")
	}
	return nil
}

func secureKeyHash(method string) (func() hash.Hash, error) {
	switch method {
	case MethodSHA256Key:
		return sha256.New, nil
	case MethodSM3Key:
		return sm3.New, nil
	}
	return nil, fmt.Errorf("sign: signMethod %q is not a secure-key method", method)
}

func secureKeySum(h hash.Hash, canonical []byte, keyHash string) string {
	h.Write(canonical)
	h.Write([]byte{'&'})
	h.Write([]byte(keyHash))
	return hex.EncodeToString(h.Sum(nil))
}

func hexSum(h hash.Hash, b []byte) string {
	h.Write(b)
	return hex.EncodeToString(h.Sum(nil))
}

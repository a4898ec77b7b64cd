package sign

import (
	"errors"

	"github.com/goacp/unionpay/internal/verifycore"
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
	// key holds only the key's digest, hex(H(key)), which is all signing needs, behind a
	// pointer: fmt prints a
	// SecureKeySigner held by value in another struct's unexported field field by field, without
	// its String method, and shows a pointer there as an address.
	key *verifycore.SecureKey
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
	k, err := verifycore.NewSecureKey(method, key)
	if err != nil {
		return nil, err
	}
	return &SecureKeySigner{method: method, key: k}, nil
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
	h := s.key.New()
	h.Write(canonical)
	return s.key.Sum(h), nil
}

// Verify checks a signature over canonical made with s's key and method, in constant time: the
// signature must be the lowercase hex that [SecureKeySigner.Sign] writes. A signature that does
// not match is an error matching [ErrSignature], as [VerifySecureKey]'s are; an unusable s is an
// error of its own. It needs no more than s holds, the digest of the key, so that a verifier need
// not keep the key itself.
func (s *SecureKeySigner) Verify(canonical []byte, signature string) error {
	if err := s.check(); err != nil {
		return err
	}
	h := s.key.New()
	h.Write(canonical)
	return s.key.Verify(h, signature)
}

// check reports whether s was made by NewSecureKeySigner.
func (s *SecureKeySigner) check() error {
	if s == nil || s.key == nil {
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

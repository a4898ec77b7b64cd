package cert

import (
	"crypto/subtle"
	"errors"
	"fmt"

	"github.com/goacp/unionpay/internal/verifycore"
	"github.com/goacp/unionpay/sign"
)

func (v *Verifier) setSecureKey(key []byte, methods []string) error {
	if len(key) == 0 {
		if len(methods) != 0 {
			return errors.New("cert: VerifierConfig.SecureKeyMethods set without SecureKey")
		}
		return nil
	}
	if len(methods) == 0 {
		methods = []string{sign.MethodSHA256Key, sign.MethodSM3Key}
	}
	for _, m := range methods {
		if m != sign.MethodSHA256Key && m != sign.MethodSM3Key {
			return fmt.Errorf("cert: VerifierConfig.SecureKeyMethods: %q is not a secure-key method (11 or 12)", m)
		}
	}
	v.publicKey = subtle.ConstantTimeCompare(key, []byte(PublicTestSecureKey)) == 1
	keys := make(map[string]*verifycore.SecureKey, len(methods))
	for _, m := range methods {
		k, err := verifycore.NewSecureKey(m, key) // an ASCII key; only its digest is kept
		if err != nil {
			return fmt.Errorf("cert: VerifierConfig.SecureKey: %w", err)
		}
		keys[m] = k
	}
	v.secureKeys = keys
	return nil
}

func (v *Verifier) verifySecureKey(f sign.Fields, method, version, signature string, canonical []byte) (*Signed, error) {
	key, ok := v.secureKeys[method]
	if !ok {
		return nil, fmt.Errorf("%w: secure-key signMethod %s", ErrMethod, method)
	}
	buf, canonical, stream, err := v.canonical(f, canonical)
	if err != nil {
		return nil, err
	}
	h := key.New()
	if stream {
		if err := streamWrite(h, f); err != nil {
			return nil, err
		}
	} else {
		h.Write(canonical)
		v.release(buf)
	}
	err = key.Verify(h, signature)
	if err != nil {
		return nil, fmt.Errorf("cert: secure-key signMethod %s: %w", method, err)
	}
	return &Signed{Method: method, Version: version}, nil
}

// PublicTestSecureKey is the secure key (signMethod 11 and 12) of UnionPay's test environment,
// published in its samples: anyone can sign a message with it.
const PublicTestSecureKey = "88888888"

// AcceptsPublicTestKey reports whether v verifies secure-key messages with
// [PublicTestSecureKey]: right against UnionPay's test environment, a hole in production, where
// anyone could sign a notification that v would accept. [NewVerifier] refuses the key with
// UnionPay's production certificates ([IsProduction]); unionpay.NewClient refuses such a Verifier
// with UnionPay's production endpoints, or an Encrypter or Signer certificate of that PKI. A nil
// or zero Verifier reports false.
func (v *Verifier) AcceptsPublicTestKey() bool {
	return v.Check() == nil && v.publicKey
}

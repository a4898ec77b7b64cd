package sign

import (
	"crypto"
	"errors"
	"fmt"
	"reflect"

	"github.com/goacp/unionpay/internal/verifycore"
)

// ErrSignature reports a signature that does not verify. Every verification
// failure, including a signature that is not even well-formed, matches it
// with errors.Is.
var ErrSignature = verifycore.ErrSignature

// Signer produces the value of a message's signature field.
// Implementations must be safe for concurrent use, and keep one key for their
// life: [Sign] asks CertID and then Sign, so a Signer that switched to
// another key between the two (a renewed PFX swapped in underneath) would
// send one certificate's certId with the other key's signature, which
// UnionPay refuses (respCode 11). To switch keys, make a new Signer and, for
// unionpay.Client, a new Client (see the README's certificate rotation).
type Signer interface {
	// Method returns the signMethod this signer produces, such as
	// [MethodRSA].
	Method() string
	// CertID returns the certId to send with the message, or "" for the
	// secure-key methods, which send none.
	CertID() string
	// Sign returns the signature of canonical, the string to sign of a
	// message of the given version (see [Canonical]).
	Sign(version string, canonical []byte) (string, error)
}

// Sign signs f in place with s: it sets signMethod and, for certificate
// methods, certId (both are signed), then computes the string to sign and
// sets the signature field. f must already carry its version; call
// [Prepare] first for an outgoing request. A Signer that [CheckSigner]
// refuses, a missing version and a field name that is empty or not printable
// ASCII are errors; on any error (an encoding the string to sign cannot be
// written in, a signer that fails) f is left unchanged.
//
// Values are signed as the bytes they hold. With encoding UTF-8, a value that
// is not valid UTF-8 (GBK bytes, say) is signed as it is, and UnionPay, which
// decodes the body as UTF-8, answers respCode 11 (with GBK, Sign fails with
// [ErrCharset]). unionpay.Client and "unionpay sign" refuse such a value
// before signing, naming its field; code that builds its own requests checks
// with utf8.ValidString. Sign does not, as a test gateway signs what it is
// told to, such a message included.
func Sign(s Signer, f Fields) error {
	if err := CheckSigner(s); err != nil {
		return err
	}
	version := f[FieldVersion]
	if version == "" {
		return errors.New("sign: field version is missing")
	}
	if err := CheckFieldNames(f); err != nil {
		return err
	}
	saved := saveFields(f, FieldSignMethod, FieldCertID, FieldSignature)
	f[FieldSignMethod] = s.Method()
	if id := s.CertID(); id != "" {
		f[FieldCertID] = id
	} else {
		delete(f, FieldCertID)
	}
	delete(f, FieldSignature)
	canonical, err := Canonical(f)
	if err != nil {
		saved.restore(f)
		return err
	}
	sig, err := s.Sign(version, canonical)
	if err != nil {
		saved.restore(f)
		return err
	}
	f[FieldSignature] = sig
	return nil
}

// savedFields are the fields Sign sets, as they were, absent ones included.
type savedFields [3]struct {
	key, value string
	present    bool
}

func saveFields(f Fields, keys ...string) (s savedFields) {
	for i, k := range keys[:len(s)] {
		s[i].key = k
		s[i].value, s[i].present = f[k]
	}
	return s
}

// restore puts the saved fields back into f as they were.
func (s *savedFields) restore(f Fields) {
	for _, v := range s {
		if v.present {
			f[v.key] = v.value
		} else {
			delete(f, v.key)
		}
	}
}

// CheckSigner reports whether s can sign, without signing: it is an error if
// s is nil, including a nil pointer held in the interface (such as the
// *RSASigner that cert.PFX.Signer returns with an error), if s is a zero
// [RSASigner], [SM2Signer] or [SecureKeySigner] rather than one made by its
// constructor, if its Method is not one of UnionPay's ([MethodRSA],
// [MethodSHA256Key], [MethodSM3Key], [MethodSM2]), or if its CertID does not
// suit the method: a certificate method's (01, 21) is decimal, or "" for a signer
// whose messages name their certificate otherwise (UnionPay's 5.1.0 answers
// carry signPubKeyCert; a merchant's requests need the certId), and
// secure-key methods (11, 12) send none. It signs nothing and does no I/O, so a client
// can check its configuration once, up front; [Sign] calls it first.
func CheckSigner(s Signer) error {
	if s == nil {
		return errors.New("sign: nil Signer")
	}
	if c, ok := s.(interface{ check() error }); ok {
		if err := c.check(); err != nil { // this package's signers, nil or zero
			return err
		}
	} else if isNil(s) {
		return fmt.Errorf("sign: Signer is a nil %T", s)
	}
	method, id := s.Method(), s.CertID()
	switch method {
	case "":
		return fmt.Errorf("sign: Signer %T has no signMethod", s)
	case MethodRSA, MethodSM2:
		if id != "" && !isDecimal(id) {
			return fmt.Errorf("sign: Signer %T: signMethod %s needs a decimal certId, not %q", s, method, id)
		}
	case MethodSHA256Key, MethodSM3Key:
		if id != "" {
			return fmt.Errorf("sign: Signer %T: signMethod %s sends no certId, not %q", s, method, id)
		}
	default:
		return fmt.Errorf("sign: Signer %T: signMethod %q is not one of 01, 11, 12 and 21", s, method)
	}
	return nil
}

// publicKey returns key.Public() for a signer constructor (what names it).
// A nil key, including a nil pointer held in the interface such as
// (*rsa.PrivateKey)(nil), whose Public method would panic, is an error, and
// so is a nil public key.
func publicKey(what string, key crypto.Signer) (crypto.PublicKey, error) {
	if key == nil {
		return nil, fmt.Errorf("sign: %s: key is nil", what)
	}
	if isNil(key) {
		return nil, fmt.Errorf("sign: %s: key is a nil %T", what, key)
	}
	pub := key.Public()
	if pub == nil || isNil(pub) {
		return nil, fmt.Errorf("sign: %s: key %T has no public key", what, key)
	}
	return pub, nil
}

// isNil reports whether v holds a nil pointer, map, slice, function or
// channel: a value that is not == nil as an interface, yet has nothing in
// it.
func isNil(v any) bool {
	rv := reflect.ValueOf(v)
	switch rv.Kind() {
	case reflect.Pointer, reflect.Map, reflect.Slice, reflect.Func, reflect.Chan, reflect.UnsafePointer:
		return rv.IsNil()
	}
	return false
}

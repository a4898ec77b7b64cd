package sign

import (
	"errors"
	"fmt"
)

// ErrSignature reports a signature that does not verify. Every verification
// failure, including a signature that is not even well-formed, matches it
// with errors.Is.
var ErrSignature = errors.New("sign: signature does not verify")

// Signer produces the value of a message's signature field.
// Implementations must be safe for concurrent use.
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
// [Prepare] first for an outgoing request.
func Sign(s Signer, f Fields) error {
	if s == nil {
		return errors.New("sign: nil Signer")
	}
	version := f[FieldVersion]
	if version == "" {
		return errors.New("sign: field version is missing")
	}
	f[FieldSignMethod] = s.Method()
	if id := s.CertID(); id != "" {
		f[FieldCertID] = id
	} else {
		delete(f, FieldCertID)
	}
	delete(f, FieldSignature)
	canonical, err := Canonical(f)
	if err != nil {
		return err
	}
	sig, err := s.Sign(version, canonical)
	if err != nil {
		return err
	}
	f[FieldSignature] = sig
	return nil
}

// verifyError wraps ErrSignature with what went wrong.
func verifyError(format string, args ...any) error {
	return fmt.Errorf("%w: "+format, append([]any{ErrSignature}, args...)...)
}

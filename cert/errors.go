package cert

import (
	"crypto/x509"
	"errors"
	"fmt"
	"strconv"
	"strings"

	"github.com/goacp/unionpay/internal/textesc"
	"github.com/goacp/unionpay/sign"
)

// ErrPassword reports a PFX or .sm2 file that does not open with the given
// password. For a PFX file the error also matches
// pkcs12.ErrIncorrectPassword; for a .sm2 file, only ErrPassword.
var ErrPassword = errors.New("cert: wrong PFX password")

// ErrMethod reports a message whose signMethod and version ask for a
// verification method the [Verifier] was not configured to accept, such as a
// 5.0.0 or secure-key signature when only 5.1.0 certificates are trusted.
// Such a message is rejected, never verified with a weaker method.
var ErrMethod = errors.New("cert: signature method not accepted")

// ErrNoChain is matched by the error of [Verifier.ValidateCertificate] and
// [Verifier.ValidateEncryptionCertificate] for a Verifier configured without
// the chain the certificate needs (Root and Middle for RSA, SM2Root and
// SM2Middle for SM2): a configuration to complete, not a message to refuse.
// [Verifier.CheckEncryptionTrust] reports it up front.
var ErrNoChain = errors.New("cert: no root and middle certificates configured to validate it")

// ErrNoCertificate reports a certId that matches none of the configured
// certificates (5.0.0 verification).
var ErrNoCertificate = errors.New("cert: no certificate configured for certId")

// quotedID bounds a message's certId, version or signMethod for an error: a
// serial has at most 49 decimal digits (20 bytes), a version or method a few
// characters, and what is longer is only log noise.
func quotedID(id string) string {
	const shown = 64
	if len(id) > shown {
		return id[:shown] + "..."
	}
	return id
}

// ErrMissingField reports a message without a field that its verification
// needs (signature, signMethod, certId or signPubKeyCert). A missing signature
// also matches [sign.ErrSignature].
var ErrMissingField = errors.New("cert: required field missing")

// missingFieldError names the absent field of a message.
type missingFieldError string

func (e missingFieldError) Error() string {
	return "cert: message has no " + string(e) + " field"
}

func (e missingFieldError) Is(target error) bool {
	return target == ErrMissingField || (string(e) == sign.FieldSignature && target == sign.ErrSignature)
}

// Reason says why a certificate was rejected.
type Reason int

// Reasons for an [InvalidError].
const (
	// Malformed: the certificate could not be parsed, its key is not RSA (or
	// SM2), or it has a critical extension that is not understood.
	Malformed Reason = iota + 1
	// Expired: the time of the check is after the certificate's NotAfter.
	Expired
	// NotYetValid: the time of the check is before the certificate's NotBefore.
	NotYetValid
	// UnknownAuthority: the certificate was not issued by the configured
	// middle certificate (or the middle by the configured root).
	UnknownAuthority
	// BadSignature: the certificate names the configured issuer but its
	// signature does not verify with the issuer's key (a forged or altered
	// certificate).
	BadSignature
	// NotCA: a certificate used as an issuer is not a certification
	// authority (basic constraints, key usage or path length forbid it).
	NotCA
	// BadKeyUsage: the certificate's key usage does not allow the use at hand
	// (digital signature for signing certificates, key encipherment for
	// encryption certificates).
	BadKeyUsage
	// WrongOwner: the third '@'-separated field of the subject common name
	// is not UnionPay's name (中国银联股份有限公司), nor, when test owners
	// are accepted, 00040000:SIGN (RSA) or ZunionpayTest (SM2).
	WrongOwner
)

var reasonNames = [...]string{
	Malformed:        "malformed",
	Expired:          "expired",
	NotYetValid:      "not yet valid",
	UnknownAuthority: "unknown authority",
	BadSignature:     "bad certificate signature",
	NotCA:            "issuer is not a CA",
	BadKeyUsage:      "key usage not allowed",
	WrongOwner:       "wrong owner",
}

// String returns a short description of r.
func (r Reason) String() string {
	if r > 0 && int(r) < len(reasonNames) {
		return reasonNames[r]
	}
	return fmt.Sprintf("Reason(%d)", int(r))
}

// MarshalText returns the words String returns ("not yet valid", "wrong owner"...), so that
// encoding/json writes them rather than a number.
func (r Reason) MarshalText() ([]byte, error) { return []byte(r.String()), nil }

// UnmarshalText sets r to the reason String describes as text, one of the words MarshalText
// writes for [Malformed] to [WrongOwner]. Any other text, a number and "Reason(N)" included, is an
// error naming it, and leaves r unchanged.
func (r *Reason) UnmarshalText(text []byte) error {
	for i, name := range reasonNames {
		if name != "" && name == string(text) {
			*r = Reason(i)
			return nil
		}
	}
	return fmt.Errorf("cert: reason %q is not one of %s", text, strings.Join(reasonNames[1:], ", "))
}

// InvalidError reports a certificate that failed validation. Cert is the
// certificate at fault (the leaf, the middle or the root; nil when the bytes
// did not parse), Detail says what was checked, and Err is the underlying
// error, if any.
type InvalidError struct {
	Cert   *x509.Certificate
	Reason Reason
	Detail string
	Err    error

	where string // what held the certificate: a field or file name
}

// Error describes the failure, naming the certificate by serial number and
// common name. It shows Detail and the text of Err to their first 512 bytes,
// then their length: a forged certificate chooses part of both.
func (e *InvalidError) Error() string {
	var b strings.Builder
	b.WriteString("cert: ")
	if e.where != "" {
		b.WriteString(e.where)
		b.WriteString(": ")
	}
	if e.Cert != nil {
		b.WriteString("certificate ")
		b.WriteString(shownSerial(e.Cert))
		if cn := e.Cert.Subject.CommonName; cn != "" {
			// Quoted: the certificate may be an attacker's, and its name must not forge log lines;
			// cut short, as long as it is, it must not make one line as long.
			b.WriteString(" (CN=")
			b.WriteString(textesc.QuoteShort(cn, maxShown))
			b.WriteString(")")
		}
		b.WriteString(": ")
	}
	b.WriteString(e.Reason.String())
	if e.Detail != "" {
		b.WriteString(": ")
		b.WriteString(textesc.Short(e.Detail, maxShownText))
	}
	if e.Err != nil {
		b.WriteString(": ")
		b.WriteString(textesc.Short(e.Err.Error(), maxShownText))
	}
	return b.String()
}

// maxShownText is how many bytes of its Detail and of its Err's text an *InvalidError shows:
// more than any of this package's own details or of crypto/x509's errors about a genuine
// certificate, but a forged one chooses some of both (crypto/x509 quotes a SAN URI it cannot
// parse whole, and a critical extension's OID can have thousands of arcs).
const maxShownText = 512

// Unwrap returns the underlying error.
func (e *InvalidError) Unwrap() error { return e.Err }

// maxShown is how many bytes of a name or serial number taken from a certificate that may be an
// attacker's an error shows: the rest is counted, not written.
const maxShown = 64

// maxSerialBytes is the longest serial number RFC 5280 lets a CA use (20 octets, 49 decimal
// digits at most). crypto/x509 reads one of any length.
const maxSerialBytes = 20

// shownSerial is c's serial number as an error shows it: its certId (the decimal serial), or, for
// a serial longer than maxSerialBytes, which only a forger's certificate has, its length only:
// the decimal of a serial of tens of kilobytes (a signPubKeyCert can hold one) takes
// milliseconds to compute, for every refused message logged.
func shownSerial(c *x509.Certificate) string {
	switch n := c.SerialNumber; {
	case n == nil:
		return "<no serial>"
	case n.BitLen() > 8*maxSerialBytes:
		return "<a serial number of " + strconv.Itoa((n.BitLen()+7)/8) + " bytes, longer than RFC 5280's " +
			strconv.Itoa(maxSerialBytes) + ">"
	}
	return CertID(c)
}

// InputError reports a bad argument to an encryption function; Field names
// it (pin, pan, customerInfo key...). The value itself is never included.
type InputError struct {
	Field  string
	Detail string
}

// Error returns "cert: invalid <field>: <detail>".
func (e *InputError) Error() string {
	return "cert: invalid " + e.Field + ": " + e.Detail
}

func invalid(c *x509.Certificate, r Reason, err error, format string, args ...any) *InvalidError {
	return &InvalidError{Cert: c, Reason: r, Detail: fmt.Sprintf(format, args...), Err: err}
}

// withContext records in a fresh *InvalidError what held the certificate (a
// field or file name), for its message; other errors are returned unchanged.
func withContext(err error, what string) error {
	if inv, ok := err.(*InvalidError); ok {
		inv.where = what
	}
	return err
}

package cert

import (
	"bytes"
	"crypto/rsa"
	"crypto/x509"
	"errors"
	"fmt"
	"strings"
	"sync"
	"time"

	"github.com/goacp/unionpay/internal/canon"
	"github.com/goacp/unionpay/internal/verifycore"
	"github.com/goacp/unionpay/sign"
)

// FieldSignPubKeyCert is the name of the field carrying UnionPay's signing
// certificate in 5.1.0 messages, read by [Verifier.Verify] besides the field
// names of package sign.
const FieldSignPubKeyCert = "signPubKeyCert"

// defaultCacheSize is the number of validated certificates kept when
// VerifierConfig.CacheSize is 0.
const defaultCacheSize = 64

// MaxCacheSize is the largest VerifierConfig.CacheSize: UnionPay has a
// handful of signing certificates, and a larger cache would only hold an
// attacker's renderings of them.
const MaxCacheSize = 4096

// VerifierConfig says which signatures a [Verifier] accepts and what it
// trusts. Trust comes only from here, never from the message: a method whose
// configuration is absent is refused with [ErrMethod].
type VerifierConfig struct {
	// Root and Middle enable signMethod 01 with version 5.1.0: the message
	// carries UnionPay's signing certificate in signPubKeyCert, which must be
	// issued by Middle, itself issued by Root (UnionPay's acp_prod_root.cer
	// and acp_prod_middle.cer; acp_test_* in the test environment). Set both
	// or neither.
	Root, Middle *x509.Certificate
	// NextRoot and NextMiddle, optional, are the root and middle UnionPay
	// announces it is moving to: a signing certificate Middle did not issue is
	// checked against them instead, so that messages signed under either
	// chain verify through the switch. Set both or neither, and Root and
	// Middle too; once UnionPay has switched, make them Root and Middle.
	NextRoot, NextMiddle *x509.Certificate
	// AcceptTestOwner also accepts signing certificates whose owner field is
	// the test environment's: 00040000:SIGN for RSA ([OwnerTest]),
	// ZunionpayTest for SM2 ([OwnerSM2Test]). Leave it false in production:
	// NewVerifier refuses it with UnionPay's production Root, Middle,
	// NextRoot or NextMiddle ([IsProduction]).
	AcceptTestOwner bool
	// LegacyCerts enable signMethod 01 with versions 5.0.0, 5.0.1 and 1.0.0:
	// the certificate is looked up by the message's certId. No chain is
	// checked for these (UnionPay hands them out directly), but they must be
	// valid at the time of verification, and be signing certificates: a CA
	// certificate, or one whose key usage does not allow signatures, is
	// refused. The same certificate given twice is taken once; two
	// different ones with one certId are refused.
	LegacyCerts []*x509.Certificate
	// SM2Root and SM2Middle enable signMethod 21 (国密 SM2) with version
	// 5.1.0: signPubKeyCert must be an SM2 certificate issued by SM2Middle,
	// itself issued by SM2Root (acpsdk.sm2.middleCert and rootCert of the gm
	// SDK), with SM2-with-SM3 certificate signatures; validity, key usage and
	// owner name are checked as for Root and Middle. Set both or neither.
	SM2Root, SM2Middle *x509.Certificate
	// NextSM2Root and NextSM2Middle are to SM2Root and SM2Middle what
	// NextRoot and NextMiddle are to Root and Middle.
	NextSM2Root, NextSM2Middle *x509.Certificate
	// SM2Certs enable signMethod 21 with versions 5.0.0 and 5.0.1: UnionPay's
	// SM2 signing certificates (acpsdk.sm2.validateCert.dir), looked up by
	// certId and checked for validity only, refused and de-duplicated as
	// LegacyCerts are.
	SM2Certs []*x509.Certificate
	// SecureKey enables the secure-key methods (signMethod 11 and 12). It
	// must be ASCII, and in production the random key UnionPay issued: the
	// test environment's 88888888 is public, and anyone could sign
	// notifications with it (see sign.NewSecureKeySigner). NewVerifier
	// refuses it with UnionPay's production certificates ([IsProduction]).
	SecureKey []byte
	// SecureKeyMethods restricts SecureKey to a subset of "11" and "12";
	// empty means both.
	SecureKeyMethods []string
	// Now returns the time at which validity is checked; nil means time.Now.
	Now func() time.Time
	// CacheSize is the number of validated signing certificates kept (for
	// RSA and SM2 each); 0 means 64. It must be between 0 and
	// [MaxCacheSize]: NewVerifier refuses other values. Memory is taken as
	// certificates are seen, not up front.
	CacheSize int
}

// Verifier checks the signatures of messages received from UnionPay
// (synchronous responses and notifications) with the methods its
// [VerifierConfig] enables. It is safe for concurrent use.
//
// Use [NewVerifier]. The zero value, like a nil *Verifier, accepts nothing:
// every message and certificate is refused with an error matching
// [ErrMethod].
type Verifier struct {
	chain           *chain
	acceptTestOwner bool
	legacy          map[string]*validated
	// secureKeys holds, for each secure-key method enabled, the digest of the key (hex(H(key)),
	// all that verifying needs), never the key itself. A map of pointers shows its values as
	// addresses when fmt prints a Verifier held by value (a copy, a struct field) field by field.
	secureKeys map[string]*verifycore.SecureKey
	publicKey  bool // the secure key is PublicTestSecureKey
	now        func() time.Time
	cache      *certCache
	sm2        *sm2Trust        // nil unless SM2 is configured
	bufs       sync.Pool        // *[]byte buffers for strings to sign
	forms      *sign.ValueCache // VerifyForm's decoded signPubKeyCert
}

// String describes v without its secrets: a secure key (signMethod 11/12)
// is never printed, so a Verifier can be logged with %v or %+v.
func (v *Verifier) String() string {
	if v == nil {
		return "cert.Verifier(nil)"
	}
	return fmt.Sprintf("cert.Verifier{rsa:%t sm2:%t legacy:%d secureKey:%t testOwner:%t}",
		v.chain != nil, v.sm2 != nil, len(v.legacy), v.secureKeys != nil, v.acceptTestOwner)
}

// GoString is String, so that %#v does not print the secure key either.
func (v *Verifier) GoString() string { return v.String() }

// Signed describes how a verified message was signed.
type Signed struct {
	// Method and Version are the message's signMethod and version.
	Method, Version string
	// CertID is the serial number, in decimal, of the certificate that
	// verified the signature; "" for secure-key methods.
	CertID string
	// Certificate is that certificate; nil for secure-key methods.
	Certificate *x509.Certificate
}

// NewVerifier checks cfg and returns a Verifier; it keeps copies of the
// slices in cfg, so cfg may be reused afterwards. It fails when no method is
// enabled, when Middle is not a CA issued by Root (an [*InvalidError]; SM2
// certificates there are refused, naming SM2Root and SM2Middle), when a
// legacy certificate is not RSA, is a CA or cannot sign, or two different
// ones share a certId, when SecureKeyMethods names a method other than 11
// and 12, or when SecureKey is [PublicTestSecureKey] and Root, Middle,
// NextRoot, NextMiddle or a legacy certificate is UnionPay's production PKI
// ([IsProduction]): such a Verifier is meant for production, where anyone
// could sign a message it accepts; so it does when AcceptTestOwner is set and
// Root, Middle, NextRoot or NextMiddle is UnionPay's production PKI.
func NewVerifier(cfg VerifierConfig) (*Verifier, error) {
	cacheSize, err := checkCacheSize(cfg.CacheSize)
	if err != nil {
		return nil, err
	}
	v := &Verifier{acceptTestOwner: cfg.AcceptTestOwner, now: cfg.Now}
	if v.now == nil {
		v.now = time.Now
	}
	switch {
	case cfg.Root != nil && cfg.Middle != nil:
		ch, err := newChain(cfg.Root, cfg.Middle)
		if err != nil {
			return nil, withContext(err, chainField(err, cfg.Root, cfg.Middle, "Root", "Middle"))
		}
		v.chain = ch
	case cfg.Root != nil || cfg.Middle != nil:
		return nil, errors.New("cert: VerifierConfig needs both Root and Middle, or neither")
	}
	if err := v.setLegacy(cfg.LegacyCerts); err != nil {
		return nil, err
	}
	if err := v.setSecureKey(cfg.SecureKey, cfg.SecureKeyMethods); err != nil {
		return nil, err
	}
	sm2, err := newSM2Trust(cfg.SM2Root, cfg.SM2Middle, cfg.SM2Certs, cacheSize)
	if err != nil {
		return nil, err
	}
	v.sm2 = sm2
	if err := v.setNextChains(&cfg); err != nil {
		return nil, err
	}
	if v.publicKey {
		if err := checkPublicKeyInProduction(&cfg); err != nil {
			return nil, err
		}
	}
	if err := checkTestOwnerInProduction(&cfg); err != nil {
		return nil, err
	}
	if v.chain == nil && v.legacy == nil && v.secureKeys == nil && v.sm2 == nil {
		return nil, errors.New("cert: VerifierConfig enables no method: set Root and Middle, LegacyCerts, SecureKey, " +
			"SM2Root and SM2Middle, or SM2Certs")
	}
	v.cache = newCertCache(cacheSize)
	v.forms = sign.NewValueCache(FieldSignPubKeyCert)
	return v, nil
}

// checkCacheSize returns the cache size that VerifierConfig.CacheSize n
// asks for, or an error if n is out of range.
func checkCacheSize(n int) (int, error) {
	switch {
	case n < 0:
		return 0, fmt.Errorf("cert: VerifierConfig.CacheSize %d is negative", n)
	case n > MaxCacheSize:
		return 0, fmt.Errorf("cert: VerifierConfig.CacheSize %d exceeds %d (MaxCacheSize)", n, MaxCacheSize)
	case n == 0:
		return defaultCacheSize, nil
	}
	return n, nil
}

// legacySigner refuses a certificate that cannot be UnionPay's signing certificate, which
// LegacyCerts and SM2Certs trust as such with no chain: a CA certificate (the root or middle,
// given with the rest of the kit) or one whose key usage does not allow signatures. (UnionPay's
// encryption certificate allows signatures, like every CFCA leaf of its kit: it is taken.)
func legacySigner(c *x509.Certificate) error {
	if c.BasicConstraintsValid && c.IsCA {
		return fmt.Errorf("certificate %s is a CA certificate (%s), not UnionPay's signing certificate", CertID(c), c.Subject.CommonName)
	}
	if c.KeyUsage != 0 && c.KeyUsage&(x509.KeyUsageDigitalSignature|x509.KeyUsageContentCommitment) == 0 {
		return fmt.Errorf("certificate %s does not allow signatures (its key usage), so it is not UnionPay's signing certificate", CertID(c))
	}
	return nil
}

func (v *Verifier) setLegacy(certs []*x509.Certificate) error {
	if len(certs) == 0 {
		return nil
	}
	v.legacy = make(map[string]*validated, len(certs))
	for i, c := range certs {
		if c == nil {
			return fmt.Errorf("cert: VerifierConfig.LegacyCerts[%d] is nil", i)
		}
		pub, ok := c.PublicKey.(*rsa.PublicKey)
		if !ok {
			return fmt.Errorf("cert: VerifierConfig.LegacyCerts[%d] has a %T key, want RSA", i, c.PublicKey)
		}
		if err := legacySigner(c); err != nil {
			return fmt.Errorf("cert: VerifierConfig.LegacyCerts[%d]: %w", i, err)
		}
		id := CertID(c)
		if old, dup := v.legacy[id]; dup {
			if bytes.Equal(old.cert.Raw, c.Raw) {
				continue // the same file twice (a directory holding a copy, say)
			}
			return fmt.Errorf("cert: VerifierConfig.LegacyCerts has two certificates with certId %s", id)
		}
		v.legacy[id] = &validated{cert: c, pub: pub, certID: id, notBefore: c.NotBefore, notAfter: c.NotAfter}
	}
	return nil
}

// Verify checks the signature of a received message f (a parsed synchronous
// response or notification, with its fields exactly as received) and
// reports how it was signed. The message's signMethod and version select the
// method, which must be one the configuration enables, otherwise the error
// matches [ErrMethod]:
//
//   - signMethod 01, version 5.1.0: signPubKeyCert is validated like
//     [Verifier.ValidateCertificate] (results are cached by the field's
//     bytes) and its key verifies the SHA-256 signature;
//   - signMethod 01, version 5.0.0, 5.0.1 or 1.0.0: the configured legacy
//     certificate with the message's certId verifies the SHA-1 signature
//     (5.0.1 and 1.0.0 without signMethod are 01, as in the official SDK);
//   - signMethod 11 or 12: the secure key verifies the digest;
//   - signMethod 21 (SM2), version 5.1.0: signPubKeyCert is validated
//     against SM2Root and SM2Middle and its key verifies the SM2 signature,
//     with the certificate's decimal serial as SM2 user ID; versions 5.0.0
//     and 5.0.1: the SM2Certs certificate with the message's certId does.
//
// A signature that does not verify matches [sign.ErrSignature]; a rejected
// certificate is an [*InvalidError]; an absent field matches
// [ErrMissingField]. f is not modified.
func (v *Verifier) Verify(f sign.Fields) (*Signed, error) {
	if err := v.Check(); err != nil { // nil or zero: refuses everything, as documented
		return nil, err
	}
	return v.verify(f, nil)
}

// Check reports whether v was made by [NewVerifier]: a nil or zero Verifier
// verifies nothing, and the error says so (it matches [ErrMethod]). It does
// no I/O, so that a client can refuse such a Verifier up front.
func (v *Verifier) Check() error {
	switch {
	case v == nil:
		return errNilVerifier()
	case v.now == nil:
		return fmt.Errorf("%w: Verifier is not initialised: use NewVerifier", ErrMethod)
	}
	return nil
}

// errNilVerifier is the error of a nil *Verifier's methods.
func errNilVerifier() error {
	return fmt.Errorf("%w: nil *Verifier: use NewVerifier", ErrMethod)
}

// VerifyForm decodes a message received as an
// application/x-www-form-urlencoded body (a notification) and verifies it
// as [Verifier.Verify] does, building the string to sign from the decoded
// pairs in the order they came rather than from a map
// ([sign.ParseFormCanonical]), and copying rather than decoding a
// signPubKeyCert identical to the previous one ([sign.ValueCache]). It
// returns the message's fields, with empty values dropped, only if the
// message verifies.
//
// body is decoded in place, so it is overwritten, but the returned Fields
// do not refer to it: the caller may reuse it (a pooled read buffer) as
// soon as VerifyForm returns. A body that is not a well-formed form, or
// holds no field, is an error matching [sign.ErrMalformed]; other errors
// are Verify's.
func (v *Verifier) VerifyForm(body []byte) (sign.Fields, *Signed, error) {
	if err := v.Check(); err != nil {
		return nil, nil, err
	}
	buf := v.buffer()
	defer v.release(buf)
	f, canonical, err := v.forms.ParseFormCanonical(body, (*buf)[:0])
	*buf = canonical[:0]
	switch {
	case err != nil:
		return nil, nil, fmt.Errorf("cert: decoding form: %w", err)
	case len(f) == 0:
		return nil, nil, fmt.Errorf("cert: decoding form: no field: %w", sign.ErrMalformed)
	}
	signed, err := v.verify(f, canonical)
	if err != nil {
		return nil, nil, err
	}
	return f, signed, nil
}

// verify is Verify; canonical is f's string to sign if the caller has it
// already, or nil.
func (v *Verifier) verify(f sign.Fields, canonical []byte) (*Signed, error) {
	signature := f[sign.FieldSignature]
	if signature == "" {
		return nil, missingFieldError(sign.FieldSignature)
	}
	method, version := f[sign.FieldSignMethod], f[sign.FieldVersion]
	if method == "" && (version == "5.0.1" || version == "1.0.0") {
		method = sign.MethodRSA // these versions are RSA without saying so, in the official SDK too
	}
	if method == "" {
		return nil, missingFieldError(sign.FieldSignMethod)
	}
	if err := v.Accepts(method, version); err != nil {
		return nil, err // the one decision on methods, shared with Accepts
	}
	switch method {
	case sign.MethodRSA:
		return v.verifyRSA(f, version, signature, canonical)
	case sign.MethodSHA256Key, sign.MethodSM3Key:
		return v.verifySecureKey(f, method, version, signature, canonical)
	case sign.MethodSM2:
		if v.sm2 == nil {
			return nil, fmt.Errorf("%w: signMethod 21 (no SM2Root and SM2Middle, nor SM2Certs, configured)", ErrMethod)
		}
		return v.sm2.verify(f, signature, v.now(), v.acceptTestOwner)
	default:
		return nil, fmt.Errorf("%w: signMethod %q", ErrMethod, quotedID(method))
	}
}

// canonical returns the string to sign of f: have, if the caller has it
// already (not nil); for UTF-8 messages whose field names are printable
// ASCII, built in a pooled buffer (returned as buf, to be released after
// use); for others, through sign.Canonical, which converts the charset and
// refuses other names, naming the field. It reports stream, and builds
// nothing, for a string to sign longer than streamAbove, which the caller
// hashes in pieces instead (see streamed).
func (v *Verifier) canonical(f sign.Fields, have []byte) (buf *[]byte, canonical []byte, stream bool, err error) {
	if have != nil {
		return nil, have, false, nil
	}
	if enc := f[sign.FieldEncoding]; enc == "" || strings.EqualFold(enc, sign.CharsetUTF8) {
		// One pass over f checks the names (as sign.CheckFieldNames) and sizes the string.
		if n, names := canon.Size(f); names {
			if n > streamAbove {
				return nil, nil, true, nil
			}
			buf = v.buffer()
			*buf = sign.AppendCanonical((*buf)[:0], f)
			return buf, *buf, false, nil
		}
	} else if streamed(f) {
		return nil, nil, true, nil
	}
	canonical, err = sign.Canonical(f)
	if err != nil {
		return nil, nil, false, fmt.Errorf("cert: building the string to sign: %w", err)
	}
	return nil, canonical, false, nil
}

// buffer returns a buffer from the pool, for release.
func (v *Verifier) buffer() *[]byte {
	if buf, _ := v.bufs.Get().(*[]byte); buf != nil {
		return buf
	}
	return new([]byte)
}

// release returns a buffer from buffer or canonical to the pool, unless it
// has grown past maxPooledBuffer.
func (v *Verifier) release(buf *[]byte) {
	if buf != nil && cap(*buf) <= maxPooledBuffer {
		v.bufs.Put(buf)
	}
}

// maxPooledBuffer bounds the buffers a Verifier keeps for reuse: a string to
// sign is a few KiB, most of it signPubKeyCert.
const maxPooledBuffer = 64 << 10

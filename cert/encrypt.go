package cert

import (
	"crypto"
	"crypto/ecdsa"
	"crypto/rand"
	"crypto/rsa"
	"crypto/x509"
	"encoding/base64"
	"errors"
	"fmt"
	"reflect"
	"strings"
)

// Encrypter encrypts sensitive fields (accNo, the PIN block, customerInfo's
// encryptedInfo) for UnionPay with the public key of UnionPay's encryption
// certificate, as RSA PKCS#1 v1.5 encoded in base64, or, for an SM2
// certificate (国密), as SM2 encryption laid out 04||X||Y||C3||C2 in base64
// like UnionPay's gm SDK. Ciphertexts are randomised, so the same input
// encrypts differently each time. An Encrypter is safe for concurrent use.
//
// The zero value is not usable: use [NewEncrypter]. A zero or nil
// *Encrypter returns an error from every method that can fail and ""
// from CertID; [Encrypter.Check] tells it apart cheaply.
type Encrypter struct {
	cert   *x509.Certificate
	pub    *rsa.PublicKey
	sm2    *ecdsa.PublicKey // instead of pub for an SM2 certificate
	certID string
}

// NewEncrypter returns an Encrypter for UnionPay's encryption certificate c
// (acp_prod_enc.cer, or the encryptPubKeyCert of a txnType 95 response
// checked with [Verifier.ValidateEncryptionCertificate]). The key must be
// RSA or SM2, and the certificate must have a serial number (the
// encryptCertId); a certificate whose key usage does not allow encryption
// (the root or the middle, given by mistake) is refused. Validity is not
// checked here.
func NewEncrypter(c *x509.Certificate) (*Encrypter, error) {
	if c == nil {
		return nil, errors.New("cert: NewEncrypter: nil certificate")
	}
	if c.SerialNumber == nil {
		return nil, errors.New("cert: NewEncrypter: certificate has no serial number")
	}
	// RFC 5280: a key whose certificate lists its usages may encrypt only if one of them says so.
	// UnionPay's root and middle list certificate and CRL signing alone.
	if encrypting := x509.KeyUsageKeyEncipherment | x509.KeyUsageDataEncipherment | x509.KeyUsageKeyAgreement; c.KeyUsage != 0 && c.KeyUsage&encrypting == 0 {
		return nil, fmt.Errorf("cert: NewEncrypter: certificate %s (CN=%q) does not allow encryption (its key usage lacks key encipherment): a root or middle, not UnionPay's encryption certificate?", CertID(c), c.Subject.CommonName)
	}
	if pub := sm2Public(c.PublicKey); pub != nil {
		return &Encrypter{cert: c, sm2: pub, certID: CertID(c)}, nil
	}
	pub, ok := c.PublicKey.(*rsa.PublicKey)
	if !ok || pub == nil {
		return nil, fmt.Errorf("cert: NewEncrypter: certificate key is %T, want RSA or SM2", c.PublicKey)
	}
	if pub.N == nil || pub.N.Sign() <= 0 {
		return nil, errors.New("cert: NewEncrypter: certificate's RSA key has no modulus")
	}
	return &Encrypter{cert: c, pub: pub, certID: CertID(c)}, nil
}

// Check returns an error if e is not usable: nil, or the zero value rather
// than an Encrypter made by [NewEncrypter]. It is cheap, for checking a
// configuration up front; the other methods check too.
func (e *Encrypter) Check() error {
	if e == nil || (e.pub == nil && e.sm2 == nil) {
		return errors.New("cert: Encrypter is not initialised: use NewEncrypter")
	}
	return nil
}

// CertID returns the encryptCertId to send with encrypted fields: the
// encryption certificate's serial number in decimal; "" if e is not usable
// (see [Encrypter.Check]).
func (e *Encrypter) CertID() string {
	if e.Check() != nil {
		return ""
	}
	return e.certID
}

// Certificate returns the encryption certificate; nil if e is not usable
// (see [Encrypter.Check]).
func (e *Encrypter) Certificate() *x509.Certificate {
	if e.Check() != nil {
		return nil
	}
	return e.cert
}

// Encrypt returns base64(RSA-PKCS1v15-encrypt(plain)), or for UnionPay's SM2
// certificate base64 of the SM2 ciphertext (04||X||Y||C3||C2), the value to
// send for an encrypted field such as accNo. plain is encrypted as its UTF-8
// bytes; with SM2 it must be 8 bytes or more, as UnionPay's encrypted fields
// are (a shorter SM2 ciphertext may not decrypt: see the package documentation).
func (e *Encrypter) Encrypt(plain string) (string, error) {
	return e.encrypt([]byte(plain))
}

func (e *Encrypter) encrypt(plain []byte) (string, error) {
	if err := e.Check(); err != nil {
		return "", err
	}
	if e.sm2 != nil {
		return sm2Encrypt(e.sm2, plain)
	}
	//lint:ignore SA1019 UnionPay's protocol encrypts card data with RSA PKCS #1 v1.5; nothing else interoperates.
	ct, err := rsa.EncryptPKCS1v15(rand.Reader, e.pub, plain)
	if err != nil {
		// The message can only be too long; never echo the plaintext.
		return "", fmt.Errorf("cert: encrypting %d bytes: %w", len(plain), err)
	}
	return base64.StdEncoding.EncodeToString(ct), nil
}

// EncryptPIN returns the encrypted ISO 9564 format-0 PIN block of pin for the
// card pan (see [PINBlock]), base64 encoded: the value of customerInfo's pin.
func (e *Encrypter) EncryptPIN(pin, pan string) (string, error) {
	if err := e.Check(); err != nil {
		return "", err
	}
	block, err := PINBlock(pin, pan)
	if err != nil {
		return "", err
	}
	return e.encrypt(block)
}

// Decrypter decrypts data UnionPay encrypts to the merchant's signing
// certificate (accNo in notifications and query responses, customerInfo's
// encryptedInfo) with the merchant's private key. It is safe for concurrent
// use if the key is.
//
// The zero value is not usable: use [NewDecrypter] (or [PFX.Decrypter],
// [SM2Credential.Decrypter]). A zero or nil *Decrypter returns an error from
// Decrypt; [Decrypter.Check] tells it apart cheaply.
type Decrypter struct {
	key crypto.Decrypter
	sm2 bool // the key is SM2: ciphertexts are 04||X||Y||C3||C2
}

// NewDecrypter returns a Decrypter over key, whose public key must be RSA or
// SM2 (the key of a .sm2 file, [SM2Credential.Decrypter]). Keys held in an
// HSM work if they implement crypto.Decrypter with PKCS#1 v1.5 decryption
// (RSA) or, for SM2, accept gmsm's *sm2.DecrypterOpts (C1C3C2). A nil key,
// including a nil pointer such as (*rsa.PrivateKey)(nil), is an error.
func NewDecrypter(key crypto.Decrypter) (*Decrypter, error) {
	if key == nil {
		return nil, errors.New("cert: NewDecrypter: nil key")
	}
	if isNil(key) {
		return nil, fmt.Errorf("cert: NewDecrypter: key is a nil %T", key)
	}
	pub := key.Public()
	if pub == nil || isNil(pub) {
		return nil, fmt.Errorf("cert: NewDecrypter: key %T has no public key", key)
	}
	if sm2Public(pub) != nil {
		return &Decrypter{key: key, sm2: true}, nil
	}
	rsaPub, ok := pub.(*rsa.PublicKey)
	if !ok {
		return nil, fmt.Errorf("cert: NewDecrypter: key is %T, want RSA or SM2", pub)
	}
	if rsaPub.N == nil || rsaPub.N.Sign() <= 0 {
		return nil, errors.New("cert: NewDecrypter: RSA key has no modulus")
	}
	return &Decrypter{key: key}, nil
}

// Check returns an error if d is not usable: nil, or the zero value rather
// than a Decrypter made by [NewDecrypter]. It is cheap, for checking a
// configuration up front; Decrypt checks too.
func (d *Decrypter) Check() error {
	if d == nil || d.key == nil {
		return errors.New("cert: Decrypter is not initialised: use NewDecrypter")
	}
	return nil
}

// Public returns the public key of d's private key (an *rsa.PublicKey, or
// for SM2 an *ecdsa.PublicKey), or nil for an unusable d: UnionPay encrypts
// what it returns to the merchant's signing certificate, so it must be the
// signer's.
func (d *Decrypter) Public() crypto.PublicKey {
	if d.Check() != nil {
		return nil
	}
	return d.key.Public()
}

// Decrypt base64-decodes b64 (line breaks are ignored) and decrypts it with
// RSA PKCS#1 v1.5, or for an SM2 key with SM2 (04||X||Y||C3||C2). The error
// never includes the plaintext.
func (d *Decrypter) Decrypt(b64 string) (string, error) {
	plain, err := d.decrypt(b64)
	return string(plain), err
}

func (d *Decrypter) decrypt(b64 string) ([]byte, error) {
	if err := d.Check(); err != nil {
		return nil, err
	}
	if d.sm2 {
		return sm2Decrypt(d.key, b64)
	}
	clean := strings.NewReplacer("\r", "", "\n", "").Replace(b64)
	ct, err := base64.StdEncoding.DecodeString(clean)
	if err != nil {
		return nil, fmt.Errorf("cert: decrypt: ciphertext is not base64: %w", err)
	}
	if len(ct) == 0 {
		return nil, errors.New("cert: decrypt: empty ciphertext")
	}
	//lint:ignore SA1019 UnionPay encrypts accNo and customerInfo with RSA PKCS #1 v1.5.
	plain, err := d.key.Decrypt(rand.Reader, ct, &rsa.PKCS1v15DecryptOptions{})
	if err != nil {
		return nil, fmt.Errorf("cert: decrypt: %w", err)
	}
	return plain, nil
}

// isNil reports whether v holds a nil pointer, map, slice, function or
// channel: a value that is not == nil as an interface, yet has nothing in
// it, such as (*rsa.PrivateKey)(nil) passed as a crypto.Decrypter.
func isNil(v any) bool {
	rv := reflect.ValueOf(v)
	switch rv.Kind() {
	case reflect.Pointer, reflect.Map, reflect.Slice, reflect.Func, reflect.Chan, reflect.UnsafePointer:
		return rv.IsNil()
	}
	return false
}

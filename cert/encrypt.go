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
	"slices"
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
// After the merchant's PFX is renewed, UnionPay may still send data
// encrypted to the previous certificate (an order signed under it, queried
// or notified after the switch): [Decrypter.WithPrevious] adds the previous
// keys, which are tried after the current one.
//
// The zero value is not usable: use [NewDecrypter] (or [PFX.Decrypter],
// [SM2Credential.Decrypter]). A zero or nil *Decrypter returns an error from
// Decrypt; [Decrypter.Check] tells it apart cheaply.
type Decrypter struct {
	key  crypto.Decrypter
	sm2  bool         // the key is SM2: ciphertexts are 04||X||Y||C3||C2
	size int          // RSA: the modulus's length in bytes, every ciphertext's
	prev []*Decrypter // WithPrevious: tried in order after key; none has prev of its own
}

// DecryptError reports a well-formed ciphertext (base64, no longer than a
// configured key's) that does not decrypt with the [Decrypter]'s key nor
// with any of its previous keys ([Decrypter.WithPrevious]), or whose every
// plaintext the check of [Decrypter.DecryptValid] refused: most likely data
// encrypted to another certificate, such as the merchant's before a renewal
// that is not configured as a previous key. A ciphertext that is not base64,
// is empty or is longer than every configured key's is another error.
//
// It tells nothing of why a key refused the ciphertext (an RSA PKCS#1 v1.5
// padding check, an SM2 digest, a device's own error), and wraps no error, so
// that what a caller logs or answers is no decryption oracle.
type DecryptError struct {
	// Keys is the number of keys configured: 1 for a Decrypter without
	// previous keys.
	Keys int
}

// Error says that the ciphertext does not decrypt with the configured keys.
func (e *DecryptError) Error() string {
	if e.Keys <= 1 {
		return "cert: decrypt: the ciphertext does not decrypt with the key (encrypted to another certificate?)"
	}
	return fmt.Sprintf("cert: decrypt: the ciphertext does not decrypt with any of the %d keys "+
		"(encrypted to another certificate?)", e.Keys)
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
	return &Decrypter{key: key, size: (rsaPub.N.BitLen() + 7) / 8}, nil
}

// WithPrevious returns a Decrypter that decrypts with d's key and, for a
// ciphertext that does not decrypt with it, with the keys of prev in turn
// (each one's own previous keys after it; a key given twice is tried once):
// after a renewal of the merchant's PFX, the new PFX's Decrypter with the old
// one's, so that data UnionPay still encrypts to the old certificate
// decrypts. d is not changed. Its Public is d's, so it may be
// unionpay.Config.Decrypter next to the new Signer.
//
// A ciphertext is given only to the keys it fits (an RSA ciphertext is no
// longer than the key's modulus), and one that no key decrypts is a
// [*DecryptError]. A key that decrypts another key's ciphertext into garbage
// (PKCS#1 v1.5 lets about one in 50,000 to 100,000 through) ends the search in
// Decrypt; [Decrypter.DecryptValid] checks each plaintext and goes on.
// Remove the previous keys once UnionPay no longer answers for orders signed
// under the old certificate.
//
// A nil or unusable d or prev, or a prev of another algorithm than d's (SM2
// and RSA), is an error.
func (d *Decrypter) WithPrevious(prev ...*Decrypter) (*Decrypter, error) {
	if err := d.Check(); err != nil {
		return nil, err
	}
	out := &Decrypter{key: d.key, sm2: d.sm2, size: d.size}
	seen := []*Decrypter{d}
	add := func(k *Decrypter) {
		for _, s := range seen {
			if samePublic(s, k) {
				return
			}
		}
		seen = append(seen, k)
		out.prev = append(out.prev, &Decrypter{key: k.key, sm2: k.sm2, size: k.size})
	}
	for _, p := range d.prev {
		add(p)
	}
	for i, p := range prev {
		if p.Check() != nil {
			return nil, fmt.Errorf("cert: WithPrevious: previous Decrypter %d is not initialised: use NewDecrypter", i)
		}
		if p.sm2 != d.sm2 {
			return nil, fmt.Errorf("cert: WithPrevious: previous Decrypter %d is %s, the current one %s", i,
				algorithmName(p.sm2), algorithmName(d.sm2))
		}
		add(p)
		for _, pp := range p.prev {
			add(pp)
		}
	}
	return out, nil
}

// samePublic reports whether a and b hold the same public key.
func samePublic(a, b *Decrypter) bool {
	pub, ok := a.key.Public().(interface{ Equal(crypto.PublicKey) bool })
	return ok && pub.Equal(b.key.Public())
}

// algorithmName names an SM2 or RSA key's algorithm.
func algorithmName(sm2 bool) string {
	if sm2 {
		return AlgorithmSM2
	}
	return AlgorithmRSA
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
// signer's. The previous keys of [Decrypter.WithPrevious] are not it.
func (d *Decrypter) Public() crypto.PublicKey {
	if d.Check() != nil {
		return nil
	}
	return d.key.Public()
}

// Decrypt base64-decodes b64 (line breaks are ignored) and decrypts it with
// RSA PKCS#1 v1.5, or for an SM2 key with SM2 (04||X||Y||C3||C2), with d's
// key, then its previous keys ([Decrypter.WithPrevious]). A ciphertext no key
// decrypts is a [*DecryptError]; one that is not base64, is empty or is longer
// than every key's is another error. The error never includes the plaintext.
func (d *Decrypter) Decrypt(b64 string) (string, error) {
	plain, err := d.decrypt(b64)
	return string(plain), err
}

// DecryptValid decrypts b64 as Decrypt does, but takes a key's plaintext
// only if valid reports true for it, and otherwise tries the next key, as
// for a ciphertext the key did not decrypt: a wrong key's garbage, which
// PKCS#1 v1.5 sometimes lets through, is not taken for the plaintext.
// unionpay.Client.DecryptAccNo and notify.Notification.DecryptAccNo check
// that an accNo's is a card number so. A plaintext no key gives that valid
// accepts is a [*DecryptError]. A nil valid accepts any.
func (d *Decrypter) DecryptValid(b64 string, valid func(plain string) bool) (string, error) {
	plain, err := d.decryptValid(b64, valid)
	return string(plain), err
}

// decrypt is Decrypt's, the plaintext as bytes.
func (d *Decrypter) decrypt(b64 string) ([]byte, error) { return d.decryptValid(b64, nil) }

// decryptValid is DecryptValid's, the plaintext as bytes.
func (d *Decrypter) decryptValid(b64 string, valid func(plain string) bool) ([]byte, error) {
	if err := d.Check(); err != nil {
		return nil, err
	}
	clean := strings.NewReplacer("\r", "", "\n", "").Replace(b64)
	ct, err := base64.StdEncoding.DecodeString(clean)
	if err != nil {
		return nil, fmt.Errorf("cert: decrypt: ciphertext is not base64: %w", err)
	}
	if len(ct) == 0 {
		return nil, errors.New("cert: decrypt: empty ciphertext")
	}
	fits := false
	for i := -1; i < len(d.prev); i++ {
		k := d
		if i >= 0 {
			k = d.prev[i]
		}
		if !k.fits(ct) {
			continue
		}
		fits = true
		// The key's error is dropped: why it refused is no one's business (no oracle).
		if plain, err := k.open(ct); err == nil && (valid == nil || valid(string(plain))) {
			return plain, nil
		}
	}
	if !fits {
		return nil, d.sizeError(len(ct))
	}
	return nil, &DecryptError{Keys: 1 + len(d.prev)}
}

// fits reports whether ct may be a ciphertext of d's key: for RSA, no longer than its modulus
// (a shorter one is a ciphertext whose leading zero bytes an encoder dropped, which
// crypto/rsa, like Java's Cipher, reads as the number it is; open gives it to the key at the
// modulus's length).
func (d *Decrypter) fits(ct []byte) bool {
	if d.sm2 {
		return sm2Fits(ct)
	}
	return len(ct) <= d.size
}

// open decrypts ct with d's key alone.
func (d *Decrypter) open(ct []byte) ([]byte, error) {
	if d.sm2 {
		return sm2Open(d.key, ct)
	}
	if len(ct) < d.size {
		// The same number at the modulus's length, which a device's key (PKCS#11's CKM_RSA_PKCS)
		// requires, as crypto/rsa does not.
		padded := make([]byte, d.size)
		copy(padded[d.size-len(ct):], ct)
		ct = padded
	}
	//lint:ignore SA1019 UnionPay encrypts accNo and customerInfo with RSA PKCS #1 v1.5.
	return d.key.Decrypt(rand.Reader, ct, &rsa.PKCS1v15DecryptOptions{})
}

// sizeError reports a ciphertext of n bytes that fits none of d's keys.
func (d *Decrypter) sizeError(n int) error {
	if d.sm2 {
		return sm2SizeError(n)
	}
	msg := fmt.Sprintf("cert: decrypt: %d bytes, longer than a ciphertext of the %d-bit key", n, d.size*8)
	for i, p := range d.prev {
		if p.size != d.size && !slices.ContainsFunc(d.prev[:i], func(q *Decrypter) bool { return q.size == p.size }) {
			msg += fmt.Sprintf(" or of the %d-bit one", p.size*8)
		}
	}
	return errors.New(msg)
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

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
	"strings"

	"github.com/emmansun/gmsm/sm2"
)

// Encrypter encrypts sensitive fields (accNo, the PIN block, customerInfo's
// encryptedInfo) for UnionPay with the public key of UnionPay's encryption
// certificate, as RSA PKCS#1 v1.5 encoded in base64, or, for an SM2
// certificate (国密), as SM2 encryption laid out 04||X||Y||C3||C2 in base64
// like UnionPay's gm SDK. Ciphertexts are randomised, so the same input
// encrypts differently each time. An Encrypter is safe for concurrent use.
type Encrypter struct {
	cert   *x509.Certificate
	pub    *rsa.PublicKey
	sm2    *ecdsa.PublicKey // instead of pub for an SM2 certificate
	certID string
}

// NewEncrypter returns an Encrypter for UnionPay's encryption certificate c
// (acp_prod_enc.cer, or the encryptPubKeyCert of a txnType 95 response
// checked with [Verifier.ValidateEncryptionCertificate]). The key must be
// RSA or SM2. Validity is not checked here.
func NewEncrypter(c *x509.Certificate) (*Encrypter, error) {
	if c == nil {
		return nil, errors.New("cert: NewEncrypter: nil certificate")
	}
	if isSM2Certificate(c) {
		return &Encrypter{cert: c, sm2: sm2PublicKey(c), certID: CertID(c)}, nil
	}
	pub, ok := c.PublicKey.(*rsa.PublicKey)
	if !ok {
		return nil, fmt.Errorf("cert: NewEncrypter: certificate key is %T, want RSA or SM2", c.PublicKey)
	}
	return &Encrypter{cert: c, pub: pub, certID: CertID(c)}, nil
}

// CertID returns the encryptCertId to send with encrypted fields: the
// encryption certificate's serial number in decimal.
func (e *Encrypter) CertID() string { return e.certID }

// Certificate returns the encryption certificate.
func (e *Encrypter) Certificate() *x509.Certificate { return e.cert }

// Encrypt returns base64(RSA-PKCS1v15-encrypt(plain)), the value to send for
// an encrypted field such as accNo. plain is encrypted as its UTF-8 bytes.
func (e *Encrypter) Encrypt(plain string) (string, error) {
	return e.encrypt([]byte(plain))
}

func (e *Encrypter) encrypt(plain []byte) (string, error) {
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
type Decrypter struct {
	key crypto.Decrypter
	sm2 bool // the key is SM2: ciphertexts are 04||X||Y||C3||C2
}

// NewDecrypter returns a Decrypter over key, whose public key must be RSA or
// SM2 (the key of a .sm2 file, [SM2Credential.Decrypter]). Keys held in an
// HSM work if they implement crypto.Decrypter with PKCS#1 v1.5 decryption
// (RSA) or, for SM2, accept gmsm's *sm2.DecrypterOpts (C1C3C2).
func NewDecrypter(key crypto.Decrypter) (*Decrypter, error) {
	if key == nil {
		return nil, errors.New("cert: NewDecrypter: nil key")
	}
	if sm2.IsSM2PublicKey(key.Public()) {
		return &Decrypter{key: key, sm2: true}, nil
	}
	if _, ok := key.Public().(*rsa.PublicKey); !ok {
		return nil, fmt.Errorf("cert: NewDecrypter: key is %T, want RSA or SM2", key.Public())
	}
	return &Decrypter{key: key}, nil
}

// Decrypt base64-decodes b64 (line breaks are ignored) and decrypts it with
// RSA PKCS#1 v1.5. The error never includes the plaintext.
func (d *Decrypter) Decrypt(b64 string) (string, error) {
	plain, err := d.decrypt(b64)
	return string(plain), err
}

func (d *Decrypter) decrypt(b64 string) ([]byte, error) {
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

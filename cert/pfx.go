package cert

import (
	"crypto"
	"crypto/rsa"
	"crypto/x509"
	"errors"
	"fmt"
	"strings"

	"software.sslmate.com/src/go-pkcs12"

	"github.com/goacp/unionpay/sign"
)

// PFX is the content of a merchant's PKCS#12 (.pfx) signing file: the RSA
// private key, the certificate that matches it and any other certificates
// the file carries. [LoadPFX] fills it in; a PFX built by hand needs Key
// (and, for Signer, Certificate): Signer and Decrypter otherwise return an
// error naming the missing field, as they do for a nil *PFX.
type PFX struct {
	// Key is the private key; it is an *rsa.PrivateKey, which is also a
	// crypto.Decrypter.
	Key crypto.Signer
	// Certificate is the certificate whose public key matches Key; its
	// serial number is the certId.
	Certificate *x509.Certificate
	// CACerts holds the file's other certificates, in file order.
	CACerts []*x509.Certificate
}

// errDecoderPanic is wrapped by LoadPFX's error when the PKCS#12 decoder
// panicked on the file, which is a bug in the decoder: the fuzz test looks
// for it.
var errDecoderPanic = errors.New("cert: PFX decoder failed on malformed input")

// LoadPFX decodes a PKCS#12 file protected by password, including the legacy
// encodings UnionPay's tools produce (3DES keys, RC2-40 certificate bags),
// and files that hold several certificates: the certificate whose public key
// matches the private key is chosen, wherever it sits in the file.
//
// A wrong password is an error matching [ErrPassword] (and
// pkcs12.ErrIncorrectPassword); a corrupt file is an ordinary error, which
// says so when the file is a certificate (a .cer given for the .pfx), a CFCA
// .sm2 file, or base64 text of a PFX (as a secret store or an environment
// variable holds it: decode it first), and a wrong password says so when
// the one given begins or ends with white space. The key must be RSA.
//
// The key derivations run as many iterations as the file states, and cannot
// be interrupted; so before decoding, LoadPFX refuses a file that states an
// iteration count below 1 or above 1,000,000 for its MAC, its encrypted
// data or its shrouded key bag, with an error matching [ErrPFXIterations]
// that names the count. Real files state far less (OpenSSL 3: 2048, Java:
// 10,000, 100,000 in older versions; OWASP advises 600,000 for PBKDF2); a
// file at the limit loads in about half a second, where 2^31-1 iterations
// would take an hour.
// A shrouded key bag inside encrypted data cannot be checked before it is
// decrypted; the usual tools put the key bag outside.
func LoadPFX(data []byte, password string) (pfx *PFX, err error) {
	defer func() {
		// The decoder handles untrusted bytes; a bug in it must not take the
		// caller down.
		if r := recover(); r != nil {
			pfx, err = nil, fmt.Errorf("%w: %v", errDecoderPanic, r)
		}
	}()
	if err := checkPFXIterations(data); err != nil {
		return nil, err
	}
	key, leaf, others, err := pkcs12.DecodeChain(data, password)
	if errors.Is(err, pkcs12.ErrIncorrectPassword) {
		if strings.TrimSpace(password) != password {
			// Never the password itself: only that it has white space at an end.
			return nil, fmt.Errorf("%w (the password given begins or ends with white space, such as the line "+
				"break of a secret written with echo): %w", ErrPassword, err)
		}
		return nil, fmt.Errorf("%w: %w", ErrPassword, err)
	}
	if err != nil && looksLikeSM2File(data) && !looksLikePFX(data) { // a PFX typed with SM2's OID stays a PFX
		return nil, fmt.Errorf("cert: not a PKCS#12 (.pfx) file but a CFCA .sm2 file: use LoadSM2 or LoadSM2File: %w", err)
	}
	if err != nil && !looksLikePFX(data) {
		if der, ok := base64Text(data); ok && looksLikePFX(der) {
			return nil, fmt.Errorf("cert: PFX is %s: %w", hintBase64, err)
		}
		if c, cerr := ParseCertificate(data); cerr == nil {
			return nil, fmt.Errorf("cert: not a PKCS#12 (.pfx) file but a certificate (CN=%q), which holds no "+
				"private key: the signing key is in the merchant's .pfx file: %w", c.Subject.CommonName, err)
		}
	}
	if err != nil {
		return nil, fmt.Errorf("cert: reading PFX: %w", err)
	}
	rsaKey, ok := key.(*rsa.PrivateKey)
	if !ok {
		return nil, fmt.Errorf("cert: PFX key is %T, want an RSA key", key)
	}
	all := append([]*x509.Certificate{leaf}, others...)
	for i, c := range all {
		if pub, ok := c.PublicKey.(*rsa.PublicKey); ok && rsaKey.PublicKey.Equal(pub) {
			rest := append(append([]*x509.Certificate{}, all[:i]...), all[i+1:]...)
			return &PFX{Key: rsaKey, Certificate: c, CACerts: rest}, nil
		}
	}
	return nil, fmt.Errorf("cert: none of the %d certificates in the PFX matches its private key", len(all))
}

// LoadPFXFile reads a PKCS#12 file and decodes it with [LoadPFX].
func LoadPFXFile(path, password string) (*PFX, error) {
	data, err := readFile(path)
	if err != nil {
		return nil, err
	}
	p, err := LoadPFX(data, password)
	if err != nil {
		return nil, fmt.Errorf("%w (file %s)", err, path)
	}
	return p, nil
}

// CertID returns the certId of the merchant certificate: its serial number in
// decimal; "" without a certificate.
func (p *PFX) CertID() string {
	if p == nil {
		return ""
	}
	return CertID(p.Certificate)
}

// Signer returns a signMethod 01 signer over the PFX key that sends the
// PFX certificate's certId, and holds the certificate
// ([sign.RSASigner.Certificate], which unionpay.Client.Expiries lists). The
// certificate's public key must be Key's: a certificate that does not match
// is an error (the gateway would refuse every request with it). On error the *RSASigner is nil; a nil *RSASigner
// stored in a sign.Signer is refused by [sign.CheckSigner] and [sign.Sign].
func (p *PFX) Signer() (*sign.RSASigner, error) {
	if err := p.checkKey(); err != nil {
		return nil, err
	}
	if p.Certificate == nil {
		return nil, errors.New("cert: PFX.Certificate is nil")
	}
	s, err := sign.NewRSASigner(p.Key, p.CertID())
	if err != nil {
		return nil, fmt.Errorf("cert: PFX.Signer: %w", err)
	}
	if c, ok := p.Certificate.PublicKey.(*rsa.PublicKey); !ok || c == nil || c.N == nil || !s.Public().Equal(c) {
		// Every request would carry this certificate's certId and another key's signature.
		return nil, fmt.Errorf("cert: PFX.Certificate (certId %s) does not match PFX.Key", p.CertID())
	}
	return s.WithCertificate(p.Certificate)
}

// checkKey reports a missing PFX or key, including a nil pointer in the
// interface such as (*rsa.PrivateKey)(nil).
func (p *PFX) checkKey() error {
	switch {
	case p == nil:
		return errors.New("cert: nil *PFX: use LoadPFX")
	case p.Key == nil || isNil(p.Key):
		return errors.New("cert: PFX.Key is nil")
	}
	return nil
}

// Decrypter returns a decrypter for data UnionPay encrypts to the merchant's
// signing certificate (accNo in notifications, encryptedInfo).
func (p *PFX) Decrypter() (*Decrypter, error) {
	if err := p.checkKey(); err != nil {
		return nil, err
	}
	d, ok := p.Key.(crypto.Decrypter)
	if !ok {
		return nil, fmt.Errorf("cert: PFX key %T cannot decrypt", p.Key)
	}
	return NewDecrypter(d)
}

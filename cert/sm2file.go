package cert

import (
	"bytes"
	"crypto/cipher"
	"crypto/x509"
	"encoding/asn1"
	"encoding/base64"
	"errors"
	"fmt"
	"math/big"

	"github.com/emmansun/gmsm/kdf"
	"github.com/emmansun/gmsm/padding"
	"github.com/emmansun/gmsm/sm2"
	"github.com/emmansun/gmsm/sm3"
	"github.com/emmansun/gmsm/sm4"

	"github.com/goacp/unionpay/sign"
)

// Object identifiers of the CFCA .sm2 format.
var (
	oidSM2Data = asn1.ObjectIdentifier{1, 2, 156, 10197, 6, 1, 4, 2, 1} // data content type
	oidSM4     = asn1.ObjectIdentifier{1, 2, 156, 10197, 1, 104}        // SM4 (CBC here)
)

// sm2KeySize is the length of an SM2 private scalar.
const sm2KeySize = 32

// SM2Credential is the content of a merchant's CFCA .sm2 signing file (the
// 国密 counterpart of a [PFX]): the SM2 private key and its certificate.
// [LoadSM2] fills it in; one built by hand needs Key and Certificate for
// Signer, and Key for Decrypter, which otherwise return an error naming the
// missing field (so does a nil *SM2Credential).
type SM2Credential struct {
	// Key is the private key. It is a crypto.Signer for
	// [sign.NewSM2Signer] and a crypto.Decrypter for data UnionPay
	// encrypts to the merchant.
	Key *sm2.PrivateKey
	// Certificate is the certificate the file carries, whose public key is
	// Key's; its serial number is the certId. It is parsed with gmsm's
	// smx509 (crypto/x509 cannot parse SM2 keys), so its SignatureAlgorithm
	// is smx509's numbering.
	Certificate *x509.Certificate
}

// sm2File is the ASN.1 layout of a CFCA .sm2 file, as UnionPay's gm SDK
// reads it.
type sm2File struct {
	Version int
	Key     struct {
		ContentType asn1.ObjectIdentifier
		Cipher      asn1.ObjectIdentifier
		Encrypted   []byte
	}
	Cert struct {
		ContentType asn1.ObjectIdentifier
		DER         []byte
	}
}

// LoadSM2 decodes a CFCA .sm2 file (base64 text, line breaks allowed; raw
// DER is accepted too) protected by password, as UnionPay's gm SDK reads
// acp_*_sign.sm2: the private key is SM4-CBC encrypted with PKCS#7 padding
// under K = SM3-KDF(password, 32 bytes), IV = K[0:16], key = K[16:32].
//
// A wrong password is an error matching [ErrPassword]; since the format has
// no integrity check, an encrypted key damaged so that it does not decrypt
// is reported the same way. Other damage is an ordinary error. The decrypted
// key must match the certificate's public key: one that does not (the
// password right, the key and certificate not a pair) is an error that does
// not match ErrPassword.
func LoadSM2(data []byte, password string) (*SM2Credential, error) {
	der, err := sm2FileDER(data)
	if err != nil || !looksLikeSM2File(data) {
		// A certificate (.cer, PEM or DER) given for the key file: say so, as LoadPFX does.
		if c, cerr := ParseCertificate(data); cerr == nil {
			return nil, fmt.Errorf("cert: not a .sm2 file but a certificate (CN=%q), which holds no "+
				"private key: the SM2 signing key is in the merchant's .sm2 file", c.Subject.CommonName)
		}
	}
	if err != nil {
		return nil, err
	}
	var f sm2File
	rest, err := asn1.Unmarshal(der, &f)
	switch {
	case err != nil && looksLikePFX(der):
		// asn1's error (a dump of struct tags) says nothing the kind of file does not.
		return nil, errors.New("cert: not a .sm2 file but a PKCS#12 (.pfx) file: use LoadPFX or LoadPFXFile")
	case err != nil:
		return nil, fmt.Errorf("cert: .sm2 file is not the CFCA ASN.1 structure: %w", err)
	case len(rest) != 0:
		return nil, errors.New("cert: .sm2 file has trailing data")
	case f.Version != 1:
		return nil, fmt.Errorf("cert: .sm2 file version %d, want 1", f.Version)
	case !f.Key.ContentType.Equal(oidSM2Data) || !f.Cert.ContentType.Equal(oidSM2Data):
		return nil, errors.New("cert: .sm2 file content type is not 1.2.156.10197.6.1.4.2.1")
	case !f.Key.Cipher.Equal(oidSM4):
		return nil, fmt.Errorf("cert: .sm2 file key cipher %s, want SM4 (1.2.156.10197.1.104)", f.Key.Cipher)
	}
	c, err := ParseSM2Certificate(f.Cert.DER)
	if err != nil {
		return nil, fmt.Errorf("cert: .sm2 file certificate: %w", err)
	}
	d, exact, err := decryptSM2Key(f.Key.Encrypted, password)
	if err != nil {
		return nil, err
	}
	key, err := sm2KeyFor(d, c)
	if err != nil && !exact {
		return nil, sm2PasswordError("the key does not decrypt")
	}
	if err != nil {
		return nil, err
	}
	return &SM2Credential{Key: key, Certificate: c}, nil
}

// MarshalSM2 encodes a key and its certificate as a CFCA .sm2 file protected by password, the
// format [LoadSM2] reads (base64 text in lines of 76 characters, each ended by LF): for tests and
// fakes that hand out SM2 credentials as UnionPay's merchants get them. The key must be the
// certificate's.
func MarshalSM2(cred *SM2Credential, password string) ([]byte, error) {
	if err := cred.checkKey(); err != nil {
		return nil, err
	}
	if cred.Certificate == nil {
		return nil, errors.New("cert: MarshalSM2: SM2Credential.Certificate is nil")
	}
	if k := sm2Public(cred.Certificate.PublicKey); k == nil || !cred.Key.PublicKey.Equal(k) {
		return nil, errors.New("cert: MarshalSM2: the certificate's public key is not the key's")
	}
	return marshalSM2(cred.Key.D.FillBytes(make([]byte, sm2KeySize)), cred.Certificate.Raw, password)
}

// marshalSM2 encodes the private scalar d (as written, however long) and a certificate's DER as
// a .sm2 file under password, unchecked: MarshalSM2's encoding, which tests also give keys and
// certificates that do not match.
func marshalSM2(d, certDER []byte, password string) ([]byte, error) {
	k := kdf.Kdf(sm3.New(), []byte(password), 2*sm4.BlockSize)
	block, err := sm4.NewCipher(k[sm4.BlockSize:])
	if err != nil {
		return nil, fmt.Errorf("cert: .sm2 key cipher: %w", err)
	}
	plain := padding.NewPKCS7Padding(sm4.BlockSize).Pad(d)
	enc := make([]byte, len(plain))
	cipher.NewCBCEncrypter(block, k[:sm4.BlockSize]).CryptBlocks(enc, plain)
	var f sm2File
	f.Version = 1
	f.Key.ContentType, f.Key.Cipher, f.Key.Encrypted = oidSM2Data, oidSM4, enc
	f.Cert.ContentType, f.Cert.DER = oidSM2Data, certDER
	der, err := asn1.Marshal(f)
	if err != nil {
		return nil, fmt.Errorf("cert: encode .sm2 file: %w", err)
	}
	b64 := base64.StdEncoding.EncodeToString(der)
	var out bytes.Buffer
	for len(b64) > 76 {
		out.WriteString(b64[:76] + "\n")
		b64 = b64[76:]
	}
	out.WriteString(b64 + "\n")
	return out.Bytes(), nil
}

// LoadSM2File reads a CFCA .sm2 file and decodes it with [LoadSM2].
func LoadSM2File(path, password string) (*SM2Credential, error) {
	data, err := readFile(path)
	if err != nil {
		return nil, err
	}
	cred, err := LoadSM2(data, password)
	if err != nil {
		return nil, fmt.Errorf("%w (file %s)", err, path)
	}
	return cred, nil
}

// CertID returns the certId of the merchant certificate: its serial number
// in decimal; "" without a certificate.
func (c *SM2Credential) CertID() string {
	if c == nil {
		return ""
	}
	return CertID(c.Certificate)
}

// Signer returns a signMethod 21 signer over the key that sends the
// certificate's certId (also the SM2 user ID), and holds the certificate
// ([sign.SM2Signer.Certificate], which unionpay.Client.Expiries lists). The
// certificate's public key must be Key's: a certificate that does not match
// is an error. On error the *SM2Signer is nil; a nil *SM2Signer stored in a
// sign.Signer is refused by [sign.CheckSigner] and [sign.Sign].
func (c *SM2Credential) Signer() (*sign.SM2Signer, error) {
	if err := c.checkKey(); err != nil {
		return nil, err
	}
	if c.Certificate == nil {
		return nil, errors.New("cert: SM2Credential.Certificate is nil")
	}
	s, err := sign.NewSM2Signer(c.Key, c.CertID())
	if err != nil {
		return nil, fmt.Errorf("cert: SM2Credential.Signer: %w", err)
	}
	if k := sm2Public(c.Certificate.PublicKey); k == nil || !s.Public().Equal(k) {
		// Every request would carry this certificate's certId and another key's signature.
		return nil, fmt.Errorf("cert: SM2Credential.Certificate (certId %s) does not match SM2Credential.Key", c.CertID())
	}
	return s.WithCertificate(c.Certificate)
}

// Decrypter returns a decrypter for data UnionPay encrypts to the merchant's
// SM2 certificate (accNo in notifications, encryptedInfo).
func (c *SM2Credential) Decrypter() (*Decrypter, error) {
	if err := c.checkKey(); err != nil {
		return nil, err
	}
	return NewDecrypter(c.Key)
}

// checkKey reports a missing credential or key, or a key without its private
// scalar, which gmsm would dereference.
func (c *SM2Credential) checkKey() error {
	switch {
	case c == nil:
		return errors.New("cert: nil *SM2Credential: use LoadSM2")
	case c.Key == nil:
		return errors.New("cert: SM2Credential.Key is nil")
	case c.Key.D == nil || c.Key.D.Sign() <= 0:
		return errors.New("cert: SM2Credential.Key has no private scalar")
	}
	return nil
}

// sm2FileDER returns the DER bytes of a .sm2 file given as base64 text
// (white space ignored, as commons-codec does) or as DER.
func sm2FileDER(data []byte) ([]byte, error) {
	if len(data) > maxFileSize {
		return nil, fmt.Errorf("cert: .sm2 file is larger than %d bytes", maxFileSize)
	}
	if len(data) > 0 && data[0] == 0x30 { // DER SEQUENCE; '0' never starts these files' base64
		return data, nil
	}
	der, err := decodeBase64Text(data)
	if err != nil {
		return nil, fmt.Errorf("cert: .sm2 file is neither base64 nor DER: %w", err)
	}
	if len(der) == 0 {
		return nil, errors.New("cert: .sm2 file is empty")
	}
	return der, nil
}

// decryptSM2Key returns the private scalar encrypted in a .sm2 file, as 32
// bytes. CFCA writes 32; a key whose top byte is zero may also be written in
// 31 bytes, or in 33 with a leading zero (a Java BigInteger's bytes), which
// UnionPay's gm SDK reads too: exact is false for those. A wrong password
// decrypts to 32 bytes and a full block of padding with a chance of 2^-128,
// to 31 bytes and one byte of padding with one of 2^-8: so a key of another
// length that does not match its certificate is a wrong password.
func decryptSM2Key(enc []byte, password string) (d []byte, exact bool, err error) {
	if len(enc) == 0 || len(enc)%sm4.BlockSize != 0 || len(enc) > 4*sm4.BlockSize {
		return nil, false, fmt.Errorf("cert: .sm2 file encrypted key is %d bytes, want a few SM4 blocks", len(enc))
	}
	k := kdf.Kdf(sm3.New(), []byte(password), 2*sm4.BlockSize)
	block, err := sm4.NewCipher(k[sm4.BlockSize:])
	if err != nil {
		return nil, false, fmt.Errorf("cert: .sm2 key cipher: %w", err)
	}
	plain := make([]byte, len(enc))
	cipher.NewCBCDecrypter(block, k[:sm4.BlockSize]).CryptBlocks(plain, enc)
	d, err = padding.NewPKCS7Padding(sm4.BlockSize).Unpad(plain)
	switch {
	case err != nil: // bad padding: almost surely the wrong password
	case len(d) == sm2KeySize:
		return d, true, nil
	case len(d) == sm2KeySize-1:
		return append([]byte{0}, d...), false, nil
	case len(d) == sm2KeySize+1 && d[0] == 0:
		return d[1:], false, nil
	}
	return nil, false, sm2PasswordError("the key does not decrypt")
}

// sm2KeyFor builds the private key of scalar d and checks that its public
// key is the certificate's.
func sm2KeyFor(d []byte, c *x509.Certificate) (*sm2.PrivateKey, error) {
	n := sm2.P256().Params().N
	k := new(big.Int).SetBytes(d)
	// For a key written in 32 bytes the password is right by now (a wrong one yields them and
	// their full block of padding with a chance of 2^-128). So these are a damaged file, or a
	// key and a certificate that are not a pair, never ErrPassword; LoadSM2 reports a wrong
	// password for a key written in another length.
	if k.Sign() == 0 || k.Cmp(new(big.Int).Sub(n, big.NewInt(1))) >= 0 {
		return nil, errors.New("cert: .sm2 file's key is out of range for SM2: the file is damaged")
	}
	key := new(sm2.PrivateKey)
	key.D = k
	key.Curve = sm2.P256()
	//lint:ignore SA1019 gmsm v0.15.5 has no SM2 key constructor from a scalar; its curve computes the point.
	key.X, key.Y = key.Curve.ScalarBaseMult(d)
	if !key.PublicKey.Equal(c.PublicKey) {
		return nil, fmt.Errorf("cert: .sm2 file's key (the password is right) does not match its certificate %s: "+
			"they are not a pair (a renewed certificate with the old key?)", CertID(c))
	}
	return key, nil
}

// sm2PasswordError reports a .sm2 key that does not decrypt to the
// certificate's key: a wrong password, or a damaged key, which the format
// cannot tell apart. It matches [ErrPassword].
type sm2PasswordError string

func (e sm2PasswordError) Error() string { return "cert: wrong .sm2 password: " + string(e) }

func (e sm2PasswordError) Is(target error) bool { return target == ErrPassword }

// looksLikePFX reports whether der starts as a PKCS#12 file does: a SEQUENCE whose first element
// is the INTEGER 3 (its version).
func looksLikePFX(der []byte) bool {
	if len(der) < 5 || der[0] != 0x30 {
		return false
	}
	i := 2
	if der[1]&0x80 != 0 {
		i += int(der[1] & 0x7f)
	}
	return i+3 <= len(der) && der[i] == 0x02 && der[i+1] == 0x01 && der[i+2] == 0x03
}

// looksLikeSM2File reports whether data is a CFCA .sm2 file (base64 or DER of a structure naming
// its OID), for a clearer error when one is given as a PFX.
func looksLikeSM2File(data []byte) bool {
	der, err := sm2FileDER(data)
	if err != nil {
		return false
	}
	oid, err := asn1.Marshal(oidSM2Data)
	return err == nil && bytes.Contains(der, oid)
}

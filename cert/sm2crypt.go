package cert

import (
	"crypto"
	"crypto/ecdsa"
	"crypto/rand"
	"encoding/base64"
	"fmt"
	"strings"

	"github.com/emmansun/gmsm/sm2"
	"github.com/emmansun/gmsm/sm3"
)

// sm2C1Size is the length of C1, the uncompressed point 0x04 || X || Y, in
// UnionPay's SM2 ciphertexts.
const sm2C1Size = 1 + 2*32

// sm2MinPlain is the shortest plaintext sm2Encrypt takes. gmsm (v0.15.5, and
// still v0.44.0) redraws k when the KDF output is all zero (step A5 of GB/T
// 32918.4, one chance in 2^(8n) for n bytes) after overwriting its copy of
// the public point, so that the ciphertext decrypts under no key: about one
// 1-byte ciphertext in 256 (a live run against UnionPay's gm SDK found 19 in
// 2,000 that neither side could decrypt). UnionPay's encrypted fields (card
// numbers, PIN blocks, encryptedInfo) are 8 bytes or more, for which the
// chance is at most 2^-64.
const sm2MinPlain = 8

// sm2Encrypt encrypts plain to pub with SM2 public-key encryption and
// returns base64(C1 || C3 || C2), with C1 = 0x04 || X || Y (65 bytes),
// C3 = the 32-byte SM3 hash and C2 as long as plain: the layout UnionPay's
// gm SDK produces (BouncyCastle's C1C2C3 output, reordered). Ciphertexts are
// randomised.
func sm2Encrypt(pub *ecdsa.PublicKey, plain []byte) (string, error) {
	if len(plain) < sm2MinPlain {
		return "", fmt.Errorf("cert: SM2 encrypt: %d bytes, want at least %d (a shorter SM2 ciphertext may not decrypt)",
			len(plain), sm2MinPlain)
	}
	ct, err := sm2.Encrypt(rand.Reader, pub, plain, sm2.NewPlainEncrypterOpts(sm2.MarshalUncompressed, sm2.C1C3C2))
	if err != nil {
		// Never echo the plaintext.
		return "", fmt.Errorf("cert: SM2 encrypting %d bytes: %w", len(plain), err)
	}
	return base64.StdEncoding.EncodeToString(ct), nil
}

// sm2Decrypt base64-decodes b64 (line breaks ignored) and decrypts the
// C1 || C3 || C2 ciphertext, C1 uncompressed, with key, which must be an SM2
// key that understands gmsm's *sm2.DecrypterOpts (an *sm2.PrivateKey does).
// Other layouts (C1C2C3, ASN.1, compressed points) are refused. The error
// never includes the plaintext.
func sm2Decrypt(key crypto.Decrypter, b64 string) ([]byte, error) {
	clean := strings.NewReplacer("\r", "", "\n", "").Replace(b64)
	ct, err := base64.StdEncoding.DecodeString(clean)
	if err != nil {
		return nil, fmt.Errorf("cert: decrypt: ciphertext is not base64: %w", err)
	}
	if !sm2Fits(ct) {
		return nil, sm2SizeError(len(ct))
	}
	plain, err := sm2Open(key, ct)
	if err != nil {
		return nil, fmt.Errorf("cert: decrypt: SM2: %w", err)
	}
	return plain, nil
}

// sm2Fits reports whether ct is laid out as an SM2 ciphertext 04||X||Y||C3||C2 can be, with at
// least one byte of C2.
func sm2Fits(ct []byte) bool { return len(ct) > sm2C1Size+sm3.Size && ct[0] == 0x04 }

// sm2SizeError reports n bytes that are not an SM2 ciphertext.
func sm2SizeError(n int) error {
	return fmt.Errorf("cert: decrypt: %d bytes are not an SM2 ciphertext 04||X||Y||C3||C2", n)
}

// sm2Open decrypts the ciphertext ct, C1 || C3 || C2 with C1 uncompressed,
// with key.
func sm2Open(key crypto.Decrypter, ct []byte) ([]byte, error) {
	return key.Decrypt(rand.Reader, ct, sm2.NewPlainDecrypterOpts(sm2.C1C3C2))
}

package cert

import (
	"crypto"
	"crypto/rand"
	"crypto/rsa"
	"encoding/base64"
	"errors"
	"io"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// deviceKey is an RSA key as a PKCS#11 device offers it through crypto.Decrypter: CKM_RSA_PKCS
// takes a ciphertext of exactly the modulus's length, and refuses a shorter one.
type deviceKey struct{ key *rsa.PrivateKey }

func (k deviceKey) Public() crypto.PublicKey { return &k.key.PublicKey }

func (k deviceKey) Decrypt(r io.Reader, ct []byte, opts crypto.DecrypterOpts) ([]byte, error) {
	if len(ct) != k.key.Size() {
		return nil, errors.New("CKR_ENCRYPTED_DATA_LEN_RANGE")
	}
	return k.key.Decrypt(r, ct, opts)
}

// TestDecryptLeadingZeroDroppedDevice: an RSA ciphertext whose leading zero byte an encoder
// dropped decrypts with a device's key too, which takes only a ciphertext of the modulus's
// length: it is given the same number, written at that length. A previous key of another size
// gets it at its own length.
func TestDecryptLeadingZeroDroppedDevice(t *testing.T) {
	key, old := testKey(t, "decrypt-current"), testKey(t, "decrypt-other")
	small, err := rsa.GenerateKey(rand.Reader, 1024)
	require.NoError(t, err)
	d := withPrevious(t, mustDecrypter(t, deviceKey{key}), mustDecrypter(t, deviceKey{old}), mustDecrypter(t, deviceKey{small}))
	for _, k := range []*rsa.PrivateKey{key, old, small} {
		for i := 0; ; i++ {
			require.Less(t, i, 20000, "no ciphertext with a leading zero byte")
			//lint:ignore SA1019 UnionPay encrypts with RSA PKCS #1 v1.5.
			ct, err := rsa.EncryptPKCS1v15(rand.Reader, &k.PublicKey, []byte("6216***********0018"))
			require.NoError(t, err)
			if ct[0] != 0 {
				continue
			}
			got, err := d.Decrypt(base64.StdEncoding.EncodeToString(ct[1:]))
			require.NoError(t, err, "%d-bit key", k.Size()*8)
			assert.Equal(t, "6216***********0018", got)
			got, err = d.Decrypt(base64.StdEncoding.EncodeToString(ct))
			require.NoError(t, err, "%d-bit key, whole", k.Size()*8)
			assert.Equal(t, "6216***********0018", got)
			break
		}
	}
}

package notify_test

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

	"github.com/goacp/unionpay/cert"
	"github.com/goacp/unionpay/notify"
)

// garbageKey "decrypts" any ciphertext into bytes that are no card number, as the wrong RSA key
// does for about one ciphertext in 50,000 to 100,000, whose padding happens to check.
type garbageKey struct{ *rsa.PrivateKey }

func (g garbageKey) Decrypt(io.Reader, []byte, crypto.DecrypterOpts) ([]byte, error) {
	return []byte("\x8f\x01garbage"), nil
}

// TestDecryptAccNoPreviousKey: after a renewal, an accNo UnionPay encrypted to the old
// certificate decrypts with a Decrypter of the new key holding the old one as a previous key
// (cert.Decrypter.WithPrevious), even when the new key lets the ciphertext through as garbage;
// with the new key alone it is a *cert.DecryptError, which tells nothing of why.
func TestDecryptAccNoPreviousKey(t *testing.T) {
	t.Parallel()
	newKey, err := rsa.GenerateKey(rand.Reader, 2048)
	require.NoError(t, err)
	oldKey, err := rsa.GenerateKey(rand.Reader, 2048)
	require.NoError(t, err)
	//lint:ignore SA1019 UnionPay encrypts accNo with RSA PKCS #1 v1.5.
	ct, err := rsa.EncryptPKCS1v15(rand.Reader, &oldKey.PublicKey, []byte("6216***********0018"))
	require.NoError(t, err)
	n := &notify.Notification{AccNo: base64.StdEncoding.EncodeToString(ct)}
	old, err := cert.NewDecrypter(oldKey)
	require.NoError(t, err)

	for name, key := range map[string]crypto.Decrypter{"new key": newKey, "new key letting garbage through": garbageKey{newKey}} {
		cur, err := cert.NewDecrypter(key)
		require.NoError(t, err)
		_, err = n.DecryptAccNo(cur)
		var de *cert.DecryptError
		require.ErrorAs(t, err, &de, "%s alone", name)
		assert.Equal(t, 1, de.Keys)
		assert.NotContains(t, err.Error(), "garbage")

		both, err := cur.WithPrevious(old)
		require.NoError(t, err)
		got, err := n.DecryptAccNo(both)
		require.NoError(t, err, name)
		assert.Equal(t, "6216***********0018", got, name)
		assert.False(t, errors.Is(err, notify.ErrNoAccNo))
	}
}

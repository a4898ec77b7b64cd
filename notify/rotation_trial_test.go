package notify_test

import (
	"crypto/rand"
	"crypto/rsa"
	"encoding/base64"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/goacp/unionpay/cert"
	"github.com/goacp/unionpay/notify"
)

// After a merchant renews its PFX it tries its keys in turn on an accNo (the new one, then the
// old). RSA PKCS#1 v1.5 with the wrong key "succeeds" about once in 65,000 tries, with random
// bytes: DecryptAccNo must not hand those out as the card number. The plaintext here is what such
// a wrong-key decryption returns.
func TestTrialRotationDecryptAccNoRefusesNonPAN(t *testing.T) {
	key, err := rsa.GenerateKey(rand.Reader, 2048)
	require.NoError(t, err)
	d, err := cert.NewDecrypter(key)
	require.NoError(t, err)
	garbage := []byte{0x8f, 0x11, 0xc3, 0x00, 0x7e, 0x42, 0x99, 0xfe, 0x01, 0x02, 0x03, 0x04, 0x05}
	//lint:ignore SA1019 UnionPay encrypts accNo with RSA PKCS #1 v1.5.
	ct, err := rsa.EncryptPKCS1v15(rand.Reader, &key.PublicKey, garbage)
	require.NoError(t, err)
	n := &notify.Notification{AccNo: base64.StdEncoding.EncodeToString(ct)}
	pan, err := n.DecryptAccNo(d)
	require.Error(t, err, "got %q", pan)
	require.Empty(t, pan)
}

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

// review15c: edges of the plaintext check, and the masked short card (******0018) that the same
// method returns as is when sent in clear.
func TestReview15cDecryptAccNoEdges(t *testing.T) {
	key, err := rsa.GenerateKey(rand.Reader, 2048)
	require.NoError(t, err)
	d, err := cert.NewDecrypter(key)
	require.NoError(t, err)
	for _, tc := range []struct {
		plain string
		ok    bool
	}{
		{"621626******0018", true}, {"6216***********0018", true}, {"621626100018", true},
		{"6216261000000000018", true}, {"******0018", true},
		{"62162610000000000180", false}, {"62162610001", false}, {"6216261000 18", false}, {"", false},
		{"*****0018", false}, {"6216261018", false},
	} {
		//lint:ignore SA1019 UnionPay encrypts accNo with RSA PKCS #1 v1.5.
		ct, err := rsa.EncryptPKCS1v15(rand.Reader, &key.PublicKey, []byte(tc.plain))
		require.NoError(t, err)
		pan, err := (&notify.Notification{AccNo: base64.StdEncoding.EncodeToString(ct)}).DecryptAccNo(d)
		if tc.ok {
			require.NoError(t, err, tc.plain)
			require.Equal(t, tc.plain, pan)
		} else {
			require.Error(t, err, "%q -> %q", tc.plain, pan)
		}
	}
	// In clear, the same masked value is returned as is.
	pan, err := (&notify.Notification{AccNo: "******0018"}).DecryptAccNo(nil)
	require.NoError(t, err)
	require.Equal(t, "******0018", pan)
}

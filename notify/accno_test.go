package notify_test

import (
	"crypto/rand"
	"crypto/rsa"
	"encoding/base64"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/goacp/unionpay/cert"
	"github.com/goacp/unionpay/notify"
)

// DecryptAccNo returns an accNo as it is only if it can be a card number,
// full or masked: digits and '*', at most 19 characters (ISO/IEC 7812).
// A longer string of digits is not a card number: it is taken for
// ciphertext, so it is an error without a decrypter and fails to decrypt
// with one, rather than being handed to the caller as a PAN (N27 of the
// mutation review).
func TestDecryptAccNoPlainLength(t *testing.T) {
	t.Parallel()
	key, err := rsa.GenerateKey(rand.Reader, 2048)
	require.NoError(t, err)
	d, err := cert.NewDecrypter(key)
	require.NoError(t, err)

	tests := []struct {
		name  string
		accNo string
		plain bool
	}{
		{"19 digits", "6216261000000000018", true},
		{"19 characters masked", "621626*********0018", true},
		{"16 digits", "6216261000000018", true},
		{"20 digits", "62162610000000000018", false},
		{"20 characters masked", "621626**********0018", false},
		{"24 digits", strings.Repeat("6", 24), false},
		{"344 digits, as long as RSA-2048 ciphertext", strings.Repeat("1", 344), false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			n := &notify.Notification{AccNo: tt.accNo}
			for _, dec := range []*cert.Decrypter{nil, d} {
				got, err := n.DecryptAccNo(dec)
				if tt.plain {
					require.NoError(t, err)
					assert.Equal(t, tt.accNo, got)
					continue
				}
				require.Error(t, err, "decrypter %v", dec != nil)
				assert.Empty(t, got)
				assert.NotContains(t, err.Error(), tt.accNo, "the value is not echoed")
			}
		})
	}
}

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

package notify_test

import (
	"crypto/rand"
	"crypto/rsa"
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

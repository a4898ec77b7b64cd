package sign_test

import (
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/goacp/unionpay/sign"
)

// TestSecureKeySignerVerify: a SecureKeySigner, which holds only the digest of the key, verifies
// as VerifySecureKey does with the key (cert.Verifier keeps such signers, not the key): the
// signature of the same key and method verifies, another message, another key, another method,
// an uppercase, truncated or empty signature fail with ErrSignature, and an unusable signer
// returns an error, never panics.
func TestSecureKeySignerVerify(t *testing.T) {
	t.Parallel()
	for _, method := range []string{sign.MethodSHA256Key, sign.MethodSM3Key} {
		s, err := sign.NewSecureKeySigner(method, []byte("88888888"))
		require.NoError(t, err)
		f := sign.Fields{"version": sign.Version510, "signMethod": method, "orderId": "ORDER0001", "txnAmt": "100"}
		require.NoError(t, sign.Sign(s, f))
		canonical, err := sign.Canonical(f)
		require.NoError(t, err)
		sig := f[sign.FieldSignature]

		require.NoError(t, s.Verify(canonical, sig), method)
		require.NoError(t, sign.VerifySecureKey(method, []byte("88888888"), canonical, sig), method)

		other, err := sign.NewSecureKeySigner(method, []byte("88888889"))
		require.NoError(t, err)
		otherMethod := map[string]string{sign.MethodSHA256Key: sign.MethodSM3Key, sign.MethodSM3Key: sign.MethodSHA256Key}[method]
		wrongHash, err := sign.NewSecureKeySigner(otherMethod, []byte("88888888"))
		require.NoError(t, err)
		tests := []struct {
			name      string
			s         *sign.SecureKeySigner
			canonical string
			sig       string
		}{
			{"another message", s, string(canonical) + "x", sig},
			{"another key", other, string(canonical), sig},
			{"another method", wrongHash, string(canonical), sig},
			{"uppercase", s, string(canonical), strings.ToUpper(sig)},
			{"truncated", s, string(canonical), sig[:len(sig)-2]},
			{"empty", s, string(canonical), ""},
		}
		for _, tt := range tests {
			assert.ErrorIs(t, tt.s.Verify([]byte(tt.canonical), tt.sig), sign.ErrSignature, "%s, %s", method, tt.name)
		}
	}
	assert.Error(t, (*sign.SecureKeySigner)(nil).Verify([]byte("a=1"), "00"))
	assert.Error(t, (&sign.SecureKeySigner{}).Verify([]byte("a=1"), "00"))
}

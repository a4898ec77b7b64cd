package unionpay_test

import (
	"errors"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/goacp/unionpay/cert"
	"github.com/goacp/unionpay/sign"
	"github.com/goacp/unionpay/unionpay"
)

// TestSecTrialSecureKeyMismatchRefused: with signMethod 11 or 12 UnionPay signs its answers with
// the merchant's own secure key. A Config whose Signer holds one key and whose Verifier holds
// another (a rotated key updated in one place only, a test key left in the other) passes
// NewClient today, and then every refund, payout or collection takes effect at the gateway while
// its answer fails verification: the call is pending, and so is every query of it, for good.
// NewClient refuses a Verifier that cannot verify a Config.Signer whose answers it must, as it
// already does for a method or version the Verifier does not accept.
func TestSecTrialSecureKeyMismatchRefused(t *testing.T) {
	t.Parallel()
	for _, m := range []string{sign.MethodSHA256Key, sign.MethodSM3Key} {
		signer, err := sign.NewSecureKeySigner(m, []byte("88888888"))
		require.NoError(t, err)
		v, err := cert.NewVerifier(cert.VerifierConfig{SecureKey: []byte("a rotated key")})
		require.NoError(t, err)
		_, err = unionpay.NewClient(unionpay.Config{MerchantID: "777290058110048", Signer: signer, Verifier: v,
			Endpoints: unionpay.TestEndpoints()})
		var ce *unionpay.ConfigError
		require.True(t, errors.As(err, &ce), "signMethod %s: NewClient accepted a Verifier whose secure key is not the Signer's (err %v)", m, err)
		require.Equal(t, "Config.Verifier", ce.Field)

		same, err := cert.NewVerifier(cert.VerifierConfig{SecureKey: []byte("88888888")})
		require.NoError(t, err)
		_, err = unionpay.NewClient(unionpay.Config{MerchantID: "777290058110048", Signer: signer, Verifier: same,
			Endpoints: unionpay.TestEndpoints()})
		require.NoError(t, err)
	}
}

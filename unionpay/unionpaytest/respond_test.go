package unionpaytest_test

import (
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/goacp/unionpay/sign"
	"github.com/goacp/unionpay/unionpay/unionpaytest"
)

// TestMutationReviewTwoSecureKeyWrongKey: FaultWrongKey makes a secure-key signature fail too.
func TestMutationReviewTwoSecureKeyWrongKey(t *testing.T) {
	t.Parallel()
	key := []byte("0123456789abcdef0123456789abcdef")
	srv := unionpaytest.NewServer(unionpaytest.WithSecureKey(key), keys(t))
	t.Cleanup(srv.Close)
	for _, method := range []string{sign.MethodSHA256Key, sign.MethodSM3Key} {
		t.Run(method, func(t *testing.T) {
			f := sign.Fields{"version": "5.1.0", "encoding": "UTF-8", "signMethod": method, "respCode": "00",
				"orderId": "MUT2SKEY01"}
			good, err := srv.Sign(f)
			require.NoError(t, err)
			canonical, err := sign.Canonical(good)
			require.NoError(t, err)
			require.NoError(t, sign.VerifySecureKey(method, key, canonical, good["signature"]))
			bad, err := srv.SignWithFault(f, unionpaytest.FaultWrongKey)
			require.NoError(t, err)
			canonical, err = sign.Canonical(bad)
			require.NoError(t, err)
			require.ErrorIs(t, sign.VerifySecureKey(method, key, canonical, bad["signature"]), sign.ErrSignature)
		})
	}
}

//lint:file-ignore SA1019 these tests build SM2 public keys from raw X and Y, which only the deprecated fields allow.

package sign_test

import (
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"math/big"
	"strings"
	"testing"

	"github.com/emmansun/gmsm/sm2"
	"github.com/stretchr/testify/require"

	"github.com/goacp/unionpay/sign"
)

// TestVerifySM2RefusesBadKeys: an SM2-curve public key without a point
// panicked in gmsm (CalculateZA). Found in the bad-input review (section 7).
// Every key that is not a usable SM2 point is now an error, never a panic,
// and never a verified signature.
func TestVerifySM2RefusesBadKeys(t *testing.T) {
	t.Parallel()
	good := newSM2Key(t).Public().(*ecdsa.PublicKey)
	nist, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	require.NoError(t, err)
	signature := strings.Repeat("A", 86) + "=="
	tests := []struct {
		name string
		pub  *ecdsa.PublicKey
		want string // "" for ErrSignature
	}{
		{"nil", nil, "sign: VerifySM2: public key is not an SM2 key"},
		{"zero", &ecdsa.PublicKey{}, "sign: VerifySM2: public key is not an SM2 key"},
		{"SM2 curve, no point", &ecdsa.PublicKey{Curve: sm2.P256()}, "sign: VerifySM2: public key is not an SM2 key"},
		{"SM2 curve, no Y", &ecdsa.PublicKey{Curve: sm2.P256(), X: good.X}, "sign: VerifySM2: public key is not an SM2 key"},
		{"SM2 curve, no X", &ecdsa.PublicKey{Curve: sm2.P256(), Y: good.Y}, "sign: VerifySM2: public key is not an SM2 key"},
		{"NIST P-256", &nist.PublicKey, "sign: VerifySM2: public key is not an SM2 key"},
		{"point off the curve", &ecdsa.PublicKey{Curve: sm2.P256(), X: big.NewInt(1), Y: big.NewInt(1)},
			"sign: VerifySM2: public key is not an SM2 key"},
		{"point at infinity", &ecdsa.PublicKey{Curve: sm2.P256(), X: big.NewInt(0), Y: big.NewInt(0)},
			"sign: VerifySM2: public key is not an SM2 key"},
		{"coordinates too large", &ecdsa.PublicKey{Curve: sm2.P256(), X: new(big.Int).Lsh(big.NewInt(1), 300),
			Y: new(big.Int).Lsh(big.NewInt(1), 300)}, "sign: VerifySM2: public key is not an SM2 key"},
		{"negative coordinates", &ecdsa.PublicKey{Curve: sm2.P256(), X: new(big.Int).Neg(good.X),
			Y: new(big.Int).Neg(good.Y)}, "sign: VerifySM2: public key is not an SM2 key"},
		{"good key, forged signature", good, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			var err error
			require.NotPanics(t, func() { err = sign.VerifySM2(tt.pub, "1", []byte("a=1"), signature) })
			if tt.want == "" {
				require.ErrorIs(t, err, sign.ErrSignature)
				return
			}
			require.EqualError(t, err, tt.want)
		})
	}
}

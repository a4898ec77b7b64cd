package cert

import (
	"crypto/x509"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestCheckChainValidity: the 5.1.0 chain (Root and Middle, or SM2Root and SM2Middle) must be
// valid at the Verifier's time, or every message UnionPay signs fails; the error is an
// *InvalidError naming the VerifierConfig field of the certificate that is not (the middle
// first), the certificate itself and the reason. A Verifier without that chain reports
// ErrNoChain, a nil one ErrMethod.
func TestCheckChainValidity(t *testing.T) {
	t.Parallel()
	day := func(y int, m time.Month, d int) time.Time { return time.Date(y, m, d, 0, 0, 0, 0, time.UTC) }
	// Root 2020-2030, middle 2021-2028: a middle that expires first, as UnionPay's test kit's.
	rsa := windowChain(t, windowSpec{middleFrom: day(2021, 1, 1), middleTo: day(2028, 1, 1)})
	// A root that expires before its middle (2020-2026, middle 2020-2030).
	shortRoot := windowChain(t, windowSpec{rootTo: day(2026, 1, 1)})
	sm2 := newSM2TestChain(t, "ChainValidity", nil) // 2020-2030
	rsaAt := func(ch *testChain, now time.Time) *Verifier { return ch.verifier(t, now) }
	sm2At := func(now time.Time) *Verifier {
		v, err := NewVerifier(VerifierConfig{SM2Root: sm2.root.cert, SM2Middle: sm2.middle.cert, Now: fixedNow(now)})
		require.NoError(t, err)
		return v
	}
	tests := []struct {
		name   string
		v      *Verifier
		sm2    bool
		reason Reason // 0: valid
		field  string
		cert   *x509.Certificate
	}{
		{"RSA, both valid", rsaAt(rsa, day(2025, 1, 1)), false, 0, "", nil},
		{"RSA, middle's last second", rsaAt(rsa, rsa.middle.cert.NotAfter), false, 0, "", nil},
		{"RSA, middle expired", rsaAt(rsa, day(2028, 1, 2)), false, Expired, "VerifierConfig.Middle", rsa.middle.cert},
		{"RSA, middle not yet valid", rsaAt(rsa, day(2020, 6, 1)), false, NotYetValid, "VerifierConfig.Middle", rsa.middle.cert},
		{"RSA, both expired: the middle named", rsaAt(rsa, day(2031, 1, 1)), false, Expired, "VerifierConfig.Middle", rsa.middle.cert},
		{"RSA, root expired before its middle", rsaAt(shortRoot, day(2027, 1, 1)), false, Expired, "VerifierConfig.Root", shortRoot.root.cert},
		{"SM2, both valid", sm2At(day(2025, 1, 1)), true, 0, "", nil},
		{"SM2, expired", sm2At(day(2031, 1, 1)), true, Expired, "VerifierConfig.SM2Middle", sm2.middle.cert},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			err := tt.v.CheckChainValidity(tt.sm2)
			if tt.reason == 0 {
				require.NoError(t, err)
				return
			}
			ie, ok := err.(*InvalidError)
			require.True(t, ok, "want *InvalidError, got %v", err)
			assert.Equal(t, tt.reason, ie.Reason, "%v", err)
			assert.Same(t, tt.cert, ie.Cert)
			assert.Contains(t, err.Error(), tt.field+":")
		})
	}

	// The other algorithm's chain is not configured; nil and zero Verifiers accept nothing.
	require.ErrorIs(t, rsaAt(rsa, day(2025, 1, 1)).CheckChainValidity(true), ErrNoChain)
	require.ErrorIs(t, sm2At(day(2025, 1, 1)).CheckChainValidity(false), ErrNoChain)
	require.ErrorIs(t, (*Verifier)(nil).CheckChainValidity(false), ErrMethod)
	require.ErrorIs(t, new(Verifier).CheckChainValidity(false), ErrMethod)
}

// TestCheckChainValidityBothChains: a Verifier holding the RSA and the SM2 chain checks the
// chain of the algorithm asked for (chainCerts picks it), not the other one.
func TestCheckChainValidityBothChains(t *testing.T) {
	t.Parallel()
	day := func(y int, m time.Month, d int) time.Time { return time.Date(y, m, d, 0, 0, 0, 0, time.UTC) }
	rsa := windowChain(t, windowSpec{middleFrom: day(2021, 1, 1), middleTo: day(2028, 1, 1)})
	sm2 := newSM2TestChain(t, "BothChains", nil) // 2020-2030
	v, err := NewVerifier(VerifierConfig{Root: rsa.root.cert, Middle: rsa.middle.cert,
		SM2Root: sm2.root.cert, SM2Middle: sm2.middle.cert, Now: fixedNow(day(2029, 1, 1))})
	require.NoError(t, err)
	require.NoError(t, v.CheckChainValidity(true), "the SM2 chain is valid in 2029")
	err = v.CheckChainValidity(false)
	require.Equal(t, Expired, reasonOf(err), "%v", err)
	require.ErrorContains(t, err, "VerifierConfig.Middle:")
}

package cert

import (
	"crypto/rand"
	"crypto/x509"
	"crypto/x509/pkix"
	"math/big"
	"testing"
	"time"

	"github.com/emmansun/gmsm/sm2"
	"github.com/emmansun/gmsm/smx509"
	"github.com/stretchr/testify/require"
)

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

// TestLoadSM2OtherLengthMismatch: a key written in 31 or 33 bytes that is not the certificate's
// is a wrong password (decryptSM2Key's rule: a wrong password gives 31 bytes one time in 256),
// while one written in 32 bytes is a key and certificate that are not a pair.
func TestLoadSM2OtherLengthMismatch(t *testing.T) {
	t.Parallel()
	var key *sm2.PrivateKey
	for key == nil || key.D.BitLen() > 248 {
		var err error
		key, err = sm2.GenerateKey(rand.Reader)
		require.NoError(t, err)
	}
	other, err := sm2.GenerateKey(rand.Reader)
	require.NoError(t, err)
	tmpl := &x509.Certificate{SerialNumber: big.NewInt(70000000033), Subject: pkix.Name{CommonName: "other"},
		NotBefore: time.Now().Add(-time.Hour), NotAfter: time.Now().Add(time.Hour)}
	der, err := smx509.CreateCertificate(rand.Reader, tmpl, tmpl, &other.PublicKey, other)
	require.NoError(t, err)
	d := scalar(key)
	for name, b := range map[string][]byte{"31 bytes": d[1:], "33 bytes": append([]byte{0}, d...)} {
		_, err := LoadSM2(encodeSM2File(t, b, der, "pw"), "pw")
		require.ErrorIs(t, err, ErrPassword, name)
	}
	_, err = LoadSM2(encodeSM2File(t, d, der, "pw"), "pw")
	require.NotErrorIs(t, err, ErrPassword)
	require.ErrorContains(t, err, "does not match its certificate")
}

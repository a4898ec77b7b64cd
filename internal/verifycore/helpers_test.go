package verifycore

import (
	"crypto/rand"
	"crypto/rsa"
	"sync"
	"testing"

	"github.com/emmansun/gmsm/sm2"
	"github.com/stretchr/testify/require"
	"golang.org/x/crypto/cryptobyte"
	cbasn1 "golang.org/x/crypto/cryptobyte/asn1"
)

// keys are the RSA-2048 and SM2 keys of the package's tests, generated once (an RSA key takes
// a good part of a second on a busy machine).
var keys = sync.OnceValues(func() (k struct {
	rsa *rsa.PrivateKey
	sm2 *sm2.PrivateKey
}, err error) {
	if k.rsa, err = rsa.GenerateKey(rand.Reader, 2048); err != nil {
		return k, err
	}
	k.sm2, err = sm2.GenerateKey(rand.Reader)
	return k, err
})

// testKeys returns keys, failing t if they could not be made.
func testKeys(t *testing.T) (*rsa.PrivateKey, *sm2.PrivateKey) {
	t.Helper()
	k, err := keys()
	require.NoError(t, err)
	return k.rsa, k.sm2
}

// rawSM2 returns the r || s form (each left-padded to 32 bytes) of the ASN.1 SM2 signature der,
// and r and s as the INTEGERs hold them, their leading zero bytes dropped.
func rawSM2(t *testing.T, der []byte) (raw [SM2SignatureSize]byte, r, s []byte) {
	t.Helper()
	var seq cryptobyte.String
	in := cryptobyte.String(der)
	require.True(t, in.ReadASN1(&seq, cbasn1.SEQUENCE) && seq.ReadASN1Integer(&r) && seq.ReadASN1Integer(&s))
	r, s = r[len(r)-min(len(r), 32):], s[len(s)-min(len(s), 32):]
	copy(raw[32-len(r):], r)
	copy(raw[64-len(s):], s)
	return raw, r, s
}

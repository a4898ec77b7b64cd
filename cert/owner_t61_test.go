package cert

import (
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/asn1"
	"math/big"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestOwnerT61String: a common name encoded as a T61String is read as Latin-1 by crypto/x509 and
// OpenSSL but byte for byte by gmsm (SM2 certificates), so UTF-8 bytes in it could pass for
// UnionPay's name on one path and not the other: such a name is refused. An ASCII T61String (as in
// UnionPay's 2018 test certificates) is read the same by all. Found in the fourth session's review.
func TestOwnerT61String(t *testing.T) {
	t.Parallel()
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	require.NoError(t, err)
	mk := func(cn string) *x509.Certificate {
		tmpl := &x509.Certificate{SerialNumber: big.NewInt(1), NotBefore: time.Now(), NotAfter: time.Now().Add(time.Hour),
			Subject: pkix.Name{ExtraNames: []pkix.AttributeTypeAndValue{
				{Type: oidCommonName, Value: asn1.RawValue{Tag: asn1.TagT61String, Bytes: []byte(cn)}}}}}
		der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &key.PublicKey, key)
		require.NoError(t, err)
		c, err := x509.ParseCertificate(der)
		require.NoError(t, err)
		return c
	}
	owner, err := Owner(mk("041@Z2017-11-1@00040000:SIGN@00000001"))
	require.NoError(t, err)
	assert.Equal(t, "00040000:SIGN", owner)

	_, err = Owner(mk("041@8310000000083040@中国银联股份有限公司@00016495"))
	var ie *InvalidError
	require.ErrorAs(t, err, &ie)
	assert.Equal(t, WrongOwner, ie.Reason)
}

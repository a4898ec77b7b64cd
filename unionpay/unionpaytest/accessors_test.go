package unionpaytest_test

import (
	"context"
	"crypto/x509"
	"encoding/pem"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/goacp/unionpay/cert"
	"github.com/goacp/unionpay/unionpay"
	"github.com/goacp/unionpay/unionpay/unionpaytest"
)

// TestAccessors: each exported certificate, PEM and key accessor hands out what its name says,
// consistent with the others and with the trust the gateway's VerifierConfig configures (they
// had no test: a swapped certificate would have gone unnoticed).
func TestAccessors(t *testing.T) {
	t.Parallel()
	srv := unionpaytest.NewServer(keys(t))
	t.Cleanup(srv.Close)
	pemCert := func(b []byte) *x509.Certificate {
		blk, rest := pem.Decode(b)
		require.NotNil(t, blk)
		require.Empty(t, rest)
		c, err := x509.ParseCertificate(blk.Bytes)
		require.NoError(t, err)
		return c
	}
	vc := srv.VerifierConfig()
	assert.True(t, pemCert(srv.RootPEM()).Equal(vc.Root), "RootPEM is the configured root")
	assert.True(t, pemCert(srv.MiddlePEM()).Equal(vc.Middle), "MiddlePEM is the configured middle")
	assert.True(t, pemCert(srv.SigningPEM()).Equal(srv.SigningCertificate()))
	assert.True(t, pemCert(srv.EncryptionPEM()).Equal(srv.EncryptionCertificate()))
	assert.True(t, srv.MerchantKey().PublicKey.Equal(srv.MerchantCertificate().PublicKey), "MerchantKey is the certificate's")
	assert.Equal(t, cert.CertID(srv.MerchantCertificate()), srv.MerchantCertID())
	assert.NotEqual(t, cert.CertID(srv.SigningCertificate()), cert.CertID(srv.EncryptionCertificate()))

	v, err := cert.NewVerifier(vc)
	require.NoError(t, err)
	require.NoError(t, v.ValidateCertificate(srv.SigningCertificate()), "the signing certificate chains to the root")
	require.NoError(t, v.ValidateEncryptionCertificate(srv.EncryptionCertificate()))

	assert.False(t, srv.SM2())
	assert.Nil(t, srv.SM2RootCertificate())
	assert.Nil(t, srv.SM2MiddleCertificate())
	assert.Nil(t, srv.SM2SigningCertificate())
	assert.Nil(t, srv.SM2EncryptionCertificate())
	assert.Nil(t, srv.SM2MerchantCertificate())
	assert.Nil(t, srv.SM2MerchantKey())
}

// TestSM2Accessors: the SM2 accessors of a gateway made WithSM2 are consistent in the same way.
func TestSM2Accessors(t *testing.T) {
	t.Parallel()
	srv := unionpaytest.NewServer(keys(t), unionpaytest.WithSM2())
	t.Cleanup(srv.Close)
	vc := srv.VerifierConfig()
	require.NotNil(t, srv.SM2RootCertificate())
	assert.True(t, srv.SM2RootCertificate().Equal(vc.SM2Root))
	assert.True(t, srv.SM2MiddleCertificate().Equal(vc.SM2Middle))
	require.NotNil(t, srv.SM2MerchantKey())
	assert.True(t, srv.SM2MerchantKey().PublicKey.Equal(srv.SM2MerchantCertificate().PublicKey), "SM2MerchantKey is the certificate's")
	v, err := cert.NewVerifier(vc)
	require.NoError(t, err)
	require.NoError(t, v.ValidateCertificate(srv.SM2SigningCertificate()))
	require.NoError(t, v.ValidateEncryptionCertificate(srv.SM2EncryptionCertificate()))
	assert.NotEqual(t, cert.CertID(srv.SM2SigningCertificate()), cert.CertID(srv.SM2EncryptionCertificate()))
}

// TestMaskedPANsHideSix: the fake gateway's card-number masks (its settlement files', and the
// accNo of its notifications and query answers) hide six digits at least, whatever the length of
// a card its cashier takes (13 to 19 digits): the 4+4 form of UnionPay's notifications would
// hide only five of 13.
func TestMaskedPANsHideSix(t *testing.T) {
	t.Parallel()
	const pan = "6216261000000000018"
	for n := 13; n <= len(pan); n++ {
		for name, masked := range map[string]string{"file": unionpaytest.FilePAN(pan[:n]), "message": unionpaytest.MessagePAN(pan[:n])} {
			kept := 0
			for _, c := range masked {
				if c != '*' {
					kept++
				}
			}
			assert.LessOrEqual(t, kept, n-6, "%s mask of %d digits: %s", name, n, masked)
		}
	}
	assert.Equal(t, "6216***********0018", unionpaytest.MessagePAN(pan), "as UnionPay's notifications")
}

// TestExpiredCertFault500: for a 5.0.0 merchant, FaultExpiredCert is refused as expired, as for
// 5.1.0, RSA and SM2 alike (it was refused as an unknown certId: the expired certificate was in
// no LegacyCerts; a 5.0.0 merchant's trial).
func TestExpiredCertFault500(t *testing.T) {
	t.Parallel()
	for _, sm2 := range []bool{false, true} {
		opts := []unionpaytest.Option{keys(t)}
		if sm2 {
			opts = append(opts, unionpaytest.WithSM2())
		}
		srv := unionpaytest.NewServer(opts...)
		t.Cleanup(srv.Close)
		cfg := srv.Config()
		cfg.Version = "5.0.0"
		c, err := unionpay.NewClient(cfg)
		require.NoError(t, err)
		srv.FailOrder("EXPIRED500", unionpaytest.FaultExpiredCert)
		_, err = c.AppConsume(context.Background(), &unionpay.ConsumeRequest{OrderID: "EXPIRED500", Amount: 100,
			BackURL: "http://127.0.0.1:1/n"})
		require.ErrorIs(t, err, unionpay.ErrUnverified, "SM2 %v", sm2)
		var ie *cert.InvalidError
		require.ErrorAs(t, err, &ie, "SM2 %v: %v", sm2, err)
		assert.Equal(t, cert.Expired, ie.Reason, "SM2 %v", sm2)
	}
}

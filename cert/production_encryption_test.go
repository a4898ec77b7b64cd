package cert

import (
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestRealProductionEncryptionCertificate pins what a production Verifier does with the
// encryption certificate UnionPay's demo package ships for production (acp_prod_enc.cer), against
// UnionPay's real production root and middle. Its owner field is 00040000:SIGN, not
// 中国银联股份有限公司: the official SDKs never check an encryption certificate's name (they load it
// as it is), so ValidateEncryptionCertificate must not either, or a production client would refuse
// UnionPay's own encryption certificate (Config.Encrypter, UpdateEncryptionCertificate). As a
// signPubKeyCert the same certificate is refused in production (the official SDK with
// acpsdk.ifValidateCNName=true accepts only 中国银联股份有限公司). Its encryptCertId is the serial in
// decimal: `openssl x509 -in testdata/acp-prod-certs/acp_prod_enc.cer -noout -serial` prints
// 1208385662 (hex), which is 77447321186.
func TestRealProductionEncryptionCertificate(t *testing.T) {
	t.Parallel()
	enc := loadProdCert(t, "acp_prod_enc.cer")
	at := func(now time.Time) *Verifier {
		v, err := NewVerifier(VerifierConfig{
			Root:   loadProdCert(t, "acp_prod_root.cer"),
			Middle: loadProdCert(t, "acp_prod_middle.cer"),
			Now:    fixedNow(now),
		})
		require.NoError(t, err)
		return v
	}
	valid := at(time.Date(2023, 6, 1, 0, 0, 0, 0, time.UTC))

	owner, err := Owner(enc)
	require.NoError(t, err)
	assert.Equal(t, OwnerTest, owner, "the production encryption certificate names the test owner")

	require.NoError(t, valid.ValidateEncryptionCertificate(enc), "owner not checked for encryption certificates")
	assert.Equal(t, WrongOwner, reasonOf(valid.ValidateCertificate(enc)), "00040000:SIGN is not a production signer")
	assert.Equal(t, Expired, reasonOf(at(time.Date(2024, 1, 2, 9, 7, 19, 0, time.UTC)).ValidateEncryptionCertificate(enc)))

	e, err := NewEncrypter(enc)
	require.NoError(t, err)
	assert.Equal(t, "77447321186", e.CertID(), "encryptCertId: the serial in decimal")
}

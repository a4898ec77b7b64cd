package unionpay_test

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"software.sslmate.com/src/go-pkcs12"

	"github.com/goacp/unionpay/cert"
	"github.com/goacp/unionpay/unionpay"
)

// TestLoadJavaConfigPublicTestKeyProductionPKI: with URLs that are not UnionPay's (an egress
// proxy's), the public test secure key is refused, naming the key that holds it and the key whose
// certificate is of UnionPay's production PKI (root, middle, encryption certificate); with the
// test environment's certificates behind the same proxy it is taken. The key is never printed.
func TestLoadJavaConfigPublicTestKeyProductionPKI(t *testing.T) {
	t.Parallel()
	const proxy = "https://up-egress.internal/gateway/api/"
	const prodCerts = "{certs}/../acp-prod-certs/"
	urls := []string{"acpsdk.frontTransUrl=" + proxy + "frontTransReq.do", "acpsdk.backTransUrl=" + proxy + "backTransReq.do",
		"acpsdk.singleQueryUrl=" + proxy + "queryTrans.do"}
	edit := func(set ...string) string { return javaEdit(append(append([]string(nil), urls...), set...)...) }
	// A validateCert directory holding a certificate the production middle issued, and a PFX whose
	// certificate names the production middle as issuer.
	dir := t.TempDir()
	enc, err := os.ReadFile(filepath.Join(testCerts, "..", "acp-prod-certs", "acp_prod_enc.cer"))
	require.NoError(t, err)
	require.NoError(t, os.WriteFile(filepath.Join(dir, "acp_prod_enc.cer"), enc, 0o600))
	key, c := productionMerchantCert(t)
	pfx, err := pkcs12.Modern.Encode(key, c, nil, "000000")
	require.NoError(t, err)
	pfxPath := filepath.Join(dir, "prod_sign.pfx")
	require.NoError(t, os.WriteFile(pfxPath, pfx, 0o600))
	for _, tt := range []struct {
		name    string
		content string
		key     string // the key refused; "": the file loads
		line    int
		prod    string // the key named as production's
	}{
		{"production chain", edit("acpsdk.middleCert.path="+prodCerts+"acp_prod_middle.cer", "acpsdk.rootCert.path="+prodCerts+"acp_prod_root.cer",
			"acpsdk.secureKey="+cert.PublicTestSecureKey), "acpsdk.secureKey", 10, "acpsdk.rootCert.path"},
		{"production encryption certificate, signMethod 11", edit("acpsdk.signMethod=11", "acpsdk.encryptCert.path="+prodCerts+"acp_prod_enc.cer",
			"acpsdk.secureKey="+cert.PublicTestSecureKey), "acpsdk.secureKey", 11, "acpsdk.encryptCert.path"},
		{"production chain, sm2 secure key", edit("acpsdk.middleCert.path="+prodCerts+"acp_prod_middle.cer", "acpsdk.rootCert.path="+prodCerts+"acp_prod_root.cer",
			"acpsdk.sm2.secureKey="+cert.PublicTestSecureKey), "acpsdk.sm2.secureKey", 10, "acpsdk.rootCert.path"},
		{"production certificate in validateCert.dir", edit("acpsdk.validateCert.dir="+filepath.ToSlash(dir),
			"acpsdk.secureKey="+cert.PublicTestSecureKey), "acpsdk.secureKey", 11, "acpsdk.validateCert.dir"},
		{"signing certificate of the production middle", edit("acpsdk.signCert.path="+filepath.ToSlash(pfxPath),
			"acpsdk.secureKey="+cert.PublicTestSecureKey), "acpsdk.secureKey", 10, "acpsdk.signCert.path"},
		{"production chain, issued key", edit("acpsdk.middleCert.path="+prodCerts+"acp_prod_middle.cer", "acpsdk.rootCert.path="+prodCerts+"acp_prod_root.cer",
			"acpsdk.secureKey=k3Y-issued-by-UnionPay"), "", 0, ""},
		{"test certificates", edit("acpsdk.encryptCert.path={certs}/acp_test_enc.cer", "acpsdk.secureKey="+cert.PublicTestSecureKey), "", 0, ""},
		{"test certificates, signMethod 11, test owner", edit("acpsdk.signMethod=11", "acpsdk.ifValidateCNName=false",
			"acpsdk.secureKey="+cert.PublicTestSecureKey), "", 0, ""},
	} {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			jc, err := unionpay.LoadJavaConfig(javaFile(t, tt.content))
			if tt.key == "" {
				require.NoError(t, err)
				assert.Empty(t, jc.Environment, "a proxy's URLs are no environment's")
				return
			}
			require.Error(t, err, "LoadJavaConfig took the public test key with %s of production", tt.prod)
			assert.Nil(t, jc)
			var je *unionpay.JavaConfigError
			require.ErrorAs(t, err, &je)
			assert.Equal(t, tt.key, je.Key)
			assert.Equal(t, tt.line, je.Line)
			assert.Contains(t, err.Error(), "public test secure key with a certificate of UnionPay's production PKI in "+tt.prod)
			assert.NotContains(t, err.Error(), cert.PublicTestSecureKey, "the key is never printed")
		})
	}
}

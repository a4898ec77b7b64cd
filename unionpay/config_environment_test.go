package unionpay_test

import (
	"crypto/x509"
	"errors"
	"path/filepath"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/goacp/unionpay/cert"
	"github.com/goacp/unionpay/unionpay"
)

// TestConfigEnvironmentMixUp: NewClient refuses UnionPay's certificates of one environment with
// the Endpoints of the other, naming the field, as LoadJavaConfig refuses test certificates with
// production URLs: a Verifier of the other chain refuses every answer (each payment call
// pending) and every notification, an Encrypter of the other's sends card data UnionPay cannot
// decrypt. Each environment's own files, and any of them with Endpoints of another host (a fake
// gateway, a proxy), are taken.
func TestConfigEnvironmentMixUp(t *testing.T) {
	t.Parallel()
	at := func() time.Time { return testNow }
	loadCert := func(dir, name string) *x509.Certificate {
		c, err := cert.LoadCertificateFile(filepath.Join(testCerts, "..", dir, name))
		require.NoError(t, err)
		return c
	}
	encrypter := func(dir, name string) *cert.Encrypter {
		e, err := cert.NewEncrypter(loadCert(dir, name))
		require.NoError(t, err)
		return e
	}
	verifier := func(dir, env string) *cert.Verifier {
		v, err := cert.NewVerifier(cert.VerifierConfig{Root: loadCert(dir, "acp_"+env+"_root.cer"),
			Middle: loadCert(dir, "acp_"+env+"_middle.cer"), AcceptTestOwner: env == "test", Now: at})
		require.NoError(t, err)
		return v
	}
	testV, prodV := verifier("acp-test-certs", "test"), verifier("acp-prod-certs", "prod")
	testEnc, prodEnc := encrypter("acp-test-certs", "acp_test_enc.cer"), encrypter("acp-prod-certs", "acp_prod_enc.cer")
	const proxy = "https://up-egress.internal/gateway/api/"
	proxied := unionpay.Endpoints{Front: proxy + "frontTransReq.do", Back: proxy + "backTransReq.do", Query: proxy + "queryTrans.do"}
	for _, tt := range []struct {
		name      string
		endpoints unionpay.Endpoints
		verifier  *cert.Verifier
		encrypter *cert.Encrypter
		field     string // the field named; "": accepted
	}{
		{"production endpoints, test chain", unionpay.ProductionEndpoints(), testV, prodEnc, "Config.Verifier"},
		{"production endpoints, test encryption certificate", unionpay.ProductionEndpoints(), prodV, testEnc, "Config.Encrypter"},
		{"test endpoints, production chain", unionpay.TestEndpoints(), prodV, testEnc, "Config.Verifier"},
		{"test endpoints, production encryption certificate", unionpay.TestEndpoints(), testV, prodEnc, "Config.Encrypter"},
		{"production endpoints, production files", unionpay.ProductionEndpoints(), prodV, prodEnc, ""},
		{"test endpoints, test files", unionpay.TestEndpoints(), testV, testEnc, ""},
		{"test endpoints, no encrypter", unionpay.TestEndpoints(), testV, nil, ""},
		{"a proxy's endpoints, test files", proxied, testV, testEnc, ""},
		{"a proxy's endpoints, production files", proxied, prodV, prodEnc, ""},
	} {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			_, err := unionpay.NewClient(unionpay.Config{MerchantID: "777290058110048", Signer: testPFXSigner(t),
				Verifier: tt.verifier, Encrypter: tt.encrypter, Endpoints: tt.endpoints, Now: at})
			if tt.field == "" {
				require.NoError(t, err)
				return
			}
			var ce *unionpay.ConfigError
			require.True(t, errors.As(err, &ce), "NewClient took another environment's certificates: %v", err)
			assert.Equal(t, tt.field, ce.Field)
			assert.Contains(t, ce.Reason, "Endpoints of UnionPay's")
		})
	}
}

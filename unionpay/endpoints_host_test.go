package unionpay_test

import (
	"crypto/x509"
	"errors"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/goacp/unionpay/cert"
	"github.com/goacp/unionpay/sign"
	"github.com/goacp/unionpay/unionpay"
)

// TestEndpointsHostSpellings: NewClient reads UnionPay's hosts however Endpoints write them, as
// the HTTP client dials them: with the final dot of a fully qualified name, in capitals, with the
// port, in full-width letters or with an ideographic full stop (mapped by net/http before it
// dials). Production hosts so written still refuse the test environment's certificates and a
// loopback backUrl; test hosts so written still refuse production's. A look-alike host is not
// UnionPay's, and takes either.
func TestEndpointsHostSpellings(t *testing.T) {
	t.Parallel()
	at := func() time.Time { return testNow }
	loadCert := func(env, name string) *x509.Certificate {
		c, err := cert.LoadCertificateFile(filepath.Join(testCerts, "..", "acp-"+env+"-certs", name))
		require.NoError(t, err)
		return c
	}
	files := func(env string) (*cert.Verifier, *cert.Encrypter) {
		v, err := cert.NewVerifier(cert.VerifierConfig{Root: loadCert(env, "acp_"+env+"_root.cer"),
			Middle: loadCert(env, "acp_"+env+"_middle.cer"), AcceptTestOwner: env == "test", Now: at})
		require.NoError(t, err)
		e, err := cert.NewEncrypter(loadCert(env, "acp_"+env+"_enc.cer"))
		require.NoError(t, err)
		return v, e
	}
	// spelled is e with its gateway host written as host.
	spelled := func(e unionpay.Endpoints, from, host string) unionpay.Endpoints {
		r := strings.NewReplacer("https://"+from+"/", "https://"+host+"/")
		return unionpay.Endpoints{Front: r.Replace(e.Front), Back: r.Replace(e.Back), Query: r.Replace(e.Query)}
	}
	prod := func(host string) unionpay.Endpoints {
		return spelled(unionpay.ProductionEndpoints(), "gateway.95516.com", host)
	}
	test := func(host string) unionpay.Endpoints {
		return spelled(unionpay.TestEndpoints(), "gateway.test.95516.com", host)
	}
	for _, tt := range []struct {
		name      string
		endpoints unionpay.Endpoints
		env       string // the certificates given
		refused   bool   // NewClient refuses Config.Verifier
		loopback  bool   // else, whether a loopback backUrl is taken (false: read as production hosts)
	}{
		{"production, a final dot, test files", prod("gateway.95516.com."), "test", true, false},
		{"production, capitals and a final dot, test files", prod("GATEWAY.95516.COM."), "test", true, false},
		{"production, a final dot and the port, test files", prod("gateway.95516.com.:443"), "test", true, false},
		{"production, full-width letters, test files", prod("ｇａｔｅｗａｙ.95516.com"), "test", true, false},
		{"production, an ideographic full stop, test files", prod("gateway。95516.com"), "test", true, false},
		{"production, only the file host with a final dot, test files", unionpay.Endpoints{
			Front: "https://up-egress.internal/f", Back: "https://up-egress.internal/b", Query: "https://up-egress.internal/q",
			File: "https://filedownload.95516.com./"}, "test", true, false},
		{"test environment, a final dot, production files", test("gateway.test.95516.com."), "prod", true, false},
		{"test environment, capitals and a final dot, production files", test("Gateway.Test.95516.Com."), "prod", true, false},
		{"test environment, full-width letters, production files", test("ｇａｔｅｗａｙ.test.95516.com"), "prod", true, false},
		{"production, a final dot, production files", prod("gateway.95516.com."), "prod", false, false},
		{"production, full-width letters, production files", prod("ｇａｔｅｗａｙ.95516.com"), "prod", false, false},
		{"test environment, a final dot, test files", test("gateway.test.95516.com."), "test", false, true},
		{"a look-alike host, test files", prod("gateway.95516.com.example.net"), "test", false, true},
		{"a look-alike host, production files", prod("gateway-95516.com"), "prod", false, true},
	} {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			v, e := files(tt.env)
			c, err := unionpay.NewClient(unionpay.Config{MerchantID: "777290058110048", Signer: testPFXSigner(t),
				Verifier: v, Encrypter: e, Endpoints: tt.endpoints, Now: at})
			if tt.refused {
				var ce *unionpay.ConfigError
				require.True(t, errors.As(err, &ce), "NewClient took %s files with %v: %v", tt.env, tt.endpoints, err)
				assert.Equal(t, "Config.Verifier", ce.Field)
				assert.Contains(t, ce.Reason, "Endpoints of UnionPay's")
				return
			}
			require.NoError(t, err)
			_, err = c.FrontConsume(&unionpay.ConsumeRequest{OrderID: "ORDER0001", Amount: 100,
				FrontURL: "https://shop.example.com/return", BackURL: "http://127.0.0.1:8080/notify"})
			if tt.loopback {
				require.NoError(t, err)
				return
			}
			var re *unionpay.RequestError
			require.True(t, errors.As(err, &re), "a loopback backUrl taken with %v: %v", tt.endpoints, err)
			assert.Equal(t, "BackURL", re.Field)
		})
	}
}

// TestEndpointsHostSpellingsPublicTestKey: a production host written with a final dot, in
// capitals or in full-width letters still refuses a Verifier accepting UnionPay's public test
// secure key, with which anyone could sign a notification.
func TestEndpointsHostSpellingsPublicTestKey(t *testing.T) {
	t.Parallel()
	for _, host := range []string{"gateway.95516.com.", "GATEWAY.95516.COM.", "ｇａｔｅｗａｙ.95516.com", "gateway。95516.com."} {
		t.Run(host, func(t *testing.T) {
			t.Parallel()
			signer, err := sign.NewSecureKeySigner(sign.MethodSHA256Key, []byte(cert.PublicTestSecureKey))
			require.NoError(t, err)
			v, err := cert.NewVerifier(cert.VerifierConfig{SecureKey: []byte(cert.PublicTestSecureKey)})
			require.NoError(t, err)
			const path = "/gateway/api/"
			_, err = unionpay.NewClient(unionpay.Config{MerchantID: "777290058110048", Signer: signer, Verifier: v,
				Endpoints: unionpay.Endpoints{Front: "https://" + host + path + "frontTransReq.do",
					Back: "https://" + host + path + "backTransReq.do", Query: "https://" + host + path + "queryTrans.do"}})
			var ce *unionpay.ConfigError
			require.True(t, errors.As(err, &ce), "NewClient accepted the public test key on %s: %v", host, err)
			assert.Equal(t, "Config.Verifier", ce.Field)
			assert.Contains(t, ce.Reason, "public test secure key")
		})
	}
}

package unionpay_test

import (
	"context"
	"crypto/x509"
	"errors"
	"path/filepath"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/goacp/unionpay/cert"
	"github.com/goacp/unionpay/sign"
	"github.com/goacp/unionpay/unionpay"
)

// TestBackURLUnreachableFromProduction: with UnionPay's production Endpoints, a backUrl on
// localhost or a literal loopback, link-local or unspecified address is refused before anything is
// signed or sent, naming BackURL (or Extra's backUrl): UnionPay's notifications would never reach
// it. A public host, http or https, with a query string, is taken, and so is a private address (a
// merchant on a leased line to UnionPay may be reached at one); so is any backUrl
// with UnionPay's test environment (a developer's machine) and with other Endpoints (a fake
// gateway on loopback).
func TestBackURLUnreachableFromProduction(t *testing.T) {
	t.Parallel()
	at := func() time.Time { return testNow }
	newClient := func(endpoints unionpay.Endpoints, env string) *unionpay.Client {
		loadCert := func(name string) *x509.Certificate {
			c, err := cert.LoadCertificateFile(filepath.Join(testCerts, "..", "acp-"+env+"-certs", name))
			require.NoError(t, err)
			return c
		}
		enc, err := cert.NewEncrypter(loadCert("acp_" + env + "_enc.cer"))
		require.NoError(t, err)
		root, middle := loadCert("acp_"+env+"_root.cer"), loadCert("acp_"+env+"_middle.cer")
		v, err := cert.NewVerifier(cert.VerifierConfig{Root: root, Middle: middle, AcceptTestOwner: env == "test", Now: at})
		require.NoError(t, err)
		c, err := unionpay.NewClient(unionpay.Config{MerchantID: "777290058110048", Signer: testPFXSigner(t), Verifier: v,
			Encrypter: enc, Endpoints: endpoints, Now: at})
		require.NoError(t, err)
		return c
	}
	prod := newClient(unionpay.ProductionEndpoints(), "prod")
	test := newClient(unionpay.TestEndpoints(), "test")
	const g = "https://127.0.0.1:8443/gateway/api/"
	local := newClient(unionpay.Endpoints{Front: g + "frontTransReq.do", Back: g + "backTransReq.do", Query: g + "queryTrans.do"}, "test")
	form := func(c *unionpay.Client, backURL string) error {
		_, err := c.FrontConsume(&unionpay.ConsumeRequest{OrderID: "ORDER0001", Amount: 100, FrontURL: "https://shop.example.com/return",
			BackURL: backURL})
		return err
	}
	for _, tt := range []struct {
		name    string
		client  *unionpay.Client
		backURL string
		refused bool
	}{
		{"localhost", prod, "http://localhost:8080/unionpay/notify", true},
		{"LOCALHOST, https", prod, "https://LOCALHOST/notify", true},
		{"a .localhost name", prod, "http://shop.localhost/notify", true},
		{"IPv4 loopback", prod, "http://127.0.0.1:8080/notify", true},
		{"IPv6 loopback", prod, "http://[::1]:8080/notify", true},
		{"private 10/8: a leased line", prod, "https://10.0.0.5/notify", false},
		{"private 192.168/16", prod, "http://192.168.1.20/notify", false},
		{"private fc00::/7", prod, "http://[fd00::5]/notify", false},
		{"IPv6 link-local", prod, "http://[fe80::1]/notify", true},
		{"link-local", prod, "http://169.254.169.254/notify", true},
		{"unspecified", prod, "http://0.0.0.0:8080/notify", true},
		{"localhost. (a fully qualified name)", prod, "http://localhost.:8080/notify", true},
		{"shop.localhost.", prod, "http://shop.localhost./notify", true},
		{"IPv4-mapped IPv6 loopback", prod, "http://[::ffff:127.0.0.1]:8080/notify", true},
		{"IPv6 link-local with a zone", prod, "http://[fe80::1%25eth0]:8080/notify", true},
		{"IPv6 unspecified", prod, "http://[::]/notify", true},
		{"loopback 127/8", prod, "http://127.0.1.1/notify", true},
		{"loopback in short form (inet_aton)", prod, "http://127.1:8080/notify", true},
		{"loopback in hexadecimal (inet_aton)", prod, "http://0x7f.1/notify", true},
		{"loopback in octal (inet_aton)", prod, "http://0177.0.0.1/notify", true},
		{"loopback as one number", prod, "http://2130706433/notify", true},
		{"link-local as one hexadecimal number", prod, "http://0xA9FEA9FE/notify", true},
		{"userinfo before a loopback host", prod, "http://shop.example.com@127.0.0.1/notify", true},
		{"userinfo naming loopback before a public host", prod, "http://127.0.0.1@shop.example.com/notify", false},
		{"a public address in short form", prod, "http://203.113/notify", false},
		{"a name with numeric labels", prod, "https://127.0.0.1.nip.io/notify", false},
		{"a name starting with 0x", prod, "https://0x7f.example.com/notify", false},
		{"public host", prod, "https://shop.example.com/unionpay/notify", false},
		{"public host, http, query string", prod, "http://shop.example.com/notify?shop=1&x=2", false},
		{"public address", prod, "https://203.0.113.10/notify", false},
		{"test environment, localhost", test, "http://localhost:8080/notify", false},
		{"loopback gateway, loopback backUrl", local, "http://127.0.0.1:8080/notify", false},
	} {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			err := form(tt.client, tt.backURL)
			if !tt.refused {
				require.NoError(t, err)
				return
			}
			var re *unionpay.RequestError
			require.True(t, errors.As(err, &re), "backUrl %q taken with production endpoints: %v", tt.backURL, err)
			assert.Equal(t, "BackURL", re.Field)
			assert.Contains(t, re.Reason, "cannot be reached by UnionPay's production gateway")
		})
	}
	t.Run("refund", func(t *testing.T) {
		t.Parallel()
		_, err := prod.Refund(context.Background(), &unionpay.FollowUpRequest{OrderID: "REFUND0001",
			OrigQueryID: "123456789012345678901", Amount: 100, BackURL: "http://127.0.0.1/notify"})
		var re *unionpay.RequestError
		require.True(t, errors.As(err, &re), "%v", err)
		assert.Equal(t, "BackURL", re.Field)
	})
	t.Run("Extra", func(t *testing.T) {
		t.Parallel()
		_, err := prod.Query(context.Background(), &unionpay.QueryRequest{OrderID: "ORDER0001", TxnTime: testNow,
			Extra: sign.Fields{"backUrl": "http://localhost/notify"}})
		var re *unionpay.RequestError
		require.True(t, errors.As(err, &re), "%v", err)
		assert.Equal(t, `Extra["backUrl"]`, re.Field)
	})
}

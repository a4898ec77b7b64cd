package main

import (
	"bytes"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/goacp/unionpay/cert"
)

// testCerts holds UnionPay's public test certificates.
const testCerts = "../../testdata/acp-test-certs"

// -pfx and -password choose the signing PFX of -live (defaults: the public test PFX), and one
// that has expired by now is warned about on the way.
func TestLiveFlags(t *testing.T) {
	o := parseFlags(nil)
	assert.Equal(t, options{addr: "127.0.0.1:8080", lc: liveConfig{certDir: "testdata/acp-test-certs",
		pfx: "unipayAppCert.pfx", password: "000000", merID: "777290058110048"}}, o)

	o = parseFlags([]string{"-live", "-certs", testCerts, "-pfx", "acp_test_sign.pfx", "-password", "000000",
		"-merid", "700000000000001"})
	assert.True(t, o.live)
	var warn bytes.Buffer
	cfg, err := liveClientConfig(o.lc, &warn, time.Now())
	require.NoError(t, err)
	assert.Equal(t, "69629715588", cfg.Signer.CertID(), "the PFX named by -pfx signs")
	assert.Equal(t, "700000000000001", cfg.MerchantID)
	assert.Equal(t, "https://gateway.test.95516.com/gateway/api/frontTransReq.do", cfg.Endpoints.Front)
	assert.Equal(t, "warning: the signing certificate of -pfx acp_test_sign.pfx (certId 69629715588, "+
		"notBefore 2018-11-26T03:54:31Z, notAfter 2021-11-26T03:54:31Z) is expired: "+
		"UnionPay can be expected to refuse its signatures\n", warn.String())

	warn.Reset()
	o = parseFlags([]string{"-live", "-certs", testCerts})
	cfg, err = liveClientConfig(o.lc, &warn, time.Date(2026, 6, 1, 0, 0, 0, 0, time.UTC))
	require.NoError(t, err)
	assert.Equal(t, "69903319369", cfg.Signer.CertID(), "the public test PFX by default")
	assert.Empty(t, warn.String())

	o = parseFlags([]string{"-live", "-certs", testCerts, "-password", "123456"})
	_, err = liveClientConfig(o.lc, &warn, time.Now())
	require.ErrorIs(t, err, cert.ErrPassword)
	assert.Contains(t, err.Error(), "-password does not open -pfx unipayAppCert.pfx")
}

package main

import (
	"bytes"
	"context"
	"crypto/rsa"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/goacp/unionpay/cert"
	"github.com/goacp/unionpay/reconcile"
	"github.com/goacp/unionpay/sign"
	"github.com/goacp/unionpay/unionpay"
)

// testCerts holds UnionPay's public test certificates.
const testCerts = "../../testdata/acp-test-certs"

// The README's main command: the whole day on the fake gateway checks out, step by step.
func TestDayChecksOut(t *testing.T) {
	var out bytes.Buffer
	err := runDay(context.Background(), &out)
	require.NoError(t, err, out.String())
	text := out.String()
	for _, step := range []string{
		"1. The shop builds the signed front consume form",
		"2. The shopper pays on UnionPay's cashier page",
		"3. UnionPay's notification arrives at the shop",
		"4. A status query confirms the payment",
		"5. The shop refunds part of the order",
		"6. The shop downloads the day's settlement file",
		"7. The shop reconciles the file against its orders",
	} {
		assert.Contains(t, text, step)
	}
	assert.Equal(t, 7, strings.Count(text, "\n   ok: "), text)
	assert.NotContains(t, text, "FAILED")
	assert.Regexp(t, `every order matched; the RD summary report agrees: 2 records, net \d+\.\d\d yuan`, text)
	assert.True(t, strings.HasSuffix(text, "\nEvery step checked out.\n"))
	assert.NotContains(t, text, "6216261000000000018", "the card number is only shown masked")
}

// A cancelled context stops the day with an error instead of hanging or reporting success.
func TestDayStopsWithContext(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	var out bytes.Buffer
	err := runDay(ctx, &out)
	require.Error(t, err)
	assert.NotContains(t, out.String(), "Every step checked out")
}

// -live cannot reach UnionPay from a test, but its configuration is UnionPay's public test
// certificates, and the form it saves is signed with the test PFX.
func TestLiveConfigAndForm(t *testing.T) {
	lc := liveConfig{certDir: testCerts, pfx: "unipayAppCert.pfx", password: "000000",
		merID: "777290058110048", form: filepath.Join(t.TempDir(), "form.html")}
	var warn bytes.Buffer
	cfg, err := liveClientConfig(lc, &warn, time.Date(2026, 6, 1, 0, 0, 0, 0, time.UTC))
	require.NoError(t, err)
	assert.Empty(t, warn.String())
	assert.Equal(t, "69903319369", cfg.Signer.CertID())
	assert.Equal(t, "https://gateway.test.95516.com/gateway/api/frontTransReq.do", cfg.Endpoints.Front)
	assert.NotNil(t, cfg.Encrypter)

	client, err := unionpay.NewClient(cfg)
	require.NoError(t, err)
	form, saved, err := liveForm(client, lc.form)
	require.NoError(t, err)
	assert.Equal(t, lc.form, saved)
	page, err := os.ReadFile(lc.form)
	require.NoError(t, err)
	assert.Contains(t, string(page), `action="https://gateway.test.95516.com/gateway/api/frontTransReq.do"`)

	pfx, err := cert.LoadPFXFile(filepath.Join(lc.certDir, lc.pfx), lc.password)
	require.NoError(t, err)
	canonical, err := sign.Canonical(form.Fields)
	require.NoError(t, err)
	pub, ok := pfx.Certificate.PublicKey.(*rsa.PublicKey)
	require.True(t, ok)
	require.NoError(t, sign.VerifyRSA(pub, form.Fields["version"], canonical,
		form.Fields["signature"]))

	lc.password = "123456"
	var out bytes.Buffer
	err = runLive(context.Background(), &out, &warn, lc)
	require.ErrorIs(t, err, cert.ErrPassword)
	assert.NotContains(t, out.String()+warn.String(), "123456")
}

// -pfx and -password choose the signing PFX of -live (defaults: the public test PFX), and one
// that has expired by now is warned about on the way.
func TestLiveFlags(t *testing.T) {
	live, lc := parseFlags(nil)
	assert.False(t, live)
	assert.Equal(t, liveConfig{certDir: "testdata/acp-test-certs", pfx: "unipayAppCert.pfx", password: "000000",
		merID: "777290058110048", form: ""}, lc, "-form unset: a new temporary directory, not the current one")

	live, lc = parseFlags([]string{"-live", "-certs", testCerts, "-pfx", "acp_test_sign.pfx", "-password", "000000",
		"-merid", "700000000000001"})
	assert.True(t, live)
	var warn bytes.Buffer
	cfg, err := liveClientConfig(lc, &warn, time.Now())
	require.NoError(t, err)
	assert.Equal(t, "69629715588", cfg.Signer.CertID(), "the PFX named by -pfx signs")
	assert.Equal(t, "700000000000001", cfg.MerchantID)
	assert.Equal(t, "warning: the signing certificate of -pfx acp_test_sign.pfx (certId 69629715588, "+
		"notBefore 2018-11-26T03:54:31Z, notAfter 2021-11-26T03:54:31Z) is expired: "+
		"UnionPay can be expected to refuse its signatures\n", warn.String())

	_, lc = parseFlags([]string{"-live", "-certs", testCerts, "-password", "123456"})
	_, err = liveClientConfig(lc, &warn, time.Now())
	require.ErrorIs(t, err, cert.ErrPassword)
	assert.Contains(t, err.Error(), "-password does not open -pfx unipayAppCert.pfx")
}

// The sample settlement file is asked for the last 19 January: never a date in the future.
func TestLiveFileDate(t *testing.T) {
	bj := reconcile.Beijing()
	for now, want := range map[time.Time]string{
		time.Date(2027, 1, 18, 23, 0, 0, 0, bj):       "20260119",
		time.Date(2027, 1, 18, 16, 0, 0, 0, time.UTC): "20270119", // already 19 January in Beijing
		time.Date(2027, 1, 19, 0, 0, 0, 0, bj):        "20270119",
		time.Date(2026, 11, 26, 7, 0, 0, 0, time.UTC): "20260119",
	} {
		assert.Equal(t, want, liveFileDate(now).Format("20060102"), now.String())
	}
}

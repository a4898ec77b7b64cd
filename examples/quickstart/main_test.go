package main

import (
	"bytes"
	"context"
	"crypto/rsa"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/goacp/unionpay/cert"
	"github.com/goacp/unionpay/sign"
	"github.com/goacp/unionpay/unionpay"
)

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
	lc := liveConfig{certDir: "../../testdata/acp-test-certs", pfx: "unipayAppCert.pfx", password: "000000",
		merID: "777290058110048", form: filepath.Join(t.TempDir(), "form.html")}
	cfg, err := liveClientConfig(lc)
	require.NoError(t, err)
	assert.Equal(t, "69903319369", cfg.Signer.CertID())
	assert.Equal(t, "https://gateway.test.95516.com/gateway/api/frontTransReq.do", cfg.Endpoints.Front)
	assert.NotNil(t, cfg.Encrypter)

	client, err := unionpay.NewClient(cfg)
	require.NoError(t, err)
	form, err := liveForm(client, lc.form)
	require.NoError(t, err)
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
	err = runLive(context.Background(), &out, lc)
	require.ErrorIs(t, err, cert.ErrPassword)
}

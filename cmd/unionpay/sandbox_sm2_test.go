package main

import (
	"bytes"
	"context"
	"io"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/goacp/unionpay/cert"
	"github.com/goacp/unionpay/reconcile"
	"github.com/goacp/unionpay/unionpay"
	"github.com/goacp/unionpay/unionpay/unionpaytest"
)

// TestSandboxSM2QueryConfig: "unionpay sandbox -sm2" runs the fake gateway with a 国密 (SM2)
// merchant, writes its .sm2 file and SM2 certificates beside the others and an
// acp_sdk.properties that LoadJavaConfig reads as an SM2 merchant's (signMethod 21), and
// "unionpay query -config" with that file queries it end to end, signing with signMethod 21
// (the sandbox could only run an RSA merchant).
func TestSandboxSM2QueryConfig(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	dir := t.TempDir()
	var stderr syncBuilder
	backURL, _ := acceptingBackURL(t) // a notify route that works: the sandbox says nothing of it
	info, done := startSandbox(t, ctx, &stderr, "-sm2", "-dir", dir, "-script", "SM2PEND0001=00,05")
	defer func() {
		cancel()
		<-done
	}()

	for key, name := range map[string]string{"sm2": "sandbox_sign.sm2", "sm2Root": "sandbox_sm2_root.cer",
		"sm2Middle": "sandbox_sm2_middle.cer", "sm2VerifyCert": "sandbox_sm2_verify.cer", "sm2EncryptCert": "sandbox_sm2_enc.cer",
		"pfx": "sandbox_sign.pfx"} {
		assert.Equal(t, filepath.Join(dir, name), info[key], key)
		assert.FileExists(t, info[key])
	}
	cred, err := cert.LoadSM2File(info["sm2"], info["sm2Password"])
	require.NoError(t, err, "the .sm2 file loads with the password printed")
	assert.Equal(t, info["sm2CertId"], cred.CertID())
	for key, id := range map[string]string{"sm2VerifyCert": "sm2VerifyCertId", "sm2EncryptCert": "sm2EncryptCertId"} {
		c, err := cert.LoadCertificateFile(info[key])
		require.NoError(t, err, key)
		assert.Equal(t, info[id], cert.CertID(c), key)
	}

	jc, err := unionpay.LoadJavaConfig(info["config"])
	require.NoError(t, err, "the file loads as a gm service's would")
	assert.Empty(t, jc.Dropped, "every key used")
	assert.Equal(t, "21", jc.Config.Signer.Method(), "an SM2 merchant")
	jc.Config.MerchantID = info["merId"]
	client, err := unionpay.NewClient(jc.Config)
	require.NoError(t, err)
	consume := func(orderID string) string {
		t.Helper()
		when := time.Now()
		_, err := client.BackConsume(ctx, &unionpay.CardRequest{OrderID: orderID, Amount: 1000, TxnTime: when,
			BackURL: backURL, AccNo: unionpaytest.TestCard})
		require.NoError(t, err)
		return when.In(reconcile.Beijing()).Format("20060102150405")
	}
	paid, pending := consume("SM2PAID0001"), consume("SM2PEND0001")

	var mu sync.Mutex
	var methods []string // each query's signMethod, as sent
	spy := roundTripFunc(func(r *http.Request) (*http.Response, error) {
		body, err := io.ReadAll(r.Body)
		if err != nil {
			return nil, err
		}
		r.Body = io.NopCloser(bytes.NewReader(body))
		form, err := url.ParseQuery(string(body))
		if err != nil {
			return nil, err
		}
		mu.Lock()
		methods = append(methods, form.Get("signMethod"))
		mu.Unlock()
		return http.DefaultTransport.RoundTrip(r)
	})
	tests := []struct {
		name, order, at string
		code            int
		out             []string
	}{
		{"succeeded", "SM2PAID0001", paid, exitOK, []string{"state: succeeded\n", "txnAmt: 1000\n", "respMsg: 成功[0000000]\n"}},
		{"pending (-script)", "SM2PEND0001", pending, exitQueryAgain, []string{"state: pending\n", "origRespCode: 05\n"}},
		{"not found", "SM2NOSUCH001", paid, exitQueryAgain, []string{"state: not found\n", "\ntxnAmt: \n"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			methods = nil
			var out, errOut bytes.Buffer
			e := &env{ctx: ctx, stdin: strings.NewReader(""), stdout: &out, stderr: &errOut,
				getenv: func(string) string { return "" }, transport: spy}
			code := e.dispatch([]string{"query", "-merid", info["merId"], "-config", info["config"], "-order", tt.order, "-txn-time", tt.at})
			r := result{code, out.String(), errOut.String()}
			require.Equal(t, tt.code, r.code, "stdout %q stderr %q", r.stdout, r.stderr)
			for _, want := range tt.out {
				assert.Contains(t, r.stdout, want)
			}
			assert.Equal(t, []string{"21"}, methods, "signed with SM2")
			requireNoSecret(t, r)
		})
	}
	assert.Empty(t, stderr.String(), "no protocol violations")
}

// TestSandboxSM2ConfigFile: with the .sm2 file, the sandbox's acp_sdk.properties is a gm
// merchant's: signMethod 21 and the acpsdk.sm2.* keys naming the files by absolute path, no PFX.
func TestSandboxSM2ConfigFile(t *testing.T) {
	dir := t.TempDir()
	t.Chdir(dir)
	require.NoError(t, os.Mkdir("sb", 0o700))
	f := sandboxFiles{pfx: "sb/merchant.pfx", root: "sb/root.cer", middle: "sb/middle.cer", enc: "sb/enc.cer",
		sm2: "sb/merchant.sm2", sm2Root: "sb/sm2root.cer", sm2Middle: "sb/sm2middle.cer", sm2Verify: "sb/sm2verify.cer",
		sm2Enc: "sb/sm2enc.cer"}
	path, err := writeSandboxConfig("sb", "http://127.0.0.1:8080", f)
	require.NoError(t, err)
	got, err := os.ReadFile(path)
	require.NoError(t, err)
	abs := func(p string) string { return filepath.ToSlash(filepath.Join(dir, p)) }
	_, tail, ok := strings.Cut(string(got), "acpsdk.cardTransUrl=http://127.0.0.1:8080"+string(unionpaytest.EndpointCard)+"\n")
	require.True(t, ok, "%s", got)
	assert.Equal(t, "acpsdk.version=5.1.0\nacpsdk.signMethod=21\nacpsdk.sm2.signCert.pwd="+sandboxPassword+"\n"+
		"acpsdk.sm2.signCert.path="+abs("sb/merchant.sm2")+"\nacpsdk.sm2.rootCert.path="+abs("sb/sm2root.cer")+"\n"+
		"acpsdk.sm2.middleCert.path="+abs("sb/sm2middle.cer")+"\nacpsdk.sm2.encryptCert.path="+abs("sb/sm2enc.cer")+"\n", tail)
}

package main

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

const (
	testEnc    = certsDir + "/acp_test_enc.cer" // 2020-09-11 .. 2025-09-11
	prodCerts  = "../../testdata/acp-prod-certs"
	prodRoot   = prodCerts + "/acp_prod_root.cer"
	prodMiddle = prodCerts + "/acp_prod_middle.cer"
	demoMerID  = "777290058110048"
)

// preflightAt runs preflight with the clock at now and password in $UNIONPAY_PASSWORD.
func preflightAt(t *testing.T, now time.Time, password string, args ...string) result {
	t.Helper()
	var out, errOut bytes.Buffer
	e := &env{ctx: context.Background(), stdin: strings.NewReader(""), stdout: &out, stderr: &errOut,
		getenv: func(k string) string {
			if k == passwordEnv {
				return password
			}
			return ""
		}, now: func() time.Time { return now }}
	code := e.dispatch(append([]string{"preflight"}, args...))
	return result{code, out.String(), errOut.String()}
}

// preflightProperties writes an acp_sdk.properties naming the test certificates by absolute
// path, with the gateway URLs of host (gateway.test.95516.com or gateway.95516.com); over holds
// pairs of a certificate's key (rootCert, middleCert, encryptCert) and the file to name instead.
func preflightProperties(t *testing.T, host string, over ...string) string {
	t.Helper()
	certs, err := filepath.Abs(certsDir)
	require.NoError(t, err)
	paths := map[string]string{"rootCert": certs + "/acp_test_root.cer", "middleCert": certs + "/acp_test_middle.cer",
		"encryptCert": certs + "/acp_test_enc.cer"}
	for i := 0; i+1 < len(over); i += 2 {
		abs, err := filepath.Abs(over[i+1])
		require.NoError(t, err)
		paths[over[i]] = abs
	}
	g := "https://" + host + "/gateway/api/"
	content := "acpsdk.frontTransUrl=" + g + "frontTransReq.do\nacpsdk.backTransUrl=" + g + "backTransReq.do\n" +
		"acpsdk.singleQueryUrl=" + g + "queryTrans.do\nacpsdk.version=5.1.0\nacpsdk.signMethod=01\n" +
		"acpsdk.signCert.path=" + filepath.ToSlash(certs) + "/unipayAppCert.pfx\nacpsdk.signCert.pwd=000000\n"
	for _, k := range []string{"middleCert", "rootCert", "encryptCert"} {
		content += "acpsdk." + k + ".path=" + filepath.ToSlash(paths[k]) + "\n"
	}
	path := filepath.Join(t.TempDir(), "acp_sdk.properties")
	require.NoError(t, os.WriteFile(path, []byte(content), 0o600))
	return path
}

func TestPreflight(t *testing.T) {
	validAll := time.Date(2024, 6, 1, 0, 0, 0, 0, time.UTC) // every test certificate valid, none within 30 days
	flags := []string{"-merid", demoMerID, "-pfx", appPFX, "-root", testRoot, "-middle", testMiddle}
	tests := []struct {
		name     string
		now      time.Time
		password string
		args     []string
		fails    []string // the FAIL lines expected, each by a part of it; none: status 0
	}{
		{name: "test environment, all valid", now: validAll, password: "000000",
			args: append([]string{"-env", "test", "-enc", testEnc}, flags...)},
		{name: "password from -password", now: validAll,
			args: append([]string{"-env", "test", "-password", "000000"}, flags...)},
		{name: "signing certificate expires within 30 days", now: time.Date(2026, 11, 1, 0, 0, 0, 0, time.UTC), password: "000000",
			args:  append([]string{"-env", "test"}, flags...),
			fails: []string{"FAIL  certificate signing (merchant) 69903319369: expires within 720h0m0s: notAfter 2026-11-26T02:31:47Z"}},
		{name: "shorter margin", now: time.Date(2026, 11, 1, 0, 0, 0, 0, time.UTC), password: "000000",
			args: append([]string{"-env", "test", "-expires-within", "24h"}, flags...)},
		{name: "no margin: only what is not valid now fails", now: time.Date(2026, 11, 1, 0, 0, 0, 0, time.UTC), password: "000000",
			args: append([]string{"-env", "test", "-expires-within", "0"}, flags...)},
		{name: "expired certificates", now: time.Date(2026, 11, 27, 0, 0, 0, 0, time.UTC), password: "000000",
			args: append([]string{"-env", "test", "-enc", testEnc}, flags...),
			fails: []string{"FAIL  certificate signing (merchant) 69903319369: EXPIRED since 2026-11-26T02:31:47Z\n",
				"FAIL  certificate encryption (UnionPay) 69683525138: EXPIRED since 2025-09-11T02:43:26Z: UnionPay has " +
					"replaced it: give its current encryption certificate as -enc (a running service's " +
					"Client.UpdateEncryptionCertificate fetches it, txnType 95; or download it from open.unionpay.com)\n"}},
		{name: "properties with an expired encryption certificate", now: time.Date(2026, 1, 5, 0, 0, 0, 0, time.UTC),
			args: []string{"-env", "test", "-merid", demoMerID, "-config", preflightProperties(t, "gateway.test.95516.com")},
			fails: []string{"FAIL  certificate encryption (UnionPay) 69683525138: EXPIRED since 2025-09-11T02:43:26Z: UnionPay has " +
				"replaced it: give its current encryption certificate in the file -config names (a running service's " +
				"Client.UpdateEncryptionCertificate fetches it, txnType 95; or download it from open.unionpay.com)\n"}},
		{name: "signing certificate not yet valid", now: time.Date(2021, 6, 1, 0, 0, 0, 0, time.UTC), password: "000000",
			args:  append([]string{"-env", "test"}, flags...),
			fails: []string{"FAIL  certificate signing (merchant) 69903319369: NOT YET VALID, from 2021-11-26T02:31:47Z"}},
		{name: "production with test certificates", now: validAll, password: "000000",
			args:  append([]string{"-env", "production"}, flags...),
			fails: []string{"FAIL  environment: -pfx is of UnionPay's test environment PKI (CN=041@Z2014-11-11@700000000000001:SIGN@00000003"}},
		{name: "test with production root and middle", now: validAll, password: "000000",
			args:  []string{"-env", "test", "-merid", demoMerID, "-pfx", appPFX, "-root", prodRoot, "-middle", prodMiddle},
			fails: []string{"FAIL  environment: -root is of UnionPay's production PKI (O=CFCA CS CA,C=CN)"}},
		{name: "merId refused by NewClient", now: validAll, password: "000000",
			args:  []string{"-env", "test", "-merid", "7772900581", "-pfx", appPFX, "-root", testRoot, "-middle", testMiddle},
			fails: []string{"FAIL  unionpay.NewClient: Config.MerchantID: must be 15 letters or digits"}},
		{name: "wrong password", now: validAll, password: "secret42",
			args:  append([]string{"-env", "test"}, flags...),
			fails: []string{"FAIL  merchant PFX -pfx: cert: wrong PFX password"}},
		{name: "root and middle swapped", now: validAll, password: "000000",
			args:  []string{"-env", "test", "-merid", demoMerID, "-pfx", appPFX, "-root", testMiddle, "-middle", testRoot},
			fails: []string{"FAIL  verifier -root -middle: "}},
		{name: "missing file", now: validAll, password: "000000",
			args:  []string{"-env", "test", "-merid", demoMerID, "-pfx", appPFX, "-root", "nowhere.cer", "-middle", testMiddle},
			fails: []string{"FAIL  certificate: -root: cert: open nowhere.cer"}},
		{name: "missing PFX", now: validAll, password: "000000",
			args:  []string{"-env", "test", "-merid", demoMerID, "-pfx", "nowhere.pfx", "-root", testRoot, "-middle", testMiddle},
			fails: []string{"FAIL  merchant PFX: -pfx: cert: open nowhere.pfx"}},
		{name: "properties of the test environment", now: validAll,
			args: []string{"-env", "test", "-merid", demoMerID, "-config", preflightProperties(t, "gateway.test.95516.com")}},
		{name: "properties of the test environment, -env production", now: validAll,
			args:  []string{"-env", "production", "-merid", demoMerID, "-config", preflightProperties(t, "gateway.test.95516.com")},
			fails: []string{"FAIL  URLs -config: -env production, but the file's URLs are test", "FAIL  environment: the root is of UnionPay's test environment PKI"}},
		{name: "properties, middle expired at preflight's clock", now: time.Date(2031, 6, 1, 0, 0, 0, 0, time.UTC),
			args:  []string{"-env", "test", "-merid", demoMerID, "-config", preflightProperties(t, "gateway.test.95516.com")},
			fails: []string{"FAIL  unionpay.NewClient: Config.Verifier: "}},
		{name: "properties with a production encryption certificate", now: validAll,
			args: []string{"-env", "test", "-merid", demoMerID, "-config",
				preflightProperties(t, "gateway.test.95516.com", "encryptCert", prodCerts+"/acp_prod_enc.cer")},
			fails: []string{"FAIL  environment: the encryption certificate is of UnionPay's production PKI",
				"FAIL  certificate encryption (UnionPay) 77447321186: EXPIRED since 2024-01-02"}},
		{name: "properties with a test signing certificate, -env production", now: validAll,
			args: []string{"-env", "production", "-merid", demoMerID, "-config", preflightProperties(t, "gateway.test.95516.com",
				"rootCert", prodRoot, "middleCert", prodMiddle, "encryptCert", prodCerts+"/acp_prod_enc.cer")},
			fails: []string{"FAIL  URLs -config: -env production, but the file's URLs are test",
				"FAIL  environment: the signing certificate is of UnionPay's test environment PKI",
				"FAIL  certificate encryption (UnionPay) 77447321186: EXPIRED since 2024-01-02"}},
		{name: "properties with a proxy's URLs", now: validAll,
			args:  []string{"-env", "test", "-merid", demoMerID, "-config", preflightProperties(t, "proxy.example")},
			fails: []string{"FAIL  URLs -config: -env test, but the file's URLs are neither UnionPay's test nor production set"}},
		{name: "properties with production URLs and test certificates", now: validAll,
			args:  []string{"-env", "production", "-merid", demoMerID, "-config", preflightProperties(t, "gateway.95516.com")},
			fails: []string{"FAIL  acp_sdk.properties -config: unionpay: "}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := preflightAt(t, tt.now, tt.password, tt.args...)
			var failed []string
			for line := range strings.Lines(r.stdout) {
				require.Regexp(t, `^(ok|FAIL)  `, line)
				if strings.HasPrefix(line, "FAIL") {
					failed = append(failed, line)
				}
			}
			// 000000 is in the test certificates' names ("@00000003"): the wrong one is looked for.
			assert.NotContains(t, r.stdout+r.stderr, "secret42", "a password printed")
			if len(tt.fails) == 0 {
				require.Equal(t, exitOK, r.code, "stdout %q stderr %q", r.stdout, r.stderr)
				assert.Empty(t, r.stderr)
				assert.Contains(t, r.stdout, "ok    unionpay.NewClient\n")
				assert.Regexp(t, `(?m)^ok    certificate signing \(merchant\) \d+: valid until \d{4}-`, r.stdout, "a check says what it found")
				return
			}
			require.Equal(t, exitFailed, r.code, "stdout %q stderr %q", r.stdout, r.stderr)
			require.Len(t, failed, len(tt.fails), "stdout %q", r.stdout)
			for i, want := range tt.fails {
				assert.Contains(t, failed[i], want)
			}
			assert.Regexp(t, `^unionpay preflight: \d+ of \d+ checks failed\n$`, r.stderr)
		})
	}
}

func TestPreflightUsage(t *testing.T) {
	tests := []struct {
		name string
		args []string
		want string
	}{
		{"no -env", []string{"-merid", demoMerID, "-pfx", appPFX, "-root", testRoot, "-middle", testMiddle}, "-env is required (test or production)"},
		{"unknown -env", []string{"-env", "staging", "-merid", demoMerID, "-config", "x"}, "-env must be test or production"},
		{"empty -env", []string{"-env", "", "-merid", demoMerID, "-config", "x"}, "-env must be test or production"},
		{"-config without -env", []string{"-merid", demoMerID, "-config", "x"}, "-env is required (test or production)"},
		{"no -merid", []string{"-env", "test", "-config", "x"}, "-merid is required"},
		{"-config and -pfx", []string{"-env", "test", "-merid", demoMerID, "-config", "x", "-pfx", appPFX}, "-config excludes"},
		{"-config and -password", []string{"-env", "test", "-merid", demoMerID, "-config", "x", "-password", "000000"}, "-config excludes"},
		{"-config and -root", []string{"-env", "test", "-merid", demoMerID, "-config", "x", "-root", testRoot}, "-config excludes"},
		{"-config and -middle", []string{"-env", "test", "-merid", demoMerID, "-config", "x", "-middle", testMiddle}, "-config excludes"},
		{"-config and -enc", []string{"-env", "test", "-merid", demoMerID, "-config", "x", "-enc", testEnc}, "-config excludes"},
		{"no -middle", []string{"-env", "test", "-merid", demoMerID, "-pfx", appPFX, "-root", testRoot}, "give -config, or -pfx, -root and -middle"},
		{"no -root", []string{"-env", "test", "-merid", demoMerID, "-pfx", appPFX, "-middle", testMiddle}, "give -config, or -pfx, -root and -middle"},
		{"no credentials", []string{"-env", "test", "-merid", demoMerID, "-pfx", appPFX}, "give -config, or -pfx, -root and -middle"},
		{"negative margin", []string{"-env", "test", "-merid", demoMerID, "-config", "x", "-expires-within", "-1h"}, "must not be negative"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := runCLI(t, "", append([]string{"preflight"}, tt.args...)...)
			requireFailure(t, r, exitUsage, tt.want)
			assert.NotContains(t, r.stderr, "000000", "a password printed")
		})
	}
}

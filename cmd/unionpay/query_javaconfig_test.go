package main

import (
	"bytes"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/goacp/unionpay/reconcile"
	"github.com/goacp/unionpay/unionpay"
	"github.com/goacp/unionpay/unionpay/unionpaytest"
)

// cliSecureKey is the secure key of the signMethod 11 and 12 services in tests (not UnionPay's
// public test key, which LoadJavaConfig refuses beside production certificates): never printed.
const cliSecureKey = "Key-4711-Secret"

// TestQueryJavaConfigKinds runs query end to end with the acp_sdk.properties of each kind of
// service the fake gateway serves: GBK, version 5.0.0 (UnionPay's signing certificate in
// acpsdk.validateCert.dir), secure key (signMethod 11 and 12) and SM2 (signMethod 21, 5.1.0
// and 5.0.0). A GBK answer's Chinese respMsg prints as UTF-8, and neither the password, the
// secure key nor a full card number is printed. download -reconcile takes the same files.
func TestQueryJavaConfigKinds(t *testing.T) {
	tests := []struct {
		name  string
		wire  string // the query's version, signMethod and encoding, as sent
		accNo string // a front payment's accNo as query prints it
		opts  []unionpaytest.Option
		props func(t *testing.T, srv *unionpaytest.Server, dir string) string // the credential keys
	}{
		{name: "GBK, 5.1.0, signMethod 01", wire: "5.1.0 01 GBK", accNo: "6216***********0018",
			props: func(t *testing.T, srv *unionpaytest.Server, dir string) string {
				return "acpsdk.encoding=GBK\nacpsdk.version=5.1.0\nacpsdk.signMethod=01\n" + rsaProps(t, srv, dir) + chainProps(t, srv, dir)
			}},
		{name: "5.0.0 (no acpsdk.version), signMethod 01, validateCert.dir", wire: "5.0.0 01 UTF-8", accNo: "6216***********0018",
			props: func(t *testing.T, srv *unionpaytest.Server, dir string) string {
				verify := mkdirTest(t, dir, "verify")
				writeTestFile(t, verify, "acp_test_verify_sign.cer", srv.SigningPEM())
				return rsaProps(t, srv, dir) + "acpsdk.validateCert.dir=" + filepath.ToSlash(verify) + "\n"
			}},
		{name: "GBK, 5.0.0, signMethod 01, validateCert.dir", wire: "5.0.0 01 GBK", accNo: "6216***********0018",
			props: func(t *testing.T, srv *unionpaytest.Server, dir string) string {
				verify := mkdirTest(t, dir, "verify")
				writeTestFile(t, verify, "acp_test_verify_sign.cer", srv.SigningPEM())
				return "acpsdk.encoding=GBK\nacpsdk.version=5.0.0\n" + rsaProps(t, srv, dir) + "acpsdk.validateCert.dir=" + filepath.ToSlash(verify) + "\n"
			}},
		{name: "GBK, signMethod 11", wire: "5.1.0 11 GBK", accNo: "(encrypted)", // no key of the merchant decrypts it
			opts: []unionpaytest.Option{unionpaytest.WithSecureKey([]byte(cliSecureKey))},
			props: func(*testing.T, *unionpaytest.Server, string) string {
				return "acpsdk.encoding=GBK\nacpsdk.version=5.1.0\nacpsdk.signMethod=11\nacpsdk.secureKey=" + cliSecureKey + "\n"
			}},
		{name: "signMethod 12", wire: "5.1.0 12 UTF-8", accNo: "(encrypted)", // no key of the merchant decrypts it
			opts: []unionpaytest.Option{unionpaytest.WithSecureKey([]byte(cliSecureKey))},
			props: func(*testing.T, *unionpaytest.Server, string) string {
				return "acpsdk.version=5.1.0\nacpsdk.signMethod=12\nacpsdk.secureKey=" + cliSecureKey + "\n"
			}},
		{name: "signMethod 11, 5.0.0 (no acpsdk.version)", wire: "5.0.0 11 UTF-8", accNo: "(encrypted)",
			opts: []unionpaytest.Option{unionpaytest.WithSecureKey([]byte(cliSecureKey))},
			props: func(*testing.T, *unionpaytest.Server, string) string {
				return "acpsdk.signMethod=11\nacpsdk.secureKey=" + cliSecureKey + "\n"
			}},
		{name: "GBK, signMethod 12, acpsdk.sm2.secureKey", wire: "5.1.0 12 GBK", accNo: "(encrypted)",
			opts: []unionpaytest.Option{unionpaytest.WithSecureKey([]byte(cliSecureKey))},
			props: func(*testing.T, *unionpaytest.Server, string) string {
				return "acpsdk.encoding=GBK\nacpsdk.version=5.1.0\nacpsdk.signMethod=12\nacpsdk.sm2.secureKey=" + cliSecureKey + "\n"
			}},
		{name: "GBK, SM2, 5.1.0", wire: "5.1.0 21 GBK", accNo: "6216***********0018",
			opts: []unionpaytest.Option{unionpaytest.WithSM2()},
			props: func(t *testing.T, srv *unionpaytest.Server, dir string) string {
				return "acpsdk.encoding=GBK\nacpsdk.version=5.1.0\nacpsdk.signMethod=21\n" + sm2Props(t, srv, dir) +
					"acpsdk.sm2.rootCert.path=" + filepath.ToSlash(writeTestFile(t, dir, "sm2root.cer", pemOf(srv.SM2RootCertificate().Raw))) +
					"\nacpsdk.sm2.middleCert.path=" + filepath.ToSlash(writeTestFile(t, dir, "sm2middle.cer", pemOf(srv.SM2MiddleCertificate().Raw))) + "\n"
			}},
		{name: "SM2, 5.0.0, sm2.validateCert.dir", wire: "5.0.0 21 UTF-8", accNo: "6216***********0018",
			opts: []unionpaytest.Option{unionpaytest.WithSM2()},
			props: func(t *testing.T, srv *unionpaytest.Server, dir string) string {
				verify := mkdirTest(t, dir, "sm2verify")
				writeTestFile(t, verify, "sm2_verify_sign.cer", pemOf(srv.SM2SigningCertificate().Raw))
				return "acpsdk.version=5.0.0\nacpsdk.signMethod=21\n" + sm2Props(t, srv, dir) +
					"acpsdk.sm2.validateCert.dir=" + filepath.ToSlash(verify) + "\n"
			}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			srv := unionpaytest.NewServer(append([]unionpaytest.Option{unionpaytest.WithSHA1Chain(), unionpaytest.WithReporter(t),
				unionpaytest.WithClock(unionpaytest.BusinessDayClock())}, tt.opts...)...)
			t.Cleanup(srv.Close)
			dir := t.TempDir()
			ep := srv.Endpoints()
			props := "acpsdk.frontTransUrl=" + ep.Front + "\nacpsdk.backTransUrl=" + ep.Back + "\nacpsdk.singleQueryUrl=" +
				ep.Query + "\nacpsdk.fileTransUrl=" + ep.File + "\n" + tt.props(t, srv, dir)
			c := &serviceCreds{g: &gatewayFiles{srv: srv, dir: dir}, properties: writeTestFile(t, dir, "acp_sdk.properties", []byte(props))}
			flags := []string{"-merid", srv.MerchantID(), "-config", c.properties}
			succeeded, succeededAt := backConsume(t, c.g, 1234, unionpaytest.Succeed)
			failed, failedAt := backConsume(t, c.g, 1500, unionpaytest.Succeed, unionpaytest.NoBalance)
			paid, paidAt := frontPay(t, c.g, 1600, unionpaytest.TestCard)
			busy, busyAt := backConsume(t, c.g, 1700, unionpaytest.Succeed)
			srv.ScriptQuery(busy, "06")
			nowAt := srv.Now().In(reconcile.Beijing()).Format("20060102150405")
			for _, q := range []struct {
				order, at string
				code      int
				out       []string
				err       string // part of stderr
			}{
				{succeeded, succeededAt, exitOK, []string{"state: succeeded\n", "respMsg: 成功[0000000]\n", "origRespMsg: 成功[0000000]\n", "txnAmt: 1234\n"}, ""},
				{failed, failedAt, exitFailed, []string{"state: failed\n", "origRespCode: 64\n", "origRespMsg: 卡上的余额不足[0000064]\n"}, "卡上的余额不足[0000064]"},
				{paid, paidAt, exitOK, []string{"state: succeeded\n", "accNo: " + tt.accNo + "\n"}, ""},
				{"CLINOSUCHORDER42", nowAt, exitQueryAgain, []string{"state: not found\n", "respMsg: 查无此交易[0000034]\n"}, "never send"},
				{busy, busyAt, exitQueryAgain, nil, "06 交易失败[0000006]: query again later"},
			} {
				var wire []string // each query's version, signMethod and encoding, and whether its answer was UTF-8
				next := srv.HTTPClient().Transport
				spy := roundTripFunc(func(r *http.Request) (*http.Response, error) {
					body, err := io.ReadAll(r.Body)
					require.NoError(t, err)
					r.Body = io.NopCloser(bytes.NewReader(body))
					form, err := url.ParseQuery(string(body))
					require.NoError(t, err)
					resp, err := next.RoundTrip(r)
					if err != nil {
						return nil, err
					}
					answer, err := io.ReadAll(resp.Body)
					require.NoError(t, err)
					resp.Body = io.NopCloser(bytes.NewReader(answer))
					wire = append(wire, fmt.Sprintf("%s %s %s utf8:%t", form.Get("version"), form.Get("signMethod"), form.Get("encoding"), utf8.Valid(answer)))
					return resp, nil
				})
				r := c.run(t, spy, append([]string{"query", "-order", q.order, "-txn-time", q.at}, flags...)...)
				require.Equal(t, q.code, r.code, "stdout %q stderr %q", r.stdout, r.stderr)
				// A GBK answer holds GBK bytes (its respMsg Chinese): not valid UTF-8.
				assert.Equal(t, []string{tt.wire + " utf8:" + strconv.FormatBool(!strings.HasSuffix(tt.wire, "GBK"))}, wire)
				for _, want := range q.out {
					assert.Contains(t, r.stdout, want)
				}
				assert.Contains(t, r.stderr, q.err)
				requireNoSecret(t, r)
				assert.NotContains(t, r.stdout+r.stderr, cliSecureKey, "the secure key printed")
			}
			// The same file naming UnionPay's test URLs, with -env test (the transport reaches the fake).
			test := unionpay.TestEndpoints()
			testURLs := writeTestFile(t, t.TempDir(), "acp_sdk.properties", []byte(strings.NewReplacer(ep.Front, test.Front,
				ep.Back, test.Back, ep.Query, test.Query, ep.File, test.File).Replace(props)))
			r := c.run(t, c.transport(), "query", "-order", succeeded, "-txn-time", succeededAt, "-env", "test",
				"-merid", srv.MerchantID(), "-config", testURLs)
			require.Equal(t, exitOK, r.code, "stdout %q stderr %q", r.stdout, r.stderr)
			assert.Contains(t, r.stdout, "respMsg: 成功[0000000]\n")
			// download of the day's file, and -reconcile over it, with the same credentials.
			out := filepath.Join(dir, "day.zip")
			day := srv.Now().In(reconcile.Beijing()).Format("20060102")
			r = c.run(t, srv.HTTPClient().Transport, append([]string{"download", "-settle-date", day, "-o", out, "-reconcile"}, flags...)...)
			require.Equal(t, exitOK, r.code, "stdout %q stderr %q", r.stdout, r.stderr)
			assert.FileExists(t, out)
			requireNoSecret(t, r)
			assert.NotContains(t, r.stdout+r.stderr, cliSecureKey, "the secure key printed")
		})
	}
}

// rsaProps writes srv's merchant PFX (under cliPassword) and encryption certificate to dir and
// returns the keys naming them.
func rsaProps(t *testing.T, srv *unionpaytest.Server, dir string) string {
	t.Helper()
	pfx, err := srv.MerchantPFX(cliPassword)
	require.NoError(t, err)
	return "acpsdk.signCert.path=" + filepath.ToSlash(writeTestFile(t, dir, "sign.pfx", pfx)) + "\nacpsdk.signCert.pwd=" + cliPassword +
		"\nacpsdk.encryptCert.path=" + filepath.ToSlash(writeTestFile(t, dir, "enc.cer", srv.EncryptionPEM())) + "\n"
}

// chainProps writes srv's root and middle to dir and returns the keys naming them.
func chainProps(t *testing.T, srv *unionpaytest.Server, dir string) string {
	t.Helper()
	return "acpsdk.rootCert.path=" + filepath.ToSlash(writeTestFile(t, dir, "root.cer", srv.RootPEM())) +
		"\nacpsdk.middleCert.path=" + filepath.ToSlash(writeTestFile(t, dir, "middle.cer", srv.MiddlePEM())) + "\n"
}

// sm2Props writes srv's SM2 merchant credential as a .sm2 file (under cliPassword) and its SM2
// encryption certificate to dir and returns the keys naming them.
func sm2Props(t *testing.T, srv *unionpaytest.Server, dir string) string {
	t.Helper()
	file, err := srv.MerchantSM2File(cliPassword)
	require.NoError(t, err)
	return "acpsdk.sm2.signCert.path=" + filepath.ToSlash(writeTestFile(t, dir, "sign.sm2", file)) + "\nacpsdk.sm2.signCert.pwd=" + cliPassword +
		"\nacpsdk.sm2.encryptCert.path=" + filepath.ToSlash(writeTestFile(t, dir, "sm2enc.cer", pemOf(srv.SM2EncryptionCertificate().Raw))) + "\n"
}

// mkdirTest makes the directory name in dir and returns its path.
func mkdirTest(t *testing.T, dir, name string) string {
	t.Helper()
	path := filepath.Join(dir, name)
	require.NoError(t, os.Mkdir(path, 0o700))
	return path
}

// TestServiceSM2ThroughPFX: a .sm2 file given to -pfx is refused (status 6) with the way to give
// it, -config, in words true of the command run (query, download or preflight).
func TestServiceSM2ThroughPFX(t *testing.T) {
	c := newServiceCreds(t)
	flags := []string{"-merid", c.g.srv.MerchantID(), "-env", "test", "-pfx", "../../testdata/sm2/cfca_test.sm2",
		"-root", c.g.root, "-middle", c.g.middle}
	tests := []struct {
		args []string
		code int
	}{
		{[]string{"query", "-order", "CLISM2PFX1", "-txn-time", "20261128100000"}, exitRefused},
		{[]string{"download", "-settle-date", "20261128", "-o", filepath.Join(t.TempDir(), "day.zip")}, exitRefused},
		{[]string{"preflight"}, exitFailed},
	}
	for _, tt := range tests {
		t.Run(tt.args[0], func(t *testing.T) {
			r := c.run(t, failing{}, append(tt.args, flags...)...)
			require.Equal(t, tt.code, r.code, "stdout %q stderr %q", r.stdout, r.stderr)
			assert.Contains(t, r.stdout+r.stderr, "not a PKCS#12 (.pfx) file but a CFCA .sm2 file: a .sm2 merchant is given with -config")
			assert.NotContains(t, r.stdout+r.stderr, "preflight takes", "preflight named to a query or download")
		})
	}
}

package unionpay_test

import (
	"context"
	"crypto/rand"
	"crypto/rsa"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/pem"
	"errors"
	"fmt"
	"io/fs"
	"math/big"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/goacp/unionpay/cert"
	"github.com/goacp/unionpay/sign"
	"github.com/goacp/unionpay/unionpay"
	"github.com/goacp/unionpay/unionpay/unionpaytest"
)

const javaTestdata = "testdata/javaconfig"

// The files of testdata/javaconfig, loaded: their certificate paths are relative to the files'
// directory (../../../testdata), not to the test's working directory.
func TestLoadJavaConfig(t *testing.T) {
	t.Parallel()
	type want struct {
		env, version, method, certID, encoding string
		endpoints                              unionpay.Endpoints
		encrypter, decrypter, testOwner        bool
		chain, sm2Certs                        bool
		legacy                                 int
		frontURL, backURL                      string
		dropped                                []string
	}
	legacyEndpoints := unionpay.Endpoints{Front: "https://101.231.204.80:5000/gateway/api/frontTransReq.do",
		Back: "https://101.231.204.80:5000/gateway/api/backTransReq.do", Query: "https://101.231.204.80:5000/gateway/api/queryTrans.do",
		File: "https://101.231.204.80:9080/"}
	for _, tc := range []struct {
		file string
		want want
	}{
		{"test.properties", want{env: "test", version: "5.1.0", method: "01", certID: "69629715588",
			endpoints: unionpay.TestEndpoints(), encrypter: true, decrypter: true, testOwner: true, chain: true,
			frontURL: "http://localhost:8080/ACPSample_B2C/frontRcvResponse",
			backURL:  "http://222.222.222.222:8080/ACPSample_B2C/backRcvResponse",
			dropped:  []string{"acpsdk.jfFrontTransUrl", "acpsdk.jfBackTransUrl", "acpsdk.ifValidateRemoteCert"}}},
		{"production.properties", want{env: "production", version: "5.1.0", method: "01", certID: "69903319369",
			endpoints: unionpay.ProductionEndpoints(), encrypter: true, decrypter: true, chain: true,
			dropped: []string{"acpsdk.ifValidateRemoteCert"}}},
		{"legacy500.properties", want{version: "5.0.0", method: "01", certID: "69629715588", endpoints: legacyEndpoints,
			decrypter: true, legacy: 1,
			dropped: []string{"acpsdk.singleMode", "acpsdk.cvn2.enc", "acpsdk.date.enc", "acpsdk.pan.enc"}}},
		{"securekey.properties", want{env: "test", version: "5.1.0", method: "11", encoding: "GBK",
			endpoints: unionpay.TestEndpoints()}},
		{"sm2.properties", want{env: "test", version: "5.0.0", method: "21", certID: "69629716832",
			endpoints: unionpay.TestEndpoints(), decrypter: true, sm2Certs: true,
			dropped: []string{"acpsdk.sm2.signCert.type", "acpsdk.sm2.pinEncryptCert.path", "acpsdk.signCert.path", "acpsdk.signCert.pwd"}}},
		{"syntax.properties", want{env: "test", version: "5.1.0", method: "01", certID: "69629715588",
			endpoints: unionpay.TestEndpoints(), decrypter: true, testOwner: true, chain: true}},
	} {
		t.Run(tc.file, func(t *testing.T) {
			t.Parallel()
			jc, err := unionpay.LoadJavaConfig(filepath.Join(javaTestdata, tc.file))
			require.NoError(t, err)
			cfg, w := jc.Config, tc.want
			assert.Equal(t, w.env, jc.Environment)
			assert.Equal(t, w.version, cfg.Version)
			assert.Equal(t, w.encoding, cfg.Encoding)
			assert.Equal(t, w.method, cfg.Signer.Method())
			assert.Equal(t, w.certID, cfg.Signer.CertID())
			assert.Equal(t, w.endpoints, cfg.Endpoints)
			assert.Equal(t, w.encrypter, cfg.Encrypter != nil, "Encrypter")
			assert.Equal(t, w.decrypter, cfg.Decrypter != nil, "Decrypter")
			assert.Empty(t, cfg.MerchantID, "not in the file")
			require.NotNil(t, cfg.Verifier)
			vc := jc.VerifierConfig
			assert.Equal(t, w.testOwner, vc.AcceptTestOwner, "AcceptTestOwner")
			assert.Equal(t, w.chain, vc.Root != nil && vc.Middle != nil, "Root and Middle")
			assert.Len(t, vc.LegacyCerts, w.legacy)
			assert.Equal(t, w.sm2Certs, len(vc.SM2Certs) == 1, "SM2Certs")
			assert.Equal(t, w.method == sign.MethodSHA256Key, string(vc.SecureKey) == cert.PublicTestSecureKey, "SecureKey")
			assert.Equal(t, w.frontURL, jc.FrontURL)
			assert.Equal(t, w.backURL, jc.BackURL)
			var dropped []string
			for _, d := range jc.Dropped {
				assert.NotEmpty(t, d.Reason, d.Key)
				assert.Positive(t, d.Line, d.Key)
				dropped = append(dropped, d.Key)
			}
			assert.Equal(t, w.dropped, dropped)
			if w.version == sign.Version510 { // the 5.0.0 files' certificates have expired
				cfg.MerchantID = unionpaytest.DefaultMerchantID
				_, err := unionpay.NewClient(cfg)
				assert.NoError(t, err)
			}
		})
	}
}

// javaFile writes a properties file into a temporary directory, with {certs} and {javadata}
// replaced by the absolute paths of the shared test certificates and of testdata/javaconfig.
func javaFile(t *testing.T, content string) string {
	t.Helper()
	certs, err := filepath.Abs(testCerts)
	require.NoError(t, err)
	data, err := filepath.Abs(javaTestdata)
	require.NoError(t, err)
	content = strings.NewReplacer("{certs}", filepath.ToSlash(certs), "{javadata}", filepath.ToSlash(data)).Replace(content)
	path := filepath.Join(t.TempDir(), "acp_sdk.properties")
	require.NoError(t, os.WriteFile(path, []byte(content), 0o600))
	return path
}

// javaBase is a working test-environment file for signMethod 01 and 5.1.0, one key a line.
const javaBase = `acpsdk.frontTransUrl=https://gateway.test.95516.com/gateway/api/frontTransReq.do
acpsdk.backTransUrl=https://gateway.test.95516.com/gateway/api/backTransReq.do
acpsdk.singleQueryUrl=https://gateway.test.95516.com/gateway/api/queryTrans.do
acpsdk.version=5.1.0
acpsdk.signMethod=01
acpsdk.signCert.path={certs}/acp_test_sign.pfx
acpsdk.signCert.pwd=000000
acpsdk.middleCert.path={certs}/acp_test_middle.cer
acpsdk.rootCert.path={certs}/acp_test_root.cer
`

// javaSM2 is a working test-environment file for signMethod 21 and 5.0.0.
const javaSM2 = `acpsdk.frontTransUrl=https://gateway.test.95516.com/gateway/api/frontTransReq.do
acpsdk.backTransUrl=https://gateway.test.95516.com/gateway/api/backTransReq.do
acpsdk.singleQueryUrl=https://gateway.test.95516.com/gateway/api/queryTrans.do
acpsdk.version=5.0.0
acpsdk.signMethod=21
acpsdk.sm2.signCert.path={certs}/../sm2/cfca_test.sm2
acpsdk.sm2.signCert.pwd=cfca1234
acpsdk.sm2.validateCert.dir={javadata}/sm2verify500
`

// javaEdit returns javaBase with the lines of the keys in set replaced (or added, at the end,
// when absent), and a key whose value is "-" removed.
func javaEdit(set ...string) string { return javaEditOf(javaBase, set...) }

// javaEditOf is javaEdit of another file than javaBase.
func javaEditOf(base string, set ...string) string {
	lines := strings.Split(strings.TrimSuffix(base, "\n"), "\n")
	for _, s := range set {
		key, value, _ := strings.Cut(s, "=")
		found := false
		for i, l := range lines {
			if strings.HasPrefix(l, key+"=") {
				lines[i], found = s, true
				if value == "-" {
					lines = append(lines[:i], lines[i+1:]...)
				}
				break
			}
		}
		if !found {
			lines = append(lines, s)
		}
	}
	return strings.Join(lines, "\n") + "\n"
}

func TestLoadJavaConfigErrors(t *testing.T) {
	t.Parallel()
	const prod = "https://gateway.95516.com/gateway/api/"
	for _, tc := range []struct {
		name    string
		content string
		key     string
		line    int   // 0: a missing key
		is      error // the error wrapped, when there is one to match
		text    string
	}{
		{"syntax: value", javaBase + "acpsdk.backUrl=x\\u12\n", "acpsdk.backUrl", 10, nil, `malformed \uxxxx escape`},
		{"syntax: key", "# c\nacpsdk.\\u12=1\n", "", 2, nil, `malformed \uxxxx escape`},
		{"unknown key", javaBase + "acpsdk.signcert.path=x\n", "acpsdk.signcert.path", 10, nil, "not a key of UnionPay's Java SDK"},
		{"version", javaEdit("acpsdk.version=6.0.0"), "acpsdk.version", 4, nil, `"6.0.0"`},
		{"signMethod", javaEdit("acpsdk.signMethod=02"), "acpsdk.signMethod", 5, nil, `"02"`},
		{"encoding", javaEdit("acpsdk.encoding=ISO-8859-1"), "acpsdk.encoding", 10, nil, "want UTF-8 or GBK"},
		{"missing URL", javaEdit("acpsdk.frontTransUrl=-"), "acpsdk.frontTransUrl", 0, nil, "required (Config.Endpoints.Front)"},
		{"blank URL is missing", javaEdit("acpsdk.singleQueryUrl=   "), "acpsdk.singleQueryUrl", 0, nil, "required"},
		{"plain http", javaEdit("acpsdk.backTransUrl=http://gateway.example/back"), "acpsdk.backTransUrl", 2, nil, "must be https"},
		{"URL of another field", javaEdit("acpsdk.backTransUrl=https://gateway.test.95516.com/gateway/api/frontTransReq.do"),
			"acpsdk.backTransUrl", 2, nil, "Endpoints.Front, not for Endpoints.Back"},
		{"test and production mixed", javaEdit("acpsdk.singleQueryUrl=" + prod + "queryTrans.do"), "acpsdk.singleQueryUrl", 3, nil, "mixes"},
		{"test owner in production", javaEdit("acpsdk.frontTransUrl="+prod+"frontTransReq.do", "acpsdk.backTransUrl="+prod+
			"backTransReq.do", "acpsdk.singleQueryUrl="+prod+"queryTrans.do", "acpsdk.ifValidateCNName=false"),
			"acpsdk.ifValidateCNName", 10, nil, "production"},
		{"test owner with the production chain behind a proxy", javaEdit("acpsdk.frontTransUrl=https://up-egress.internal/gateway/api/frontTransReq.do",
			"acpsdk.backTransUrl=https://up-egress.internal/gateway/api/backTransReq.do",
			"acpsdk.singleQueryUrl=https://up-egress.internal/gateway/api/queryTrans.do",
			"acpsdk.rootCert.path={certs}/../acp-prod-certs/acp_prod_root.cer",
			"acpsdk.middleCert.path={certs}/../acp-prod-certs/acp_prod_middle.cer", "acpsdk.ifValidateCNName=false"),
			"acpsdk.ifValidateCNName", 10, nil, "production root or middle"},
		{"public test secure key in production", javaEdit("acpsdk.frontTransUrl="+prod+"frontTransReq.do", "acpsdk.backTransUrl="+prod+
			"backTransReq.do", "acpsdk.singleQueryUrl="+prod+"queryTrans.do", "acpsdk.secureKey="+cert.PublicTestSecureKey),
			"acpsdk.secureKey", 10, nil, "public test secure key with UnionPay's production URLs"},
		{"public test secure key in production, signMethod 11", javaEdit("acpsdk.frontTransUrl="+prod+"frontTransReq.do",
			"acpsdk.backTransUrl="+prod+"backTransReq.do", "acpsdk.singleQueryUrl="+prod+"queryTrans.do", "acpsdk.signMethod=11",
			"acpsdk.sm2.secureKey="+cert.PublicTestSecureKey), "acpsdk.sm2.secureKey", 10, nil, "public test secure key"},
		{"test root in production", javaEdit("acpsdk.frontTransUrl="+prod+"frontTransReq.do", "acpsdk.backTransUrl="+prod+
			"backTransReq.do", "acpsdk.singleQueryUrl="+prod+"queryTrans.do"),
			"acpsdk.rootCert.path", 9, nil, "test environment (issued by CFCA TEST CS CA or CFCA TEST OCA1"},
		{"test encryption certificate in production", javaEdit("acpsdk.frontTransUrl="+prod+"frontTransReq.do", "acpsdk.backTransUrl="+prod+
			"backTransReq.do", "acpsdk.singleQueryUrl="+prod+"queryTrans.do", "acpsdk.rootCert.path={certs}/../acp-prod-certs/acp_prod_root.cer",
			"acpsdk.middleCert.path={certs}/../acp-prod-certs/acp_prod_middle.cer", "acpsdk.encryptCert.path={certs}/acp_test_enc.cer"),
			"acpsdk.encryptCert.path", 10, nil, "acp_prod_*.cer"},
		{"test validateCert.dir in production", javaEdit("acpsdk.frontTransUrl="+prod+"frontTransReq.do", "acpsdk.backTransUrl="+prod+
			"backTransReq.do", "acpsdk.singleQueryUrl="+prod+"queryTrans.do", "acpsdk.rootCert.path={certs}/../acp-prod-certs/acp_prod_root.cer",
			"acpsdk.middleCert.path={certs}/../acp-prod-certs/acp_prod_middle.cer", "acpsdk.validateCert.dir={javadata}/verify500"),
			"acpsdk.validateCert.dir", 10, nil, "acp_prod_*.cer"},
		{"middle is the root file", javaEdit("acpsdk.middleCert.path={certs}/acp_test_root.cer"), "acpsdk.middleCert.path", 8, nil,
			"a self-issued certificate (a root"},
		{"full-width separator", javaEdit("acpsdk.signCert.pwd＝000000"), "acpsdk.signCert.pwd", 10, nil,
			"followed by 7 more characters, not shown"},
		{"full-width separator, then a malformed escape", javaEdit(`acpsdk.signCert.pwd＝000000 x\u12`), "acpsdk.signCert.pwd", 10, nil,
			`value: malformed \uxxxx escape`},
		{"signCert.type", javaEdit("acpsdk.signCert.type=JKS"), "acpsdk.signCert.type", 10, nil, "only PKCS12"},
		{"signCert.path missing", javaEdit("acpsdk.signCert.path=-"), "acpsdk.signCert.path", 0, nil, "required with acpsdk.signMethod 01"},
		{"signCert.path not found", javaEdit("acpsdk.signCert.path=nowhere.pfx"), "acpsdk.signCert.path", 6, fs.ErrNotExist, ""},
		{"signCert.path not a PFX", javaEdit("acpsdk.signCert.path={certs}/acp_test_enc.cer"), "acpsdk.signCert.path", 6, nil, "cert:"},
		{"wrong password", javaEdit("acpsdk.signCert.pwd=123456"), "acpsdk.signCert.pwd", 7, cert.ErrPassword, ""},
		{"password missing", javaEdit("acpsdk.signCert.pwd=-"), "acpsdk.signCert.pwd", 0, cert.ErrPassword,
			"acpsdk.signCert.pwd: absent (the empty password was tried), and the empty password does not open acpsdk.signCert.path"},
		{"sm2 password missing", javaEditOf(javaSM2, "acpsdk.sm2.signCert.pwd=-"), "acpsdk.sm2.signCert.pwd", 0, cert.ErrPassword,
			"absent (the empty password was tried)"},
		{"encryptCert.path", javaEdit("acpsdk.encryptCert.path={certs}/acp_test_sign.pfx"), "acpsdk.encryptCert.path", 10, nil, "cert:"},
		{"encryptCert.path is the root", javaEdit("acpsdk.encryptCert.path={certs}/acp_test_root.cer"), "acpsdk.encryptCert.path", 10, nil, "cert:"},
		{"middle without root", javaEdit("acpsdk.rootCert.path=-"), "acpsdk.rootCert.path", 0, nil, "required with acpsdk.middleCert.path"},
		{"root without middle", javaEdit("acpsdk.middleCert.path=-"), "acpsdk.middleCert.path", 0, nil, "required with acpsdk.rootCert.path"},
		{"root and middle swapped", javaEdit("acpsdk.middleCert.path={certs}/acp_test_root.cer", "acpsdk.rootCert.path={certs}/acp_test_middle.cer"),
			"acpsdk.middleCert.path", 8, nil, "with acpsdk.rootCert.path"},
		{"rootCert.path not found", javaEdit("acpsdk.rootCert.path=root.cer"), "acpsdk.rootCert.path", 9, fs.ErrNotExist, ""},
		{"5.1.0 without a chain", javaEdit("acpsdk.middleCert.path=-", "acpsdk.rootCert.path=-"), "acpsdk.middleCert.path", 0, nil,
			"required with acpsdk.signMethod 01 and acpsdk.version 5.1.0"},
		{"version absent, no validateCert.dir", javaEdit("acpsdk.version=-"), "acpsdk.validateCert.dir", 0, nil,
			"acpsdk.version is absent: the Java SDK then sends 5.0.0"},
		{"validateCert.dir holding the root and middle", javaEdit("acpsdk.validateCert.dir={certs}"), "acpsdk.validateCert.dir", 10, nil,
			"acp_test_middle.cer is a CA certificate"},
		{"validateCert.dir a file", javaEdit("acpsdk.validateCert.dir={certs}/acp_test_root.cer"), "acpsdk.validateCert.dir", 10, nil, "not a directory"},
		{"validateCert.dir without .cer", javaEdit("acpsdk.validateCert.dir={javadata}"), "acpsdk.validateCert.dir", 10, nil, "no .cer file"},
		{"validateCert.dir with an SM2 certificate", javaEdit("acpsdk.validateCert.dir={javadata}/sm2verify500"), "acpsdk.validateCert.dir", 10, nil,
			"cfca_test_sign.cer"},
		{"secure key missing", javaEdit("acpsdk.signMethod=11"), "acpsdk.secureKey", 0, nil, "required with acpsdk.signMethod 11"},
		{"secure key not ASCII", javaEdit("acpsdk.signMethod=12", "acpsdk.secureKey=密钥密钥"), "acpsdk.secureKey", 10, nil, "not ASCII"},
		{"secure key not ASCII beside a certificate", javaEdit("acpsdk.secureKey=密钥密钥"), "acpsdk.secureKey", 10, nil, "not ASCII"},
		{"two secure keys", javaEdit("acpsdk.secureKey=12345678", "acpsdk.sm2.secureKey=87654321"), "acpsdk.sm2.secureKey", 11, nil, "one secure key"},
		{"sm2 signCert.path missing", javaEdit("acpsdk.signMethod=21"), "acpsdk.sm2.signCert.path", 0, nil, "required with acpsdk.signMethod 21"},
		{"sm2 wrong password", javaEditOf(javaSM2, "acpsdk.sm2.signCert.pwd=cfca4321"), "acpsdk.sm2.signCert.pwd", 7, cert.ErrPassword, ""},
		{"sm2 signCert.path a PFX", javaEditOf(javaSM2, "acpsdk.sm2.signCert.path={certs}/acp_test_sign.pfx"), "acpsdk.sm2.signCert.path", 6, nil, "PKCS#12"},
		{"sm2 5.1.0 without a chain", javaEditOf(javaSM2, "acpsdk.version=5.1.0"), "acpsdk.sm2.middleCert.path", 0, nil, "version 5.1.0"},
		{"sm2 chain of RSA certificates", javaEditOf(javaSM2, "acpsdk.sm2.middleCert.path={certs}/acp_test_middle.cer",
			"acpsdk.sm2.rootCert.path={certs}/acp_test_root.cer"), "acpsdk.sm2.middleCert.path", 9, nil, "SM2"},
		{"sm2 validateCert.dir with RSA certificates", javaEditOf(javaSM2, "acpsdk.sm2.validateCert.dir={javadata}/verify500"),
			"acpsdk.sm2.validateCert.dir", 8, nil, "unipayCertPublicKey.cer"},
		{"file missing", "", "", 0, fs.ErrNotExist, ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			path := javaFile(t, tc.content)
			if tc.name == "file missing" {
				path = filepath.Join(filepath.Dir(path), "absent.properties")
			}
			jc, err := unionpay.LoadJavaConfig(path)
			require.Error(t, err)
			assert.Nil(t, jc)
			var je *unionpay.JavaConfigError
			require.ErrorAs(t, err, &je)
			assert.Equal(t, tc.key, je.Key)
			assert.Equal(t, tc.line, je.Line)
			assert.Equal(t, path, je.File)
			if tc.is != nil {
				assert.ErrorIs(t, err, tc.is)
			}
			prefix := "unionpay: " + path
			if tc.line > 0 {
				prefix += fmt.Sprintf(":%d", tc.line)
			}
			if tc.key != "" {
				prefix += ": " + tc.key
			}
			assert.True(t, strings.HasPrefix(err.Error(), prefix+": "), err.Error())
			assert.Contains(t, err.Error(), tc.text)
		})
	}
}

// No error text holds a password or a secure key, whatever the error.
func TestLoadJavaConfigErrorsHideSecrets(t *testing.T) {
	t.Parallel()
	const secret = "Zq7Secret"
	for _, tc := range []struct {
		name, content string
	}{
		{"wrong PFX password", javaEdit("acpsdk.signCert.pwd=" + secret)},
		{"wrong PFX password, escaped", javaEdit(`acpsdk.signCert.pwd=\u005aq7Secret`)},
		{"wrong .sm2 password", javaEditOf(javaSM2, "acpsdk.sm2.signCert.pwd="+secret)},
		{"password in a misspelt key", javaEdit("acpsdk.signCert.pwdd=" + secret)},
		{"password with a malformed escape", javaEdit(`acpsdk.signCert.pwd=` + secret + `\u12`)},
		{"secure key not ASCII", javaEdit("acpsdk.signMethod=11", "acpsdk.secureKey="+secret+"é")},
		{"secure key differing", javaEdit("acpsdk.secureKey="+secret, "acpsdk.sm2.secureKey=other")},
		{"secure key with a missing PFX", javaEdit("acpsdk.secureKey="+secret, "acpsdk.signCert.path=none.pfx")},
		{"password after a full-width ＝", javaEdit("acpsdk.signCert.pwd＝" + secret)},
		{"password after a full-width ：", javaEdit("acpsdk.sm2.signCert.pwd：" + secret)},
		{"password after an ideographic space", javaEdit("acpsdk.signCert.pwd\u3000" + secret)},
		{"password after an escaped =", javaEdit(`acpsdk.signCert.pwd\u003d` + secret)},
		{"password without a separator", javaEdit("acpsdk.signCert.pwd" + secret)},
		{"secure key in another case after a full-width ＝", javaEdit("acpsdk.securekey＝" + secret)},
		{"secure key in a misspelt key after a full-width ＝", javaEdit("acpsdk.secureKeys＝" + secret)},
		{"password after a full-width ＝, then a malformed escape", javaEdit("acpsdk.signCert.pwd＝" + secret + ` x\u12`)},
		{"password after a full-width ＝, then a malformed escape after =", javaEdit("acpsdk.signCert.pwd＝" + secret + `=\u12`)},
		{"password in a misspelt key after a full-width ＝, then a malformed escape", javaEdit("acpsdk.signCert.pass＝" + secret + ` \u12`)},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			_, err := unionpay.LoadJavaConfig(javaFile(t, tc.content))
			require.Error(t, err)
			for _, s := range []string{err.Error(), fmt.Sprintf("%+v", err), fmt.Sprintf("%#v", errors.Unwrap(err))} {
				assert.NotContains(t, s, secret)
				assert.NotContains(t, s, "Zq7")
			}
		})
	}
}

// Nor does a loaded JavaConfig, printed.
func TestLoadJavaConfigPrintHidesSecrets(t *testing.T) {
	t.Parallel()
	const secret = "Zq7Secret-key"
	jc, err := unionpay.LoadJavaConfig(javaFile(t, javaEdit("acpsdk.signMethod=11", "acpsdk.secureKey="+secret)))
	require.NoError(t, err)
	for _, s := range []string{fmt.Sprint(jc), fmt.Sprintf("%+v", jc), fmt.Sprintf("%#v", jc)} {
		assert.NotContains(t, s, "Zq7")
	}
}

// A Config loaded from a properties file drives a Client against the fake gateway: its
// certificates written as a merchant's kit, its URLs in the file.
func TestLoadJavaConfigClient(t *testing.T) {
	t.Parallel()
	srv := unionpaytest.NewServer(withSharedKeys(t), unionpaytest.WithReporter(t))
	t.Cleanup(srv.Close)
	dir := filepath.Join(t.TempDir(), "kit")
	require.NoError(t, os.MkdirAll(filepath.Join(dir, "certs"), 0o700))
	pfx, err := srv.MerchantPFX("000000")
	require.NoError(t, err)
	enc := pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: srv.EncryptionCertificate().Raw})
	for name, data := range map[string][]byte{"acp_sign.pfx": pfx, "acp_enc.cer": enc,
		"acp_middle.cer": srv.MiddlePEM(), "acp_root.cer": srv.RootPEM()} {
		require.NoError(t, os.WriteFile(filepath.Join(dir, "certs", name), data, 0o600))
	}
	e := srv.Endpoints()
	props := fmt.Sprintf(`acpsdk.frontTransUrl=%s
acpsdk.backTransUrl=%s
acpsdk.singleQueryUrl=%s
acpsdk.appTransUrl=%s
acpsdk.version=5.1.0
acpsdk.signMethod=01
acpsdk.signCert.path=certs/acp_sign.pfx
acpsdk.signCert.pwd=000000
acpsdk.encryptCert.path=certs/acp_enc.cer
acpsdk.middleCert.path=certs/acp_middle.cer
acpsdk.rootCert.path=certs/acp_root.cer
`, e.Front, e.Back, e.Query, e.App)
	path := filepath.Join(dir, "acp_sdk.properties")
	require.NoError(t, os.WriteFile(path, []byte(props), 0o600))

	jc, err := unionpay.LoadJavaConfig(path)
	require.NoError(t, err)
	assert.Empty(t, jc.Environment)
	cfg := jc.Config
	cfg.MerchantID = srv.MerchantID()
	cfg.HTTPClient = srv.HTTPClient() // trusts the fake's TLS certificate
	c, err := unionpay.NewClient(cfg)
	require.NoError(t, err)

	ctx := context.Background()
	res, err := c.AppConsume(ctx, &unionpay.ConsumeRequest{OrderID: "JAVACFG0001", Amount: 1200,
		BackURL: "https://merchant.example/notify"})
	require.NoError(t, err)
	require.NotEmpty(t, res.TN)
	tx, err := c.Query(ctx, &unionpay.QueryRequest{OrderID: res.OrderID, TxnTime: res.TxnTime})
	require.NoError(t, err)
	assert.NotEqual(t, unionpay.Succeeded, tx.State, "not paid yet")
}

// A key set twice takes its last setting, and a blank last setting makes the key absent, as the
// Java SDK reads the file: acpsdk.ifValidateCNName=false undone by a blank line after it leaves
// the test environment's owner refused.
func TestLoadJavaConfigLastSettingBlank(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		name      string
		content   string
		testOwner bool
	}{
		{"false, then blank", javaBase + "acpsdk.ifValidateCNName=false\nacpsdk.ifValidateCNName=\n", false},
		{"blank, then false", javaBase + "acpsdk.ifValidateCNName=\nacpsdk.ifValidateCNName=false\n", true},
		{"false, then true", javaBase + "acpsdk.ifValidateCNName=false\nacpsdk.ifValidateCNName=true\n", false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			jc, err := unionpay.LoadJavaConfig(javaFile(t, tc.content))
			require.NoError(t, err)
			assert.Equal(t, tc.testOwner, jc.VerifierConfig.AcceptTestOwner)
		})
	}
}

// acpsdk.validateCert.dir holding two different certificates with the same certId is refused,
// naming both files: a message would be verified with whichever one was kept. A copy of the same
// certificate is taken once.
func TestLoadJavaConfigCertDirSameCertID(t *testing.T) {
	t.Parallel()
	signing := func(cn string) []byte {
		key, err := rsa.GenerateKey(rand.Reader, 2048)
		require.NoError(t, err)
		tmpl := &x509.Certificate{SerialNumber: big.NewInt(73012), Subject: pkix.Name{CommonName: cn},
			NotBefore: time.Now().Add(-time.Hour), NotAfter: time.Now().Add(time.Hour), KeyUsage: x509.KeyUsageDigitalSignature}
		der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &key.PublicKey, key)
		require.NoError(t, err)
		return pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: der})
	}
	a, b := signing("one"), signing("other")
	for _, tc := range []struct {
		name  string
		files map[string][]byte
		err   string // "": loaded
	}{
		{"two certificates", map[string][]byte{"a.cer": a, "b.cer": b}, "a.cer and b.cer are two certificates with certId 73012"},
		{"a copy", map[string][]byte{"a.cer": a, "copy.cer": a}, ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			dir := t.TempDir()
			for name, data := range tc.files {
				require.NoError(t, os.WriteFile(filepath.Join(dir, name), data, 0o600))
			}
			path := javaFile(t, javaEdit("acpsdk.version=5.0.0", "acpsdk.middleCert.path=-", "acpsdk.rootCert.path=-",
				"acpsdk.validateCert.dir="+filepath.ToSlash(dir)))
			jc, err := unionpay.LoadJavaConfig(path)
			if tc.err == "" {
				require.NoError(t, err)
				assert.Len(t, jc.VerifierConfig.LegacyCerts, 1)
				return
			}
			var je *unionpay.JavaConfigError
			require.ErrorAs(t, err, &je)
			assert.Equal(t, "acpsdk.validateCert.dir", je.Key)
			assert.Equal(t, 8, je.Line)
			assert.ErrorContains(t, err, tc.err)
		})
	}
}

// With a secure-key signMethod, acpsdk.encryptCert.path still gives the Encrypter: it is not
// listed as dropped, while the signing certificate's keys are.
func TestLoadJavaConfigSecureKeyEncryptCert(t *testing.T) {
	t.Parallel()
	jc, err := unionpay.LoadJavaConfig(javaFile(t, javaEdit("acpsdk.signMethod=11", "acpsdk.secureKey=12345678",
		"acpsdk.encryptCert.path={certs}/acp_test_enc.cer")))
	require.NoError(t, err)
	assert.NotNil(t, jc.Config.Encrypter)
	var dropped []string
	for _, d := range jc.Dropped {
		dropped = append(dropped, d.Key)
	}
	assert.Equal(t, []string{"acpsdk.signCert.path", "acpsdk.signCert.pwd"}, dropped)
}

// A file's UnionPay URLs are known however their host is written (in capitals, with a final dot,
// in full-width letters, with the default port, as the HTTP client still reaches UnionPay's host), so the file's
// environment, and the checks that go with it, are those of the host dialed.
func TestLoadJavaConfigHostSpellings(t *testing.T) {
	t.Parallel()
	prod, err := os.ReadFile(filepath.Join(javaTestdata, "production.properties"))
	require.NoError(t, err)
	prodFile := strings.ReplaceAll(string(prod), "../../../testdata/", "{javadata}/../../../testdata/")
	for _, tc := range []struct {
		name, base, host, spelled, env string
		endpoints                      unionpay.Endpoints
	}{
		{"production, capitals", prodFile, "gateway.95516.com", "GATEWAY.95516.COM", unionpay.EnvironmentProduction, unionpay.ProductionEndpoints()},
		{"production, final dot", prodFile, "gateway.95516.com", "gateway.95516.com.", unionpay.EnvironmentProduction, unionpay.ProductionEndpoints()},
		{"production, full-width", prodFile, "gateway.95516.com", "ｇａｔｅｗａｙ.95516.com", unionpay.EnvironmentProduction, unionpay.ProductionEndpoints()},
		{"production, default port and final dot", prodFile, "gateway.95516.com", "gateway.95516.com.:443", unionpay.EnvironmentProduction, unionpay.ProductionEndpoints()},
		{"production, another port", prodFile, "gateway.95516.com", "gateway.95516.com:8443", "", unionpay.Endpoints{}},
		{"production, a trailing slash", prodFile, "queryTrans.do", "queryTrans.do/", unionpay.EnvironmentProduction, unionpay.ProductionEndpoints()},
		{"test, final dot", javaBase, "gateway.test.95516.com", "gateway.test.95516.com.", unionpay.EnvironmentTest, unionpay.TestEndpoints()},
		{"test, ideographic full stop", javaBase, "gateway.test.95516.com", "gateway。test.95516.com", unionpay.EnvironmentTest, unionpay.TestEndpoints()},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			jc, err := unionpay.LoadJavaConfig(javaFile(t, strings.ReplaceAll(tc.base, tc.host, tc.spelled)))
			require.NoError(t, err)
			assert.Equal(t, tc.env, jc.Environment)
			if tc.env != "" {
				assert.Equal(t, tc.endpoints, jc.Config.Endpoints)
			}
		})
	}
	// A final dot does not let a test URL sit beside production ones unnoticed.
	mixed := strings.Replace(prodFile, "https://gateway.95516.com/gateway/api/queryTrans.do",
		"https://gateway.test.95516.com./gateway/api/queryTrans.do", 1)
	_, err = unionpay.LoadJavaConfig(javaFile(t, mixed))
	require.Error(t, err)
	assert.Contains(t, err.Error(), "acpsdk.singleQueryUrl")
	assert.Contains(t, err.Error(), "mixes UnionPay's test and production")
}

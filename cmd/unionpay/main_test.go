package main

import (
	"bytes"
	"context"
	"crypto/rsa"
	"encoding/hex"
	"encoding/pem"
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/goacp/unionpay/cert"
	"github.com/goacp/unionpay/internal/leaktest"
	"github.com/goacp/unionpay/unionpay/unionpaytest"
)

// Paths of the shared test data, from this package's directory.
const (
	certsDir   = "../../testdata/acp-test-certs"
	vectorsDir = "../../testdata/official-sdk-vectors"
	testPFX    = certsDir + "/acp_test_sign.pfx" // certId 69629715588, expired 2021
	appPFX     = certsDir + "/unipayAppCert.pfx" // certId 69903319369, three certificates
	testRoot   = certsDir + "/acp_test_root.cer"
	testMiddle = certsDir + "/acp_test_middle.cer"
	// A real notification from UnionPay's test environment, 2022-09-08 (see notify/testdata).
	realNotification = "../../notify/testdata/yansongda-consume-notification-2022-09-08.form"
	sampleZip        = "../../reconcile/testdata/802310048993424_20150905.zip"
)

// result is what one in-process run of the command produced.
type result struct {
	code           int
	stdout, stderr string
}

// runCLI runs the command in-process with stdin and no password in the environment.
func runCLI(t *testing.T, stdin string, args ...string) result {
	t.Helper()
	var out, errOut bytes.Buffer
	e := &env{ctx: context.Background(), stdin: strings.NewReader(stdin), stdout: &out, stderr: &errOut,
		getenv: func(string) string { return "" }}
	code := e.dispatch(args)
	return result{code, out.String(), errOut.String()}
}

// requireFailure asserts a failed run: the status, nothing on stdout, and one line on stderr
// that contains want.
// notExist is the operating system's words for path not existing, as an error the CLI prints
// ends: "no such file or directory" on Unix, "The system cannot find the file specified." (or
// "... the path specified." for a missing directory) on Windows.
func notExist(path string) string {
	_, err := os.Open(path)
	if pe := (*fs.PathError)(nil); errors.As(err, &pe) {
		return pe.Err.Error()
	}
	return "no such file"
}

func requireFailure(t *testing.T, r result, code int, want string) {
	t.Helper()
	require.Equal(t, code, r.code, "stdout %q stderr %q", r.stdout, r.stderr)
	assert.Empty(t, r.stdout)
	assert.Equal(t, 1, errorLines(r.stderr), "one line on stderr: %q", r.stderr)
	assert.Contains(t, r.stderr, want)
}

// errorLines counts the lines of stderr but the notes (reconcile's "note:" on a zip without an RD
// report), which come before the error.
func errorLines(stderr string) int {
	n := 0
	for line := range strings.Lines(stderr) {
		if !strings.HasPrefix(line, "unionpay reconcile: note: ") {
			n++
		}
	}
	return n
}

// requireOutcome checks r: a failure with exit status code and want in its one line of stderr, or,
// for exitOK, exactly want on stdout.
func requireOutcome(t *testing.T, r result, code int, want string) {
	t.Helper()
	if code != exitOK {
		requireFailure(t, r, code, want)
		return
	}
	require.Equal(t, exitOK, r.code, r.stderr)
	require.Equal(t, want, r.stdout)
}

func readTestFile(t *testing.T, path string) string {
	t.Helper()
	b, err := os.ReadFile(path)
	require.NoError(t, err)
	return string(b)
}

func writeTestFile(t *testing.T, dir, name string, data []byte) string {
	t.Helper()
	path := filepath.Join(dir, name)
	require.NoError(t, os.WriteFile(path, data, 0o600))
	return path
}

// readKV reads a vector file: key=value lines, split at the first '=', with \r \n \t \\ escapes.
func readKV(t *testing.T, path string) map[string]string {
	t.Helper()
	unescape := strings.NewReplacer(`\r`, "\r", `\n`, "\n", `\t`, "\t", `\\`, `\`)
	f := map[string]string{}
	for line := range strings.SplitSeq(readTestFile(t, path), "\n") {
		if line == "" {
			continue
		}
		k, v, ok := strings.Cut(line, "=")
		require.True(t, ok, line)
		f[k] = unescape.Replace(v)
	}
	return f
}

// gateway is a fake UnionPay gateway shared by the tests of this package, with its root and
// middle certificates written to files. Starting one costs key generation, so it is made once.
var gateway = sync.OnceValues(func() (*gatewayFiles, error) {
	dir, err := os.MkdirTemp("", "unionpay-cli-test-")
	if err != nil {
		return nil, err
	}
	srv := unionpaytest.NewServer(unionpaytest.WithSHA1Chain(), unionpaytest.WithSecureKey([]byte("88888888")),
		unionpaytest.WithClock(unionpaytest.BusinessDayClock()))
	g := &gatewayFiles{srv: srv, dir: dir,
		root: filepath.Join(dir, "root.cer"), middle: filepath.Join(dir, "middle.cer"),
		signing: filepath.Join(dir, "signing.cer")}
	for path, data := range map[string][]byte{g.root: srv.RootPEM(), g.middle: srv.MiddlePEM(),
		g.signing: pemOf(srv.SigningCertificate().Raw)} {
		if err := os.WriteFile(path, data, 0o600); err != nil {
			return nil, err
		}
	}
	started = g
	return g, nil
})

// started is the gateway once made, for TestMain to close.
var started *gatewayFiles

type gatewayFiles struct {
	srv                   *unionpaytest.Server
	dir                   string
	root, middle, signing string
}

func testGateway(t *testing.T) *gatewayFiles {
	t.Helper()
	g, err := gateway()
	require.NoError(t, err)
	return g
}

func TestMain(m *testing.M) {
	code := m.Run()
	if started != nil {
		started.srv.Close()
		_ = os.RemoveAll(started.dir)
	}
	os.Exit(code)
}

func TestUsage(t *testing.T) {
	tests := []struct {
		name string
		args []string
		code int
		out  string // on stdout
		err  string // on stderr
	}{
		{"no command", nil, exitUsage, "", "Usage: unionpay COMMAND"},
		{"help", []string{"-h"}, exitOK, "Commands:", ""},
		{"help -help", []string{"-help"}, exitOK, "Commands:", ""},
		{"help --help", []string{"--help"}, exitOK, "Commands:", ""},
		{"help alone", []string{"help"}, exitOK, "Commands:", ""},
		{"unknown command", []string{"frobnicate"}, exitUsage, "", `unknown command "frobnicate"`},
		{"help COMMAND", []string{"help", "query"}, exitOK, "Usage: unionpay query -order ORDERID", ""},
		{"help unknown command", []string{"help", "frobnicate"}, exitUsage, "", `unknown command "frobnicate"`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := runCLI(t, "", tt.args...)
			assert.Equal(t, tt.code, r.code)
			if tt.out == "" {
				assert.Empty(t, r.stdout)
			} else {
				assert.Contains(t, r.stdout, tt.out)
			}
			if tt.err != "" {
				assert.Contains(t, r.stderr, tt.err)
			}
		})
	}
}

// Every subcommand answers -h with its help on stdout and status 0, and a bad flag with one
// line on stderr and status 2.
func TestSubcommandHelpAndBadFlags(t *testing.T) {
	for _, c := range commands() {
		t.Run(c.name, func(t *testing.T) {
			r := runCLI(t, "", c.name, "-h")
			assert.Equal(t, exitOK, r.code)
			assert.Contains(t, r.stdout, "Usage: unionpay "+c.name)
			assert.Empty(t, r.stderr)

			r = runCLI(t, "", c.name, "-no-such-flag")
			requireFailure(t, r, exitUsage, "flag provided but not defined: -no-such-flag")
		})
	}
}

func TestOneLine(t *testing.T) {
	assert.Equal(t, "a b c", oneLine("a\nb\r\n  c\n"))
}

// A panic inside a command is reported as one line and status 1, not a stack trace.
func TestPanicIsOneLine(t *testing.T) {
	var out, errOut bytes.Buffer
	e := &env{ctx: context.Background(), stdin: strings.NewReader(""), stdout: &out, stderr: &errOut,
		getenv: func(string) string { panic("boom\nsecond line") }}
	code := e.dispatch([]string{"certinfo", testPFX})
	assert.Equal(t, exitFailed, code)
	assert.Equal(t, "unionpay certinfo: internal error: boom second line\n", errOut.String())
}

func pemOf(der []byte) []byte {
	return pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: der})
}

// TestHelpSynopsis: each command's usage line lists its flags, SM2 and -reveal included.
func TestHelpSynopsis(t *testing.T) {
	tests := []struct {
		command string
		want    []string
	}{
		{"verify", []string{"-sm2-root FILE -sm2-middle FILE", "-sm2-verify-cert FILE", "-secure-key-env"}},
		{"decrypt", []string{"(-pfx FILE | -sm2 FILE) [-password P] [-reveal]"}},
		{"sign", []string{"[-pfx FILE | -sm2 FILE] [-password P]", "-secure-key-env", "01, the default: -pfx; 21: -sm2"}},
	}
	for _, tt := range tests {
		t.Run(tt.command, func(t *testing.T) {
			r := runCLI(t, "", tt.command, "-h")
			require.Equal(t, exitOK, r.code)
			usage, _, _ := strings.Cut(r.stdout, "\n\n")
			for _, w := range tt.want {
				require.Contains(t, usage, w)
			}
			for line := range strings.SplitSeq(r.stdout, "\n") {
				require.LessOrEqual(t, len([]rune(line)), 130, "help line too long: %q", line)
			}
		})
	}
}

// TestHelpFlagPlaceholders: no command's -h lists a flag with the flag package's generic
// placeholder "value" (a flag.Var flag whose usage names no `PLACEHOLDER`): it says what to give.
func TestHelpFlagPlaceholders(t *testing.T) {
	generic := regexp.MustCompile(`^  -[a-z0-9-]+ value$`)
	for _, c := range commands() {
		t.Run(c.name, func(t *testing.T) {
			r := runCLI(t, "", c.name, "-h")
			require.Equal(t, exitOK, r.code)
			for line := range strings.SplitSeq(r.stdout, "\n") {
				assert.False(t, generic.MatchString(line), "%s -h: %q", c.name, line)
			}
		})
	}
}

// TestSynopsisMatchesPackageDoc: the usage lines of the package documentation are those of -h.
func TestSynopsisMatchesPackageDoc(t *testing.T) {
	src := readTestFile(t, "doc.go")
	doc := map[string]string{} // command: its synopsis, white space folded
	var last string
	for line := range strings.SplitSeq(src, "\n") {
		text, ok := strings.CutPrefix(line, "//\t")
		switch {
		case !ok:
			last = ""
		case strings.HasPrefix(text, "unionpay "):
			last = strings.Fields(text)[1]
			doc[last] = oneLine(text)
		case last != "" && strings.HasPrefix(text, " "):
			doc[last] += " " + oneLine(text)
		default:
			last = ""
		}
	}
	for _, c := range commands() {
		t.Run(c.name, func(t *testing.T) {
			r := runCLI(t, "", c.name, "-h")
			require.Equal(t, exitOK, r.code)
			usage, _, _ := strings.Cut(r.stdout, "\n\n")
			require.Equal(t, oneLine(strings.TrimPrefix(usage, "Usage: ")), doc[c.name])
		})
	}
}

const auditPassword = "Wr0ngPa55word!"

// TestAuditCLIShowsNoSecret runs each subcommand in ways that fail or succeed around secrets and
// looks for the password, the private key and full card data in stdout and stderr.
func TestAuditCLIShowsNoSecret(t *testing.T) {
	pfx, err := cert.LoadPFXFile(testPFX, "000000")
	if err != nil {
		t.Fatal(err)
	}
	k := pfx.Key.(*rsa.PrivateKey)
	keySecrets := []string{k.D.String(), hex.EncodeToString(k.D.Bytes()), string(k.D.Bytes())}
	enc, err := cert.NewEncrypter(pfx.Certificate)
	if err != nil {
		t.Fatal(err)
	}
	encrypt := func(s string) string {
		c, err := enc.Encrypt(s)
		if err != nil {
			t.Fatal(err)
		}
		return c
	}
	pan, phone, cvn2, expiry, id := "6216261000000000018", "13552535506", "741", "3309", "110101199003077777"
	body := "accNo=" + pan + "&customerInfo=e3Bob25lTm89MTM1NTI1MzU1MDZ9&merId=777290058110048&orderId=ORDER0001&txnTime=20240105103000&signMethod=01&version=5.1.0&certId=1&signature=AAAA"
	dir := t.TempDir()
	notPFX := filepath.Join(dir, "x.pfx")
	if err := os.WriteFile(notPFX, []byte("garbage "+auditPassword), 0o600); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name    string
		stdin   string
		args    []string
		secrets []string
	}{
		{"certinfo wrong password", "", []string{"certinfo", "-password", auditPassword, testPFX}, []string{auditPassword}},
		{"certinfo garbage pfx", "", []string{"certinfo", "-password", auditPassword, notPFX}, []string{auditPassword}},
		{"certinfo right password", "", []string{"certinfo", "-password", "000000", testPFX}, keySecrets},
		{"sign wrong password", "a=b\nc=d\n", []string{"sign", "-pfx", testPFX, "-password", auditPassword}, []string{auditPassword}},
		{"sign secure key bad method", "a=b\nc=d\n", []string{"sign", "-sign-method", "13", "-secure-key", auditPassword}, []string{auditPassword}},
		{"decrypt wrong password", "AAAA", []string{"decrypt", "-pfx", testPFX, "-password", auditPassword}, []string{auditPassword}},
		{"decrypt a PAN", encrypt(pan), []string{"decrypt", "-pfx", testPFX, "-password", "000000"}, []string{pan}},
		{"decrypt encryptedInfo", encrypt("phoneNo=" + phone + "&cvn2=" + cvn2 + "&expired=" + expiry),
			[]string{"decrypt", "-pfx", testPFX, "-password", "000000"}, []string{phone, "cvn2=" + cvn2, "expired=" + expiry}},
		{"decrypt customerInfo-like", encrypt("{certifTp=01&certifId=" + id + "&phoneNo=" + phone + "}"),
			[]string{"decrypt", "-pfx", testPFX, "-password", "000000"}, []string{id, phone}},
		{"verify message with card data", body, []string{"verify", "-raw", "-root", testRoot, "-middle", testMiddle}, []string{pan, phone, "e3Bob25lTm89MTM1NTI1MzU1MDZ9"}},
		{"verify -request", body, []string{"verify", "-request", "-verify-cert", testPFX, "-password", auditPassword}, []string{pan, auditPassword}},
		{"filecontent garbage", "fileContent=" + pan, []string{"filecontent"}, []string{pan}},
	}
	for _, tt := range tests {
		r := runCLI(t, tt.stdin, tt.args...)
		out := r.stdout + r.stderr
		t.Logf("%s: exit %d: %s", tt.name, r.code, strings.TrimSpace(out[:min(len(out), 300)]))
		for _, s := range tt.secrets {
			if ok, form := leaktest.Shows(out, s); ok {
				t.Errorf("%s: output shows %.20q (%s):\n%s", tt.name, s, form, out)
			}
		}
	}
}

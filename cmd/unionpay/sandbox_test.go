package main

import (
	"bufio"
	"context"
	"crypto/rsa"
	"crypto/x509"
	"encoding/pem"
	"fmt"
	"io"
	"net"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/goacp/unionpay/cert"
	"github.com/goacp/unionpay/internal/goroutinetest"
	"github.com/goacp/unionpay/unionpay"
	"github.com/goacp/unionpay/unionpay/unionpaytest"
)

// readSandbox reads the sandbox's "key: value" lines up to "ready".
func readSandbox(t *testing.T, r io.Reader) map[string]string {
	t.Helper()
	info := map[string]string{}
	sc := bufio.NewScanner(r)
	for sc.Scan() {
		k, v, ok := strings.Cut(sc.Text(), ": ")
		require.True(t, ok, sc.Text())
		info[k] = v
		if k == "ready" {
			return info
		}
	}
	t.Fatalf("sandbox ended before it was ready: %v", sc.Err())
	return nil
}

// A client configured only from what the sandbox prints and writes (endpoints, PFX, root and
// middle) talks to it: a query for an unknown order is signed, answered and verified.
func TestSandbox(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	dir := t.TempDir()
	pr, pw := io.Pipe()
	var stderr strings.Builder
	done := make(chan int, 1)
	go func() {
		e := &env{ctx: ctx, stdin: strings.NewReader(""), stdout: pw, stderr: &stderr, getenv: func(string) string { return "" }}
		done <- e.dispatch([]string{"sandbox", "-dir", dir})
		pw.Close()
	}()
	info := readSandbox(t, pr)
	go func() { _, _ = io.Copy(io.Discard, pr) }()

	for _, k := range []string{"merId", "front", "back", "query", "batch", "file", "app", "card", "root", "middle",
		"verifyCert", "verifyCertId", "encryptCert", "encryptCertId", "pfx", "pfxPassword", "signKey", "certId", "secureKey",
		"testCard", "declinedCard"} {
		assert.NotEmpty(t, info[k], k)
	}
	assert.Equal(t, unionpaytest.TestCard, info["testCard"])
	assert.Equal(t, unionpaytest.DeclinedCard, info["declinedCard"], "a client in any language can test a decline")
	assert.True(t, strings.HasPrefix(info["query"], "http://127.0.0.1:"), info["query"])
	assert.True(t, strings.HasSuffix(info["query"], "/gateway/api/queryTrans.do"), info["query"])

	pfx, err := cert.LoadPFXFile(info["pfx"], info["pfxPassword"])
	require.NoError(t, err)
	assert.Equal(t, info["certId"], pfx.CertID())
	signer, err := pfx.Signer()
	require.NoError(t, err)
	// The PFX's key as PKCS#8 PEM, for a client whose crypto reads no PKCS#12 (Node.js's).
	assert.Equal(t, filepath.Join(dir, "sandbox_sign.key"), info["signKey"], "the name the help gives")
	assert.Equal(t, filepath.Join(dir, "sandbox_sign.pfx"), info["pfx"], "the name the help gives")
	keyPEM, err := os.ReadFile(info["signKey"])
	require.NoError(t, err)
	block, rest := pem.Decode(keyPEM)
	require.NotNil(t, block, "signKey is PEM")
	assert.Equal(t, "PRIVATE KEY", block.Type)
	assert.Empty(t, rest)
	key, err := x509.ParsePKCS8PrivateKey(block.Bytes)
	require.NoError(t, err)
	rsaKey, ok := key.(*rsa.PrivateKey)
	require.True(t, ok, "%T", key)
	assert.True(t, rsaKey.PublicKey.Equal(pfx.Certificate.PublicKey), "signKey is the PFX's key")
	root, err := cert.LoadCertificateFile(info["root"])
	require.NoError(t, err)
	middle, err := cert.LoadCertificateFile(info["middle"])
	require.NoError(t, err)
	verify, err := cert.LoadCertificateFile(info["verifyCert"])
	require.NoError(t, err)
	assert.Equal(t, info["verifyCertId"], cert.CertID(verify))
	for _, c := range []*x509.Certificate{root, middle, verify} {
		assert.Equal(t, x509.SHA1WithRSA, c.SignatureAlgorithm, "a SHA-1 chain, like UnionPay's")
	}
	// The PFX is in the legacy format of UnionPay's own, which the official Java SDK's
	// BouncyCastle 1.54 needs (it refuses AES/PBKDF2 files with "mac invalid").
	if openssl, err := exec.LookPath("openssl"); err == nil {
		out, err := exec.Command(openssl, "pkcs12", "-info", "-noout", "-in", info["pfx"],
			"-passin", "pass:"+info["pfxPassword"]).CombinedOutput()
		require.NoError(t, err, string(out))
		assert.Contains(t, string(out), "MAC: sha1")
		assert.Contains(t, string(out), "Shrouded Keybag: pbeWithSHA1And3-KeyTripleDES-CBC")
	}
	verifier, err := cert.NewVerifier(cert.VerifierConfig{Root: root, Middle: middle})
	require.NoError(t, err)
	client, err := unionpay.NewClient(unionpay.Config{MerchantID: info["merId"], Signer: signer, Verifier: verifier,
		Endpoints: unionpay.Endpoints{Front: info["front"], Back: info["back"], Query: info["query"], File: info["file"]}})
	require.NoError(t, err)
	tx, err := client.Query(ctx, &unionpay.QueryRequest{OrderID: "SANDBOX0001", TxnTime: time.Now()})
	require.NoError(t, err)
	assert.Equal(t, unionpay.NotFound, tx.State)

	cancel()
	select {
	case code := <-done:
		assert.Equal(t, exitOK, code, stderr.String())
	case <-time.After(10 * time.Second):
		t.Fatal("sandbox did not stop when its context ended")
	}
	assert.Empty(t, stderr.String(), "no protocol violations")
}

func TestSandboxFailures(t *testing.T) {
	tests := []struct {
		name string
		args []string
		code int
		want string
	}{
		{"not an address", []string{"-addr", "not an address"}, exitUsage, "-addr: want HOST:PORT"},
		{"nonsense", []string{"-addr", "nonsense"}, exitUsage, "-addr: want HOST:PORT"},
		{"bad port", []string{"-addr", "127.0.0.1:notaport"}, exitUsage, "-addr: want HOST:PORT"},
		{"port out of range", []string{"-addr", "127.0.0.1:99999"}, exitUsage, "-addr: want HOST:PORT"},
		{"extra argument", []string{"extra"}, exitUsage, "unexpected argument"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			requireFailure(t, runCLI(t, "", append([]string{"sandbox"}, tt.args...)...), tt.code, tt.want)
		})
	}
	// A busy port is not a usage error.
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	require.NoError(t, err)
	defer ln.Close()
	requireFailure(t, runCLI(t, "", "sandbox", "-addr", ln.Addr().String()), exitFailed, "unionpay sandbox:")
}

// TestSandboxStopsWithRequestOpen: a client that sent half a request body and holds the connection
// does not keep the sandbox (and its private key on disk) alive after it is told to stop.
func TestSandboxStopsWithRequestOpen(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	info, done := startSandbox(t, ctx, io.Discard)
	conn := sendHalfRequest(t, info["back"])
	defer conn.Close()

	cancel()
	select {
	case code := <-done:
		assert.Equal(t, exitOK, code)
	case <-time.After(10 * time.Second):
		t.Fatal("the sandbox did not stop while a request was open")
	}
	_, err := os.Stat(info["pfx"])
	assert.True(t, os.IsNotExist(err), "the private key is removed: %v", err)
}

// syncBuilder is a strings.Builder safe for the sandbox's goroutines.
type syncBuilder struct {
	mu sync.Mutex
	b  strings.Builder
}

func (s *syncBuilder) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuilder) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

// The reverse proxy's own complaint about a client gone mid-request is one of the sandbox's
// prefixed lines on its standard error, not a bare line of the log package's.
func TestSandboxProxyErrorsPrefixed(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	var stderr syncBuilder
	info, done := startSandbox(t, ctx, &stderr)
	conn := sendHalfRequest(t, info["back"])
	require.NoError(t, conn.Close()) // gone with 986 bytes of the body unsent
	require.Eventually(t, func() bool { return strings.Contains(stderr.String(), "proxy error") }, 5*time.Second, 20*time.Millisecond,
		"the proxy reports the broken request: %q", stderr.String())
	cancel()
	<-done
	for line := range strings.SplitSeq(strings.TrimSuffix(stderr.String(), "\n"), "\n") {
		assert.True(t, strings.HasPrefix(line, "unionpay sandbox: "), "line %q", line)
	}
}

// startSandbox runs "unionpay sandbox" with args until ctx ends, its diagnostics to stderr, and
// returns what it printed up to "ready" and a channel that gets its exit status.
func startSandbox(t *testing.T, ctx context.Context, stderr io.Writer, args ...string) (map[string]string, <-chan int) {
	t.Helper()
	pr, pw := io.Pipe()
	done := make(chan int, 1)
	go func() {
		e := &env{ctx: ctx, stdin: strings.NewReader(""), stdout: pw, stderr: stderr, getenv: func(string) string { return "" }}
		done <- e.dispatch(append([]string{"sandbox"}, args...))
		pw.Close()
	}()
	info := readSandbox(t, pr)
	go func() { _, _ = io.Copy(io.Discard, pr) }()
	return info, done
}

// sendHalfRequest posts 14 of a promised 1000 bytes of body to endpoint and leaves the connection
// open, the request in the gateway's hands.
func sendHalfRequest(t *testing.T, endpoint string) net.Conn {
	t.Helper()
	u, err := url.Parse(endpoint)
	require.NoError(t, err)
	conn, err := net.Dial("tcp", u.Host)
	require.NoError(t, err)
	_, err = fmt.Fprintf(conn, "POST %s HTTP/1.1\r\nHost: %s\r\nContent-Type: application/x-www-form-urlencoded\r\nContent-Length: 1000\r\n\r\nversion=5.1.0&", u.Path, u.Host)
	require.NoError(t, err)
	time.Sleep(200 * time.Millisecond)
	return conn
}

// Concurrency audit (helper "audit-conc"): go test -race ./cmd/unionpay -run ConcAudit -count=1

// TestConcAuditSandboxLeavesNoGoroutine: after queries through the sandbox's proxy and the end
// of its context, once the client's idle connections are closed, no goroutine is left.
func TestConcAuditSandboxLeavesNoGoroutine(t *testing.T) {
	base := runtime.NumGoroutine()
	func() {
		ctx, cancel := context.WithCancel(context.Background())
		defer cancel()
		dir := t.TempDir()
		pr, pw := io.Pipe()
		var stderr strings.Builder
		done := make(chan int, 1)
		go func() {
			e := &env{ctx: ctx, stdin: strings.NewReader(""), stdout: pw, stderr: &stderr, getenv: func(string) string { return "" }}
			done <- e.dispatch([]string{"sandbox", "-dir", dir})
			pw.Close()
		}()
		info := readSandbox(t, pr)
		drained := make(chan struct{})
		go func() { _, _ = io.Copy(io.Discard, pr); close(drained) }()
		pfx, err := cert.LoadPFXFile(info["pfx"], info["pfxPassword"])
		require.NoError(t, err)
		signer, err := pfx.Signer()
		require.NoError(t, err)
		root, err := cert.LoadCertificateFile(info["root"])
		require.NoError(t, err)
		middle, err := cert.LoadCertificateFile(info["middle"])
		require.NoError(t, err)
		verifier, err := cert.NewVerifier(cert.VerifierConfig{Root: root, Middle: middle})
		require.NoError(t, err)
		client, err := unionpay.NewClient(unionpay.Config{MerchantID: info["merId"], Signer: signer, Verifier: verifier,
			Endpoints: unionpay.Endpoints{Front: info["front"], Back: info["back"], Query: info["query"], File: info["file"]}})
		require.NoError(t, err)
		for range 3 {
			_, err := client.Query(ctx, &unionpay.QueryRequest{OrderID: "SANDBOX0001", TxnTime: time.Now()})
			require.NoError(t, err)
		}
		cancel()
		select {
		case <-done:
		case <-time.After(10 * time.Second):
			t.Fatal("sandbox did not stop")
		}
		<-drained
		client.CloseIdleConnections()
	}()
	goroutinetest.Settle(t, base, 5*time.Second)
}

// sandboxClient returns a client configured, as a service would be, from the acp_sdk.properties
// of the sandbox that startSandbox described in info, with its merId.
func sandboxClient(t *testing.T, info map[string]string) *unionpay.Client {
	t.Helper()
	jc, err := unionpay.LoadJavaConfig(info["config"])
	require.NoError(t, err)
	jc.Config.MerchantID = info["merId"]
	client, err := unionpay.NewClient(jc.Config)
	require.NoError(t, err)
	return client
}

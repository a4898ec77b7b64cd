package main

import (
	"bytes"
	"context"
	"net"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/goacp/unionpay/unionpay"
	"github.com/goacp/unionpay/unionpay/unionpaytest"
)

// TestSandboxKeepsServiceConfig: `unionpay sandbox -dir` on a directory holding an
// acp_sdk.properties it did not write (a service's own, with UnionPay's URLs and its PFX's
// password) exits 1 before writing anything, the file as it was; it replaced it with one naming
// the sandbox's loopback URLs and test key. An acp_sdk.properties the sandbox wrote before is
// replaced, so that a sandbox restarted on the same -dir starts.
func TestSandboxKeepsServiceConfig(t *testing.T) {
	dir := t.TempDir()
	own := "acpsdk.backTransUrl=https://gateway.95516.com/gateway/api/backTransReq.do\nacpsdk.signCert.pwd=Pr0d-Secret\n"
	path := filepath.Join(dir, "acp_sdk.properties")
	require.NoError(t, os.WriteFile(path, []byte(own), 0o600))

	// Ended after a while should it start, as it did: it replaced the file, then served.
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	var out, errOut bytes.Buffer
	e := &env{ctx: ctx, stdin: strings.NewReader(""), stdout: &out, stderr: &errOut, getenv: func(string) string { return "" }}
	r := result{e.dispatch([]string{"sandbox", "-dir", dir}), out.String(), errOut.String()}
	requireFailure(t, r, exitFailed, "holds an acp_sdk.properties the sandbox did not write")
	assert.NotContains(t, r.stderr, "Pr0d-Secret")
	got, err := os.ReadFile(path)
	require.NoError(t, err)
	assert.Equal(t, own, string(got), "the service's file is left as it is")
	entries, err := os.ReadDir(dir)
	require.NoError(t, err)
	assert.Len(t, entries, 1, "nothing else written")

	srv := unionpaytest.NewServer(unionpaytest.WithPlainHTTP())
	t.Cleanup(srv.Close)
	mine := t.TempDir()
	files, err := writeSandboxFiles(srv, mine)
	require.NoError(t, err)
	_, err = writeSandboxConfig(mine, "http://127.0.0.1:1", files)
	require.NoError(t, err)
	require.NoError(t, checkSandboxConfig(mine), "the sandbox's own file: a restart replaces it")
	path, err = writeSandboxConfig(mine, "http://127.0.0.1:2", files)
	require.NoError(t, err)
	got, err = os.ReadFile(path)
	require.NoError(t, err)
	assert.Contains(t, string(got), "http://127.0.0.1:2/")
	fi, err := os.Stat(path)
	require.NoError(t, err)
	if fi.Mode().Perm()&0o077 != 0 && os.PathSeparator == '/' {
		t.Errorf("mode %v: the file holds the PFX's password", fi.Mode().Perm())
	}
}

// A sandbox listening on every address writes its acp_sdk.properties with the loopback address,
// which the SDK takes over plain http, not the unspecified one, which it refuses.
func TestSandboxConfigLoopbackBase(t *testing.T) {
	tests := []struct {
		addr net.Addr
		want string
	}{
		{&net.TCPAddr{IP: net.IPv4zero, Port: 8080}, "http://127.0.0.1:8080"},
		{&net.TCPAddr{IP: net.IPv6unspecified, Port: 8080}, "http://[::1]:8080"},
		{&net.TCPAddr{IP: net.IPv4(127, 0, 0, 1), Port: 41234}, "http://127.0.0.1:41234"},
		{&net.TCPAddr{IP: net.IPv6loopback, Port: 41234}, "http://[::1]:41234"},
		{&net.TCPAddr{IP: net.IPv4(192, 168, 1, 5), Port: 80}, "http://192.168.1.5:80"},
	}
	for _, tt := range tests {
		assert.Equal(t, tt.want, loopbackBase(tt.addr), "%v", tt.addr)
	}
}

// TestSandboxConfigAllAddresses: "unionpay sandbox -addr 0.0.0.0:0" writes its acp_sdk.properties
// with the loopback address (loopbackBase), not the unspecified one it listens on.
func TestSandboxConfigAllAddresses(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	var stderr syncBuilder
	info, done := startSandbox(t, ctx, &stderr, "-addr", "0.0.0.0:0", "-dir", t.TempDir())
	defer func() {
		cancel()
		<-done
	}()
	jc, err := unionpay.LoadJavaConfig(info["config"])
	require.NoError(t, err)
	got, err := url.Parse(jc.Config.Endpoints.Query)
	require.NoError(t, err)
	listened, err := url.Parse(info["query"]) // on 0.0.0.0, or [::] for a dual-stack socket
	require.NoError(t, err)
	assert.True(t, net.ParseIP(got.Hostname()).IsLoopback(), "the file's query URL %s", got)
	assert.Equal(t, listened.Port(), got.Port())
	assert.Equal(t, listened.Path, got.Path)
}

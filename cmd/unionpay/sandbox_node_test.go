package main

import (
	"bytes"
	"context"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
)

// nodeMinMajor is the oldest Node.js major version testdata/nodeclient/client.js runs on
// (crypto.X509Certificate came in 15.6).
const nodeMinMajor = 16

// TestSandboxNodeClient runs testdata/nodeclient/client.js, a merchant written in JavaScript from
// the wire protocol and the sandbox's help, not from this module's code, against the sandbox: a
// front consume paid at the cashier (declined card first), its front return and back notification
// verified with the printed chain, a query, a refund and the settlement file decoded. Given only
// the sandbox's printed lines, it must finish with status 0, and the gateway must report no
// protocol mistake of its.
func TestSandboxNodeClient(t *testing.T) {
	node, err := exec.LookPath("node")
	if err != nil {
		t.Skip("node is not on PATH: the Node.js client of the sandbox is not run (CI installs nodejs, .ci/packages)")
	}
	out, err := exec.Command(node, "-p", "process.versions.node").Output()
	if err != nil {
		t.Skipf("%s -p process.versions.node: %v", node, err)
	}
	version := strings.TrimSpace(string(out))
	major, _, _ := strings.Cut(version, ".")
	if n, err := strconv.Atoi(major); err != nil || n < nodeMinMajor {
		t.Skipf("node %s is older than %d, which the Node.js client of the sandbox needs", version, nodeMinMajor)
	}

	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	var stderr syncBuilder
	pr, pw := io.Pipe()
	done := make(chan int, 1)
	go func() {
		e := &env{ctx: ctx, stdin: strings.NewReader(""), stdout: pw, stderr: &stderr, getenv: func(string) string { return "" }}
		done <- e.dispatch([]string{"sandbox"})
		pw.Close()
	}()
	var printed bytes.Buffer // what an integrator sees, up to "ready:"
	readSandbox(t, io.TeeReader(pr, &printed))
	go func() { _, _ = io.Copy(io.Discard, pr) }()

	runCtx, stop := context.WithTimeout(ctx, time.Minute)
	defer stop()
	cmd := exec.CommandContext(runCtx, node, filepath.Join("testdata", "nodeclient", "client.js"))
	cmd.Env = append(os.Environ(), "UNIONPAY_SANDBOX="+printed.String(), "NODE_OPTIONS=")
	cmd.WaitDelay = 5 * time.Second
	start := time.Now()
	out, err = cmd.CombinedOutput()
	if runCtx.Err() != nil {
		t.Fatalf("the Node.js client did not finish in a minute; its output:\n%s", out)
	}
	if err != nil {
		t.Fatalf("the Node.js client (node %s) failed: %v; its output:\n%s", version, err, out)
	}
	t.Logf("node %s, %v:\n%s", version, time.Since(start).Round(time.Millisecond), out)

	cancel()
	select {
	case code := <-done:
		assert.Equal(t, exitOK, code)
	case <-time.After(10 * time.Second):
		t.Fatal("sandbox did not stop when its context ended")
	}
	assert.Empty(t, stderr.String(), "the gateway reported protocol mistakes of the Node.js client")
}

package main

import (
	"bufio"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// buildBinary compiles the command once per test run.
func buildBinary(t *testing.T) string {
	t.Helper()
	if testing.Short() {
		t.Skip("builds the binary")
	}
	//lint:ignore SA1019 a test binary runs where it was built, so its GOROOT is meaningful.
	goTool := filepath.Join(runtime.GOROOT(), "bin", "go")
	if _, err := os.Stat(goTool); err != nil {
		if goTool, err = exec.LookPath("go"); err != nil {
			t.Skip("no go tool to build the binary")
		}
	}
	bin := filepath.Join(t.TempDir(), "unionpay")
	if runtime.GOOS == "windows" {
		bin += ".exe" // exec.Command finds a Windows program only by a PATHEXT extension
	}
	out, err := exec.Command(goTool, "build", "-o", bin, ".").CombinedOutput()
	require.NoError(t, err, string(out))
	return bin
}

// exitCode runs the binary and returns its status, stdout and stderr.
func exitCode(t *testing.T, bin, stdin string, args ...string) result {
	t.Helper()
	cmd := exec.Command(bin, args...)
	cmd.Stdin = strings.NewReader(stdin)
	cmd.Env = append(os.Environ(), passwordEnv+"=")
	var out, errOut strings.Builder
	cmd.Stdout, cmd.Stderr = &out, &errOut
	err := cmd.Run()
	var ee *exec.ExitError
	switch {
	case err == nil:
		return result{0, out.String(), errOut.String()}
	case errors.As(err, &ee):
		return result{ee.ExitCode(), out.String(), errOut.String()}
	}
	require.NoError(t, err)
	return result{}
}

// The built binary keeps the contract: exit statuses, one-line errors, the password from the
// environment, and the sandbox stopping cleanly on an interrupt.
func TestBinary(t *testing.T) {
	bin := buildBinary(t)

	r := exitCode(t, bin, "", "certinfo", "-password", "000000", testPFX)
	assert.Equal(t, 0, r.code, r.stderr)
	assert.True(t, strings.HasPrefix(r.stdout, "certId: 69629715588\n"))

	r = exitCode(t, bin, "", "certinfo", "-password", "999999", testPFX)
	assert.Equal(t, 1, r.code)
	assert.Equal(t, 1, strings.Count(r.stderr, "\n"), r.stderr)

	r = exitCode(t, bin, "", "certinfo", "-frob", testPFX)
	assert.Equal(t, 2, r.code)
	assert.Equal(t, 1, strings.Count(r.stderr, "\n"), r.stderr)

	r = exitCode(t, bin, "")
	assert.Equal(t, 2, r.code)

	r = exitCode(t, bin, "", "--version")
	assert.Equal(t, 0, r.code, r.stderr)
	assert.True(t, strings.HasPrefix(r.stdout, "version: "), r.stdout)
	assert.Contains(t, r.stdout, "\nrevision: ")
	assert.True(t, strings.HasSuffix(r.stdout, "\ngo: "+runtime.Version()+"\n"), r.stdout)

	r = exitCode(t, bin, "", "verify", "-h")
	assert.Equal(t, 0, r.code)
	assert.Contains(t, r.stdout, "Usage: unionpay verify")

	cmd := exec.Command(bin, "decrypt", "-pfx", testPFX)
	cmd.Env = append(os.Environ(), passwordEnv+"=000000")
	cmd.Stdin = strings.NewReader("@@@")
	out, err := cmd.CombinedOutput()
	assert.Error(t, err)
	assert.NotContains(t, string(out), "wrong PFX password", "the password came from the environment")

	if runtime.GOOS == "windows" {
		return
	}
	sandbox := exec.Command(bin, "sandbox", "-dir", t.TempDir())
	stdout, err := sandbox.StdoutPipe()
	require.NoError(t, err)
	require.NoError(t, sandbox.Start())
	sc := bufio.NewScanner(stdout)
	ready := false
	for sc.Scan() {
		if strings.HasPrefix(sc.Text(), "ready: ") {
			ready = true
			break
		}
	}
	require.True(t, ready)
	require.NoError(t, sandbox.Process.Signal(os.Interrupt))
	waited := make(chan error, 1)
	go func() { waited <- sandbox.Wait() }()
	select {
	case err := <-waited:
		assert.NoError(t, err, "exit status 0 after an interrupt")
	case <-time.After(10 * time.Second):
		_ = sandbox.Process.Kill()
		t.Fatal("sandbox ignored the interrupt")
	}
}

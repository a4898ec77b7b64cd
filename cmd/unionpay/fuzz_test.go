package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// stdinCommands are the subcommands that read untrusted input from standard input, with fixed,
// valid flags: whatever the input, the status is 0 or 1 and an error is one line.
var stdinCommands = [][]string{
	{"verify", "-secure-key", "88888888"},
	{"verify", "-raw", "-secure-key", "88888888"},
	{"verify", "-root", testRoot, "-middle", testMiddle, "-at", "2022-09-08T10:00:00+08:00"},
	{"verify", "-raw", "-root", testRoot, "-middle", testMiddle, "-at", "2024-01-05T00:00:00Z"},
	{"filecontent"},
	{"sign", "-sign-method", "11", "-secure-key", "88888888"},
	{"verify", "-request", "-at", "2021-06-01T00:00:00+08:00", "-verify-cert", testPFX, "-password", "000000",
		"-secure-key", "88888888"},
}

// checkOutcome fails the test unless r is a success with a clean stderr or a failure with one
// line on stderr; reconcile's notes (errorLines) may come before either.
func checkOutcome(t *testing.T, r result) {
	t.Helper()
	switch r.code {
	case exitOK:
		if errorLines(r.stderr) != 0 {
			t.Fatalf("success with stderr %q", r.stderr)
		}
	case exitNoFile:
		if !strings.HasPrefix(r.stderr, "unionpay filecontent: ") {
			t.Fatalf("status 3 (no file) from another command: %q", r.stderr)
		}
		fallthrough
	case exitFailed:
		last := r.stderr[strings.LastIndex(strings.TrimSuffix(r.stderr, "\n"), "\n")+1:]
		if errorLines(r.stderr) != 1 || !strings.HasSuffix(r.stderr, "\n") || !strings.HasPrefix(last, "unionpay ") ||
			strings.HasPrefix(last, "unionpay reconcile: note: ") {
			t.Fatalf("failure without exactly one error line: %q", r.stderr)
		}
		if strings.Contains(r.stderr, "internal error") {
			t.Fatalf("panic: %q", r.stderr)
		}
	default:
		t.Fatalf("status %d for input on stdin; stderr %q", r.code, r.stderr)
	}
}

func FuzzStdin(f *testing.F) {
	for _, path := range []string{realNotification, vectorsDir + "/raw_response.txt", vectorsDir + "/filecontent.official.b64",
		vectorsDir + "/consume_request.kv", vectorsDir + "/consume_request.signed-5.1.0-acp_test_sign.kv",
		vectorsDir + "/consume_request.signed-secure-key-12.kv"} {
		b, err := os.ReadFile(path)
		if err != nil {
			f.Fatal(err)
		}
		for i := range stdinCommands {
			f.Add(uint8(i), string(b))
		}
	}
	f.Add(uint8(4), "respCode=98&respMsg=无文件[9800000]")
	f.Add(uint8(1), "{a={b&c}&d=[e&f]}")
	f.Fuzz(func(t *testing.T, which uint8, stdin string) {
		args := stdinCommands[int(which)%len(stdinCommands)]
		checkOutcome(t, runCLI(t, stdin, args...))
	})
}

func FuzzReconcileFile(f *testing.F) {
	sample, err := os.ReadFile(sampleZip)
	if err != nil {
		f.Fatal(err)
	}
	f.Add(sample)
	f.Add([]byte(strings.Repeat("S56 ", 200) + "\r\n"))
	f.Add([]byte("PK\x03\x04"))
	dir := f.TempDir()
	f.Fuzz(func(t *testing.T, data []byte) {
		path := filepath.Join(dir, "settlement.bin")
		if err := os.WriteFile(path, data, 0o600); err != nil {
			t.Fatal(err)
		}
		checkOutcome(t, runCLI(t, "", "reconcile", "-settle-date", "20150905", path))
		checkOutcome(t, runCLI(t, "", "reconcile", "-summary", "-format", "csv", "-settle-date", "20150905", path))
	})
}

package main

// Concurrency audit (helper "audit-conc"): go test -race ./cmd/unionpay -run ConcAudit -count=1

import (
	"bytes"
	"context"
	"io"
	"runtime"
	"runtime/pprof"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/goacp/unionpay/cert"
	"github.com/goacp/unionpay/unionpay"
)

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
	deadline := time.Now().Add(5 * time.Second)
	for runtime.NumGoroutine() > base {
		if time.Now().After(deadline) {
			var b bytes.Buffer
			_ = pprof.Lookup("goroutine").WriteTo(&b, 1)
			t.Fatalf("%d goroutines left, baseline %d:\n%s", runtime.NumGoroutine(), base, b.String())
		}
		time.Sleep(20 * time.Millisecond)
	}
}

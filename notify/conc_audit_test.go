package notify_test

// Concurrency audit (helper "audit-conc"): go test -race ./notify -run ConcAudit -count=1

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"runtime"
	"runtime/pprof"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/goacp/unionpay/cert"
	"github.com/goacp/unionpay/notify"
	"github.com/goacp/unionpay/sign"
)

// TestConcAuditHandlerParallel serves genuine, tampered, oversized and cancelled notifications
// from many clients at once through one Handler (pooled buffers, the Verifier's certificate
// cache and value cache, a Logger), under -race: every genuine one reaches OnNotify intact,
// and no goroutine is left once the server is closed.
func TestConcAuditHandlerParallel(t *testing.T) {
	base := runtime.NumGoroutine()
	p := testPKI()
	v := p.verifier(t)
	bodies := make([]string, 16)
	for i := range bodies {
		f := consumeFields(fmt.Sprintf("ORDER%08d", i))
		f["reqReserved"] = strings.Repeat("x", i*300+1) // bodies of many lengths
		bodies[i] = encode(t, signWith(t, p.leaf, f))
	}
	bad := tampered(t, func(f sign.Fields) { f["txnAmt"] = "1" })
	var mu sync.Mutex
	seen := map[string]int{}
	var logs bytes.Buffer
	var logMu sync.Mutex
	h := &notify.Handler{Verifier: v, Logger: slog.New(slog.NewTextHandler(lockedWriter{&logMu, &logs}, nil)),
		OnNotify: func(ctx context.Context, n *notify.Notification) error {
			if n.Raw["reqReserved"] != strings.Repeat("x", len(n.Raw["reqReserved"])) {
				t.Errorf("notification %s altered", n.OrderID)
			}
			mu.Lock()
			seen[n.OrderID]++
			mu.Unlock()
			return nil
		}}
	func() {
		srv := httptest.NewServer(h)
		defer srv.Close()
		client := srv.Client()
		defer client.CloseIdleConnections()
		var wg sync.WaitGroup
		for w := range 8 {
			wg.Go(func() {
				for i := range 40 {
					body := bodies[(w+i)%len(bodies)]
					want := http.StatusOK
					switch i % 5 {
					case 1:
						body, want = bad, http.StatusBadRequest
					case 2:
						body, want = strings.Repeat("a", notify.DefaultMaxBytes+1), http.StatusRequestEntityTooLarge
					case 3: // cancelled by the client mid-body: nothing to check but cleanup
						ctx, cancel := context.WithCancel(context.Background())
						pr, pw := io.Pipe()
						req, _ := http.NewRequestWithContext(ctx, http.MethodPost, srv.URL, pr)
						req.ContentLength = int64(len(body))
						go func() { _, _ = pw.Write([]byte(body[:len(body)/2])); cancel(); pw.Close() }()
						if resp, err := client.Do(req); err == nil {
							_, _ = io.Copy(io.Discard, resp.Body)
							resp.Body.Close()
						}
						continue
					}
					resp, err := client.Post(srv.URL, "application/x-www-form-urlencoded;charset=UTF-8", strings.NewReader(body))
					if !assert.NoError(t, err) {
						return
					}
					_, _ = io.Copy(io.Discard, resp.Body)
					resp.Body.Close()
					assert.Equal(t, want, resp.StatusCode)
				}
			})
		}
		wg.Wait()
	}()
	total := 0
	for _, n := range seen {
		total += n
	}
	assert.Equal(t, 8*40*2/5, total) // i%5 == 0 or 4
	deadline := time.Now().Add(5 * time.Second)
	for runtime.NumGoroutine() > base {
		if time.Now().After(deadline) {
			var b bytes.Buffer
			_ = pprof.Lookup("goroutine").WriteTo(&b, 1)
			require.FailNow(t, "goroutines left", "%d, baseline %d\n%s", runtime.NumGoroutine(), base, b.String())
		}
		time.Sleep(20 * time.Millisecond)
	}
}

type lockedWriter struct {
	mu *sync.Mutex
	w  io.Writer
}

func (l lockedWriter) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.w.Write(p)
}

// TestConcAuditVerifierCacheEvictionParallel: one Verifier with a one-entry certificate cache,
// three genuine signing certificates taking turns, verified from many goroutines at once
// (Verify, VerifyForm through Parse, ValidateCertificate) under -race: every message verifies.
func TestConcAuditVerifierCacheEvictionParallel(t *testing.T) {
	p := testPKI()
	valid := [2]time.Time{testNow.AddDate(-1, 0, 0), testNow.AddDate(4, 0, 0)}
	leaves := []issued{p.leaf, issue(99000000001, leafTemplate(unionPayCN, valid), &p.middle),
		issue(99000000002, leafTemplate(unionPayCN, valid), &p.middle)}
	v, err := cert.NewVerifier(cert.VerifierConfig{Root: p.root.cert, Middle: p.middle.cert, CacheSize: 1,
		Now: func() time.Time { return testNow }})
	require.NoError(t, err)
	var fields []sign.Fields
	var bodies []string
	for i, l := range leaves {
		f := signWith(t, l, consumeFields(fmt.Sprintf("CACHE%08d", i)))
		fields = append(fields, f)
		bodies = append(bodies, encode(t, f))
	}
	var wg sync.WaitGroup
	for w := range 8 {
		wg.Go(func() {
			for i := range 200 {
				k := (w + i) % len(leaves)
				switch i % 3 {
				case 0:
					_, err := v.Verify(fields[k])
					assert.NoError(t, err)
				case 1:
					n, err := notify.Parse(v, []byte(bodies[k]))
					if assert.NoError(t, err) {
						assert.Equal(t, fmt.Sprintf("CACHE%08d", k), n.OrderID)
					}
				case 2:
					assert.NoError(t, v.ValidateCertificate(leaves[k].cert))
				}
			}
		})
	}
	wg.Wait()
}

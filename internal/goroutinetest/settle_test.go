package goroutinetest

import (
	"fmt"
	"runtime"
	"strings"
	"testing"
	"time"
)

// recorder is a testing.TB that records what Settle reports instead of failing the test.
type recorder struct {
	testing.TB
	fatal string
}

func (r *recorder) Helper() {}
func (r *recorder) Fatalf(format string, a ...any) {
	r.fatal = fmt.Sprintf(format, a...)
	runtime.Goexit()
}

// settle runs Settle with a recorder on its own goroutine (Fatalf ends it) and returns what it
// reported, "" for nothing.
func settle(t *testing.T, base int, timeout time.Duration) string {
	r := &recorder{TB: t}
	done := make(chan struct{})
	go func() {
		defer close(done)
		Settle(r, base+1, timeout) // this goroutine itself is counted
	}()
	<-done
	return r.fatal
}

// leftRunning blocks until release is closed: the goroutine Settle's report must name.
func leftRunning(release chan struct{}) { <-release }

// TestSettle: Settle returns once a goroutine started after the baseline ends, within its
// timeout, and fails naming the count, the baseline and the stack of one that does not end.
// It counts goroutines: no t.Parallel.
func TestSettle(t *testing.T) {
	base := runtime.NumGoroutine()
	ends := make(chan struct{})
	go leftRunning(ends)
	time.AfterFunc(100*time.Millisecond, func() { close(ends) })
	start := time.Now()
	if got := settle(t, base, 10*time.Second); got != "" {
		t.Fatalf("Settle failed although the goroutine ended:\n%s", got)
	}
	if d := time.Since(start); d < 100*time.Millisecond || d > 5*time.Second {
		t.Errorf("Settle returned after %v, want soon after the goroutine ended (100 ms)", d)
	}

	Settle(t, base, 10*time.Second) // the first part's goroutines gone, settle's own too
	stays := make(chan struct{})
	go leftRunning(stays)
	start = time.Now()
	got := settle(t, base, 200*time.Millisecond)
	if d := time.Since(start); d < 200*time.Millisecond {
		t.Errorf("Settle failed after %v, before its timeout (200 ms)", d)
	}
	for _, want := range []string{fmt.Sprintf("goroutines left, baseline %d:", base+1), "goroutinetest.leftRunning"} {
		if !strings.Contains(got, want) {
			t.Errorf("Settle's failure does not contain %q:\n%s", want, got)
		}
	}
	close(stays)
	Settle(t, base, 10*time.Second) // none left for the next run (-count)
}

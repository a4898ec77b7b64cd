// Package goroutinetest holds what this module's tests share for checking that no goroutine is
// left running: they take runtime.NumGoroutine as a baseline, do their work, close what they
// opened, and wait for the count to come back (Settle). Such tests do not call t.Parallel.
package goroutinetest

import (
	"bytes"
	"runtime"
	"runtime/pprof"
	"testing"
	"time"
)

// poll is how often Settle counts the goroutines.
const poll = 20 * time.Millisecond

// Settle waits up to timeout for runtime.NumGoroutine to come back to base or below, and fails t
// (Fatalf) with every goroutine's stack, grouped as pprof's goroutine profile groups them, if it
// does not.
func Settle(t testing.TB, base int, timeout time.Duration) {
	t.Helper()
	deadline := time.Now().Add(timeout)
	for {
		n := runtime.NumGoroutine()
		if n <= base {
			return
		}
		if time.Now().After(deadline) {
			var b bytes.Buffer
			_ = pprof.Lookup("goroutine").WriteTo(&b, 1)
			t.Fatalf("%d goroutines left, baseline %d:\n%s", n, base, b.String())
		}
		time.Sleep(poll)
	}
}

// Package threadcpu measures the CPU time a piece of work takes, for tests that bound a cost
// (linear, not quadratic) on machines whose other work (parallel tests, other packages' tests,
// the race detector) stretches wall-clock time without making the work itself any dearer.
package threadcpu

import (
	"runtime"
	"time"
)

// Measure runs f on a goroutine locked to its OS thread and returns how long that thread spent
// running it. Where the platform reports a thread's CPU time (Linux), cpu is true and d is that
// CPU time, which waiting for a CPU does not count; elsewhere cpu is false and d is the
// wall-clock time f took.
func Measure(f func()) (d time.Duration, cpu bool) {
	runtime.LockOSThread()
	defer runtime.UnlockOSThread()
	before, ok := threadTime()
	start := time.Now()
	f()
	wall := time.Since(start)
	after, ok2 := threadTime()
	if !ok || !ok2 {
		return wall, false
	}
	return after - before, true
}

//go:build unix

package reconcile

import (
	"syscall"
	"time"
)

// cpuTime returns the CPU time (user + system) the process has used so far:
// benchmark ratios on a shared machine are steadier in CPU time than in wall time.
func cpuTime() time.Duration {
	var ru syscall.Rusage
	if syscall.Getrusage(syscall.RUSAGE_SELF, &ru) != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

// pageFaults returns the minor page faults the process has taken so far: on
// some virtual machines a first touch of fresh memory costs ~10 µs a page,
// which a benchmark that grows its heap pays and a bare scan does not.
func pageFaults() int64 {
	var ru syscall.Rusage
	if syscall.Getrusage(syscall.RUSAGE_SELF, &ru) != nil {
		return 0
	}
	return int64(ru.Minflt) // int32 on 32-bit platforms
}

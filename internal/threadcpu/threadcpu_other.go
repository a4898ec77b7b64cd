//go:build !linux

package threadcpu

import "time"

// threadTime reports that this platform gives no thread's CPU time.
func threadTime() (time.Duration, bool) { return 0, false }

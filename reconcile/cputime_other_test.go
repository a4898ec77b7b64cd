//go:build !unix

package reconcile

import "time"

// cpuTime is not measured on this platform.
func cpuTime() time.Duration { return 0 }

// pageFaults is not measured on this platform.
func pageFaults() int64 { return 0 }

package logtest

import (
	"strings"
	"sync"
	"testing"
)

// TestBufferConcurrent writes from many goroutines while reading (run with -race): every write
// is kept whole.
func TestBufferConcurrent(t *testing.T) {
	var b Buffer
	var wg sync.WaitGroup
	for range 8 {
		wg.Go(func() {
			for range 100 {
				_, _ = b.Write([]byte("line\n"))
				_ = b.String()
			}
		})
	}
	wg.Wait()
	if got := strings.Count(b.String(), "line\n"); got != 800 {
		t.Fatalf("%d lines kept, want 800", got)
	}
}

package unionpaytest

import (
	"fmt"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestFailedURLsBounded: the backUrls whose first failure was told of are remembered up to
// maxFailedURLs (they grew by one per distinct backUrl, without bound, in a gateway left running
// for days: the sandbox); past it the oldest is forgotten, and told of again if it fails again,
// while one still remembered is not.
func TestFailedURLsBounded(t *testing.T) {
	t.Parallel()
	assert.Equal(t, 1000, maxFailedURLs, "the bound WithBackURLFailures documents")
	var told []string
	s := NewServer(WithBackURLFailures(func(b BackURLFailure) { told = append(told, b.URL) }))
	t.Cleanup(s.Close)
	urlOf := func(i int) string { return fmt.Sprintf("http://shop.example/notify/%d", i) }
	fail := func(i int) {
		s.logFailure(&notification{orderID: fmt.Sprint("ORDER", i), url: urlOf(i)}, Delivery{URL: urlOf(i), Attempt: 1, Status: 500}, nil)
	}
	const n = maxFailedURLs + 10
	for i := range n {
		fail(i)
	}
	require.Len(t, told, n, "each distinct backUrl told of once")
	s.mu.Lock()
	kept := len(s.failedURLs)
	s.mu.Unlock()
	assert.Equal(t, maxFailedURLs, kept, "bounded")
	tests := []struct {
		name string
		i    int
		told bool
	}{
		{"forgotten, told again", 0, true},
		{"remembered", n - 1, false},
	}
	for _, tt := range tests {
		before := len(told)
		fail(tt.i)
		assert.Equal(t, tt.told, len(told) > before, tt.name)
	}
}

package unionpaytest_test

import (
	"context"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/goacp/unionpay/unionpay/unionpaytest"
)

// TestWithBackURLFailures: WithBackURLFailures' function, not the Reporter's Logf, is handed the
// first failed attempt to each backUrl: the Delivery, why it failed without the URL, and the
// waits left (scaled). A program such as the sandbox words it for its own users. A nil function
// changes nothing: Logf is told, as without the option.
func TestWithBackURLFailures(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name string
		nilF bool
	}{
		{"func", false},
		{"nil func", true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			var mu sync.Mutex
			var got []unionpaytest.BackURLFailure
			f := func(b unionpaytest.BackURLFailure) {
				mu.Lock()
				defer mu.Unlock()
				got = append(got, b)
			}
			if tt.nilF {
				f = nil
			}
			rep := &logRecorder{}
			srv, c, _ := clientGateway(t, unionpaytest.WithReporter(rep), unionpaytest.WithBackURLFailures(f),
				unionpaytest.WithNotifySchedule(0, time.Hour, 2*time.Hour), unionpaytest.WithTimeScale(0.5))
			u := deadURL(t)
			for _, order := range []string{"BACKFAIL01", "BACKFAIL02"} {
				_, err := c.BackConsume(context.Background(), rotationCard(order, u))
				require.NoError(t, err)
			}
			require.Eventually(t, func() bool { return len(srv.Deliveries()) == 2 }, 10*time.Second, 5*time.Millisecond)
			time.Sleep(50 * time.Millisecond) // the second failure is told (or not) just after its Delivery is recorded
			mu.Lock()
			defer mu.Unlock()
			if tt.nilF {
				assert.Empty(t, got)
				assert.Len(t, rep.logged(), 1, "Logf, as without the option")
				return
			}
			assert.Empty(t, rep.logged(), "the function is told instead of Logf")
			assert.Empty(t, rep.all())
			require.Len(t, got, 1, "the first failure per backUrl only")
			b := got[0]
			assert.Contains(t, []string{"BACKFAIL01", "BACKFAIL02"}, b.OrderID)
			assert.Equal(t, u, b.URL)
			assert.Equal(t, 1, b.Attempt)
			require.Error(t, b.Err)
			assert.Contains(t, b.Reason, "connection refused")
			assert.NotContains(t, b.Reason, u, "the URL is the caller's to name")
			assert.Equal(t, []time.Duration{30 * time.Minute, time.Hour}, b.Left, "scaled by WithTimeScale")
		})
	}
}

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

// TestClock: Now reads what Advance, Set and Sleep made it; Sleep advances by positive waits only
// and not at all once ctx is done; concurrent use is safe (-race).
func TestClock(t *testing.T) {
	t.Parallel()
	start := time.Date(2026, 11, 25, 22, 50, 0, 0, time.FixedZone("CST", 8*3600))
	clk := unionpaytest.NewClock(start)
	assert.True(t, clk.Now().Equal(start))
	assert.True(t, clk.Advance(15*time.Minute).Equal(start.Add(15*time.Minute)), "past 23:00")
	require.NoError(t, clk.Sleep(context.Background(), 5*time.Minute))
	assert.True(t, clk.Now().Equal(start.Add(20*time.Minute)))
	require.NoError(t, clk.Sleep(context.Background(), -time.Hour))
	assert.True(t, clk.Now().Equal(start.Add(20*time.Minute)), "a negative wait does not move it")
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	require.ErrorIs(t, clk.Sleep(ctx, time.Hour), context.Canceled)
	assert.True(t, clk.Now().Equal(start.Add(20*time.Minute)), "a done ctx leaves it")
	clk.Set(start)
	assert.True(t, clk.Now().Equal(start))

	var wg sync.WaitGroup
	for range 8 {
		wg.Go(func() {
			for range 100 {
				clk.Advance(time.Second)
				_ = clk.Now()
			}
		})
	}
	wg.Wait()
	assert.True(t, clk.Now().Equal(start.Add(800*time.Second)))
	for range 4 {
		wg.Go(func() {
			for range 100 {
				clk.Set(start)
				_ = clk.Now()
			}
		})
	}
	wg.Wait()
	assert.True(t, clk.Now().Equal(start))
}

package unionpaytest_test

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"runtime"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/goacp/unionpay/internal/goroutinetest"
	"github.com/goacp/unionpay/unionpay"
	"github.com/goacp/unionpay/unionpay/unionpaytest"
)

// TestCloseEndsPendingDeliveries: the merchant answers every notification 500, so each order's
// deliveries wait for their next attempt (on the wall clock, scaled, or parked on a test clock
// nobody moves) when Close is called: Close returns promptly and no goroutine is left, neither
// the gateway's nor a client's. Counts goroutines: no t.Parallel.
func TestCloseEndsPendingDeliveries(t *testing.T) {
	for _, tc := range []struct {
		name string
		opts func(clk *unionpaytest.Clock) []unionpaytest.Option
	}{
		{"wall clock", func(clk *unionpaytest.Clock) []unionpaytest.Option {
			return []unionpaytest.Option{unionpaytest.WithClock(clk.Now)} // waits of minutes: never due in the test
		}},
		{"test clock", func(clk *unionpaytest.Clock) []unionpaytest.Option {
			return []unionpaytest.Option{unionpaytest.WithTestClock(clk)}
		}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			base := runtime.NumGoroutine()
			var hits atomic.Int64
			refusing := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
				hits.Add(1)
				w.WriteHeader(http.StatusInternalServerError)
			}))
			func() {
				defer refusing.Close()
				clk := newClock()
				srv := unionpaytest.NewServer(append([]unionpaytest.Option{keys(t)}, tc.opts(clk)...)...)
				cfg := srv.Config()
				defer cfg.HTTPClient.CloseIdleConnections()
				client, err := unionpay.NewClient(cfg)
				require.NoError(t, err)
				const orders = 6
				for i := range orders {
					_, err := client.Collect(context.Background(), &unionpay.CardRequest{OrderID: fmt.Sprintf("PEND%08d", i),
						Amount: 100, BackURL: refusing.URL, AccNo: unionpaytest.TestCard,
						Customer: &unionpay.Customer{IDType: "01", IDNumber: "341126197709218366", Name: "互联网",
							Phone: "13552535506", SMSCode: "123456"}})
					require.NoError(t, err)
				}
				// Each order's first attempt refused: the rest of its schedule now waits.
				require.Eventually(t, func() bool { return hits.Load() >= orders }, 10*time.Second, 5*time.Millisecond)
				start := time.Now()
				srv.Close()
				require.Less(t, time.Since(start), 2*time.Second, "Close waits for pending deliveries")
				client.CloseIdleConnections()
			}()
			goroutinetest.Settle(t, base, 5*time.Second)
		})
	}
}

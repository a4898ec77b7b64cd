package unionpaytest_test

import (
	"context"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/goacp/unionpay/unionpay/unionpaytest"
)

// TestLedgerLimitCutShortDelivery: a notification attempt under way that WithLedgerLimit
// forgetting its transaction cut short was listed in Deliveries as "context canceled", as if
// Close had stopped the gateway. Now its Err says that the transaction was forgotten under the
// limit, and is ErrForgotten (and still the transport's context.Canceled); one Close cuts short
// is not ErrForgotten.
func TestLedgerLimitCutShortDelivery(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name      string
		cut       func(m *merchant) // cuts the attempt under way short
		forgotten bool
	}{
		{"forgotten", func(m *merchant) {
			m.appConsume("CUTSHORT02", "100", newInbox(t, m.verifier).URL()) // forgets CUTSHORT01
			ctx, cancel := context.WithTimeout(context.Background(), 3*time.Second)
			defer cancel()
			require.NoError(t, m.srv.WaitNotifications(ctx))
		}, true},
		{"closed", func(m *merchant) { m.srv.Close() }, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			var hits atomic.Int64
			hung := httptest.NewServer(http.HandlerFunc(func(_ http.ResponseWriter, r *http.Request) {
				_, _ = io.Copy(io.Discard, r.Body)
				hits.Add(1)
				<-r.Context().Done()
			}))
			t.Cleanup(hung.Close)
			m := newMerchant(t, unionpaytest.WithLedgerLimit(1), unionpaytest.WithNotifySchedule(0, time.Hour))
			m.appConsume("CUTSHORT01", "100", hung.URL)
			require.Eventually(t, func() bool { return hits.Load() == 1 }, 5*time.Second, 5*time.Millisecond)
			tt.cut(m)
			var cut []unionpaytest.Delivery
			for _, d := range m.srv.Deliveries() {
				if d.OrderID == "CUTSHORT01" {
					cut = append(cut, d)
				}
			}
			require.Len(t, cut, 1)
			err := cut[0].Err
			require.Error(t, err)
			assert.ErrorIs(t, err, context.Canceled, "the transport's error, wrapped")
			assert.Equal(t, tt.forgotten, errors.Is(err, unionpaytest.ErrForgotten), "%v", err)
			if tt.forgotten {
				assert.ErrorContains(t, err, "transaction forgotten under WithLedgerLimit(1): notification attempt cut short")
			}
		})
	}
}

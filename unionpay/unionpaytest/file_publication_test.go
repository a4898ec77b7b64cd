package unionpaytest_test

import (
	"context"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/goacp/unionpay/reconcile"
	"github.com/goacp/unionpay/unionpay"
	"github.com/goacp/unionpay/unionpay/unionpaytest"
)

// WithFilePublication answers 98 for the settle day under way, as UnionPay does before it
// publishes the day's file, and serves the file once the day has ended at 23:00; without it, the
// day's file is served at once. Server.Settlement is not concerned.
func TestFilePublication(t *testing.T) {
	t.Parallel()
	day := time.Date(2026, 11, 25, 0, 0, 0, 0, reconcile.Beijing())
	for _, tt := range []struct {
		name      string
		opts      []unionpaytest.Option
		after     time.Duration // from the payment at 10:00 Beijing
		published bool
	}{
		{"default, the day under way", nil, 0, true},
		{"the day under way", []unionpaytest.Option{unionpaytest.WithFilePublication()}, 0, false},
		{"a minute before the day ends", []unionpaytest.Option{unionpaytest.WithFilePublication()}, 12*time.Hour + 59*time.Minute, false},
		{"the day ended", []unionpaytest.Option{unionpaytest.WithFilePublication()}, 13 * time.Hour, true},
		{"the next morning", []unionpaytest.Option{unionpaytest.WithFilePublication()}, 23 * time.Hour, true},
	} {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			srv, c, c0 := clientGateway(t, append(tt.opts, unionpaytest.WithReporter(t))...)
			ctx := context.Background()
			_, err := c.AppConsume(ctx, &unionpay.ConsumeRequest{OrderID: "PUBLISH001", Amount: 1000,
				BackURL: "http://127.0.0.1:1/n"})
			require.NoError(t, err)
			_, err = srv.Complete("PUBLISH001", "")
			require.NoError(t, err)
			c0.Advance(tt.after)

			f, err := c.DownloadFile(ctx, &unionpay.FileRequest{SettleDate: day})
			if !tt.published {
				require.ErrorIs(t, err, unionpay.ErrNoFile, "a day with a payment: not published")
				zip, err := srv.Settlement(day)
				require.NoError(t, err)
				assert.NotEmpty(t, zip, "Settlement serves the day under way")
				return
			}
			require.NoError(t, err)
			arc, err := reconcile.Open(f.Content)
			require.NoError(t, err)
			n := 0
			for r, err := range arc.Records(day, srv.MerchantID()) {
				require.NoError(t, err)
				assert.Equal(t, "PUBLISH001", r.OrderID)
				n++
			}
			assert.Equal(t, 1, n)
		})
	}
}

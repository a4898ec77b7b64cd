package unionpaytest_test

import (
	"context"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/goacp/unionpay/unionpay"
	"github.com/goacp/unionpay/unionpay/unionpaytest"
)

// TestAppResultQuery: an app consume's AppResult says how to confirm it, as a Form does: its
// QueryRequest names the order, txnType 01, the amount and the currency sent, and its Backoff is the front schedule
// with the tn's payTimeout, so a tn paid in the control comes out succeeded and one never paid
// comes out final (not found) once payTimeout has passed, on a clock the test drives.
func TestAppResultQuery(t *testing.T) {
	t.Parallel()
	for _, tt := range []struct {
		name string
		pay  bool
		want unionpay.State
	}{
		{"paid in the control", true, unionpay.Succeeded},
		{"never paid", false, unionpay.NotFound},
	} {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			clk := unionpaytest.NewClock(time.Date(2026, 11, 25, 10, 0, 0, 0, time.FixedZone("CST", 8*3600)))
			srv := unionpaytest.NewServer(unionpaytest.WithClock(clk.Now), unionpaytest.WithNotifySchedule(0))
			t.Cleanup(srv.Close)
			cfg := srv.Config()
			cfg.Sleep = clk.Sleep
			client, err := unionpay.NewClient(cfg)
			require.NoError(t, err)
			app, err := client.AppConsume(context.Background(), &unionpay.ConsumeRequest{OrderID: "APPQUERY01", Amount: 2345,
				PayTimeout: clk.Now().Add(15 * time.Minute), BackURL: "https://shop.example/notify"})
			require.NoError(t, err)

			q := app.QueryRequest()
			assert.Equal(t, "APPQUERY01", q.OrderID)
			assert.True(t, q.TxnTime.Equal(app.TxnTime))
			assert.Equal(t, "01", q.TxnType)
			assert.Equal(t, int64(2345), q.Amount)
			assert.Equal(t, "156", app.Currency)
			assert.Equal(t, "156", q.Currency)
			b := app.Backoff()
			assert.Equal(t, unionpay.FrontBackoff().Delays, b.Delays)
			assert.True(t, b.PayTimeout.Equal(app.PayTimeout))

			if tt.pay {
				_, err := srv.Complete("APPQUERY01", "")
				require.NoError(t, err)
			}
			tx, err := client.QueryUntilFinal(context.Background(), q, b)
			require.NoError(t, err, "final")
			assert.Equal(t, tt.want, tx.State)
			if tt.pay {
				assert.Equal(t, int64(2345), tx.Amount)
			}
		})
	}
}

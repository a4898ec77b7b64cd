package unionpaytest_test

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/goacp/unionpay/sign"
	"github.com/goacp/unionpay/unionpay"
	"github.com/goacp/unionpay/unionpay/unionpaytest"
)

// TestClientOutcomes checks that the client package, configured by Config, classifies each
// gateway behaviour as the unionpay package documents it: accepted, pending, rejected, or unverifiable.
func TestClientOutcomes(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name  string
		setup func(srv *unionpaytest.Server, orderID string)
		check func(t *testing.T, res *unionpay.Result, err error)
	}{
		{"accepted", func(*unionpaytest.Server, string) {}, func(t *testing.T, res *unionpay.Result, err error) {
			require.NoError(t, err)
			assert.Equal(t, "00", res.RespCode)
		}},
		{"scripted pending", func(srv *unionpaytest.Server, id string) { srv.Script(id, unionpaytest.Pending) },
			pending},
		{"issuer still processing", func(srv *unionpaytest.Server, id string) { srv.Script(id, unionpaytest.IssuerBusy) },
			func(t *testing.T, res *unionpay.Result, err error) {
				var pe *unionpay.PendingError
				require.ErrorAs(t, err, &pe)
				assert.Equal(t, "83", pe.RespCode)
				assert.Contains(t, pe.RespMsg, "发卡行（渠道）处理中")
			}},
		{"dropped", func(srv *unionpaytest.Server, id string) { srv.FailOrder(id, unionpaytest.FaultDrop) }, pending},
		{"truncated", func(srv *unionpaytest.Server, id string) { srv.FailOrder(id, unionpaytest.FaultTruncate) }, pending},
		{"delayed past the timeout", func(srv *unionpaytest.Server, id string) { srv.FailOrder(id, unionpaytest.FaultDelay) }, pending},
		{"5xx", func(srv *unionpaytest.Server, id string) { srv.FailOrder(id, unionpaytest.Fault5xx) }, pending},
		{"wrong key", func(srv *unionpaytest.Server, id string) { srv.FailOrder(id, unionpaytest.FaultWrongKey) },
			func(t *testing.T, res *unionpay.Result, err error) {
				require.Error(t, err)
				assert.Nil(t, res, "an unverifiable answer is never a result")
				assert.ErrorIs(t, err, sign.ErrSignature)
			}},
		{"rejected", func(srv *unionpaytest.Server, id string) { srv.Script(id, unionpaytest.Rejected) },
			func(t *testing.T, res *unionpay.Result, err error) {
				var ue *unionpay.Error
				require.ErrorAs(t, err, &ue)
				assert.Equal(t, "30", ue.RespCode)
				assert.False(t, errors.Is(err, unionpay.ErrPending))
			}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			c := newClock()
			srv := unionpaytest.NewServer(unionpaytest.WithClock(c.Now), keys(t), unionpaytest.WithFaultDelay(5*time.Second))
			t.Cleanup(srv.Close)
			cfg := srv.Config()
			cfg.HTTPClient.Timeout = 2 * time.Second // FaultDelay holds 5 s
			client, err := unionpay.NewClient(cfg)
			require.NoError(t, err)
			ctx := context.Background()
			app, err := client.AppConsume(ctx, &unionpay.ConsumeRequest{OrderID: "CLIENTAPP1", Amount: 1000,
				BackURL: "http://127.0.0.1:1/n"})
			require.NoError(t, err)
			_, err = srv.Complete("CLIENTAPP1", "")
			require.NoError(t, err)
			tx, err := client.Query(ctx, &unionpay.QueryRequest{OrderID: "CLIENTAPP1", TxnTime: app.TxnTime})
			require.NoError(t, err)
			require.Equal(t, unionpay.Succeeded, tx.State)

			tt.setup(srv, "CLIENTREF1")
			res, err := client.Refund(ctx, &unionpay.FollowUpRequest{OrderID: "CLIENTREF1", OrigQueryID: tx.QueryID,
				Amount: 100, BackURL: "http://127.0.0.1:1/n"})
			tt.check(t, res, err)
		})
	}
}

func pending(t *testing.T, _ *unionpay.Result, err error) {
	t.Helper()
	require.ErrorIs(t, err, unionpay.ErrPending)
}

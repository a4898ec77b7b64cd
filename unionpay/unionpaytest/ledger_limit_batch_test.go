package unionpaytest_test

import (
	"context"
	"errors"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/goacp/unionpay/unionpay"
	"github.com/goacp/unionpay/unionpay/unionpaytest"
)

// TestLedgerLimitBatches: WithLedgerLimit bounds the bulk batches kept too, the oldest first: a
// query of a forgotten batch is answered 34, and its batchNo may be used again.
func TestLedgerLimitBatches(t *testing.T) {
	t.Parallel()
	for _, tt := range []struct {
		name      string
		opts      []unionpaytest.Option
		forgotten bool
	}{
		{"unbounded", nil, false},
		{"the limit", []unionpaytest.Option{unionpaytest.WithLedgerLimit(1)}, true},
	} {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			clock := newClock()
			srv := unionpaytest.NewServer(append([]unionpaytest.Option{unionpaytest.WithClock(clock.Now), keys(t),
				unionpaytest.WithReporter(t)}, tt.opts...)...)
			t.Cleanup(srv.Close)
			c, err := unionpay.NewClient(srv.Config())
			require.NoError(t, err)
			ctx := context.Background()
			submit := func(no, orderID string) *unionpay.BatchResult {
				res, err := c.SubmitBatch(ctx, &unionpay.BatchRequest{Type: unionpay.BatchPayout, BatchNo: no,
					Records: []unionpay.BatchRecord{{OrderID: orderID, Amount: 100, AccType: "01",
						AccNo: "6216261000000000018", CustomerName: "张三"}}})
				require.NoError(t, err)
				return res
			}
			first := submit("0001", "BATCHLIM01")
			second := submit("0002", "BATCHLIM02")
			_, err = c.QueryBatch(ctx, &unionpay.BatchQueryRequest{Type: unionpay.BatchPayout, BatchNo: "0002", TxnTime: second.TxnTime})
			require.NoError(t, err, "the latest batch is kept")
			_, err = c.QueryBatch(ctx, &unionpay.BatchQueryRequest{Type: unionpay.BatchPayout, BatchNo: "0001", TxnTime: first.TxnTime})
			if !tt.forgotten {
				require.NoError(t, err)
				return
			}
			var e *unionpay.Error
			require.True(t, errors.As(err, &e), "%v", err)
			assert.Equal(t, unionpaytest.CodeNotFound, e.RespCode, "a query of the forgotten batch")
		})
	}
}

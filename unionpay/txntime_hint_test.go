package unionpay_test

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/goacp/unionpay/unionpay"
)

// TestTxnTimeNotCurrentHint: the refusal of a stale TxnTime tells how to find the first copy of
// what was being sent again. A single transaction is queried by its orderId; a batch has none, so
// its refusal names batchNo and QueryBatch instead (it told a batch's sender to query an orderId).
func TestTxnTimeNotCurrentHint(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		name    string
		do      func(context.Context, *unionpay.Client, time.Time) error
		want    []string
		notWant []string
	}{
		{"collection", func(ctx context.Context, c *unionpay.Client, tt time.Time) error {
			r := cardReq()
			r.TxnTime = tt
			_, err := c.Collect(ctx, r)
			return err
		}, []string{"query it (orderId and this TxnTime)"}, []string{"QueryBatch"}},
		{"refund", func(ctx context.Context, c *unionpay.Client, tt time.Time) error {
			r := followUp()
			r.TxnTime = tt
			_, err := c.Refund(ctx, r)
			return err
		}, []string{"query it (orderId and this TxnTime)"}, []string{"QueryBatch"}},
		{"collection batch", func(ctx context.Context, c *unionpay.Client, tt time.Time) error {
			_, err := c.SubmitBatch(ctx, &unionpay.BatchRequest{Type: unionpay.BatchCollect, BatchNo: "0001",
				Records: batchRecords(), TxnTime: tt})
			return err
		}, []string{"QueryBatch: batchNo and this TxnTime"}, []string{"orderId", "SMS"}},
		{"payout batch", func(ctx context.Context, c *unionpay.Client, tt time.Time) error {
			_, err := c.SubmitBatch(ctx, &unionpay.BatchRequest{Type: unionpay.BatchPayout, BatchNo: "0001",
				Records: batchRecords(), TxnTime: tt})
			return err
		}, []string{"QueryBatch: batchNo and this TxnTime"}, []string{"orderId", "SMS"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			g := newGateway(t, accept(nil))
			c := newTestClient(t, g)
			err := tc.do(context.Background(), c, testNow.Add(-time.Hour))
			require.ErrorIs(t, err, unionpay.ErrTxnTimeNotCurrent)
			re, ok := errors.AsType[*unionpay.RequestError](err)
			require.True(t, ok, "want *RequestError, got %v", err)
			for _, w := range tc.want {
				assert.Contains(t, re.Reason, w)
			}
			for _, nw := range tc.notWant {
				assert.NotContains(t, re.Reason, nw)
			}
			assert.Zero(t, g.count(), "nothing is sent")
		})
	}
}

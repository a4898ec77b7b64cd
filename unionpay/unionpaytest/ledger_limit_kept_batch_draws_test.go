package unionpaytest_test

import (
	"context"
	"fmt"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/goacp/unionpay/unionpay"
	"github.com/goacp/unionpay/unionpay/unionpaytest"
)

// TestLedgerLimitKeepsKeptBatchDraws: with WithFaults and WithLedgerLimit, the draws of a batch
// the gateway keeps are kept with it, however many subjects no kept transaction is about (unknown
// queryIds here) draw after it; of those, the latest limit are kept. (Counted under their own
// keys, the batch's draws went with the oldest of those, and its next query drew its first draw
// again.)
func TestLedgerLimitKeepsKeptBatchDraws(t *testing.T) {
	t.Parallel()
	const limit, unknown = 2, 6
	srv, c, _ := clientGateway(t, unionpaytest.WithFaults(1, nil), unionpaytest.WithLedgerLimit(limit))
	ctx := context.Background()
	_, err := c.SubmitBatch(ctx, &unionpay.BatchRequest{Type: unionpay.BatchPayout, BatchNo: "0001",
		Records: []unionpay.BatchRecord{{OrderID: "KEPTBATCH01", Amount: 100, AccType: "01",
			AccNo: "6216261000000000018", CustomerName: "张三"}}})
	require.NoError(t, err)
	for i := range unknown {
		_, err := c.Query(ctx, &unionpay.QueryRequest{QueryID: fmt.Sprintf("%021d", i+1)})
		require.Error(t, err, "an unknown queryId is not found")
	}
	draws, _ := unionpaytest.KeptSizes(srv)
	assert.Equal(t, 1+limit, draws, "the kept batch's submission, and the latest unknown queryIds'")
}

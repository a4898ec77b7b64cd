package unionpay_test

import (
	"context"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/goacp/unionpay/sign"
	"github.com/goacp/unionpay/unionpay"
	"github.com/goacp/unionpay/unionpay/unionpaytest"
)

// TestSubmitBatchControlTotalEdges: control totals given with Records, at the edges the
// commit's table leaves out: a count too small, negative totals, a correct total given alone,
// both wrong (TotalQty named first). Nothing is sent when refused.
func TestSubmitBatchControlTotalEdges(t *testing.T) {
	t.Parallel()
	const sum = 1000 // batchRecords: 100 + 900 fen, 2 rows
	for _, tt := range []struct {
		name   string
		qty    int
		amount int64
		field  string
	}{
		{"count too small", 1, 0, "TotalQty"},
		{"count negative", -2, 0, "TotalQty"},
		{"amount negative", 0, -sum, "TotalAmount"},
		{"amount too small alone", 0, sum - 1, "TotalAmount"},
		{"both wrong", 3, sum + 1, "TotalQty"},
		{"count alone, right", 2, 0, ""},
		{"amount alone, right", 0, sum, ""},
	} {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			g := newGateway(t, accept(nil))
			res, err := newTestClient(t, g).SubmitBatch(context.Background(), &unionpay.BatchRequest{
				Type: unionpay.BatchCollect, BatchNo: "0009", Records: batchRecords(), TotalQty: tt.qty, TotalAmount: tt.amount})
			if tt.field == "" {
				require.NoError(t, err)
				assert.Equal(t, 2, res.TotalQty)
				assert.Equal(t, int64(sum), res.TotalAmount)
				assert.Equal(t, "1000", g.last()["totalAmt"])
				return
			}
			var re *unionpay.RequestError
			require.ErrorAs(t, err, &re)
			assert.Equal(t, tt.field, re.Field)
			assert.Zero(t, g.count(), "nothing sent")
		})
	}
}

// TestEncodeBatchFileDuplicates: a duplicate is named at its second row, with the first
// row's index; orderIds differing in case are distinct (the gateway's ledger, as reconcile, keys
// orderIds exactly); one with a space is refused as an orderId, not as a duplicate.
func TestEncodeBatchFileDuplicates(t *testing.T) {
	t.Parallel()
	three := func(ids ...string) []unionpay.BatchRecord {
		var rs []unionpay.BatchRecord
		for _, id := range ids {
			rs = append(rs, unionpay.BatchRecord{OrderID: id, Amount: 10, AccType: "01", AccNo: "6216261000000000018"})
		}
		return rs
	}
	_, _, _, err := unionpay.EncodeBatchFile("5.1.0", "000401", three("ORDER0001", "ORDER0002", "ORDER0001"))
	var re *unionpay.RequestError
	require.ErrorAs(t, err, &re)
	assert.Equal(t, "Records[2].OrderID", re.Field)
	assert.Contains(t, re.Reason, "Records[0].OrderID")

	_, _, _, err = unionpay.EncodeBatchFile("5.1.0", "000401", three("ORDER0001", "ORDER0001", "ORDER0001"))
	require.ErrorAs(t, err, &re)
	assert.Equal(t, "Records[1].OrderID", re.Field, "the first duplicate")

	_, qty, _, err := unionpay.EncodeBatchFile("5.1.0", "000401", three("ORDER0001", "order0001"))
	require.NoError(t, err, "case differs: two orderIds")
	assert.Equal(t, 2, qty)

	_, _, _, err = unionpay.EncodeBatchFile("5.1.0", "000401", three("ORDER0001", " ORDER0001"))
	require.ErrorAs(t, err, &re)
	assert.Equal(t, "Records[1].OrderID", re.Field)
	assert.NotContains(t, re.Reason, "the same as", "refused as an orderId")
}

// TestSubmitBatchPayout12: a payout batch answered 12 (batchNo used) is pending as any
// money-moving call so answered, and the payout wording says never to pay it again; a payout
// batch answered 01 says so too.
func TestSubmitBatchPayout12(t *testing.T) {
	t.Parallel()
	for _, code := range []string{"12", "01"} {
		answer := func(r sign.Fields) reply { return reply{fields: answerTo(r, code, nil)} }
		_, err := newTestClient(t, newGateway(t, answer)).SubmitBatch(context.Background(),
			&unionpay.BatchRequest{Type: unionpay.BatchPayout, BatchNo: "0004", Records: batchRecords()})
		var pe *unionpay.PendingError
		require.ErrorAs(t, err, &pe, code)
		assert.Contains(t, err.Error(), "never pay it again", code)
	}
}

// TestE2EBatchScriptedRows: through the client and the fake: a payout batch with a failed
// and a pending row; QueryBatch's file shows them, a query of the failed row finds it failed
// (final: 64), the pending row succeeds at the next batch query and is settled, the failed one is not.
func TestE2EBatchScriptedRows(t *testing.T) {
	t.Parallel()
	e := newE2E(t)
	ctx := context.Background()
	failed, pending := e.order("BFAIL"), e.order("BPEND")
	e.srv.Script(failed, unionpaytest.NoBalance)
	e.srv.Script(pending, unionpaytest.Pending, unionpaytest.Succeed)
	b, err := e.c.SubmitBatch(ctx, &unionpay.BatchRequest{Type: unionpay.BatchPayout, BatchNo: "0001",
		Records: []unionpay.BatchRecord{
			{OrderID: failed, Amount: 100, AccType: "01", AccNo: unionpaytest.TestCard, CustomerName: "互联网"},
			{OrderID: pending, Amount: 200, AccType: "01", AccNo: unionpaytest.TestCard, CustomerName: "全渠道"},
		}, TotalQty: 2, TotalAmount: 300})
	require.NoError(t, err)
	assert.Equal(t, "00", b.RespCode)
	st, err := e.c.QueryBatch(ctx, &unionpay.BatchQueryRequest{Type: unionpay.BatchPayout, BatchNo: "0001", TxnTime: b.TxnTime})
	require.NoError(t, err)
	lines := strings.Split(string(st.File), "\n")
	require.Len(t, lines, 4)
	assert.Equal(t, "0001|2|300|1|200", lines[0])
	assert.Contains(t, lines[2], "|64|")
	assert.Contains(t, lines[3], "|00|")

	tx, err := e.c.Query(ctx, &unionpay.QueryRequest{OrderID: failed, TxnTime: b.TxnTime, BizType: unionpay.BizTypePayout})
	require.NoError(t, err)
	assert.Equal(t, unionpay.Failed, tx.State)
	tx, err = e.c.Query(ctx, &unionpay.QueryRequest{OrderID: pending, TxnTime: b.TxnTime, BizType: unionpay.BizTypePayout})
	require.NoError(t, err)
	assert.Equal(t, unionpay.Succeeded, tx.State)
	var ids []string
	for _, r := range e.srv.Records(e.srv.Now()) {
		ids = append(ids, r.OrderID)
	}
	assert.Contains(t, ids, pending)
	assert.NotContains(t, ids, failed)
}

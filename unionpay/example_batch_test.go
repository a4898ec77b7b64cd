package unionpay_test

import (
	"context"
	"errors"
	"fmt"
	"strings"

	"github.com/goacp/unionpay/unionpay"
	"github.com/goacp/unionpay/unionpay/unionpaytest"
)

// A payout batch (批量代付): the rows go in one file, under a BatchNo unique for the Beijing date
// of its TxnTime. Here the answer to the batch is lost on the way back: pending. A pending batch
// is queried with QueryBatch (its Type, BatchNo and TxnTime), never sent again: its rows'
// orderIds are taken, and a row sent again would be answered 12. Accepted means received, not
// paid: each row's outcome is in the result file QueryBatch returns.
func ExampleClient_SubmitBatch() {
	srv := unionpaytest.NewServer(unionpaytest.WithClock(exampleNow))
	defer srv.Close()
	c, err := unionpay.NewClient(srv.Config())
	if err != nil {
		fmt.Println(err)
		return
	}
	ctx := context.Background()
	srv.Script("PAYOUT20240105002", unionpaytest.NoBalance)                                           // fails
	srv.Script("PAYOUT20240105003", unionpaytest.Pending, unionpaytest.Pending, unionpaytest.Succeed) // pending at first
	srv.FailEndpoint(unionpaytest.EndpointBatch, unionpaytest.FaultDrop)                              // the answer is lost

	// Store the batch's BatchNo and TxnTime (and each row's orderId) before sending: a query of
	// the batch or of its rows needs them.
	batch := &unionpay.BatchRequest{
		Type:    unionpay.BatchPayout,
		BatchNo: "0001",
		TxnTime: exampleNow(),
		Records: []unionpay.BatchRecord{
			{OrderID: "PAYOUT20240105001", Amount: 10000, AccType: "01", AccNo: "6216261000000000018", CustomerName: "张三"},
			{OrderID: "PAYOUT20240105002", Amount: 20000, AccType: "01", AccNo: "6221558812340000", CustomerName: "李四"},
			{OrderID: "PAYOUT20240105003", Amount: 5000, AccType: "01", AccNo: "6216261000000000018", CustomerName: "王五"},
		},
	}
	res, err := c.SubmitBatch(ctx, batch)
	var rejected *unionpay.Error
	switch {
	case errors.Is(err, unionpay.ErrPending): // received or not: query it, never send it again
		fmt.Println("pending: query batch", batch.BatchNo, "with its stored TxnTime")
	case errors.As(err, &rejected): // nothing was paid: fix the cause, then send the rows again
		fmt.Println("refused with respCode", rejected.RespCode)
		return
	case err != nil: // never sent (an invalid request or configuration)
		fmt.Println(err)
		return
	default:
		fmt.Println("accepted with respCode", res.RespCode)
	}

	// A batch not processed yet is a *PendingError, and one not registered yet an *Error with
	// respCode 34: ask again later, in neither case send the batch again.
	st, err := c.QueryBatch(ctx, &unionpay.BatchQueryRequest{Type: batch.Type, BatchNo: batch.BatchNo, TxnTime: batch.TxnTime})
	if err != nil {
		fmt.Println(err)
		return
	}
	// The fake gateway's layout (the product's own is not public): a totals line, a column line,
	// then orderId|txnAmt|queryId|respCode|respMsg per row.
	lines := strings.Split(string(st.File), "\n")
	for _, line := range lines[2:] {
		row := strings.Split(line, "|")
		switch code := row[3]; code {
		case "00", "A6": // paid: mark the row paid
			fmt.Println(row[0], code, "paid")
		case "01", "03", "04", "05", "12", "34", "60", "83": // not final for a payout: query the row, never pay it again
			fmt.Println(row[0], code, "pending")
		default: // failed: pay it in a later batch, under a new orderId
			fmt.Println(row[0], code, "failed")
		}
	}

	// A pending row is queried as a single payout: its orderId, the batch's txnTime, its amount
	// and the payout's txnType and bizType.
	tx, err := c.Query(ctx, &unionpay.QueryRequest{OrderID: "PAYOUT20240105003", TxnTime: batch.TxnTime,
		TxnType: "12", BizType: unionpay.BizTypePayout, Amount: 5000})
	if err != nil {
		fmt.Println(err) // the row's outcome is still unknown: query again later
		return
	}
	fmt.Println("PAYOUT20240105003", tx.State)
	// Output:
	// pending: query batch 0001 with its stored TxnTime
	// PAYOUT20240105001 00 paid
	// PAYOUT20240105002 64 failed
	// PAYOUT20240105003 05 pending
	// PAYOUT20240105003 succeeded
}

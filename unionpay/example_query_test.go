package unionpay_test

import (
	"context"
	"fmt"

	"github.com/goacp/unionpay/unionpay"
	"github.com/goacp/unionpay/unionpay/unionpaytest"
)

// A query asks by orderId and txnTime. Naming the txnType and amount meant makes an answer about
// another transaction under that orderId read NotFound. NotFound is no proof that the
// transaction was never made: query again later, and read the settle day's file.
func ExampleClient_Query() {
	srv := unionpaytest.NewServer(unionpaytest.WithClock(exampleNow))
	defer srv.Close()
	c, err := unionpay.NewClient(srv.Config())
	if err != nil {
		fmt.Println(err)
		return
	}
	ctx := context.Background()
	paid, err := exampleConsume(ctx, c, srv, "ORDER20240105030", 1999)
	if err != nil {
		fmt.Println(err)
		return
	}
	for _, q := range []*unionpay.QueryRequest{
		{OrderID: "ORDER20240105030", TxnTime: paid.TxnTime, TxnType: "01", Amount: 1999},
		{OrderID: "ORDER20240105030", TxnTime: paid.TxnTime, TxnType: "01", Amount: 2999},
		{OrderID: "ORDER20240105031", TxnTime: paid.TxnTime}, // never sent
	} {
		tx, err := c.Query(ctx, q)
		if err != nil { // says nothing about the transaction: ask again later
			fmt.Println(err)
			return
		}
		fmt.Println(q.OrderID, q.Amount, tx.State)
	}
	// Output:
	// ORDER20240105030 1999 succeeded
	// ORDER20240105030 2999 not found
	// ORDER20240105031 0 not found
}

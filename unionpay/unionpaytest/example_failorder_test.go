package unionpaytest_test

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/goacp/unionpay/unionpay"
	"github.com/goacp/unionpay/unionpay/unionpaytest"
)

// A merchant's test of what its payment code does when the network fails: FailOrder makes the
// answer to one order's request go missing (FaultDrop: the connection closes after the gateway
// took the payment) or the request fail at the gateway (Fault5xx: a 503 before anything
// happened). The client cannot tell which happened: both are pending, to be queried, never paid
// again under a new orderId. The query finds the first paid; the second not found, which is not
// a failure yet (UnionPay may not have it yet): it stays pending, to be queried later.
func ExampleServer_FailOrder() {
	now := time.Date(2026, 11, 25, 10, 0, 0, 0, time.FixedZone("CST", 8*3600))
	srv := unionpaytest.NewServer(unionpaytest.WithClock(func() time.Time { return now }))
	defer srv.Close()
	client, err := unionpay.NewClient(srv.Config())
	if err != nil {
		fmt.Println(err)
		return
	}
	ctx := context.Background()
	srv.FailOrder("DROP0001", unionpaytest.FaultDrop)
	srv.FailOrder("BUSY0001", unionpaytest.Fault5xx)
	for _, orderID := range []string{"DROP0001", "BUSY0001"} {
		_, err := client.BackConsume(ctx, &unionpay.CardRequest{OrderID: orderID, TxnTime: now, Amount: 1000,
			AccNo: unionpaytest.TestCard, BackURL: "https://shop.example/unionpay/notify",
			Customer: &unionpay.Customer{SMSCode: "111111"}})
		var pending *unionpay.PendingError
		if !errors.As(err, &pending) {
			fmt.Println(orderID, "not pending:", err)
			continue
		}
		tx, err := client.Query(ctx, pending.QueryRequest())
		if err != nil {
			fmt.Println(err)
			continue
		}
		fmt.Println(orderID, "pending; queried:", tx.State, tx.Amount)
	}
	fmt.Println("faults shown:", len(srv.FaultLog()))
	// Output:
	// DROP0001 pending; queried: succeeded 1000
	// BUSY0001 pending; queried: not found 0
	// faults shown: 2
}

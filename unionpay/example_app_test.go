package unionpay_test

import (
	"context"
	"fmt"
	"time"

	"github.com/goacp/unionpay/unionpay"
	"github.com/goacp/unionpay/unionpay/unionpaytest"
)

// An app payment: the server asks for the tn and hands it to the app, whose UnionPay control
// takes the payment. What the control reports to the app is no proof of payment: the server
// confirms it by the notification or, as here, by querying on the tn's own schedule
// (FrontBackoff with its PayTimeout), never on BackBackoff.
func ExampleClient_AppConsume() {
	srv := unionpaytest.NewServer(unionpaytest.WithClock(exampleNow))
	defer srv.Close()
	cfg := srv.Config()
	cfg.Sleep = func(ctx context.Context, _ time.Duration) error { return ctx.Err() } // don't wait in the example
	c, err := unionpay.NewClient(cfg)
	if err != nil {
		fmt.Println(err)
		return
	}
	ctx := context.Background()
	// Store the OrderID, TxnTime and PayTimeout before sending: after a crash the order is
	// queried by them (a query's answer holds no tn).
	txnTime := exampleNow()
	app, err := c.AppConsume(ctx, &unionpay.ConsumeRequest{OrderID: "APP20240105001", Amount: 2500,
		TxnTime: txnTime, PayTimeout: txnTime.Add(15 * time.Minute),
		BackURL: "https://shop.example/unionpay/notify"})
	if err != nil {
		fmt.Println(err) // a *PendingError too: the tn may exist, query the order, never make a new one
		return
	}
	fmt.Println("tn for the app:", app.TN != "", "payTimeout:", app.Backoff().PayTimeout.Format("15:04:05"))

	if _, err := srv.Complete(app.OrderID, ""); err != nil { // the shopper pays in the app control
		fmt.Println(err)
		return
	}
	tx, err := c.QueryUntilFinal(ctx, app.QueryRequest(), app.Backoff())
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(tx.State, tx.Amount)
	// Output:
	// tn for the app: true payTimeout: 10:45:00
	// succeeded 2500
}

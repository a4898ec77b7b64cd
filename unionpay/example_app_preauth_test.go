package unionpay_test

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/goacp/unionpay/unionpay"
	"github.com/goacp/unionpay/unionpay/unionpaytest"
)

// A car-hire app's deposit: the server asks for the tn of a pre-authorisation and hands it to the
// app, whose UnionPay control holds the card for 80000 fen. As for an app consume, what the
// control reports is no proof: the server confirms the hold by the notification or, as here, by
// the AppResult's query (txnType 02), and keeps the hold's queryId. On the car's return it
// completes the hold for the hire's 65000 fen (CancelPreAuth would release it instead).
func ExampleClient_AppPreAuth() {
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
	// Store the OrderID, TxnTime, PayTimeout and TxnType "02" before sending: after a crash the
	// hold is queried by them (a query's answer holds no tn).
	txnTime := exampleNow()
	app, err := c.AppPreAuth(ctx, &unionpay.ConsumeRequest{OrderID: "HIRE20240105001", Amount: 80000,
		TxnTime: txnTime, PayTimeout: txnTime.Add(15 * time.Minute),
		BackURL: "https://cars.example/unionpay/notify"})
	if err != nil {
		fmt.Println(err) // a *PendingError too: the tn may exist, query the order, never make a new one
		return
	}
	fmt.Println("tn for the app:", app.TN != "", "txnType:", app.TxnType)

	if _, err := srv.Complete(app.OrderID, ""); err != nil { // the renter authorises in the app control
		fmt.Println(err)
		return
	}
	hold, err := c.QueryUntilFinal(ctx, app.QueryRequest(), app.Backoff())
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println("hold:", hold.TxnType, hold.State, hold.Amount)

	res, err := c.CompletePreAuth(ctx, &unionpay.FollowUpRequest{OrderID: "RETURN20240105001",
		OrigQueryID: hold.QueryID, Amount: 65000, BackURL: "https://cars.example/unionpay/notify"})
	if errors.Is(err, unionpay.ErrPending) {
		fmt.Println("pending: query RETURN20240105001 later; never complete again")
		return
	} else if err != nil {
		fmt.Println(err)
		return
	}
	done, err := c.QueryUntilFinal(ctx, res.QueryRequest(), unionpay.BackBackoff())
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println("completion:", done.TxnType, done.State, done.Amount)
	// Output:
	// tn for the app: true txnType: 02
	// hold: 02 succeeded 80000
	// completion: 03 succeeded 65000
}

package unionpay_test

import (
	"context"
	"errors"
	"fmt"

	"github.com/goacp/unionpay/unionpay"
	"github.com/goacp/unionpay/unionpay/unionpaytest"
)

// A car rental's deposit: a pre-authorisation (预授权) holds 50000 fen on the renter's card, paid
// on the gateway's page like a consume, and moves no money. At the car's return, 30000 of it is
// charged by a completion naming the hold's queryId. The charge turns out wrong the same day:
// cancelling the completion (naming the completion's queryId) lets the hold stand again, and
// cancelling the hold (its queryId again, its full amount) releases it. Each follow-up is a
// transaction of its own with its own orderId; accepted is not done: its query (or notification)
// gives the outcome, and a pending one is queried, never sent again.
func ExampleClient_FrontPreAuth() {
	srv := unionpaytest.NewServer(unionpaytest.WithClock(exampleNow))
	defer srv.Close()
	c, err := unionpay.NewClient(srv.Config())
	if err != nil {
		fmt.Println(err)
		return
	}
	ctx := context.Background()
	// Store the form's OrderID and TxnTime before serving it: the hold is queried by them.
	form, err := c.FrontPreAuth(&unionpay.ConsumeRequest{OrderID: "DEPOSIT20240105", Amount: 50000, // fen
		FrontURL: "https://rental.example/return", BackURL: "https://rental.example/unionpay/notify"})
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println("form:", form.Fields["txnType"], form.Fields["txnAmt"])
	if _, err := srv.Pay(ctx, form.Fields, ""); err != nil { // the renter at the cashier
		fmt.Println(err)
		return
	}
	hold, err := c.Query(ctx, form.QueryRequest()) // QueryUntilFinal with form.Backoff() in production
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println("hold:", hold.TxnType, hold.State, hold.Amount)

	// outcome reads a follow-up's answer and, once accepted, its query.
	outcome := func(what string, res *unionpay.Result, err error) *unionpay.Transaction {
		var rejected *unionpay.Error
		switch {
		case errors.Is(err, unionpay.ErrPending):
			fmt.Println(what, "pending: query it by its stored orderId and txnTime; never send it again")
			return nil
		case errors.As(err, &rejected): // nothing happened
			fmt.Println(what, "refused with respCode", rejected.RespCode)
			return nil
		case err != nil: // never sent
			fmt.Println(what, err)
			return nil
		}
		tx, err := c.Query(ctx, res.QueryRequest())
		if err != nil {
			fmt.Println(what, err) // still unknown: query again later
			return nil
		}
		fmt.Println(what+":", tx.TxnType, tx.State, tx.Amount)
		return tx
	}
	const backURL = "https://rental.example/unionpay/notify"

	// Part of the hold (up to 115% of it may be completed, once): OrigQueryID is the hold's.
	res, err := c.CompletePreAuth(ctx, &unionpay.FollowUpRequest{OrderID: "CHARGE20240105",
		OrigQueryID: hold.QueryID, Amount: 30000, BackURL: backURL})
	charge := outcome("completion", res, err)
	if charge == nil {
		return
	}
	// Same settle day (until 23:00 Beijing), full amount: OrigQueryID is the completion's.
	res, err = c.CancelPreAuthCompletion(ctx, &unionpay.FollowUpRequest{OrderID: "UNCHARGE20240105",
		OrigQueryID: charge.QueryID, Amount: charge.Amount, BackURL: backURL})
	if outcome("completion cancel", res, err) == nil {
		return
	}
	// Within 30 days, full amount, no completion left standing: OrigQueryID is the hold's.
	res, err = c.CancelPreAuth(ctx, &unionpay.FollowUpRequest{OrderID: "RELEASE20240105",
		OrigQueryID: hold.QueryID, Amount: hold.Amount, BackURL: backURL})
	outcome("hold cancel", res, err)
	// Output:
	// form: 02 50000
	// hold: 02 succeeded 50000
	// completion: 03 succeeded 30000
	// completion cancel: 33 succeeded 30000
	// hold cancel: 32 succeeded 50000
}

package unionpay_test

import (
	"context"
	"errors"
	"fmt"

	"github.com/goacp/unionpay/unionpay"
	"github.com/goacp/unionpay/unionpay/unionpaytest"
)

// A month's collections (代收) from customers' verified cards (see ExampleClient_RealNameAuth).
// Each attempt is a new OrderID, stored with its TxnTime and Amount (fen) before it is sent. An
// accepted one is not collected yet: its notification or a query tells. A refused one (an
// *Error) collected nothing, and is tried again on a later day under a new OrderID. A pending one
// is queried, never collected again: the money may already have moved.
func ExampleClient_Collect() {
	clk := unionpaytest.NewClock(exampleNow())
	srv := unionpaytest.NewServer(unionpaytest.WithTestClock(clk))
	defer srv.Close()
	c, err := unionpay.NewClient(srv.Config()) // its Sleep moves clk: no real wait
	if err != nil {
		fmt.Println(err)
		return
	}
	ctx := context.Background()
	srv.Script("PREM202401002", unionpaytest.NoBalance)                      // refused: 64
	srv.Script("PREM202401003", unionpaytest.TimedOut, unionpaytest.Succeed) // answered 03, then collected
	for _, orderID := range []string{"PREM202401001", "PREM202401002", "PREM202401003"} {
		txnTime := clk.Now() // stored with OrderID and Amount before the call
		res, err := c.Collect(ctx, &unionpay.CardRequest{
			OrderID: orderID, TxnTime: txnTime, Amount: 35000, // fen: 350.00 yuan
			AccNo:    unionpaytest.TestCard,
			Customer: &unionpay.Customer{IDType: "01", IDNumber: "341126197709218366", Name: "互联网"},
			BackURL:  "https://insurer.example/unionpay/notify",
		})
		var rejected *unionpay.Error
		var pending *unionpay.PendingError
		var query *unionpay.QueryRequest
		answer := "00"
		switch {
		case errors.As(err, &pending): // 03, 04, 05, 83, 12, or no verified answer
			query, answer = pending.QueryRequest(), pending.RespCode
		case errors.As(err, &rejected):
			fmt.Println(orderID, "refused, respCode", rejected.RespCode, "- try again on a later day as a new order")
			continue
		case err != nil: // never sent: an invalid request, the field named
			fmt.Println(err)
			continue
		default: // accepted: the notification to BackURL, or a query, gives the outcome
			query = res.QueryRequest()
		}
		tx, err := c.QueryUntilFinal(ctx, query, unionpay.BackBackoff())
		if err != nil {
			fmt.Println(orderID, "still unknown: query again later, never collect it again")
			continue
		}
		// The query names txnType 11 and the amount: another transaction under this orderId
		// reads NotFound.
		fmt.Println(orderID, "answered", answer+", queried:", tx.TxnType, tx.State, tx.Amount)
	}
	// Output:
	// PREM202401001 answered 00, queried: 11 succeeded 35000
	// PREM202401002 refused, respCode 64 - try again on a later day as a new order
	// PREM202401003 answered 03, queried: 11 succeeded 35000
}

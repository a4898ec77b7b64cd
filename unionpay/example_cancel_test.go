package unionpay_test

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/goacp/unionpay/unionpay"
	"github.com/goacp/unionpay/unionpay/unionpaytest"
)

// A shopper changes their mind the same day: the payment is cancelled (撤销) for its full amount,
// before its settle day ends at 23:00 Beijing time. The cancel is a
// transaction of its own, with its own orderId, naming the payment by its queryId. Accepted is not
// cancelled: the cancel's query (or its notification, sent on success and failure alike) gives
// the outcome; a pending answer is queried, never sent again. A payment from before 23:00 cannot
// be cancelled after it: refund it instead.
func ExampleClient_CancelConsume() {
	clk := unionpaytest.NewClock(exampleNow()) // 10:30 Beijing time
	srv := unionpaytest.NewServer(unionpaytest.WithClock(clk.Now))
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
	// Store the cancel's orderId and txnTime before sending: after a crash or a pending outcome,
	// they are what a query needs.
	txnTime := clk.Now()
	res, err := c.CancelConsume(ctx, &unionpay.FollowUpRequest{
		OrderID:     "CANCEL20240105030",
		OrigQueryID: paid.QueryID, // the payment's queryId, from its query or notification
		Amount:      paid.Amount,  // fen: the full amount, never part of it (refund a part)
		TxnTime:     txnTime,
		BackURL:     "https://shop.example/unionpay/notify",
	})
	var rejected *unionpay.Error
	switch {
	case errors.Is(err, unionpay.ErrPending): // unverified answers included
		fmt.Println("pending: query CANCEL20240105030 with its stored txnTime; never send it again")
		return
	case errors.As(err, &rejected): // nothing happened: the payment stands
		fmt.Println("refused with respCode", rejected.RespCode)
		return
	case err != nil: // never sent (an invalid request or configuration)
		fmt.Println(err)
		return
	}
	fmt.Println("accepted with respCode", res.RespCode)
	// The cancel's query names txnType 31, the amount and the payment's queryId: an answer about
	// another transaction under this orderId reads NotFound. Succeeded: the payment is undone
	// (the day's settlement file lists both, netting to nothing) and the order can be closed.
	tx, err := c.Query(ctx, res.QueryRequest())
	if err != nil {
		fmt.Println(err) // the cancel's outcome is still unknown: query again later
		return
	}
	fmt.Println(tx.TxnType, tx.State, tx.Amount, tx.OrigQueryID == paid.QueryID)

	// A payment at 22:30 is on today's settle day; at 23:30 that day has ended, and its cancel is
	// refused (respCode 35): refund it with Client.Refund.
	clk.Set(time.Date(2024, 1, 5, 22, 30, 0, 0, exampleNow().Location()))
	late, err := exampleConsume(ctx, c, srv, "ORDER20240105031", 5000)
	if err != nil {
		fmt.Println(err)
		return
	}
	clk.Advance(time.Hour)
	_, err = c.CancelConsume(ctx, &unionpay.FollowUpRequest{OrderID: "CANCEL20240105031",
		OrigQueryID: late.QueryID, Amount: late.Amount, BackURL: "https://shop.example/unionpay/notify"})
	if errors.As(err, &rejected) {
		fmt.Println("refused with respCode", rejected.RespCode, "after 23:00: refund it instead")
	}
	// Output:
	// accepted with respCode 00
	// 31 succeeded 1999 true
	// refused with respCode 35 after 23:00: refund it instead
}

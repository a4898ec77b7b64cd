package unionpay_test

import (
	"context"
	"errors"
	"fmt"

	"github.com/goacp/unionpay/unionpay"
	"github.com/goacp/unionpay/unionpay/unionpaytest"
)

// A hotel's pre-authorisation: the guest's card is held for 50000 fen at booking, the stay is
// completed at check-out for 42000 (up to 115% of the hold is allowed), and a second completion
// is refused: to charge another amount, cancel the completion the same settle day and complete
// again, or refund part of it. Accepted is not done: the query (or the notification) tells.
func ExampleClient_CompletePreAuth() {
	srv := unionpaytest.NewServer(unionpaytest.WithClock(exampleNow))
	defer srv.Close()
	c, err := unionpay.NewClient(srv.Config())
	if err != nil {
		fmt.Println(err)
		return
	}
	ctx := context.Background()
	form, err := c.FrontPreAuth(&unionpay.ConsumeRequest{OrderID: "BOOKING20240105", Amount: 50000,
		FrontURL: "https://hotel.example/return", BackURL: "https://hotel.example/unionpay/notify"})
	if err != nil {
		fmt.Println(err)
		return
	}
	if _, err := srv.Pay(ctx, form.Fields, ""); err != nil { // the guest at the cashier
		fmt.Println(err)
		return
	}
	hold, err := c.Query(ctx, &unionpay.QueryRequest{OrderID: form.OrderID, TxnTime: form.TxnTime})
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println("hold:", hold.TxnType, hold.State, hold.Amount)

	res, err := c.CompletePreAuth(ctx, &unionpay.FollowUpRequest{OrderID: "CHECKOUT20240105",
		OrigQueryID: hold.QueryID, Amount: 42000, BackURL: "https://hotel.example/unionpay/notify"})
	if errors.Is(err, unionpay.ErrPending) {
		fmt.Println("pending: query CHECKOUT20240105 later; never complete again")
		return
	} else if err != nil {
		fmt.Println(err)
		return
	}
	done, err := c.Query(ctx, &unionpay.QueryRequest{OrderID: res.OrderID, TxnTime: res.TxnTime})
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println("completion:", done.TxnType, done.State, done.Amount)

	_, err = c.CompletePreAuth(ctx, &unionpay.FollowUpRequest{OrderID: "CHECKOUT20240105B",
		OrigQueryID: hold.QueryID, Amount: 5000, BackURL: "https://hotel.example/unionpay/notify"})
	if rejected, ok := errors.AsType[*unionpay.Error](err); ok {
		fmt.Println("second completion refused with respCode", rejected.RespCode)
	}
	// Output:
	// hold: 02 succeeded 50000
	// completion: 03 succeeded 42000
	// second completion refused with respCode 35
}

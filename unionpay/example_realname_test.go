package unionpay_test

import (
	"context"
	"errors"
	"fmt"

	"github.com/goacp/unionpay/unionpay"
	"github.com/goacp/unionpay/unionpay/unionpaytest"
)

// Real-name authentication (实名认证), once, when a customer registers a card for collections or
// payouts: does the card belong to this person? A nil error means yes: store the card as
// verified. A refusal (an *Error) means not verified: register nothing, and take no money from
// or to the card. The check moves no money: a pending answer decides nothing, and the check is
// asked again under a new OrderID.
func ExampleClient_RealNameAuth() {
	srv := unionpaytest.NewServer(unionpaytest.WithClock(exampleNow))
	defer srv.Close()
	c, err := unionpay.NewClient(srv.Config())
	if err != nil {
		fmt.Println(err)
		return
	}
	ctx := context.Background()
	holder := &unionpay.Customer{IDType: "01", IDNumber: "341126197709218366", Name: "互联网",
		Phone: "13552535506"} // sent encrypted, with the card number
	srv.Script("AUTH20240105002", unionpaytest.Rejected) // this one, the gateway says, is not theirs
	srv.Script("AUTH20240105003", unionpaytest.Pending)  // and this one is answered 05
	for _, orderID := range []string{"AUTH20240105001", "AUTH20240105002", "AUTH20240105003"} {
		_, err := c.RealNameAuth(ctx, &unionpay.AccountRequest{
			OrderID:  orderID, // a new one for each check
			AccNo:    unionpaytest.TestCard,
			Customer: holder,
			BizType:  "000401", // the product's: 000401 for payout (with AccType "01"), 000501 for collection (the default)
			AccType:  "01",
		})
		var rejected *unionpay.Error
		switch {
		case errors.Is(err, unionpay.ErrPending): // 03, 04, 05, 83, or no verified answer
			fmt.Println(orderID, "unknown: not verified yet; check again under a new OrderID")
		case errors.As(err, &rejected):
			fmt.Println(orderID, "not verified, respCode", rejected.RespCode)
		case err != nil: // never sent: an invalid request, the field named
			fmt.Println(err)
		default:
			fmt.Println(orderID, "verified: register the card")
		}
	}
	// Output:
	// AUTH20240105001 verified: register the card
	// AUTH20240105002 not verified, respCode 30
	// AUTH20240105003 unknown: not verified yet; check again under a new OrderID
}

package unionpay_test

import (
	"context"
	"fmt"

	"github.com/goacp/unionpay/notify"
	"github.com/goacp/unionpay/unionpay"
	"github.com/goacp/unionpay/unionpay/unionpaytest"
)

// A front open (开通) for token payment: build the signed form that sends the shopper's browser to
// UnionPay's page, let the (fake) page open the card, then read the token from the signed result
// (the browser's return to frontUrl here; the backUrl notification carries it too).
func ExampleClient_FrontOpenCard() {
	srv := unionpaytest.NewServer(unionpaytest.WithClock(exampleNow))
	defer srv.Close()
	c, err := unionpay.NewClient(srv.Config())
	if err != nil {
		fmt.Println(err)
		return
	}
	form, err := c.FrontOpenCard(&unionpay.FrontOpenRequest{
		OrderID:          "OPEN20240105001",
		BizType:          unionpay.BizTypeToken,
		TokenRequestorID: "62000000001", // UnionPay's test environment's; production's is assigned
		FrontURL:         "https://shop.example/opened",
		BackURL:          "https://shop.example/unionpay/notify",
		AccNo:            unionpaytest.TestCard, // optional: else the shopper types it on UnionPay's page
	})
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(form.Fields["txnType"], form.Fields["txnSubType"], form.Fields["bizType"], form.Fields["tokenPayData"])
	// In a web handler: form.ServeHTTP(w, r) sends the auto-submitting page.

	returned, err := srv.Pay(context.Background(), form.Fields, "") // the shopper opens the card
	if err != nil {
		fmt.Println(err)
		return
	}
	v, err := srv.NotifyVerifier()
	if err != nil {
		fmt.Println(err)
		return
	}
	n, err := notify.Verify(v, returned)
	if err != nil {
		fmt.Println(err)
		return
	}
	token, err := n.Token()
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(n.TxnType, n.Status(), len(token))
	// Output:
	// 79 00 000902 {trId=62000000001&tokenType=01}
	// 79 succeeded 19
}

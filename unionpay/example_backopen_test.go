package unionpay_test

import (
	"context"
	"fmt"
	"strings"

	"github.com/goacp/unionpay/unionpay"
	"github.com/goacp/unionpay/unionpay/unionpaytest"
)

// A back open (后台开通) for token payment: the card and what the product verifies go to
// UnionPay from the merchant's server, and the answer, there being no notification, says
// whether the card is opened and gives its token.
func ExampleClient_OpenCard() {
	srv := unionpaytest.NewServer(unionpaytest.WithClock(exampleNow))
	defer srv.Close()
	c, err := unionpay.NewClient(srv.Config())
	if err != nil {
		fmt.Println(err)
		return
	}
	res, err := c.OpenCard(context.Background(), &unionpay.AccountRequest{
		OrderID: "OPEN20240105003",
		AccNo:   unionpaytest.TestCard,
		BizType: unionpay.BizTypeToken,
		// The token requestor UnionPay assigned the merchant (its test environment's here), sent
		// as tokenPayData {trId=62000000001&tokenType=01}.
		TokenRequestorID: "62000000001",
		Customer:         &unionpay.Customer{Phone: "13552535506", CVN2: "123", Expiry: "2311", SMSCode: "111111"},
	})
	if err != nil {
		fmt.Println(err) // not opened: the answer is the outcome
		return
	}
	// Store res.Token as the payment credential it is; the log forms mask it.
	fmt.Println(res.RespCode, len(res.Token), res.TokenData["trId"])
	fmt.Println(strings.Contains(res.String(), res.Token))
	// Output:
	// 00 19 62000000001
	// false
}

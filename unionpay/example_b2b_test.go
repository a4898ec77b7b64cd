package unionpay_test

import (
	"context"
	"fmt"

	"github.com/goacp/unionpay/unionpay"
	"github.com/goacp/unionpay/unionpay/unionpaytest"
)

// A B2B gateway payment (企业网银支付): the company's buyer pays in its bank's corporate online
// banking; the refund and the queries go under the product's bizType, which the QueryRequest
// helpers carry.
func ExampleClient_FrontConsumeB2B() {
	srv := unionpaytest.NewServer(unionpaytest.WithClock(exampleNow))
	defer srv.Close()
	c, err := unionpay.NewClient(srv.Config())
	if err != nil {
		fmt.Println(err)
		return
	}
	ctx := context.Background()
	form, err := c.FrontConsumeB2B(&unionpay.ConsumeRequest{
		OrderID:  "B2B20240105001",
		Amount:   1250000, // fen: 12,500.00 yuan
		FrontURL: "https://shop.example/return",
		BackURL:  "https://shop.example/unionpay/notify",
	})
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(form.Fields["bizType"], form.Fields["txnType"], form.Fields["channelType"])
	if _, err := srv.Pay(ctx, form.Fields, ""); err != nil { // the buyer pays in online banking
		fmt.Println(err)
		return
	}
	paid, err := c.Query(ctx, form.QueryRequest())
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println("paid:", paid.State, paid.Amount)

	res, err := c.Refund(ctx, &unionpay.FollowUpRequest{OrderID: "B2B20240105001R1", OrigQueryID: paid.QueryID,
		Amount: 250000, BackURL: "https://shop.example/unionpay/notify", BizType: unionpay.BizTypeB2B})
	if err != nil {
		fmt.Println(err) // a *PendingError: query it with its QueryRequest, never refund again
		return
	}
	refund, err := c.QueryUntilFinal(ctx, res.QueryRequest(), unionpay.BackBackoff())
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println("refund:", refund.State, refund.Amount, res.QueryRequest().BizType)
	// Output:
	// 000202 01 07
	// paid: succeeded 1250000
	// refund: succeeded 250000 000202
}

package unionpaytest_test

import (
	"context"
	"fmt"
	"time"

	"github.com/goacp/unionpay/unionpay"
	"github.com/goacp/unionpay/unionpay/unionpaytest"
)

// A shopper opens the payment page and leaves. On a Clock the test drives, QueryUntilFinal's
// waits move the clock instead of taking real time: the schedule runs past the form's payTimeout
// and the order comes out final at once.
func ExampleClock() {
	clk := unionpaytest.NewClock(time.Date(2026, 11, 25, 10, 0, 0, 0, time.FixedZone("CST", 8*3600)))
	srv := unionpaytest.NewServer(unionpaytest.WithClock(clk.Now))
	defer srv.Close()
	cfg := srv.Config()
	cfg.Sleep = clk.Sleep
	client, err := unionpay.NewClient(cfg)
	if err != nil {
		fmt.Println(err)
		return
	}
	form, err := client.FrontConsume(&unionpay.ConsumeRequest{
		OrderID: "ABANDONED01", Amount: 1000, PayTimeout: clk.Now().Add(15 * time.Minute),
		FrontURL: "https://shop.example/return", BackURL: "https://shop.example/notify",
	})
	if err != nil {
		fmt.Println(err)
		return
	}
	start := clk.Now()
	tx, err := client.QueryUntilFinal(context.Background(), form.QueryRequest(), form.Backoff())
	if err != nil {
		fmt.Println(err)
		return
	}
	// Final (err is nil): still not found at the end of the front schedule, long after payTimeout.
	fmt.Println(tx.State, "after", clk.Now().Sub(start), "on the test's clock")
	// Output: not found after 2h0m0s on the test's clock
}

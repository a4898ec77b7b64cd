package unionpaytest_test

import (
	"context"
	"errors"
	"fmt"
	"net/http/httptest"
	"sync/atomic"
	"time"

	"github.com/goacp/unionpay/notify"
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

// The shop's notification handler fails the first time (its database is down) and UnionPay sends
// the notification again a minute later. On a test clock the retry comes when the test moves
// the clock to its time, not before, and the test takes no real minute.
func ExampleWithTestClock() {
	clk := unionpaytest.NewClock(time.Date(2026, 11, 25, 10, 0, 0, 0, time.FixedZone("CST", 8*3600)))
	srv := unionpaytest.NewServer(unionpaytest.WithTestClock(clk))
	defer srv.Close()
	verifier, err := srv.NotifyVerifier()
	if err != nil {
		fmt.Println(err)
		return
	}
	var calls atomic.Int32
	shop := httptest.NewServer(&notify.Handler{Verifier: verifier,
		OnNotify: func(context.Context, *notify.Notification) error {
			if calls.Add(1) == 1 {
				return errors.New("database down") // answered 500: UnionPay sends it again
			}
			return nil
		}})
	defer shop.Close()
	client, err := unionpay.NewClient(srv.Config())
	if err != nil {
		fmt.Println(err)
		return
	}
	ctx := context.Background()
	if _, err := client.BackConsume(ctx, exampleCard("RETRY0001", shop.URL+"/notify")); err != nil {
		fmt.Println(err)
		return
	}
	attempts := func(when string) {
		// Waits for the attempts due by the clock's time, not for the next one.
		if err := srv.WaitNotifications(ctx); err != nil {
			fmt.Println(err)
			return
		}
		fmt.Printf("%s:", when)
		for _, d := range srv.Deliveries() {
			fmt.Printf(" attempt %d at %s answered %d;", d.Attempt, d.At.Format("15:04:05"), d.Status)
		}
		fmt.Println()
	}
	attempts("paid")
	clk.Advance(59 * time.Second)
	attempts("59 s later")
	clk.Advance(time.Second)
	attempts("a minute later")
	// Output:
	// paid: attempt 1 at 10:00:00 answered 500;
	// 59 s later: attempt 1 at 10:00:00 answered 500;
	// a minute later: attempt 1 at 10:00:00 answered 500; attempt 2 at 10:01:00 answered 200;
}

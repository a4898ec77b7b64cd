package unionpaytest_test

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/goacp/unionpay/unionpay"
	"github.com/goacp/unionpay/unionpay/unionpaytest"
)

// A refund answered pending is queried until final, never sent again: what the shop's code sent
// is asserted on the gateway's side, with Received and Requests.
func ExampleServer_Requests() {
	now := time.Date(2026, 11, 25, 10, 0, 0, 0, time.FixedZone("CST", 8*3600))
	srv := unionpaytest.NewServer(unionpaytest.WithClock(func() time.Time { return now }))
	defer srv.Close()
	cfg := srv.Config()
	cfg.Sleep = func(ctx context.Context, _ time.Duration) error { return ctx.Err() } // queries back to back
	client, err := unionpay.NewClient(cfg)
	if err != nil {
		fmt.Println(err)
		return
	}
	ctx := context.Background()
	const backURL = "http://127.0.0.1:9/notify" // nobody listens: notifications just fail
	if _, err := client.AppConsume(ctx, &unionpay.ConsumeRequest{OrderID: "REQUESTS01", Amount: 800, TxnTime: now,
		PayTimeout: now.Add(15 * time.Minute), BackURL: backURL}); err != nil {
		fmt.Println(err)
		return
	}
	if _, err := srv.Complete("REQUESTS01", ""); err != nil { // the shopper pays in the app: not a request of the shop's
		fmt.Println(err)
		return
	}
	paid, _ := srv.Transaction("REQUESTS01")

	// The shop's code under test: a refund, and on a pending outcome its query, not a resend.
	srv.Script("REQUESTS02", unionpaytest.Pending, unionpaytest.Pending, unionpaytest.Succeed)
	_, err = client.Refund(ctx, &unionpay.FollowUpRequest{OrderID: "REQUESTS02", OrigQueryID: paid.QueryID,
		Amount: 300, TxnTime: now, BackURL: backURL})
	var pending *unionpay.PendingError
	if errors.As(err, &pending) {
		_, err = client.QueryUntilFinal(ctx, pending.QueryRequest(), unionpay.BackBackoff())
	}
	if err != nil {
		fmt.Println(err)
		return
	}

	fmt.Println("refund sent:", srv.Received("REQUESTS02", "04"), "queried:", srv.Received("REQUESTS02", "00"))
	for _, r := range srv.Requests() {
		fmt.Println(r.Endpoint, r.TxnType, r.OrderID, r.RespCode)
	}
	// Output:
	// refund sent: 1 queried: 2
	// /gateway/api/appTransReq.do 01 REQUESTS01 00
	// /gateway/api/backTransReq.do 04 REQUESTS02 05
	// /gateway/api/queryTrans.do 00 REQUESTS02 00
	// /gateway/api/queryTrans.do 00 REQUESTS02 00
}

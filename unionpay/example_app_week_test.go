package unionpay_test

import (
	"context"
	"fmt"
	"net/http/httptest"
	"sync"
	"time"

	"github.com/goacp/unionpay/notify"
	"github.com/goacp/unionpay/reconcile"
	"github.com/goacp/unionpay/unionpay"
	"github.com/goacp/unionpay/unionpay/unionpaytest"
)

// An app merchant's week on the fake gateway: the server gets the tn for the app, the back
// notification marks the order paid (the handler answers UnionPay 200 once it is stored), a
// restarted server rebuilds the order's query from what it stored, a week later part of the
// order is refunded, and the next day each settle day's file is reconciled against the orders
// of that day. The gateway's clock is a unionpaytest.Clock, moved by the example.
func ExampleClient_AppConsume_week() {
	clk := unionpaytest.NewClock(exampleNow())
	srv := unionpaytest.NewServer(unionpaytest.WithTestClock(clk))
	defer srv.Close()
	c, err := unionpay.NewClient(srv.Config()) // its Sleep moves clk: no real wait
	if err != nil {
		fmt.Println(err)
		return
	}
	v, err := srv.NotifyVerifier()
	if err != nil {
		fmt.Println(err)
		return
	}
	// The shop's store, keyed as notifications are (notify.KeyOf: orderId and txnTime).
	var mu sync.Mutex
	expected := map[string]notify.Expected{}
	final := map[string]notify.Status{}
	shop := httptest.NewServer(&notify.Handler{Verifier: v,
		OnNotify: func(_ context.Context, n *notify.Notification) error {
			mu.Lock()
			defer mu.Unlock()
			want, ok := expected[n.Key()]
			if !ok || n.Check(want) != nil || n.Status() == notify.Pending {
				return nil // not ours, another transaction's, or not decided: nothing to do
			}
			final[n.Key()] = n.Status() // the order's outcome: paid, or the refund done
			return nil                  // stored: 200, and UnionPay stops sending it
		}})
	defer shop.Close()
	backURL := shop.URL + "/unionpay/notify"
	ctx := context.Background()

	// Checkout: store orderId, txnTime, payTimeout and the amount (fen) before asking for the tn.
	txnTime := clk.Now()
	mu.Lock()
	expected[notify.KeyOf("APP20240105002", txnTime)] = notify.Expected{MerchantID: c.MerchantID(),
		TxnType: "01", Amount: 12800}
	mu.Unlock()
	app, err := c.AppConsume(ctx, &unionpay.ConsumeRequest{OrderID: "APP20240105002", Amount: 12800,
		TxnTime: txnTime, PayTimeout: txnTime.Add(15 * time.Minute), BackURL: backURL})
	if err != nil {
		fmt.Println(err) // a *PendingError too: query the order, never ask for another tn
		return
	}
	fmt.Println("tn for the app:", app.TN != "") // the app starts the control with it

	// The shopper pays in the control; the app then asks the shop, which waits for the
	// notification.
	if _, err := srv.Complete(app.OrderID, ""); err != nil {
		fmt.Println(err)
		return
	}
	if err := srv.WaitNotifications(ctx); err != nil {
		fmt.Println(err)
		return
	}
	mu.Lock()
	fmt.Println("notified:", final[notify.KeyOf(app.OrderID, app.TxnTime)])
	mu.Unlock()

	// Unsure (no notification yet, or after a restart): rebuild the query from what was stored.
	stored := &unionpay.AppResult{Result: unionpay.Result{OrderID: "APP20240105002", TxnTime: txnTime},
		PayTimeout: txnTime.Add(15 * time.Minute), Amount: 12800, Currency: "156"}
	paid, err := c.QueryUntilFinal(ctx, stored.QueryRequest(), stored.Backoff())
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println("query:", paid.State, paid.Amount, "settleDate", paid.SettleDate)

	// A week later: refund 3000 fen of it, a transaction of its own under a new orderId.
	clk.Advance(7 * 24 * time.Hour)
	refundTime := clk.Now()
	mu.Lock()
	expected[notify.KeyOf("RFD20240112001", refundTime)] = notify.Expected{MerchantID: c.MerchantID(),
		TxnType: "04", Amount: 3000, OrigQueryID: paid.QueryID}
	mu.Unlock()
	res, err := c.Refund(ctx, &unionpay.FollowUpRequest{OrderID: "RFD20240112001", OrigQueryID: paid.QueryID,
		Amount: 3000, TxnTime: refundTime, BackURL: backURL})
	if err != nil {
		fmt.Println(err) // pending: query it (its orderId and txnTime), never send it again
		return
	}
	refund, err := c.QueryUntilFinal(ctx, res.QueryRequest(), unionpay.BackBackoff())
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println("refund:", refund.State, refund.Amount, "settleDate", refund.SettleDate)
	if err := srv.WaitNotifications(ctx); err != nil { // its notification may come before or after
		fmt.Println(err)
		return
	}
	mu.Lock()
	fmt.Println("refund notified:", final[notify.KeyOf(res.OrderID, res.TxnTime)])
	mu.Unlock()

	// The next day: each settle day's file against that day's orders, by the settleDate
	// UnionPay reported (not the calendar date of txnTime).
	clk.Advance(24 * time.Hour)
	for _, day := range []struct {
		settleDate string
		order      reconcile.Order
	}{
		{paid.SettleDate, reconcile.Order{OrderID: paid.OrderID, TxnTime: paid.TxnTime, Amount: 12800,
			TxnType: "01", State: reconcile.StateSucceeded}},
		{refund.SettleDate, reconcile.Order{OrderID: refund.OrderID, TxnTime: refund.TxnTime, Amount: 3000,
			TxnType: "04", State: reconcile.StateSucceeded}},
	} {
		settle, err := unionpay.ParseSettleDate(day.settleDate, clk.Now())
		if err != nil {
			fmt.Println(err)
			return
		}
		f, err := c.DownloadFile(ctx, &unionpay.FileRequest{SettleDate: settle})
		if err != nil {
			fmt.Println(err)
			return
		}
		archive, err := reconcile.Open(f.Content)
		if err != nil {
			fmt.Println(err)
			return
		}
		for r, err := range reconcile.Match(archive.Records(settle, c.MerchantID()),
			reconcile.Orders([]reconcile.Order{day.order})) {
			if err != nil {
				fmt.Println(err)
				return
			}
			fmt.Println(settle.Format("01-02"), r.Class, r.Record.OrderID, r.Record.TxnAmt,
				"fee", r.Record.MerchantFee, "settled", r.Record.SettleAmt) // signed fen
		}
	}
	// Output:
	// tn for the app: true
	// notified: succeeded
	// query: succeeded 12800 settleDate 0105
	// refund: succeeded 3000 settleDate 0112
	// refund notified: succeeded
	// 01-05 matched APP20240105002 12800 fee -77 settled 12723
	// 01-12 matched RFD20240112001 3000 fee 18 settled -2982
}

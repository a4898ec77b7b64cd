package unionpay_test

import (
	"context"
	"errors"
	"fmt"
	"net/http/httptest"
	"sync"
	"time"

	"github.com/goacp/unionpay/notify"
	"github.com/goacp/unionpay/reconcile"
	"github.com/goacp/unionpay/unionpay"
	"github.com/goacp/unionpay/unionpay/unionpaytest"
)

// A QR-code shop's week on the fake gateway (二维码支付, bizType 000000). 主扫: the shop applies
// for a code, shows it, the payer scans and pays it, and the back notification marks the order
// paid. 被扫: the cashier scans the payer's payment code and consumes with it; a pending answer
// (03, 04, 05, 83, 12, a timeout) is queried, never consumed again; an answer 00 is accepted, not
// paid. The same day a consume rung up wrongly is cancelled; a week later part of the 主扫
// payment is refunded (both with BizType BizTypeQRCode); then each settle day's file is
// reconciled against the orders of that day. The gateway's clock is a unionpaytest.Clock, moved
// by the example.
func ExampleClient_QRConsume_week() {
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
	store := func(orderID string, txnTime time.Time, want notify.Expected) {
		mu.Lock()
		defer mu.Unlock()
		want.MerchantID = c.MerchantID()
		expected[notify.KeyOf(orderID, txnTime)] = want
	}
	notified := func(orderID string, txnTime time.Time) notify.Status {
		mu.Lock()
		defer mu.Unlock()
		return final[notify.KeyOf(orderID, txnTime)]
	}
	shop := httptest.NewServer(&notify.Handler{Verifier: v,
		OnNotify: func(_ context.Context, n *notify.Notification) error {
			mu.Lock()
			defer mu.Unlock()
			want, ok := expected[n.Key()]
			if !ok || n.Check(want) != nil || n.Status() == notify.Pending {
				return nil // not ours, another transaction's, or not decided: nothing to do
			}
			final[n.Key()] = n.Status()
			return nil // stored: 200, and UnionPay stops sending it
		}})
	defer shop.Close()
	backURL := shop.URL + "/unionpay/notify"
	ctx := context.Background()

	// Friday, 主扫: store orderId, txnTime, the amount and payTimeout, then apply for the code.
	// PayTimeout (UnionPay's sample sends none) is sent in Beijing time, whatever its location,
	// and the answer's Backoff queries until it.
	txnTime := clk.Now()
	dinner := &unionpay.QRCodeRequest{OrderID: "QRW20240105001", TxnTime: txnTime, Amount: 8800,
		PayTimeout: txnTime.Add(10 * time.Minute), BackURL: backURL}
	store(dinner.OrderID, dinner.TxnTime, notify.Expected{TxnType: "01", Amount: dinner.Amount})
	code, err := c.ApplyQRCode(ctx, dinner)
	if err != nil {
		fmt.Println(err) // a *PendingError too: query the order, show no new code for it
		return
	}
	// Render code.QRCode as a QR image; here the fake gateway plays the payer's app.
	if _, err := srv.PayQRCode(code.QRCode, ""); err != nil {
		fmt.Println(err)
		return
	}
	if err := srv.WaitNotifications(ctx); err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println("主扫 notified:", notified(code.OrderID, code.TxnTime))
	// No notification: query on the code's schedule, FrontBackoff until its payTimeout (the payer
	// pays when they choose). After a restart: FrontBackoff with the stored payTimeout.
	paid, err := c.QueryUntilFinal(ctx, code.QueryRequest(), code.Backoff())
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println("主扫 query:", paid.State, paid.Amount, "settleDate", paid.SettleDate)

	// 被扫: the cashier scans the payer's code; UnionPay answers 05 (pending). Query it: the
	// payer's code may have paid, and another consume with it could take the money twice.
	clk.Advance(2 * time.Hour)
	coffee := &unionpay.QRConsumeRequest{OrderID: "QRW20240105002", TxnTime: clk.Now(), Amount: 2500,
		QRNo: "6220123456789012345", TermID: "T0000001", BackURL: backURL}
	store(coffee.OrderID, coffee.TxnTime, notify.Expected{TxnType: "01", Amount: coffee.Amount})
	srv.Script(coffee.OrderID, unionpaytest.Pending, unionpaytest.Succeed)
	var coffeeTx *unionpay.Transaction
	res, err := c.QRConsume(ctx, coffee)
	var pending *unionpay.PendingError
	switch {
	case errors.As(err, &pending):
		fmt.Println("被扫 pending:", pending.RespCode)
		coffeeTx, err = c.QueryUntilFinal(ctx, pending.QueryRequest(), unionpay.BackBackoff())
	case err != nil:
		fmt.Println(err) // declined (*unionpay.Error): ask the payer for a fresh code, new orderId
		return
	default:
		coffeeTx, err = c.QueryUntilFinal(ctx, res.QueryRequest(), unionpay.BackBackoff())
	}
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println("被扫 query:", coffeeTx.State, coffeeTx.Amount, "settleDate", coffeeTx.SettleDate)

	// 被扫 again, answered 00: accepted, not yet paid; the query (or the notification) tells.
	clk.Advance(time.Hour)
	cake := &unionpay.QRConsumeRequest{OrderID: "QRW20240105003", TxnTime: clk.Now(), Amount: 4200,
		QRNo: "6220123456789012346", TermID: "T0000001", BackURL: backURL}
	store(cake.OrderID, cake.TxnTime, notify.Expected{TxnType: "01", Amount: cake.Amount})
	res, err = c.QRConsume(ctx, cake)
	if err != nil {
		fmt.Println(err) // pending: query as above, never consume again
		return
	}
	cakeTx, err := c.QueryUntilFinal(ctx, res.QueryRequest(), unionpay.BackBackoff())
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println("被扫 accepted:", res.RespCode, "then", cakeTx.State)

	// Rung up wrongly: cancel it the same settle day (before 23:00 Beijing time), for its full
	// amount, under a new orderId, with the QR product's bizType.
	clk.Advance(30 * time.Minute)
	cancel := &unionpay.FollowUpRequest{OrderID: "QRC20240105001", OrigQueryID: cakeTx.QueryID,
		Amount: cake.Amount, TxnTime: clk.Now(), BackURL: backURL, BizType: unionpay.BizTypeQRCode}
	store(cancel.OrderID, cancel.TxnTime, notify.Expected{TxnType: "31", Amount: cancel.Amount,
		OrigQueryID: cancel.OrigQueryID})
	res, err = c.CancelConsume(ctx, cancel)
	if err != nil {
		fmt.Println(err) // pending: query the cancel (its orderId and txnTime), never send it again
		return
	}
	cancelled, err := c.QueryUntilFinal(ctx, res.QueryRequest(), unionpay.BackBackoff())
	if err != nil {
		fmt.Println(err)
		return
	}
	if err := srv.WaitNotifications(ctx); err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println("cancel:", cancelled.State, cancelled.Amount, "notified", notified(res.OrderID, res.TxnTime))

	// A week later: refund 3000 fen of the dinner, a transaction of its own under a new orderId.
	clk.Advance(7 * 24 * time.Hour)
	refund := &unionpay.FollowUpRequest{OrderID: "QRR20240112001", OrigQueryID: paid.QueryID,
		Amount: 3000, TxnTime: clk.Now(), BackURL: backURL, BizType: unionpay.BizTypeQRCode}
	store(refund.OrderID, refund.TxnTime, notify.Expected{TxnType: "04", Amount: refund.Amount,
		OrigQueryID: refund.OrigQueryID})
	res, err = c.Refund(ctx, refund)
	if err != nil {
		fmt.Println(err) // pending: query the refund, never send it again
		return
	}
	refunded, err := c.QueryUntilFinal(ctx, res.QueryRequest(), unionpay.BackBackoff())
	if err != nil {
		fmt.Println(err)
		return
	}
	if err := srv.WaitNotifications(ctx); err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println("refund:", refunded.State, refunded.Amount, "settleDate", refunded.SettleDate,
		"notified", notified(res.OrderID, res.TxnTime))

	// The next day: each settle day's file against that day's orders, by the settleDate
	// UnionPay reported (not the calendar date of txnTime).
	clk.Advance(24 * time.Hour)
	days := map[string][]reconcile.Order{}
	for _, tx := range []*unionpay.Transaction{paid, coffeeTx, cakeTx, cancelled, refunded} {
		days[tx.SettleDate] = append(days[tx.SettleDate], reconcile.Order{OrderID: tx.OrderID,
			TxnTime: tx.TxnTime, Amount: tx.Amount, TxnType: tx.TxnType, State: reconcile.StateSucceeded})
	}
	for _, day := range []string{paid.SettleDate, refunded.SettleDate} {
		settle, err := unionpay.ParseSettleDate(day, clk.Now())
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
			reconcile.Orders(days[day])) {
			if err != nil {
				fmt.Println(err)
				return
			}
			fmt.Println(settle.Format("01-02"), r.Class, r.Record.OrderID, r.Record.TxnType, r.Record.TxnAmt,
				"settled", r.Record.SettleAmt) // signed fen
		}
	}
	// Output:
	// 主扫 notified: succeeded
	// 主扫 query: succeeded 8800 settleDate 0105
	// 被扫 pending: 05
	// 被扫 query: succeeded 2500 settleDate 0105
	// 被扫 accepted: 00 then succeeded
	// cancel: succeeded 4200 notified succeeded
	// refund: succeeded 3000 settleDate 0112 notified succeeded
	// 01-05 matched QRW20240105001 01 8800 settled 8747
	// 01-05 matched QRW20240105002 01 2500 settled 2485
	// 01-05 matched QRW20240105003 01 4200 settled 4175
	// 01-05 matched QRC20240105001 31 4200 settled -4175
	// 01-12 matched QRR20240112001 04 3000 settled -2982
}

package unionpay_test

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/goacp/unionpay/reconcile"
	"github.com/goacp/unionpay/unionpay"
	"github.com/goacp/unionpay/unionpay/unionpaytest"
)

// exampleConsume has the shopper pay orderID on the fake gateway and returns the query of the
// payment, whose QueryID names it to later transactions.
func exampleConsume(ctx context.Context, c *unionpay.Client, srv *unionpaytest.Server, orderID string, amount int64) (*unionpay.Transaction, error) {
	form, err := c.FrontConsume(&unionpay.ConsumeRequest{OrderID: orderID, Amount: amount,
		FrontURL: "https://shop.example/return", BackURL: "https://shop.example/unionpay/notify"})
	if err != nil {
		return nil, err
	}
	if _, err := srv.Pay(ctx, form.Fields, ""); err != nil {
		return nil, err
	}
	return c.Query(ctx, &unionpay.QueryRequest{OrderID: form.OrderID, TxnTime: form.TxnTime})
}

// A partial refund of a payment: the refund is a transaction of its own, with its own orderId,
// naming the payment by its queryId. Accepted is not refunded: the query (or the notification)
// gives the outcome; a pending answer is queried, never sent again.
func ExampleClient_Refund() {
	srv := unionpaytest.NewServer(unionpaytest.WithClock(exampleNow))
	defer srv.Close()
	c, err := unionpay.NewClient(srv.Config())
	if err != nil {
		fmt.Println(err)
		return
	}
	ctx := context.Background()
	paid, err := exampleConsume(ctx, c, srv, "ORDER20240105010", 1999)
	if err != nil {
		fmt.Println(err)
		return
	}
	// Store the refund's orderId and txnTime before sending: after a crash or a pending outcome,
	// they are what a query needs.
	txnTime := exampleNow()
	res, err := c.Refund(ctx, &unionpay.FollowUpRequest{
		OrderID:     "REFUND20240105010",
		OrigQueryID: paid.QueryID,
		Amount:      500, // fen, at most what is left of the payment
		TxnTime:     txnTime,
		BackURL:     "https://shop.example/unionpay/notify",
	})
	var rejected *unionpay.Error
	switch {
	case errors.Is(err, unionpay.ErrPending): // unverified answers included
		fmt.Println("pending: query REFUND20240105010 with its stored txnTime; never send it again")
		return
	case errors.As(err, &rejected):
		fmt.Println("refused with respCode", rejected.RespCode)
		return
	case err != nil: // never sent (an invalid request or configuration); see ErrTxnTimeNotCurrent for a resend
		fmt.Println(err)
		return
	}
	fmt.Println("accepted with respCode", res.RespCode)
	// The refund's query: its orderId and txnTime, and the txnType, amount and origQryId its answer
	// must name (after a restart, the same fields from what was stored before sending).
	tx, err := c.Query(ctx, res.QueryRequest())
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(tx.TxnType, tx.State, tx.Amount)

	// A second refund of more than is left is refused (respCode 33: over the amount allowed).
	_, err = c.Refund(ctx, &unionpay.FollowUpRequest{OrderID: "REFUND20240105011", OrigQueryID: paid.QueryID,
		Amount: 1500, BackURL: "https://shop.example/unionpay/notify"})
	if errors.As(err, &rejected) {
		fmt.Println("refused with respCode", rejected.RespCode)
	}
	// Output:
	// accepted with respCode 00
	// 04 succeeded 500
	// refused with respCode 33
}

// The day's settlement file: download it, open the zip, and read its ZM records.
func ExampleClient_DownloadFile() {
	srv := unionpaytest.NewServer(unionpaytest.WithClock(exampleNow))
	defer srv.Close()
	c, err := unionpay.NewClient(srv.Config())
	if err != nil {
		fmt.Println(err)
		return
	}
	ctx := context.Background()
	if _, err := exampleConsume(ctx, c, srv, "ORDER20240105020", 1999); err != nil {
		fmt.Println(err)
		return
	}
	f, err := c.DownloadFile(ctx, &unionpay.FileRequest{SettleDate: exampleNow()})
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(f.Name)
	arc, err := reconcile.Open(f.Content) // limits on members, sizes and compression ratio
	if err != nil {
		fmt.Println(err)
		return
	}
	for _, m := range arc.Members() {
		fmt.Println(m.Kind, m.Name)
	}
	zm := arc.First(reconcile.KindZM)
	if zm == nil {
		fmt.Println("no ZM member")
		return
	}
	r, err := zm.Open()
	if err != nil {
		fmt.Println(err)
		return
	}
	defer r.Close()
	for rec, err := range reconcile.ZM(r, zm.SettleDate) {
		if err != nil {
			fmt.Println(err) // a *reconcile.LineError names the line and the field
			return
		}
		fmt.Println(rec.OrderID, rec.TxnType, rec.TxnAmt, rec.TxnTime.Format("2006-01-02 15:04:05"))
	}
	// Output:
	// 777290058110048_20240105.zip
	// ZM INN24010588ZM_777290058110048
	// RD RD201024010501_777290058110048
	// ORDER20240105020 01 1999 2024-01-05 10:30:00
}

// A payout (代付) whose outcome UnionPay's payout product leaves open: answered 01, it is pending,
// not rejected (paying again could pay twice), and the query, sent with the payout bizType,
// settles it.
func ExampleClient_Payout() {
	srv := unionpaytest.NewServer(unionpaytest.WithClock(exampleNow))
	defer srv.Close()
	cfg := srv.Config()
	cfg.Sleep = func(ctx context.Context, d time.Duration) error { // don't wait in the example
		fmt.Println("wait", d)
		return ctx.Err()
	}
	c, err := unionpay.NewClient(cfg)
	if err != nil {
		fmt.Println(err)
		return
	}
	ctx := context.Background()
	srv.Script("PAYOUT20240105010", unionpaytest.Failed, unionpaytest.Succeed) // 01, then it goes through
	// Store the orderId, txnTime and amount before sending: a query needs them after a crash.
	txnTime := exampleNow()
	_, err = c.Payout(ctx, &unionpay.CardRequest{OrderID: "PAYOUT20240105010", Amount: 20000, TxnTime: txnTime,
		AccNo: unionpaytest.TestCard, BackURL: "https://shop.example/unionpay/notify",
		Customer: &unionpay.Customer{Name: "张三"}})
	var pe *unionpay.PendingError
	var rejected *unionpay.Error
	switch {
	case errors.As(err, &pe):
		fmt.Println("pending:", pe.RespCode)
	case errors.As(err, &rejected):
		fmt.Println("rejected:", rejected.RespCode) // nothing happened: a new payout may be sent
		return
	case err != nil:
		fmt.Println(err) // not sent
		return
	default:
		fmt.Println("accepted")
	}
	tx, err := c.QueryUntilFinal(ctx, &unionpay.QueryRequest{OrderID: "PAYOUT20240105010", TxnTime: txnTime,
		BizType: unionpay.BizTypePayout, TxnType: "12", Amount: 20000}, unionpay.PayoutBackoff())
	if err != nil {
		fmt.Println(err) // still unknown: query later, or go by the settlement files; never pay again
		return
	}
	fmt.Println(tx.State, tx.Amount)
	// Output:
	// pending: 01
	// wait 3m0s
	// succeeded 20000
}

// The query of an accepted refund, for QueryUntilFinal: everything the answer must name to be
// about this refund, taken from the signed request. A refund under a reused orderId, of another
// amount or another payment, then reads NotFound (with it in Other), never as this one's outcome.
func ExampleResult_QueryRequest() {
	srv := unionpaytest.NewServer(unionpaytest.WithClock(exampleNow))
	defer srv.Close()
	cfg := srv.Config()
	cfg.Sleep = func(ctx context.Context, _ time.Duration) error { return ctx.Err() } // don't wait in the example
	c, err := unionpay.NewClient(cfg)
	if err != nil {
		fmt.Println(err)
		return
	}
	ctx := context.Background()
	paid, err := exampleConsume(ctx, c, srv, "ORDER20240105020", 1999)
	if err != nil {
		fmt.Println(err)
		return
	}
	res, err := c.Refund(ctx, &unionpay.FollowUpRequest{OrderID: "REFUND20240105020", OrigQueryID: paid.QueryID,
		Amount: 500, BackURL: "https://shop.example/unionpay/notify"})
	if err != nil { // a *PendingError's QueryRequest gives the same query
		fmt.Println(err)
		return
	}
	q := res.QueryRequest()
	fmt.Println(q.OrderID, q.TxnTime.Format("20060102150405"), q.TxnType, q.Amount, q.OrigQueryID == paid.QueryID)
	tx, err := c.QueryUntilFinal(ctx, q, unionpay.BackBackoff())
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(tx.State)
	// Output:
	// REFUND20240105020 20240105103000 04 500 true
	// succeeded
}

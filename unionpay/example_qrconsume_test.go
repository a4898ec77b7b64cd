package unionpay_test

import (
	"context"
	"errors"
	"fmt"

	"github.com/goacp/unionpay/unionpay"
	"github.com/goacp/unionpay/unionpay/unionpaytest"
)

// At the till (二维码消费, 被扫): the cashier's scanner reads the payment code the payer's app
// shows, and the merchant consumes with it. Store the OrderID, TxnTime and Amount (fen) before
// sending. 00 is accepted, not paid: query it (or wait for the notification). A refusal (an
// *Error) paid nothing: ask for another code or another way to pay. A pending answer (03, 04,
// 05...) is queried, and the same code is never consumed again: the payer may have paid.
func ExampleClient_QRConsume() {
	clk := unionpaytest.NewClock(exampleNow())
	srv := unionpaytest.NewServer(unionpaytest.WithTestClock(clk))
	defer srv.Close()
	c, err := unionpay.NewClient(srv.Config()) // its Sleep moves clk: no real wait
	if err != nil {
		fmt.Println(err)
		return
	}
	ctx := context.Background()
	srv.Script("TILL20240105002", unionpaytest.NoBalance)                     // declined: 64
	srv.Script("TILL20240105003", unionpaytest.Pending, unionpaytest.Succeed) // answered 05, then paid
	for _, sale := range []struct{ orderID, code string }{
		{"TILL20240105001", "6220123456789012341"}, // each payer's code, as scanned
		{"TILL20240105002", "6220123456789012342"},
		{"TILL20240105003", "6220123456789012343"},
	} {
		orderID := sale.orderID
		res, err := c.QRConsume(ctx, &unionpay.QRConsumeRequest{
			OrderID: orderID, TxnTime: clk.Now(), Amount: 2500, // fen: 25.00 yuan
			QRNo:    sale.code,  // it pays whoever presents it: the log forms mask it
			TermID:  "T0000001", // the till that scanned it
			BackURL: "https://shop.example/unionpay/notify",
		})
		var rejected *unionpay.Error
		var pending *unionpay.PendingError
		var query *unionpay.QueryRequest
		switch {
		case errors.As(err, &pending):
			fmt.Println(orderID, "pending, respCode", pending.RespCode, "- query it, never scan the code again")
			query = pending.QueryRequest()
		case errors.As(err, &rejected):
			fmt.Println(orderID, "refused, respCode", rejected.RespCode, "- nothing paid: ask for another way to pay")
			continue
		case err != nil: // never sent: an invalid request, the field named
			fmt.Println(err)
			continue
		default:
			query = res.QueryRequest()
		}
		tx, err := c.QueryUntilFinal(ctx, query, unionpay.BackBackoff())
		if err != nil {
			fmt.Println(orderID, "still unknown: query it again later; take no other payment for it meanwhile")
			continue
		}
		fmt.Println(orderID, tx.State, tx.Amount) // refund or cancel it with BizType BizTypeQRCode
	}
	// Output:
	// TILL20240105001 succeeded 2500
	// TILL20240105002 refused, respCode 64 - nothing paid: ask for another way to pay
	// TILL20240105003 pending, respCode 05 - query it, never scan the code again
	// TILL20240105003 succeeded 2500
}

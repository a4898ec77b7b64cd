package unionpay_test

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/goacp/unionpay/unionpay"
	"github.com/goacp/unionpay/unionpay/unionpaytest"
)

// QR-code payment (二维码支付) both ways. 主扫: the merchant applies for a code, shows it, and the
// payer scans and pays it in a UnionPay app; the notification or a query gives the outcome. 被扫:
// the merchant scans the payer's payment code and consumes with it; a pending answer is queried,
// never consumed again.
func ExampleClient_ApplyQRCode() {
	srv := unionpaytest.NewServer(unionpaytest.WithClock(exampleNow))
	defer srv.Close()
	c, err := unionpay.NewClient(srv.Config())
	if err != nil {
		fmt.Println(err)
		return
	}
	ctx := context.Background()
	const backURL = "https://shop.example/unionpay/notify"

	// Store the OrderID, TxnTime, Amount and PayTimeout before sending: the payment is found by
	// them, and until PayTimeout (sent in Beijing time) the payer may still pay the code. Without
	// a PayTimeout no answer but succeeded ever ends the query schedule.
	orderID, txnTime := "QR20240105001", exampleNow()
	applied, err := c.ApplyQRCode(ctx, &unionpay.QRCodeRequest{OrderID: orderID, TxnTime: txnTime, Amount: 1999,
		PayTimeout: txnTime.Add(10 * time.Minute), BackURL: backURL})
	if err != nil {
		fmt.Println(err) // a *PendingError: query it; show no new code before its schedule ends
		return
	}
	fmt.Println("payable until:", applied.Backoff().PayTimeout.Format("15:04:05"))
	// Render applied.QRCode for the payer; here the fake gateway plays the payer's app.
	if _, err := srv.PayQRCode(applied.QRCode, ""); err != nil {
		fmt.Println(err)
		return
	}
	// No notification yet: query. In production, query on the code's schedule,
	// c.QueryUntilFinal(ctx, applied.QueryRequest(), applied.Backoff()): FrontBackoff until its
	// PayTimeout, after which a query that does not say succeeded is final.
	tx, err := c.Query(ctx, applied.QueryRequest())
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println("scanned by the payer:", tx.State, tx.Amount)

	scanned := &unionpay.QRConsumeRequest{OrderID: "QR20240105002", TxnTime: exampleNow(), Amount: 2500,
		QRNo: "6220123456789012345", TermID: "T0000001", BackURL: backURL}
	srv.Script(scanned.OrderID, unionpaytest.TimedOut, unionpaytest.Succeed)
	_, err = c.QRConsume(ctx, scanned)
	fmt.Println("scanned by the merchant, pending:", errors.Is(err, unionpay.ErrPending))
	tx, err = c.Query(ctx, &unionpay.QueryRequest{OrderID: scanned.OrderID, TxnTime: scanned.TxnTime})
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println("queried:", tx.State, tx.Amount)
	// Output:
	// payable until: 10:40:00
	// scanned by the payer: succeeded 1999
	// scanned by the merchant, pending: true
	// queried: succeeded 2500
}

package unionpay_test

import (
	"context"
	"fmt"
	"net/http/httptest"
	"sync"
	"time"

	"github.com/goacp/unionpay/notify"
	"github.com/goacp/unionpay/unionpay"
	"github.com/goacp/unionpay/unionpay/unionpaytest"
)

// A shop refunds a QR-code payment from the notification it stored: FollowUpOn carries the
// payment's queryId, amount and bizType (a QR payment's is 000000, which the refund must be sent
// under) and checks the notification is this Client's merchant's and shop's; the shop gives only
// the refund's orderId, the amount of a partial refund, its txnTime and backUrl.
func ExampleClient_FollowUpOn() {
	clk := unionpaytest.NewClock(exampleNow())
	srv := unionpaytest.NewServer(unionpaytest.WithTestClock(clk))
	defer srv.Close()
	c, err := unionpay.NewClient(srv.Config())
	if err != nil {
		fmt.Println(err)
		return
	}
	v, err := srv.NotifyVerifier()
	if err != nil {
		fmt.Println(err)
		return
	}
	// The shop's notification handler stores each verified notification (here in memory).
	var mu sync.Mutex
	stored := map[string]*notify.Notification{}
	shop := httptest.NewServer(&notify.Handler{Verifier: v,
		OnNotify: func(_ context.Context, n *notify.Notification) error {
			mu.Lock()
			defer mu.Unlock()
			stored[n.OrderID] = n
			return nil
		}})
	defer shop.Close()
	backURL := shop.URL + "/unionpay/notify"
	ctx := context.Background()

	code, err := c.ApplyQRCode(ctx, &unionpay.QRCodeRequest{OrderID: "QRPAY20240105001", TxnTime: clk.Now(),
		Amount: 8800, PayTimeout: clk.Now().Add(10 * time.Minute), BackURL: backURL})
	if err != nil {
		fmt.Println(err)
		return
	}
	if _, err := srv.PayQRCode(code.QRCode, ""); err != nil { // the payer's app pays it
		fmt.Println(err)
		return
	}
	if err := srv.WaitNotifications(ctx); err != nil {
		fmt.Println(err)
		return
	}
	mu.Lock()
	paid := stored["QRPAY20240105001"]
	mu.Unlock()

	// Days later: refund 20.00 yuan of it.
	refund, err := c.FollowUpOn(paid, "QRREF20240105001", 2000)
	if err != nil {
		fmt.Println(err) // a *RequestError naming the field: not a successful payment, another shop's...
		return
	}
	refund.TxnTime, refund.BackURL = clk.Now(), backURL // store OrderID and TxnTime, then send
	fmt.Println("refund of", refund.OrigQueryID == paid.QueryID, refund.Amount, "fen, bizType", refund.BizType)
	if _, err := c.Refund(ctx, refund); err != nil {
		fmt.Println(err)
		return
	}
	if err := srv.WaitNotifications(ctx); err != nil {
		fmt.Println(err)
		return
	}
	mu.Lock()
	refunded := stored["QRREF20240105001"]
	mu.Unlock()
	fmt.Println("refund notified:", refunded.Status())

	// A refund's notification is no payment: nothing to refund from it.
	_, err = c.FollowUpOn(refunded, "QRREF20240105002", 0)
	fmt.Println(err)
	// Output:
	// refund of true 2000 fen, bizType 000000
	// refund notified: succeeded
	// unionpay: follow-up: Notification.TxnType: "04" is no payment (01 consume, 02 pre-authorisation, 03 pre-auth completion): give the notification of the payment acted on
}

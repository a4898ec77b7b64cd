package unionpay_test

import (
	"context"
	"log/slog"
	"os"

	"github.com/goacp/unionpay/unionpay"
	"github.com/goacp/unionpay/unionpay/unionpaytest"
)

// LogCalls logs one record per call, at a level by its outcome, under the keys a notification's
// record has too (orderId, txnTime, txnType, respCode). Here time, duration and endpoint, which
// change from run to run, are left out.
func ExampleLogCalls() {
	srv := unionpaytest.NewServer(unionpaytest.WithClock(exampleNow))
	defer srv.Close()
	log := slog.New(slog.NewTextHandler(os.Stdout, &slog.HandlerOptions{
		ReplaceAttr: func(_ []string, a slog.Attr) slog.Attr {
			switch a.Key {
			case slog.TimeKey, "duration", "endpoint":
				return slog.Attr{}
			}
			return a
		}}))
	cfg := srv.Config()
	cfg.OnCall = unionpay.LogCalls(log)
	c, err := unionpay.NewClient(cfg)
	if err != nil {
		log.Error("client", "err", err)
		return
	}
	pay := func(orderID string) {
		_, _ = c.BackConsume(context.Background(), &unionpay.CardRequest{OrderID: orderID, TxnTime: exampleNow(),
			Amount: 1000, AccNo: "6216261000000000018", BackURL: "https://shop.example/notify",
			Customer: &unionpay.Customer{SMSCode: "111111"}})
	}

	pay("LOG20240105001") // accepted: Info
	srv.Script("LOG20240105002", unionpaytest.Pending)
	pay("LOG20240105002") // pending: Warn, to query
	// Output:
	// level=INFO msg="unionpay call" call.op="back consume" call.orderId=LOG20240105001 call.txnTime=20240105103000 call.txnType=01 call.movesMoney=true call.outcome=accepted call.respCode=00
	// level=WARN msg="unionpay call" call.op="back consume" call.orderId=LOG20240105002 call.txnTime=20240105103000 call.txnType=01 call.movesMoney=true call.outcome=pending call.respCode=05 call.err="unionpay: back consume LOG20240105002 (txnTime 20240105103000): outcome pending: 05 交易已受理，请稍后查询交易结果[0000005]"
}

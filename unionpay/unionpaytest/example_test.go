package unionpaytest_test

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"
	"time"

	"github.com/goacp/unionpay/sign"
	"github.com/goacp/unionpay/unionpay"
	"github.com/goacp/unionpay/unionpay/unionpaytest"
)

// A merchant pays an order through the fake gateway's cashier, refunds part of it and queries
// the refund, with the real client and no network.
func Example() {
	now := time.Date(2026, 11, 25, 10, 0, 0, 0, time.FixedZone("CST", 8*3600))
	srv := unionpaytest.NewServer(unionpaytest.WithClock(func() time.Time { return now }))
	defer srv.Close()

	shop := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {}))
	defer shop.Close()

	client, err := unionpay.NewClient(srv.Config())
	if err != nil {
		fmt.Println(err)
		return
	}
	ctx := context.Background()
	form, err := client.FrontConsume(&unionpay.ConsumeRequest{
		OrderID: "EXAMPLE0001", Amount: 1000, TxnTime: now, PayTimeout: now.Add(15 * time.Minute),
		FrontURL: shop.URL + "/return", BackURL: shop.URL + "/notify",
	})
	// Store form.OrderID and form.TxnTime with the order before serving the page (form.ServeHTTP).
	if err != nil {
		fmt.Println(err)
		return
	}
	// The shopper's browser posts the form, pays with the test card and comes back with this:
	back, err := srv.Pay(ctx, form.Fields, unionpaytest.TestCard)
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println("cashier:", back["respCode"], back["respMsg"])
	// The browser's return proves nothing: the notification or a query does, and gives the
	// queryId a refund names.
	paid, err := client.Query(ctx, &unionpay.QueryRequest{OrderID: "EXAMPLE0001", TxnTime: form.TxnTime,
		TxnType: "01", Amount: 1000})
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println("paid:", paid.State, paid.Amount)

	// A shop stores the refund's orderId and txnTime before sending: a query needs both.
	refund, err := client.Refund(ctx, &unionpay.FollowUpRequest{
		OrderID: "EXAMPLE0002", OrigQueryID: paid.QueryID, Amount: 400, TxnTime: srv.Now(),
		BackURL: shop.URL + "/notify",
	})
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println("refund accepted:", refund.RespCode)

	// Its query names the refund whole (txnType 04, 400 fen, the payment's queryId): another
	// transaction under the same orderId reads NotFound, never as this one.
	tx, err := client.Query(ctx, refund.QueryRequest())
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println("refund:", tx.State, tx.Amount)
	// Output:
	// cashier: 00 成功[0000000]
	// paid: succeeded 1000
	// refund accepted: 00
	// refund: succeeded 400
}

// A notification handler can be unit-tested with messages the fake gateway signs, no network.
func ExampleServer_SignNotification() {
	srv := unionpaytest.NewServer()
	defer srv.Close()
	form, err := srv.SignNotification(sign.Fields{
		"orderId": "ORDER0001", "txnTime": "20261125100000", "txnAmt": "1000", "respCode": "00",
		"respMsg": "成功[0000000]", "txnType": "01", "queryId": "261125100000000000001",
		"settleDate": "1125", "settleAmt": "1000", "traceNo": "000001", "traceTime": "1125100000",
	})
	if err != nil {
		fmt.Println(err)
		return
	}
	verifier, err := srv.NotifyVerifier()
	if err != nil {
		fmt.Println(err)
		return
	}
	fields, err := sign.ParseForm(form.Encode()) // what a handler receives in the request body
	if err != nil {
		fmt.Println(err)
		return
	}
	signed, err := verifier.Verify(fields)
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(signed.Method, signed.Version, signed.Certificate.Subject.CommonName)
	// Output: 01 5.1.0 041@8310000000083040@中国银联股份有限公司@00016495
}

// A scripted refund stays pending for one query before it succeeds; the client reports
// ErrPending first, as the real gateway's 05 would make it.
func ExampleServer_Script() {
	now := time.Date(2026, 11, 25, 10, 0, 0, 0, time.FixedZone("CST", 8*3600))
	srv := unionpaytest.NewServer(unionpaytest.WithClock(func() time.Time { return now }))
	defer srv.Close()
	client, err := unionpay.NewClient(srv.Config())
	if err != nil {
		fmt.Println(err)
		return
	}
	ctx := context.Background()
	const backURL = "http://127.0.0.1:9/notify" // nobody listens: notifications just fail
	if _, err := client.AppConsume(ctx, &unionpay.ConsumeRequest{OrderID: "SCRIPT0001", Amount: 800, TxnTime: now,
		PayTimeout: now.Add(15 * time.Minute), BackURL: backURL}); err != nil {
		fmt.Println(err)
		return
	}
	if _, err := srv.Complete("SCRIPT0001", ""); err != nil {
		fmt.Println(err)
		return
	}
	paid, _ := srv.Transaction("SCRIPT0001")

	srv.Script("SCRIPT0002", unionpaytest.Pending, unionpaytest.Pending, unionpaytest.Succeed)
	_, err = client.Refund(ctx, &unionpay.FollowUpRequest{OrderID: "SCRIPT0002", OrigQueryID: paid.QueryID,
		Amount: 300, TxnTime: now, BackURL: backURL}) // orderId and txnTime stored before sending
	fmt.Println("pending:", errors.Is(err, unionpay.ErrPending))
	for range 2 {
		tx, err := client.Query(ctx, &unionpay.QueryRequest{OrderID: "SCRIPT0002", TxnTime: now, TxnType: "04", Amount: 300})
		if err != nil {
			fmt.Println(err)
			return
		}
		fmt.Println("query:", tx.State, tx.OrigRespCode)
	}
	// Output:
	// pending: true
	// query: pending 05
	// query: succeeded 00
}

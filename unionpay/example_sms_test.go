package unionpay_test

import (
	"context"
	"errors"
	"fmt"

	"github.com/goacp/unionpay/unionpay"
	"github.com/goacp/unionpay/unionpay/unionpaytest"
)

// An authenticated payment (认证支付) with an SMS code: SendSMS with TxnSubType "02" asks
// UnionPay to send the cardholder the code for one consume, then BackConsume sends that consume
// with the code, under the SMS's OrderID, TxnTime and Amount. The SMS moves no money: an error
// that is not a refusal leaves unknown whether the code was sent, and the shopper may ask for it
// again. The consume moves money: a pending answer is queried, never sent again.
func ExampleClient_SendSMS() {
	srv := unionpaytest.NewServer(unionpaytest.WithClock(exampleNow))
	defer srv.Close()
	c, err := unionpay.NewClient(srv.Config())
	if err != nil {
		fmt.Println(err)
		return
	}
	ctx := context.Background()
	// Store the orderId, txnTime and amount before sending: the consume must repeat them, and a
	// query of the consume needs them.
	txnTime := exampleNow()
	_, err = c.SendSMS(ctx, &unionpay.AccountRequest{
		OrderID:    "ORDER20240105040",
		TxnTime:    txnTime,
		AccNo:      unionpaytest.TestCard,
		Customer:   &unionpay.Customer{Phone: "13552535506"},
		TxnSubType: "02", // the code for a back consume (the default, 00, is the code for OpenCard)
		Amount:     8800, // fen: the consume's
	})
	var rejected *unionpay.Error
	switch {
	case errors.As(err, &rejected): // no code sent: tell the shopper; there is nothing to undo
		fmt.Println("refused with respCode", rejected.RespCode)
		return
	case err != nil: // sent or not: let the shopper ask for the code again
		fmt.Println(err)
		return
	}
	fmt.Println("code sent: ask the shopper for it")

	// The consume, within TxnTimeWindow of the SMS's txnTime: later, send a new SMS under a new
	// orderId.
	res, err := c.BackConsume(ctx, &unionpay.CardRequest{
		OrderID:  "ORDER20240105040",
		TxnTime:  txnTime,
		Amount:   8800,
		AccNo:    unionpaytest.TestCard,
		Customer: &unionpay.Customer{Phone: "13552535506", SMSCode: "111111"}, // as the shopper typed it
		BackURL:  "https://shop.example/unionpay/notify",
	})
	switch {
	case errors.Is(err, unionpay.ErrPending): // unverified answers included
		fmt.Println("pending: query ORDER20240105040 with its stored txnTime; never send it again")
		return
	case errors.As(err, &rejected): // nothing was paid
		fmt.Println("refused with respCode", rejected.RespCode)
		return
	case err != nil: // never sent (an invalid request or configuration)
		fmt.Println(err)
		return
	}
	fmt.Println("accepted with respCode", res.RespCode)
	// Accepted is not paid: the query (or the notification) gives the outcome. The query finds
	// the consume, which took the SMS's orderId over.
	tx, err := c.Query(ctx, &unionpay.QueryRequest{OrderID: "ORDER20240105040", TxnTime: txnTime, TxnType: "01", Amount: 8800})
	if err != nil {
		fmt.Println(err) // the consume's outcome is still unknown: query again later
		return
	}
	fmt.Println(tx.TxnType, tx.State, tx.Amount)
	// Output:
	// code sent: ask the shopper for it
	// accepted with respCode 00
	// 01 succeeded 8800
}

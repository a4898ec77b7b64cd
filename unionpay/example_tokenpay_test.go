package unionpay_test

import (
	"context"
	"fmt"
	"strings"

	"github.com/goacp/unionpay/unionpay"
	"github.com/goacp/unionpay/unionpay/unionpaytest"
)

// A consume by token (Token支付): the token of an opened card pays in place of its number. The
// consume SMS asks UnionPay to text the cardholder a code for this consume; the consume, under
// the same OrderID, TxnTime and Amount, sends that code with the token.
func ExampleClient_BackConsume_token() {
	srv := unionpaytest.NewServer(unionpaytest.WithClock(exampleNow))
	defer srv.Close()
	c, err := unionpay.NewClient(srv.Config())
	if err != nil {
		fmt.Println(err)
		return
	}
	ctx := context.Background()
	open, err := c.OpenCard(ctx, &unionpay.AccountRequest{OrderID: "OPEN20240105004", AccNo: unionpaytest.TestCard,
		BizType: unionpay.BizTypeToken, TokenRequestorID: "62000000001",
		Customer: &unionpay.Customer{Phone: "13552535506", CVN2: "123", Expiry: "2311", SMSCode: "111111"}})
	if err != nil {
		fmt.Println(err)
		return
	}
	token := open.Token // stored by the merchant as the payment credential it is

	// Store the OrderID, TxnTime and Amount before sending: the consume needs them, and so does
	// a query if its answer is lost.
	orderID, txnTime, amount := "PAY20240105004", exampleNow(), int64(1999) // fen
	if _, err := c.SendSMS(ctx, &unionpay.AccountRequest{OrderID: orderID, TxnTime: txnTime, TxnSubType: "02",
		Amount: amount, Token: token, TokenRequestorID: "62000000001"}); err != nil {
		fmt.Println(err)
		return
	}
	req := &unionpay.CardRequest{OrderID: orderID, TxnTime: txnTime, Amount: amount,
		BackURL: "https://shop.example/unionpay/notify", Token: token, TokenRequestorID: "62000000001",
		Customer: &unionpay.Customer{SMSCode: "111111"}} // the code the cardholder received
	res, err := c.BackConsume(ctx, req)
	if err != nil {
		fmt.Println(err) // a *PendingError: query it, never pay again
		return
	}
	// Accepted: the notification to BackURL, or a query, gives the outcome.
	fmt.Println(res.RespCode, strings.Contains(req.String(), token))
	// Output:
	// 00 false
}

package unionpay_test

import (
	"context"
	"errors"
	"fmt"

	"github.com/goacp/unionpay/unionpay"
	"github.com/goacp/unionpay/unionpay/unionpaytest"
)

// exampleOpenToken opens unionpaytest.TestCard for the token product (Token支付) under orderID
// and returns the card's token, as ExampleClient_OpenCard does.
func exampleOpenToken(ctx context.Context, c *unionpay.Client, orderID string) (string, error) {
	open, err := c.OpenCard(ctx, &unionpay.AccountRequest{OrderID: orderID, AccNo: unionpaytest.TestCard,
		BizType: unionpay.BizTypeToken, TokenRequestorID: "62000000001",
		Customer: &unionpay.Customer{Phone: "13552535506", CVN2: "123", Expiry: "2311", SMSCode: "111111"}})
	if err != nil {
		return "", err
	}
	return open.Token, nil
}

// The cardholder has a new phone (or their credit card a new expiry): the token of the card
// opened for token payment (Token支付) is updated in place, and goes on paying. The update moves
// no money and has no notification: a nil error means updated. The new details go in Customer,
// encrypted; Phone is required.
func ExampleClient_UpdateToken() {
	srv := unionpaytest.NewServer(unionpaytest.WithClock(exampleNow))
	defer srv.Close()
	c, err := unionpay.NewClient(srv.Config())
	if err != nil {
		fmt.Println(err)
		return
	}
	ctx := context.Background()
	token, err := exampleOpenToken(ctx, c, "OPEN20240105010")
	if err != nil {
		fmt.Println(err)
		return
	}
	up, err := c.UpdateToken(ctx, &unionpay.TokenRequest{
		OrderID:          "TKUPD20240105010", // a new orderId: the update is a transaction of its own
		Token:            token,
		TokenRequestorID: "62000000001", // the open's
		Customer:         &unionpay.Customer{Phone: "13800000000", CVN2: "456", Expiry: "2912", SMSCode: "111111"},
	})
	var rejected *unionpay.Error
	switch {
	case errors.Is(err, unionpay.ErrPending): // 03, 04, 05, 83, or no verified answer
		fmt.Println("unknown whether updated: the token still pays; update it again under a new OrderID")
		return
	case errors.As(err, &rejected): // not updated: the old details stand
		fmt.Println("refused with respCode", rejected.RespCode)
		return
	case err != nil: // never sent (an invalid request: the error names the field)
		fmt.Println(err)
		return
	}
	// The answer's tokenPayData gives the token: keep the one it names (here the same).
	fmt.Println(up.RespCode, up.Token == token, up.TokenData["trId"])
	// Output:
	// 00 true 62000000001
}

// The customer removes a saved card: its token of the token product (Token支付) is deleted, and
// pays no more. The delete moves no money and has no notification: a nil error means deleted.
// Stop paying with the token in the merchant's own store first; a pending answer leaves
// UnionPay's side unknown, and as nothing is paid or refunded by it, the delete is sent again
// under a new OrderID.
func ExampleClient_DeleteToken() {
	srv := unionpaytest.NewServer(unionpaytest.WithClock(exampleNow))
	defer srv.Close()
	c, err := unionpay.NewClient(srv.Config())
	if err != nil {
		fmt.Println(err)
		return
	}
	ctx := context.Background()
	token, err := exampleOpenToken(ctx, c, "OPEN20240105011")
	if err != nil {
		fmt.Println(err)
		return
	}
	srv.Script("TKDEL20240105011", unionpaytest.TimedOut) // the gateway answers 03 to the first try
	for _, orderID := range []string{"TKDEL20240105011", "TKDEL20240105012"} {
		_, err = c.DeleteToken(ctx, &unionpay.TokenRequest{OrderID: orderID, Token: token,
			TokenRequestorID: "62000000001"})
		if !errors.Is(err, unionpay.ErrPending) {
			break
		}
		var pe *unionpay.PendingError
		errors.As(err, &pe)
		fmt.Println(orderID, "pending with respCode", pe.RespCode, "- delete again under a new OrderID")
	}
	if err != nil {
		fmt.Println(err) // an *Error (the token stands), or still pending: try again later
		return
	}
	fmt.Println("deleted")

	// A consume by the deleted token is refused: nothing is paid.
	_, err = c.BackConsume(ctx, &unionpay.CardRequest{OrderID: "PAY20240105011", Amount: 1999,
		BackURL: "https://shop.example/unionpay/notify", Token: token, TokenRequestorID: "62000000001",
		Customer: &unionpay.Customer{SMSCode: "111111"}})
	var rejected *unionpay.Error
	if errors.As(err, &rejected) {
		fmt.Println("consume by the deleted token refused with respCode", rejected.RespCode)
	}
	// Output:
	// TKDEL20240105011 pending with respCode 03 - delete again under a new OrderID
	// deleted
	// consume by the deleted token refused with respCode 89
}

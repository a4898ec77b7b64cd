package unionpay_test

import (
	"context"
	"errors"
	"fmt"

	"github.com/goacp/unionpay/unionpay"
	"github.com/goacp/unionpay/unionpay/unionpaytest"
)

// An open query (开通查询) for token payment: when no notification of a front open came, ask
// UnionPay, by the open's orderId and txnTime, whether the card is opened, and for its token.
func ExampleClient_QueryOpen() {
	srv := unionpaytest.NewServer(unionpaytest.WithClock(exampleNow))
	defer srv.Close()
	c, err := unionpay.NewClient(srv.Config())
	if err != nil {
		fmt.Println(err)
		return
	}
	form, err := c.FrontOpenCard(&unionpay.FrontOpenRequest{
		OrderID:          "OPEN20240105002",
		BizType:          unionpay.BizTypeToken,
		TokenRequestorID: "62000000001",
		FrontURL:         "https://shop.example/opened",
		BackURL:          "https://shop.example/unionpay/notify",
	})
	if err != nil {
		fmt.Println(err)
		return
	}
	// Store form.OrderID and form.TxnTime: the query names the open by them.
	q := &unionpay.OpenQueryRequest{OrderID: form.OrderID, TxnTime: form.TxnTime}
	ctx := context.Background()

	st, err := c.QueryOpen(ctx, q)
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(st.State) // the shopper has not opened the card yet

	if _, err := srv.Pay(ctx, form.Fields, ""); err != nil { // the shopper opens it
		fmt.Println(err)
		return
	}
	srv.ScriptQuery(form.OrderID, unionpaytest.Outcome("05")) // UnionPay is still busy with it
	_, err = c.QueryOpen(ctx, q)
	fmt.Println(errors.Is(err, unionpay.ErrPending)) // ask again later

	st, err = c.QueryOpen(ctx, q)
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(st.State, len(st.Token), st.TokenData["trId"])
	// Output:
	// not found
	// true
	// opened 19 62000000001
}

// The card number of an open query's answer: UnionPay encrypts accNo to the merchant's key (when
// the merchant has that permission); DecryptAccNo decrypts it from a Transaction holding the
// status's OrderID and AccNo.
func ExampleOpenStatus_accNo() {
	srv := unionpaytest.NewServer(unionpaytest.WithClock(exampleNow))
	defer srv.Close()
	c, err := unionpay.NewClient(srv.Config()) // with a Decrypter of the merchant's key
	if err != nil {
		fmt.Println(err)
		return
	}
	form, err := c.FrontOpenCard(&unionpay.FrontOpenRequest{
		OrderID:          "OPEN20240105003",
		BizType:          unionpay.BizTypeToken,
		TokenRequestorID: "62000000001",
		FrontURL:         "https://shop.example/opened",
		BackURL:          "https://shop.example/unionpay/notify",
		AccNo:            unionpaytest.TestCard,
	})
	if err != nil {
		fmt.Println(err)
		return
	}
	ctx := context.Background()
	if _, err := srv.Pay(ctx, form.Fields, ""); err != nil { // the shopper opens the card
		fmt.Println(err)
		return
	}
	st, err := c.QueryOpen(ctx, &unionpay.OpenQueryRequest{OrderID: form.OrderID, TxnTime: form.TxnTime})
	if err != nil {
		fmt.Println(err)
		return
	}
	card, err := c.DecryptAccNo(&unionpay.Transaction{OrderID: st.OrderID, AccNo: st.AccNo})
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(st.State, card) // masked by UnionPay before it was encrypted
	// Output:
	// opened 6216***********0018
}

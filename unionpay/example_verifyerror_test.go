package unionpay_test

import (
	"context"
	"errors"
	"fmt"

	"github.com/goacp/unionpay/sign"
	"github.com/goacp/unionpay/unionpay"
	"github.com/goacp/unionpay/unionpay/unionpaytest"
)

// An answer whose signature does not verify is not believed. For a call that moves money the
// outcome is then unknown: the error matches ErrUnverified and ErrPending, and unwraps to the
// verifier's error (here sign.ErrSignature). Query the transaction; never send it again.
func ExampleVerifyError() {
	srv := unionpaytest.NewServer(unionpaytest.WithClock(exampleNow))
	defer srv.Close()
	c, err := unionpay.NewClient(srv.Config())
	if err != nil {
		fmt.Println(err)
		return
	}
	ctx := context.Background()
	// The gateway takes the payout, then signs its answer with a key that does not match its
	// certificate, as a tampered answer would be.
	srv.FailOrder("PAYOUT20240105009", unionpaytest.FaultWrongKey)
	_, err = c.Payout(ctx, &unionpay.CardRequest{OrderID: "PAYOUT20240105009", Amount: 100,
		AccNo: unionpaytest.TestCard, BackURL: "https://shop.example/unionpay/notify",
		Customer: &unionpay.Customer{Name: "张三"}})
	var ve *unionpay.VerifyError
	var pe *unionpay.PendingError
	fmt.Println(errors.Is(err, unionpay.ErrUnverified), errors.Is(err, unionpay.ErrPending))
	fmt.Println(errors.As(err, &ve) && errors.Is(ve, sign.ErrSignature))
	if !errors.As(err, &pe) {
		fmt.Println(err)
		return
	}
	tx, err := c.Query(ctx, pe.QueryRequest()) // the query's answer is verified too
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(tx.State, tx.Amount)
	// Output:
	// true true
	// true
	// succeeded 100
}

package unionpaytest_test

import (
	"context"
	"errors"
	"fmt"
	"net/http/httptest"
	"sync"

	"github.com/goacp/unionpay/cert"
	"github.com/goacp/unionpay/notify"
	"github.com/goacp/unionpay/unionpay"
	"github.com/goacp/unionpay/unionpay/unionpaytest"
)

// exampleCard is a back-end consume with the fake gateway's test card and customer.
func exampleCard(orderID, backURL string) *unionpay.CardRequest {
	return &unionpay.CardRequest{OrderID: orderID, Amount: 1000, BackURL: backURL, AccNo: unionpaytest.TestCard,
		Customer: &unionpay.Customer{IDType: "01", IDNumber: "341126197709218366", Name: "互联网",
			Phone: "13552535506", SMSCode: "123456", PIN: "111111"}}
}

// A test waits for the notifications of its payments, retries included, rather than sleeping
// until they look delivered.
func ExampleServer_WaitNotifications() {
	srv := unionpaytest.NewServer()
	defer srv.Close()
	verifier, err := srv.NotifyVerifier()
	if err != nil {
		fmt.Println(err)
		return
	}
	var mu sync.Mutex
	var paid []string
	shop := httptest.NewServer(&notify.Handler{Verifier: verifier,
		OnNotify: func(_ context.Context, n *notify.Notification) error {
			mu.Lock()
			defer mu.Unlock()
			paid = append(paid, n.OrderID)
			return nil
		}})
	defer shop.Close()
	client, err := unionpay.NewClient(srv.Config())
	if err != nil {
		fmt.Println(err)
		return
	}
	ctx := context.Background()
	if _, err := client.BackConsume(ctx, exampleCard("WAIT0001", shop.URL+"/notify")); err != nil {
		fmt.Println(err)
		return
	}
	if err := srv.WaitNotifications(ctx); err != nil {
		fmt.Println(err)
		return
	}
	mu.Lock()
	fmt.Println("notified:", paid)
	mu.Unlock()
	for _, d := range srv.Deliveries() {
		fmt.Println("delivery:", d.OrderID, d.Attempt, d.Status)
	}
	// Output:
	// notified: [WAIT0001]
	// delivery: WAIT0001 1 200
}

// UnionPay renews its signing certificate: a client configured before keeps verifying 5.1.0
// answers, which carry the new certificate, issued under the same root and middle.
func ExampleServer_RotateSigningCert() {
	srv := unionpaytest.NewServer()
	defer srv.Close()
	client, err := unionpay.NewClient(srv.Config()) // 5.1.0
	if err != nil {
		fmt.Println(err)
		return
	}
	before := cert.CertID(srv.SigningCertificate())
	if err := srv.RotateSigningCert(); err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println("new certId:", cert.CertID(srv.SigningCertificate()) != before)
	res, err := client.BackConsume(context.Background(), exampleCard("RENEW0001", "http://127.0.0.1:9/notify"))
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println("answer verified:", res.RespCode)
	// Output:
	// new certId: true
	// answer verified: 00
}

// UnionPay switches to a new root and middle. A client whose verifier lacks them reads every
// answer as unverified (a payment as pending); with them as its next chain it verifies again,
// and a query settles the pending payment.
func ExampleServer_RotateRoot() {
	srv := unionpaytest.NewServer()
	defer srv.Close()
	cfg := srv.Config() // 5.1.0, configured before the switch
	vc := srv.VerifierConfig()
	client, err := unionpay.NewClient(cfg)
	if err != nil {
		fmt.Println(err)
		return
	}
	if err := srv.RotateRoot(); err != nil {
		fmt.Println(err)
		return
	}
	ctx := context.Background()
	_, err = client.BackConsume(ctx, exampleCard("ROOT0001", "http://127.0.0.1:9/notify"))
	var pe *unionpay.PendingError
	var ie *cert.InvalidError
	fmt.Println("pending:", errors.As(err, &pe), "unverified:", errors.Is(err, unionpay.ErrUnverified),
		"unknown authority:", errors.As(err, &ie) && ie.Reason == cert.UnknownAuthority)
	if pe == nil {
		return
	}

	// The merchant installs UnionPay's new root and middle as its next chain.
	if vc.NextRoot, err = cert.ParseCertificate(srv.RootPEM()); err != nil {
		fmt.Println(err)
		return
	}
	if vc.NextMiddle, err = cert.ParseCertificate(srv.MiddlePEM()); err != nil {
		fmt.Println(err)
		return
	}
	if cfg.Verifier, err = cert.NewVerifier(vc); err != nil {
		fmt.Println(err)
		return
	}
	if client, err = unionpay.NewClient(cfg); err != nil {
		fmt.Println(err)
		return
	}
	tx, err := client.Query(ctx, &unionpay.QueryRequest{OrderID: "ROOT0001", TxnTime: pe.TxnTime})
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println("payment:", tx.State)
	// Output:
	// pending: true unverified: true unknown authority: true
	// payment: succeeded
}

package unionpay_test

import (
	"context"
	"fmt"

	"github.com/goacp/unionpay/reconcile"
	"github.com/goacp/unionpay/unionpay"
	"github.com/goacp/unionpay/unionpay/unionpaytest"
)

// An acquirer (收单机构, accessType 1) sends for a merchant it acquires: MerchantID is that
// merchant's merId, AcquirerCode the acquirer's acqInsCode, sent with every request. The
// settlement file's records carry the acqInsCode in their 代理机构标识码 (AcqInsCode).
func ExampleAccessType_acquirer() {
	srv := unionpaytest.NewServer(unionpaytest.WithClock(exampleNow))
	defer srv.Close()
	cfg := srv.Config() // in production: the acquirer's Signer, Verifier and Endpoints, the merchant's merId
	cfg.AccessType, cfg.AcquirerCode = unionpay.AccessAcquirer, "48020000"
	c, err := unionpay.NewClient(cfg)
	if err != nil {
		fmt.Println(err)
		return
	}
	ctx := context.Background()
	paid, err := exampleConsume(ctx, c, srv, "ACQ20240105001", 4500)
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(paid.State, paid.Amount, paid.Raw["accessType"], paid.AcqInsCode)

	// Without AcquirerCode, NewClient refuses the configuration before anything is sent.
	cfg.AcquirerCode = ""
	if _, err := unionpay.NewClient(cfg); err != nil {
		fmt.Println(err)
	}

	f, err := c.DownloadFile(ctx, &unionpay.FileRequest{SettleDate: exampleNow()})
	if err != nil {
		fmt.Println(err)
		return
	}
	archive, err := reconcile.Open(f.Content)
	if err != nil {
		fmt.Println(err)
		return
	}
	for rec, err := range archive.Records(exampleNow(), c.MerchantID()) {
		if err != nil {
			fmt.Println(err)
			return
		}
		fmt.Println(rec.OrderID, rec.TxnAmt, rec.AcqInsCode)
	}
	// Output:
	// succeeded 4500 1 48020000
	// unionpay: Config.AcquirerCode: required with AccessAcquirer: up to 11 digits (the settlement file's width)
	// ACQ20240105001 4500 48020000
}

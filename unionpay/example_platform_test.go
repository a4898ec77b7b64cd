package unionpay_test

import (
	"context"
	"fmt"

	"github.com/goacp/unionpay/unionpay"
	"github.com/goacp/unionpay/unionpay/unionpaytest"
)

// A platform merchant (accessType 2) takes payments for its shops: one Client made by NewClient,
// and one derived from it for each shop, so that the shops share the signer, the verifier, the
// HTTP client and the encryption certificate (the certificates are loaded once, and updated once).
// The shops share the platform's merId: their orderIds are unique across all of them, and
// answers, notifications and settlement records name the shop (subMerId).
func ExampleClient_WithSubMerchant() {
	srv := unionpaytest.NewServer(unionpaytest.WithClock(exampleNow))
	defer srv.Close()
	list := []unionpay.SubMerchant{
		{ID: "898111100000001", Name: "杭州西湖龙井茶叶有限公司", Abbr: "龙井茶叶"},
		{ID: "898111100000002", Name: "上海小笼包餐饮有限公司", Abbr: "小笼包"},
	}
	cfg := srv.Config() // in production: Signer, Verifier, HTTPClient and Endpoints as usual
	cfg.AccessType, cfg.SubMerchant = unionpay.AccessPlatform, list[0]
	platform, err := unionpay.NewClient(cfg)
	if err != nil {
		fmt.Println(err)
		return
	}
	shops := map[string]*unionpay.Client{}
	for _, s := range list {
		c, err := platform.WithSubMerchant(s)
		if err != nil {
			fmt.Println(err)
			return
		}
		shops[s.ID] = c
	}
	ctx := context.Background()
	tea := shops["898111100000001"]
	res, err := tea.AppConsume(ctx, &unionpay.ConsumeRequest{OrderID: "TEA20240105001", Amount: 8800,
		BackURL: "https://platform.example/unionpay/notify"})
	if err != nil {
		fmt.Println(err)
		return
	}
	if _, err := srv.Complete(res.OrderID, ""); err != nil { // the shopper pays in the app
		fmt.Println(err)
		return
	}
	tx, err := tea.Query(ctx, &unionpay.QueryRequest{OrderID: res.OrderID, TxnTime: res.TxnTime, TxnType: "01",
		Amount: 8800})
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(tx.State, tx.Amount, tx.SubMerID) // a platform checks it is the shop's
	// Output:
	// succeeded 8800 898111100000001
}

package main

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"time"

	"github.com/goacp/unionpay/reconcile"
	"github.com/goacp/unionpay/unionpay"
	"github.com/goacp/unionpay/unionpay/unionpaytest"
)

// demoDay plays a day of a shop on the fake gateway, whose clock starts at 10:00 Beijing time
// today: three payments, one of them partly refunded, and one order the shopper abandoned at
// the cashier. It returns a client of the gateway, the settle date and the shop's records.
func demoDay(ctx context.Context, srv *unionpaytest.Server) (*unionpay.Client, time.Time, []reconcile.Order, error) {
	client, err := unionpay.NewClient(srv.Config())
	if err != nil {
		return nil, time.Time{}, nil, err
	}
	// The shop acknowledges notifications; this demo keeps its records from the answers instead.
	backURL := httptest.NewServer(http.HandlerFunc(func(http.ResponseWriter, *http.Request) {}))
	defer backURL.Close()

	var orders []reconcile.Order
	var paid []string // queryIds
	var day time.Time // the payments' settle day
	now := srv.Now()
	for i, amount := range []int64{12800, 4500, 39900, 2000} {
		id := fmt.Sprintf("SHOP%s%06d", now.Format("20060102"), i+1)
		form, err := client.FrontConsume(&unionpay.ConsumeRequest{OrderID: id, Amount: amount,
			FrontURL: backURL.URL + "/return", BackURL: backURL.URL + "/notify"})
		if err != nil {
			return nil, time.Time{}, nil, err
		}
		o := reconcile.Order{State: reconcile.StateSucceeded, OrderID: id, TxnTime: form.TxnTime, Amount: amount, TxnType: "01"}
		if i == 3 { // abandoned: never paid, and known as failed by the shop after payTimeout
			o.State = reconcile.StateFailed
			orders = append(orders, o)
			continue
		}
		if _, err := srv.Pay(ctx, form.Fields, unionpaytest.TestCard); err != nil {
			return nil, time.Time{}, nil, err
		}
		// The browser's return proves nothing: the shop books the payment from a query (or the
		// notification), which gives the queryId a refund names and the settle day.
		tx, err := client.Query(ctx, form.QueryRequest())
		if err != nil {
			return nil, time.Time{}, nil, err
		}
		if tx.State != unionpay.Succeeded {
			return nil, time.Time{}, nil, fmt.Errorf("payment %s is %s", id, tx.State)
		}
		settle, err := unionpay.ParseSettleDate(tx.SettleDate, srv.Now()) // read when the answer came
		if err != nil {
			return nil, time.Time{}, nil, err
		}
		if !day.IsZero() && !settle.Equal(day) {
			return nil, time.Time{}, nil, fmt.Errorf("the demo's payments settle on %s and %s", day.Format(time.DateOnly), settle.Format(time.DateOnly))
		}
		day = settle
		paid = append(paid, tx.QueryID)
		orders = append(orders, o)
	}
	refundID := fmt.Sprintf("SHOP%s%06d", now.Format("20060102"), 5)
	res, err := client.Refund(ctx, &unionpay.FollowUpRequest{OrderID: refundID, OrigQueryID: paid[2], Amount: 9900,
		BackURL: backURL.URL + "/notify"})
	if err != nil {
		return nil, time.Time{}, nil, err
	}
	tx, err := client.QueryUntilFinal(ctx, res.QueryRequest(), unionpay.BackBackoff())
	if err != nil {
		return nil, time.Time{}, nil, err
	}
	if tx.State != unionpay.Succeeded {
		return nil, time.Time{}, nil, fmt.Errorf("the refund is %s", tx.State)
	}
	orders = append(orders, reconcile.Order{State: reconcile.StateSucceeded, OrderID: refundID, TxnTime: res.TxnTime, Amount: 9900, TxnType: "04"})
	return client, day, orders, nil
}

package reconcile_test

import (
	"errors"
	"fmt"
	"log"
	"os"
	"time"

	"github.com/goacp/unionpay/reconcile"
)

// Match yields one Result per transaction, in the records' order, then the
// orders UnionPay does not have. A pending order that UnionPay settled is a
// state mismatch: the merchant missed the notification and should query.
func ExampleMatch() {
	at := time.Date(2025, 12, 30, 10, 0, 0, 0, reconcile.Beijing())
	records := func(yield func(reconcile.Record, error) bool) {
		for i, id := range []string{"A1", "A2", "A9"} {
			rec := reconcile.Record{Line: i + 1, OrderID: id, TxnType: "01", TxnTime: at, TxnAmt: 1000,
				MerchantFee: -6, SettleAmt: 994}
			if !yield(rec, nil) {
				return
			}
		}
	}
	orders := func(yield func(reconcile.Order, error) bool) {
		_ = yield(reconcile.Order{OrderID: "A1", TxnTime: at, Amount: 1000, TxnType: "01", State: reconcile.StateSucceeded}, nil) &&
			yield(reconcile.Order{OrderID: "A2", TxnTime: at, Amount: 1000, TxnType: "01", State: reconcile.StatePending}, nil) &&
			yield(reconcile.Order{OrderID: "A3", TxnTime: at, Amount: 500, TxnType: "01", State: reconcile.StateSucceeded}, nil)
	}
	var report reconcile.Report
	for res, err := range reconcile.Match(records, orders) {
		if err != nil {
			report.AddError(err) // a malformed line or order; ranging on collects them all
			continue
		}
		report.Add(res)
		id := res.Order.OrderID
		if res.HasRecord() {
			id = res.Record.OrderID
		}
		if res.Detail != "" {
			id += ": " + res.Detail
		}
		fmt.Println(res.Class, id)
	}
	fmt.Println("discrepancies:", report.Discrepancies())
	// Output:
	// matched A1
	// state_mismatch A2: settled at UnionPay, pending at the merchant
	// unknown_to_merchant A9
	// missing_at_unionpay A3
	// discrepancies: 3
}

// Open refuses a zip over its limits before inflating anything: here a
// member larger than allowed.
func ExampleOpen() {
	b, err := os.ReadFile("testdata/802310048993424_20150905.zip")
	if err != nil {
		log.Fatal(err)
	}
	_, err = reconcile.Open(b, reconcile.WithMaxMemberSize(100))
	fmt.Println(err)
	fmt.Println(errors.Is(err, reconcile.ErrTooLarge))
	// Output:
	// reconcile: settlement archive exceeds limits: member "INN15090588ZM_802310048993424" declares 4872 bytes, limit 100
	// true
}

// A month's report is the sum of its days': each day's file is matched against
// that day's orders, and the reports are merged.
func ExampleReport_Merge() {
	day := func(d int, amounts ...int64) *reconcile.Report {
		at := time.Date(2025, 12, d, 10, 0, 0, 0, reconcile.Beijing())
		records := func(yield func(reconcile.Record, error) bool) {
			for i, a := range amounts {
				fee := -a * 6 / 1000
				if !yield(reconcile.Record{OrderID: fmt.Sprintf("D%02d%d", d, i), TxnType: "01", TxnTime: at,
					TxnAmt: a, MerchantFee: fee, SettleAmt: a + fee}, nil) {
					return
				}
			}
		}
		orders := func(yield func(reconcile.Order, error) bool) {
			for i, a := range amounts {
				if !yield(reconcile.Order{OrderID: fmt.Sprintf("D%02d%d", d, i), TxnTime: at, Amount: a, TxnType: "01",
					State: reconcile.StateSucceeded}, nil) {
					return
				}
			}
		}
		var r reconcile.Report
		for res, err := range reconcile.Match(records, orders) {
			if err != nil {
				r.AddError(err)
				continue
			}
			r.Add(res)
		}
		return &r
	}
	var month reconcile.Report
	month.Merge(day(1, 10000, 2500))
	month.Merge(day(2, 99900))
	if err := month.Err(); err != nil {
		log.Fatal(err)
	}
	m := month.Totals[reconcile.Matched]
	fmt.Println("matched:", m.Count, "net:", m.Net, "fees:", m.Fees, "discrepancies:", month.Discrepancies())
	// Output:
	// matched: 3 net: 111726 fees: -674 discrepancies: 0
}

// Orders turns a slice of the merchant's orders into the sequence Match takes.
func ExampleOrders() {
	at := time.Date(2025, 12, 30, 10, 0, 0, 0, reconcile.Beijing())
	records := func(yield func(reconcile.Record, error) bool) {
		yield(reconcile.Record{Line: 1, OrderID: "A1", TxnType: "01", TxnTime: at, TxnAmt: 1000, SettleAmt: 1000}, nil)
	}
	state, err := reconcile.ParseState("succeeded") // as the shop's database stores it
	if err != nil {
		log.Fatal(err)
	}
	orders := []reconcile.Order{{OrderID: "A1", TxnTime: at, Amount: 1000, TxnType: "01", State: state}}
	for res, err := range reconcile.Match(records, reconcile.Orders(orders)) {
		if err != nil {
			log.Fatal(err)
		}
		fmt.Println(res.Class, res.Order.OrderID)
	}
	// Output:
	// matched A1
}

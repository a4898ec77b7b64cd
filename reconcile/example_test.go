package reconcile_test

import (
	"bytes"
	"fmt"
	"log"
	"os"
	"strings"
	"time"

	"github.com/goacp/unionpay/reconcile"
)

// Open a settlement zip and read its ZM member.
func ExampleZM() {
	b, err := os.ReadFile("testdata/802310048993424_20150905.zip")
	if err != nil {
		log.Fatal(err)
	}
	a, err := reconcile.Open(b)
	if err != nil {
		log.Fatal(err)
	}
	for _, m := range a.Members() {
		fmt.Println(m.Kind, m.Name)
	}
	zm := a.First(reconcile.KindZM)
	rc, err := zm.Open()
	if err != nil {
		log.Fatal(err)
	}
	defer rc.Close()
	for rec, err := range reconcile.ZM(rc, zm.SettleDate) {
		if err != nil {
			fmt.Println(err) // a malformed line; range on to collect them all
			continue
		}
		if rec.Line <= 2 {
			fmt.Println(rec.OrderID, rec.TxnTime.Format(time.DateTime), rec.TxnAmt, rec.MerchantFee, rec.SettleAmt)
		}
	}
	// Output:
	// ZM INN15090588ZM_802310048993424
	// RD RD201015090501_802310048993424
	// 10078087 2015-09-06 11:22:03 476800 -2861 473939
	// 10078088 2015-09-06 11:40:34 83800 -503 83297
}

// Cross-check the ZM records against the RD summary report.
func ExampleSummary_Check() {
	b, err := os.ReadFile("testdata/802310048993424_20150905.zip")
	if err != nil {
		log.Fatal(err)
	}
	a, err := reconcile.Open(b)
	if err != nil {
		log.Fatal(err)
	}
	var tally reconcile.Tally
	for rec, err := range a.Records(time.Time{}, "802310048993424") { // every ZM member of the merchant's, dated by its name
		if err != nil {
			log.Fatal(err)
		}
		tally.Add(&rec)
	}
	rd, err := a.First(reconcile.KindRD).Open()
	if err != nil {
		log.Fatal(err)
	}
	defer rd.Close()
	sum, err := reconcile.ParseRD(rd)
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(sum.MerName, sum.Total.Count, sum.Total.TxnCredit, sum.Total.FeeDebit, sum.Total.NetCredit)
	fmt.Println("check:", sum.Check(&tally))
	// Output:
	// 淘在路上 8 1322700 7936 1314764
	// check: <nil>
}

// Match UnionPay's records against the merchant's orders and write a CSV report
// of the discrepancies, with totals per class.
func ExampleWriteCSV() {
	at := time.Date(2025, 12, 30, 10, 0, 0, 0, reconcile.Beijing())
	records := func(yield func(reconcile.Record, error) bool) {
		_ = yield(reconcile.Record{Line: 1, OrderID: "A1", QueryID: "Q1", TxnType: "01", TxnTime: at,
			TxnAmt: 10000, MerchantFee: -60, SettleAmt: 9940}, nil) &&
			yield(reconcile.Record{Line: 2, OrderID: "A2", QueryID: "Q2", TxnType: "01", TxnTime: at,
				TxnAmt: 5000, MerchantFee: -30, SettleAmt: 4970}, nil)
	}
	orders := func(yield func(reconcile.Order, error) bool) {
		_ = yield(reconcile.Order{State: reconcile.StateSucceeded, OrderID: "A1", TxnTime: at, Amount: 10000}, nil) &&
			yield(reconcile.Order{State: reconcile.StateSucceeded, OrderID: "A2", TxnTime: at, Amount: 4000}, nil) &&
			yield(reconcile.Order{State: reconcile.StateSucceeded, OrderID: "A3", TxnTime: at, Amount: 700}, nil)
	}
	rep, err := reconcile.WriteCSV(os.Stdout, reconcile.Match(records, orders))
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println("discrepancies:", rep.Discrepancies())
	// Output:
	// row,class,count,line,order_id,query_id,orig_query_id,txn_type,txn_time,amount_fen,fee_fen,net_fen,order_amount_fen,order_state,detail,sub_mer_id
	// result,amount_mismatch,1,2,A2,Q2,,01,2025-12-30T10:00:00+08:00,5000,-30,4970,4000,succeeded,"txnAmt 5000 at UnionPay, 4000 at the merchant",
	// result,missing_at_unionpay,1,,A3,,,,2025-12-30T10:00:00+08:00,,,,700,succeeded,,
	// total,matched,1,,,,,,,10000,-60,9940,10000,,,
	// total,unknown_to_merchant,0,,,,,,,0,0,0,0,,,
	// total,missing_at_unionpay,1,,,,,,,0,0,0,700,,,
	// total,amount_mismatch,1,,,,,,,5000,-30,4970,4000,,,
	// total,state_mismatch,0,,,,,,,0,0,0,0,,,
	// total,duplicate,0,,,,,,,0,0,0,0,,,
	// discrepancies: 2
}

// Write a settlement zip, as a fake gateway does, and open it again.
func ExampleSettlement() {
	day := time.Date(2025, 12, 31, 0, 0, 0, 0, reconcile.Beijing())
	s := &reconcile.Settlement{
		MerID: "777290058110097", MerName: "测试商户", AcqInsCode: "48021000", SettleDate: day,
		Records: []reconcile.Record{{
			TxnCode: "S56", TxnTime: day.Add(-time.Hour), TxnAmt: 10000, QueryID: "202512302300001234567",
			OrderID: "A1", PayCardType: "01", MerchantFee: -60, SettleAmt: 9940, NetSettleAmt: 9940,
			TxnType: "01", BizType: "000201", MerID: "777290058110097", SubMerAbbr: "二级商户",
		}},
	}
	b, err := s.Zip()
	if err != nil {
		log.Fatal(err)
	}
	a, err := reconcile.Open(b)
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(reconcile.ArchiveName(s.MerID, day))
	for _, m := range a.Members() {
		fmt.Println(m.Kind, m.Name, m.Size)
	}
	// Output:
	// 777290058110097_20251231.zip
	// ZM INN25123188ZM_777290058110097 609
	// RD RD201025123101_777290058110097 2312
}

// Name the settlement file a report covers, so that a stored report (or a spreadsheet of many
// days' or stores' CSV reports) can be tied back to it: the settle date and the merId lead the
// JSON object, and end every CSV row.
func ExampleCovering() {
	day := time.Date(2025, 12, 30, 0, 0, 0, 0, reconcile.Beijing()) // the file's settle date
	at := day.Add(10 * time.Hour)
	records := func(yield func(reconcile.Record, error) bool) {
		_ = yield(reconcile.Record{Line: 1, OrderID: "A1", QueryID: "Q1", TxnType: "01", TxnTime: at,
			TxnAmt: 10000, MerchantFee: -60, SettleAmt: 9940}, nil)
	}
	orders := func(yield func(reconcile.Order, error) bool) {
		_ = yield(reconcile.Order{State: reconcile.StateSucceeded, OrderID: "A1", TxnTime: at, Amount: 10000}, nil)
	}
	var buf bytes.Buffer
	if _, err := reconcile.WriteJSON(&buf, reconcile.Match(records, orders),
		reconcile.Covering(day, "777290058110097")); err != nil {
		log.Fatal(err)
	}
	head, _, _ := strings.Cut(buf.String(), `"results"`)
	fmt.Println(head + "...")

	// The same option for CSV: two columns after the others, on every row.
	if _, err := reconcile.WriteCSV(os.Stdout, reconcile.Match(records, orders), reconcile.Covering(day, "777290058110097"),
		reconcile.IncludeMatched()); err != nil {
		log.Fatal(err)
	}
	// Output:
	// {"settle_date":"20251230","mer_id":"777290058110097",...
	// row,class,count,line,order_id,query_id,orig_query_id,txn_type,txn_time,amount_fen,fee_fen,net_fen,order_amount_fen,order_state,detail,sub_mer_id,settle_date,mer_id
	// result,matched,1,1,A1,Q1,,01,2025-12-30T10:00:00+08:00,10000,-60,9940,10000,succeeded,,,20251230,777290058110097
	// total,matched,1,,,,,,,10000,-60,9940,10000,,,,20251230,777290058110097
	// total,unknown_to_merchant,0,,,,,,,0,0,0,0,,,,20251230,777290058110097
	// total,missing_at_unionpay,0,,,,,,,0,0,0,0,,,,20251230,777290058110097
	// total,amount_mismatch,0,,,,,,,0,0,0,0,,,,20251230,777290058110097
	// total,state_mismatch,0,,,,,,,0,0,0,0,,,,20251230,777290058110097
	// total,duplicate,0,,,,,,,0,0,0,0,,,,20251230,777290058110097
}

package reconcile_test

import (
	"errors"
	"fmt"
	"log"
	"time"

	"github.com/goacp/unionpay/reconcile"
)

// Read the day's RD summary report and cross-check it against the ZM records of the same zip
// before matching them against the orders: a ZM member that lost records (a file cut short, a
// member left out) disagrees with UnionPay's own totals. Amounts are fen; a refund is a debit.
// The zip is written here with Settlement, as the fake gateway writes it; a real one comes from
// Client.DownloadFile.
func ExampleParseRD() {
	day := time.Date(2025, 12, 31, 0, 0, 0, 0, reconcile.Beijing())
	const merID = "777290058110097"
	s := &reconcile.Settlement{
		MerID: merID, MerName: "测试商户", AcqInsCode: "48021000", SettleDate: day,
		Records: []reconcile.Record{{
			TxnCode: "S56", TxnTime: day.Add(-time.Hour), TxnAmt: 10000, QueryID: "202512302300001234567",
			OrderID: "A1", MerchantFee: -60, SettleAmt: 9940, NetSettleAmt: 9940,
			TxnType: "01", BizType: "000201", MerID: merID,
		}, {
			TxnCode: "S30", TxnTime: day.Add(10 * time.Hour), TxnAmt: 3000, QueryID: "202512311000007654321",
			OrderID: "R1", MerchantFee: 18, SettleAmt: -2982, NetSettleAmt: -2982,
			TxnType: "04", BizType: "000201", MerID: merID, OrigQueryID: "202512302300001234567", OrigOrderID: "A1",
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
	rd, err := a.First(reconcile.KindRD).Open()
	if err != nil {
		log.Fatal(err)
	}
	defer rd.Close()
	sum, err := reconcile.ParseRD(rd)
	if err != nil {
		log.Fatal(err) // an error wrapping reconcile.ErrMalformed names the line
	}
	fmt.Println(sum.MerID, sum.SettleDate.Format(time.DateOnly))
	for _, row := range append(sum.ByTxnType, sum.Total) {
		fmt.Println(row.Label, row.Count, "txn", row.TxnCredit, -row.TxnDebit, "net", row.NetCredit-row.NetDebit)
	}

	var all, short reconcile.Tally
	for rec, err := range a.Records(time.Time{}, merID) {
		if err != nil {
			log.Fatal(err)
		}
		all.Add(&rec)
		if rec.TxnType == "01" {
			short.Add(&rec) // as if the refund's line had been lost
		}
	}
	fmt.Println("check:", sum.Check(&all))
	// A *MismatchError (matching reconcile.ErrMismatch) lists every cell that differs: do not
	// reconcile on such records; download the file again, and ask a person if it persists.
	if mm, ok := errors.AsType[*reconcile.MismatchError](sum.Check(&short)); ok {
		for _, d := range mm.Diffs {
			fmt.Println("short:", d.Row, d.Column, "report", d.Want, "records", d.Got)
		}
	}
	// Output:
	// 777290058110097 2025-12-31
	// 自助消费 1 txn 10000 0 net 9940
	// 退货 1 txn 0 -3000 net -2982
	// 总计 2 txn 10000 -3000 net 6958
	// check: <nil>
	// short: 总计 count report 2 records 1
	// short: 总计 txn report 7000 records 10000
	// short: 总计 txn-gross report 13000 records 10000
	// short: 总计 fee report -42 records -60
	// short: 总计 net report 6958 records 9940
}

package reconcile_test

import (
	"fmt"
	"strings"

	"github.com/goacp/unionpay/reconcile"
)

// OrdersCSV reads the merchant's orders from a CSV export, the sequence Match
// takes (here ranged over alone). A malformed row is an error naming its line
// and column; the rows after it are read.
func ExampleOrdersCSV() {
	export := "\ufeffstate,orderId,txnTime,amount,txnType,note\r\n" + // Excel's byte-order mark, CRLF
		"succeeded,SHOP0001,20261125100512,12800,01,\"gift, wrapped\"\r\n" +
		"succeeded,SHOP0002,20261125143000,30.00,04,\r\n" +
		"pending,SHOP0003,20261125150000,500,01,\r\n"
	for o, err := range reconcile.OrdersCSV(strings.NewReader(export)) {
		if err != nil {
			fmt.Println(err) // a *reconcile.OrderError: Match passes it on, the report lists it
			continue
		}
		fmt.Println(o.OrderID, o.TxnTime.Format("2006-01-02 15:04:05 MST"), o.Amount, o.TxnType, o.State)
	}
	// Output:
	// SHOP0001 2026-11-25 10:05:12 CST 12800 01 succeeded
	// reconcile: order 2 (SHOP0002): line 3, column 4 (amount): "30.00": want a whole number of fen (12800 for 128.00 yuan)
	// SHOP0003 2026-11-25 15:00:00 CST 500 01 pending
}

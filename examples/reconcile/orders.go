package main

import (
	"encoding/csv"
	"io"
	"strconv"
	"strings"

	"github.com/goacp/unionpay/reconcile"
)

// The orders file is the merchant's own record of the day, one transaction per row, in package
// reconcile's orders CSV format (see reconcile.OrdersCSV, which reads it):
//
//	orderId,txnTime,amount,txnType,state
//	SHOP20261125000001,20261125100512,12800,01,succeeded
//	SHOP20261125000002,20261125143000,3000,04,succeeded
//
// txnTime is yyyyMMddHHmmss in Beijing time, as sent to UnionPay; amount is in fen; txnType is
// UnionPay's (01 consume, 04 refund, 31 consume cancel, ...); state is succeeded, pending or
// failed. A refund is its own row with its own orderId. The header row is required; its columns
// may come in any order, among others.

// writeOrders writes orders in the orders-file format. Its cells are data that reconcile.OrdersCSV
// reads back, not a report: they do not go through reconcile.CSVText (an apostrophe would become
// part of the orderId), and the demo's orderIds are its own letters and digits.
func writeOrders(w io.Writer, orders []reconcile.Order) error {
	cw := csv.NewWriter(w)
	if err := cw.Write(strings.Split(reconcile.OrdersCSVHeader, ",")); err != nil {
		return err
	}
	for _, o := range orders {
		if err := cw.Write([]string{o.OrderID, o.TxnTime.In(reconcile.Beijing()).Format("20060102150405"),
			strconv.FormatInt(o.Amount, 10), o.TxnType, o.State.String()}); err != nil {
			return err
		}
	}
	cw.Flush()
	return cw.Error()
}

package main

import (
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"iter"
	"strconv"
	"strings"
	"time"

	"github.com/goacp/unionpay/reconcile"
)

// The orders file is the merchant's own record of the day, one transaction per row:
//
//	orderId,txnTime,amount,txnType,state
//	SHOP20261125000001,20261125100512,12800,01,succeeded
//	SHOP20261125000002,20261125143000,3000,04,succeeded
//
// txnTime is yyyyMMddHHmmss in Beijing time, as sent to UnionPay; amount is in fen; txnType is
// UnionPay's (01 consume, 04 refund, 31 consume cancel, ...); state is succeeded, pending or
// failed. A refund is its own row with its own orderId. The header row is required.
var ordersHeader = []string{"orderId", "txnTime", "amount", "txnType", "state"}

// readOrders returns the orders of r. A malformed row is yielded as an error (with its line)
// and reading goes on; a broken header stops it.
func readOrders(r io.Reader) iter.Seq2[reconcile.Order, error] {
	return func(yield func(reconcile.Order, error) bool) {
		cr := csv.NewReader(r)
		cr.FieldsPerRecord = len(ordersHeader)
		header, err := cr.Read()
		if errors.Is(err, io.EOF) {
			err = errors.New("empty: want a header row " + strings.Join(ordersHeader, ","))
		}
		if err == nil && len(header) > 0 { // Excel's "CSV UTF-8" starts with a byte-order mark
			header[0] = strings.TrimPrefix(header[0], "\ufeff")
		}
		if err == nil && strings.Join(header, ",") != strings.Join(ordersHeader, ",") {
			err = fmt.Errorf("header %q, want %q", strings.Join(header, ","), strings.Join(ordersHeader, ","))
		}
		if err != nil {
			yield(reconcile.Order{}, fmt.Errorf("orders: %w", err))
			return
		}
		for {
			row, err := cr.Read()
			if errors.Is(err, io.EOF) {
				return
			}
			line, _ := cr.FieldPos(0)
			var o reconcile.Order
			if err == nil {
				o, err = parseOrder(row)
			}
			if err != nil {
				if !yield(reconcile.Order{}, &reconcile.OrderError{Index: line - 2, Err: fmt.Errorf("orders line %d: %w", line, err)}) {
					return
				}
				continue
			}
			if !yield(o, nil) {
				return
			}
		}
	}
}

func parseOrder(row []string) (reconcile.Order, error) {
	t, err := time.ParseInLocation("20060102150405", row[1], reconcile.Beijing())
	if err != nil {
		return reconcile.Order{}, fmt.Errorf("txnTime %q: want yyyyMMddHHmmss", row[1])
	}
	amount, err := strconv.ParseInt(row[2], 10, 64)
	if err != nil || amount <= 0 {
		return reconcile.Order{}, fmt.Errorf("amount %q: want a positive number of fen", row[2])
	}
	state, err := reconcile.ParseState(row[4])
	if err != nil {
		return reconcile.Order{}, fmt.Errorf("state %q: want succeeded, pending or failed", row[4])
	}
	return reconcile.Order{OrderID: row[0], TxnTime: t, Amount: amount, TxnType: row[3], State: state}, nil
}

// writeOrders writes orders in the orders-file format.
func writeOrders(w io.Writer, orders []reconcile.Order) error {
	cw := csv.NewWriter(w)
	if err := cw.Write(ordersHeader); err != nil {
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

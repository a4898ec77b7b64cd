package main

import (
	"archive/zip"
	"bytes"
	"context"
	"io"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/goacp/unionpay/reconcile"
)

// TestTrialZMEIsADiscrepancy: a settlement zip whose ZM records all match the orders but which
// also holds a ZME member (an error transaction: a chargeback debiting the merchant) must not
// reconcile cleanly. README's Reconcile counts "their file ... as one discrepancy, for a person
// to review"; the example reports "reconciled" and exits 0.
func TestTrialZMEIsADiscrepancy(t *testing.T) {
	src, err := zip.OpenReader("../../reconcile/testdata/802310048993424_20150905.zip")
	require.NoError(t, err)
	defer src.Close()
	var zbuf bytes.Buffer
	zw := zip.NewWriter(&zbuf)
	var ordersCSV bytes.Buffer
	ordersCSV.WriteString("orderId,txnTime,amount,txnType,state\n")
	settle := time.Date(2015, 9, 5, 0, 0, 0, 0, reconcile.Beijing())
	for _, f := range src.File {
		r, err := f.Open()
		require.NoError(t, err)
		b, err := io.ReadAll(r)
		require.NoError(t, err)
		w, err := zw.Create(f.Name)
		require.NoError(t, err)
		_, _ = w.Write(b)
		if bytes.Contains([]byte(f.Name), []byte("ZM_")) {
			for rec, err := range reconcile.ZM(bytes.NewReader(b), settle) {
				require.NoError(t, err)
				ordersCSV.WriteString(rec.OrderID + "," + rec.TxnTime.In(reconcile.Beijing()).Format("20060102150405") + "," +
					itoa(rec.TxnAmt) + "," + rec.TxnType + ",succeeded\n")
			}
		}
	}
	var zme bytes.Buffer
	ew := reconcile.NewZMEWriter(&zme)
	bj := reconcile.Beijing()
	require.NoError(t, ew.Write(&reconcile.ErrorRecord{
		TxnCode: "E74", AcqInsCode: "00049993", SendInsCode: "00049993", TraceNo: "000004",
		TxnTime: time.Date(2015, 9, 5, 10, 0, 0, 0, bj), AccNo: "621626******0018", TxnAmt: 5000,
		MerCatCode: "4899", TermType: "07", PayCardType: "01", OrigTraceNo: "000004",
		OrigTxnTime: time.Date(2015, 9, 5, 10, 0, 0, 0, bj), OrigSettleDate: time.Date(2015, 9, 5, 0, 0, 0, 0, bj),
		OrigTxnAmt: 5000, MerchantFee: 30, SettleAmt: -4970, MerID: "802310048993424",
	}))
	require.NoError(t, ew.Flush())
	w, err := zw.Create("INN15090588ZME_802310048993424")
	require.NoError(t, err)
	_, _ = w.Write(zme.Bytes())
	require.NoError(t, zw.Close())

	dir := t.TempDir()
	zipPath := filepath.Join(dir, "802310048993424_20150905.zip")
	ordersPath := filepath.Join(dir, "orders.csv")
	require.NoError(t, os.WriteFile(zipPath, zbuf.Bytes(), 0o600))
	require.NoError(t, os.WriteFile(ordersPath, ordersCSV.Bytes(), 0o600))

	var out, log bytes.Buffer
	c, err := run(context.Background(), options{zip: zipPath, orders: ordersPath, date: "20150905", format: "csv"}, &out, &log)
	require.NoError(t, err, log.String())
	if c.OK() {
		t.Fatalf("a zip with a ZME member (chargeback, settleAmt -49.70) reconciled cleanly (exit 0):\n%s", log.String())
	}
}

func itoa(v int64) string { return fmtInt(v) }

func fmtInt(v int64) string { return strconv.FormatInt(v, 10) }

// An orders CSV saved by Excel ("CSV UTF-8") starts with a byte-order mark: it reads as any
// other; an empty one says what it wants.
func TestOrdersByteOrderMarkAndEmpty(t *testing.T) {
	t.Parallel()
	csv := "\ufefforderId,txnTime,amount,txnType,state\r\nSHOP20261125000001,20261125100512,12800,01,succeeded\r\n"
	var n int
	for o, err := range readOrders(strings.NewReader(csv)) {
		if err != nil {
			t.Fatal(err)
		}
		n++
		if o.OrderID != "SHOP20261125000001" || o.Amount != 12800 {
			t.Errorf("order %+v", o)
		}
	}
	if n != 1 {
		t.Errorf("%d orders, want 1", n)
	}
	for _, err := range readOrders(strings.NewReader("")) {
		if err == nil || !strings.Contains(err.Error(), "header row") {
			t.Errorf("empty orders: %v", err)
		}
	}
}

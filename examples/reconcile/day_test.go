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

// Review of d4ba859: kills the examples/reconcile mutants the commit's tests let survive.

// reviewRun writes a zip of two stores' ZM records (all matching the orders it returns) and the
// ZME lines zme (raw bytes, as one ZME member of store 777290058110049), and runs the example
// for store merID.
func reviewRun(t *testing.T, merID string, zme []byte) (*checked, string) {
	t.Helper()
	day := time.Date(2026, 11, 27, 0, 0, 0, 0, reconcile.Beijing())
	at := day.Add(10 * time.Hour)
	rec := reconcile.Record{TxnCode: "S56", AcqInsCode: "88022900", SendInsCode: "00049993", TraceNo: "100001",
		TxnTime: at, AccNo: "621626*********0018", MerCatCode: "4899", TermType: "07", LegacyPayType: "01",
		PayCardType: "01", PayType: "0001", BizType: "000201", MerID: "777290058110048", SubMerID: "000000000000000",
		TxnMedium: "7", QueryID: "261127100000000000001", OrderID: "SHOP0001", TxnType: "01", TxnSubType: "01",
		TxnAmt: 10000, MerchantFee: -60, SettleAmt: 9940, NetSettleAmt: 9940}
	var zm, buf bytes.Buffer
	w := reconcile.NewZMWriter(&zm)
	require.NoError(t, w.Write(&rec))
	require.NoError(t, w.Flush())
	aw := reconcile.NewArchiveWriter(&buf, day)
	for _, m := range []struct {
		name string
		b    []byte
	}{{reconcile.MemberName(reconcile.KindZM, "777290058110048", day), zm.Bytes()},
		{reconcile.MemberName(reconcile.KindZME, "777290058110049", day), zme}} {
		mw, err := aw.Create(m.name)
		require.NoError(t, err)
		_, err = mw.Write(m.b)
		require.NoError(t, err)
	}
	require.NoError(t, aw.Close())
	dir := t.TempDir()
	zipPath := filepath.Join(dir, "777290058110048_20261127.zip")
	ordersPath := filepath.Join(dir, "orders.csv")
	require.NoError(t, os.WriteFile(zipPath, buf.Bytes(), 0o600))
	require.NoError(t, os.WriteFile(ordersPath, []byte("orderId,txnTime,amount,txnType,state\nSHOP0001,20261127100000,10000,01,succeeded\n"), 0o600))
	var out, log bytes.Buffer
	c, err := run(context.Background(), options{zip: zipPath, orders: ordersPath, date: "20261127", format: "csv",
		zipMerID: merID}, &out, &log)
	require.NoError(t, err, log.String())
	return c, log.String()
}

func reviewZMELine(t *testing.T, merID string) []byte {
	t.Helper()
	bj := reconcile.Beijing()
	var zme bytes.Buffer
	ew := reconcile.NewZMEWriter(&zme)
	require.NoError(t, ew.Write(&reconcile.ErrorRecord{
		TxnCode: "E74", AcqInsCode: "00049993", SendInsCode: "00049993", TraceNo: "000004",
		TxnTime: time.Date(2026, 11, 27, 10, 0, 0, 0, bj), AccNo: "621626******0018", TxnAmt: 5000,
		MerCatCode: "4899", TermType: "07", PayCardType: "01", OrigTraceNo: "000004",
		OrigTxnTime: time.Date(2026, 11, 27, 10, 0, 0, 0, bj), OrigSettleDate: time.Date(2026, 11, 27, 0, 0, 0, 0, bj),
		OrigTxnAmt: 5000, MerchantFee: 30, SettleAmt: -4970, MerID: merID,
	}))
	require.NoError(t, ew.Flush())
	return zme.Bytes()
}

// Kills M29: a store's run reports its own error transactions, not another store's.
func TestReviewZMEOfAnotherStore(t *testing.T) {
	c, log := reviewRun(t, "777290058110048", reviewZMELine(t, "777290058110049"))
	require.True(t, c.OK(), "another store's chargeback reported for 777290058110048:\n%s", log)
	c, log = reviewRun(t, "777290058110049", reviewZMELine(t, "777290058110049"))
	require.False(t, c.OK(), log)
	require.Contains(t, log, "error transaction (ZME line 1, txnCode \"E74\"")
}

// Kills M28: a malformed ZME line is an error, not skipped.
func TestReviewZMEMalformedLine(t *testing.T) {
	line := reviewZMELine(t, "777290058110048")
	line[27] = 'X' // the separator before traceNo
	c, log := reviewRun(t, "", line)
	require.False(t, c.OK(), log)
	require.Contains(t, log, "ZME: ")
	require.NotContains(t, log, "error transaction (ZME line 1")
}

// An error transaction's text fields are printed as the file has them: a ZME traceNo holding an
// escape sequence reaches the terminal (cmd/unionpay writes such fields through printable).
func TestReviewBugZMELogEscapes(t *testing.T) {
	line := reviewZMELine(t, "777290058110048")
	copy(line[28:34], "\x1b[2J\x1b[")
	c, log := reviewRun(t, "", line)
	require.False(t, c.OK(), log)
	require.False(t, strings.Contains(log, "\x1b"), "raw escape in the log: %q", log)
}

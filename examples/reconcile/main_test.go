package main

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/goacp/unionpay/cert"
	"github.com/goacp/unionpay/reconcile"
	"github.com/goacp/unionpay/unionpay"
	"github.com/goacp/unionpay/unionpay/unionpaytest"
)

// testCerts holds UnionPay's public test certificates.
const testCerts = "../../testdata/acp-test-certs"

// The example's default run: a day on the fake gateway reconciles cleanly.
func TestDemoReconciles(t *testing.T) {
	ordersPath := filepath.Join(t.TempDir(), "orders.csv")
	var out, log bytes.Buffer
	c, err := run(context.Background(), options{orders: ordersPath, format: "csv", all: true}, &out, &log)
	require.NoError(t, err, log.String())
	assert.True(t, c.OK(), log.String())
	assert.Equal(t, int64(4), c.Report.Totals[reconcile.Matched].Count)
	assert.Contains(t, log.String(), "reconciled: every order matched")
	assert.Equal(t, 4, strings.Count(out.String(), "\nresult,matched,"), out.String())

	orders, err := os.ReadFile(ordersPath)
	require.NoError(t, err)
	assert.True(t, strings.HasPrefix(string(orders), "orderId,txnTime,amount,txnType,state\n"))
	info, err := os.Stat(ordersPath)
	require.NoError(t, err)
	assert.Equal(t, os.FileMode(0o600), info.Mode().Perm(), "the shop's orders, for its owner only")
	assert.Contains(t, string(orders), ",2000,01,failed\n", "the abandoned order is in the shop's records")
}

// keys are generated once for the gateways of these tests.
var keys = sync.OnceValues(unionpaytest.NewKeys)

func newGateway(t *testing.T) *unionpaytest.Server {
	t.Helper()
	k, err := keys()
	require.NoError(t, err)
	srv := unionpaytest.NewServer(unionpaytest.WithClock(unionpaytest.BusinessDayClock()), unionpaytest.WithReporter(t), unionpaytest.WithKeys(k))
	t.Cleanup(srv.Close)
	return srv
}

// dayOnGateway plays the demo day and returns the downloaded zip and the shop's orders.
func dayOnGateway(t *testing.T) (string, []reconcile.Order, time.Time) {
	t.Helper()
	srv := newGateway(t)
	client, day, orders, err := demoDay(context.Background(), srv)
	require.NoError(t, err)
	name, zipBytes, err := download(context.Background(), client, day)
	require.NoError(t, err)
	path := filepath.Join(t.TempDir(), name)
	require.NoError(t, os.WriteFile(path, zipBytes, 0o600))
	return path, orders, day
}

func writeOrdersCSV(t *testing.T, orders []reconcile.Order, extra string) string {
	t.Helper()
	var b bytes.Buffer
	require.NoError(t, writeOrders(&b, orders))
	b.WriteString(extra)
	path := filepath.Join(t.TempDir(), "orders.csv")
	require.NoError(t, os.WriteFile(path, b.Bytes(), 0o600))
	return path
}

// Each kind of discrepancy between the shop's records and UnionPay's file is reported, and
// the day does not reconcile.
func TestDiscrepancies(t *testing.T) {
	zipPath, orders, day := dayOnGateway(t)
	require.Len(t, orders, 5)
	edited := append([]reconcile.Order(nil), orders...)
	edited[0].Amount = 12900                   // amount_mismatch
	edited[1].State = reconcile.StatePending   // state_mismatch
	edited = append(edited[:2], edited[3:]...) // drop order 3: unknown_to_merchant
	edited = append(edited, reconcile.Order{State: reconcile.StateSucceeded, OrderID: "SHOPLOST0001", TxnTime: day.Add(11 * time.Hour),
		Amount: 100, TxnType: "01"}) // missing_at_unionpay
	ordersPath := writeOrdersCSV(t, edited, "SHOPBAD0001,yesterday,100,01,succeeded\n")

	var out, log bytes.Buffer
	c, err := run(context.Background(), options{zip: zipPath, orders: ordersPath, format: "json"}, &out, &log)
	require.NoError(t, err)
	assert.False(t, c.OK())
	for class, n := range map[reconcile.Class]int64{reconcile.Matched: 1, reconcile.AmountMismatch: 1,
		reconcile.StateMismatch: 1, reconcile.UnknownToMerchant: 1, reconcile.MissingAtUnionPay: 1} {
		assert.Equal(t, n, c.Report.Totals[class].Count, class.String())
	}
	assert.Equal(t, 1, c.Report.ErrorCount)
	assert.Contains(t, log.String(), "NOT reconciled: 4 discrepancies, 1 errors")
	assert.Contains(t, log.String(), "line 7, column 2 (txnTime)")
	assert.Contains(t, out.String(), `"results":[`)
	assert.NotContains(t, out.String(), `{"class":"matched","line"`, "only discrepancies without -all")
}

// A day UnionPay has no file for (respCode 98) reconciles only if the shop has nothing either.
func TestNoFile(t *testing.T) {
	srv := newGateway(t)
	client, err := unionpayClient(srv)
	require.NoError(t, err)
	day := srv.Now()
	name, zipBytes, err := download(context.Background(), client, day)
	require.NoError(t, err)
	assert.Empty(t, name)
	assert.Nil(t, zipBytes)

	report, err := reconcileZip(nil, day, "", strings.NewReader("orderId,txnTime,amount,txnType,state\n"), &bytes.Buffer{}, "csv", false)
	require.NoError(t, err)
	assert.Zero(t, report.Discrepancies())

	orders := "orderId,txnTime,amount,txnType,state\nSHOP1,20261125100000,100,01,succeeded\n"
	report, err = reconcileZip(nil, day, "", strings.NewReader(orders), &bytes.Buffer{}, "csv", false)
	require.NoError(t, err)
	assert.Equal(t, int64(1), report.Totals[reconcile.MissingAtUnionPay].Count)

	// The summary does not take the 98 for "nothing settled" (unionpay.ErrNoFile).
	var summary bytes.Buffer
	summarize(&summary, &checked{Report: report})
	assert.Contains(t, summary.String(), "proves nothing about an order")
	assert.NotContains(t, summary.String(), "no transaction settled")
}

func TestBadInput(t *testing.T) {
	zipPath, _, _ := dayOnGateway(t)
	dir := t.TempDir()
	badHeader := filepath.Join(dir, "orders.csv")
	require.NoError(t, os.WriteFile(badHeader, []byte("id,amount\n1,2\n"), 0o600))
	for name, o := range map[string]options{
		"bad header":         {zip: zipPath, orders: badHeader, format: "csv"},
		"zip without orders": {zip: zipPath, format: "csv"},
		"live without date":  {live: true, orders: badHeader, format: "csv"},
		"bad format":         {zip: zipPath, orders: badHeader, format: "xml"},
		"bad date":           {zip: zipPath, orders: badHeader, format: "csv", date: "2026-11-25"},
		"missing zip":        {zip: filepath.Join(dir, "nope.zip"), orders: badHeader, format: "csv"},
		// A forgotten -live: the demo would play its own day and write its orders to -orders.
		"date without live or zip": {orders: filepath.Join(dir, "new.csv"), format: "csv", date: "20261125"},
	} {
		t.Run(name, func(t *testing.T) {
			_, err := run(context.Background(), o, &bytes.Buffer{}, &bytes.Buffer{})
			assert.Error(t, err)
		})
	}
}

func unionpayClient(srv *unionpaytest.Server) (*unionpay.Client, error) {
	return unionpay.NewClient(srv.Config())
}

// -pfx and -password choose the signing PFX of -live (defaults: the public test PFX), and one
// that has expired by now is warned about on the way.
func TestLiveFlags(t *testing.T) {
	o := parseFlags(nil)
	assert.Equal(t, options{certs: "testdata/acp-test-certs", pfx: "unipayAppCert.pfx", password: "000000",
		merID: "700000000000001", format: "csv", all: true}, o)

	o = parseFlags([]string{"-live", "-certs", testCerts, "-pfx", "acp_test_sign.pfx", "-password", "000000",
		"-merid", "777290058110048", "-date", "20260119"})
	assert.True(t, o.live)
	var warn bytes.Buffer
	cfg, err := liveClientConfig(o, &warn, time.Now())
	require.NoError(t, err)
	assert.Equal(t, "69629715588", cfg.Signer.CertID(), "the PFX named by -pfx signs")
	assert.Equal(t, "777290058110048", cfg.MerchantID)
	assert.Equal(t, "https://filedownload.test.95516.com/", cfg.Endpoints.File)
	assert.Equal(t, "warning: the signing certificate of -pfx acp_test_sign.pfx (certId 69629715588, "+
		"notBefore 2018-11-26T03:54:31Z, notAfter 2021-11-26T03:54:31Z) is expired: "+
		"UnionPay can be expected to refuse its signatures\n", warn.String())

	warn.Reset()
	o = parseFlags([]string{"-live", "-certs", testCerts})
	cfg, err = liveClientConfig(o, &warn, time.Date(2026, 6, 1, 0, 0, 0, 0, time.UTC))
	require.NoError(t, err)
	assert.Equal(t, "69903319369", cfg.Signer.CertID(), "the public test PFX by default")
	assert.Empty(t, warn.String())

	// A wrong -password stops -live before anything is sent.
	o = parseFlags([]string{"-live", "-certs", testCerts, "-password", "123456", "-date", "20260119",
		"-orders", filepath.Join(t.TempDir(), "orders.csv")})
	var out, log bytes.Buffer
	_, err = run(context.Background(), o, &out, &log)
	require.ErrorIs(t, err, cert.ErrPassword)
	assert.Contains(t, err.Error(), "-password does not open -pfx unipayAppCert.pfx")
	assert.NotContains(t, err.Error()+out.String()+log.String(), "123456")
}

// TestZipOfAGroup: with -merid, a group's zip (its stores' records) is reconciled for that store
// only: the other stores' records were reported unknown to the merchant (found by a trial).
func TestZipOfAGroup(t *testing.T) {
	day := time.Date(2026, 11, 25, 0, 0, 0, 0, reconcile.Beijing())
	var recs []reconcile.Record
	for i, store := range []string{"777290058110048", "777290058110049"} {
		recs = append(recs, reconcile.Record{TxnCode: "S56", AcqInsCode: "88022900", SendInsCode: "00049993",
			TraceNo: "10000" + string(rune('1'+i)), TxnTime: day.Add(10 * time.Hour), AccNo: "621626*********0018",
			TxnAmt: 100, MerCatCode: "4899", TermType: "07", QueryID: "26112510000000000000" + string(rune('1'+i)),
			LegacyPayType: "01", OrderID: "SHOP1", PayCardType: "01", SettleAmt: 100, NetSettleAmt: 100,
			PayType: "0001", TxnType: "01", TxnSubType: "01", BizType: "000201", MerID: store, TxnMedium: "7"})
	}
	zipBytes, err := (&reconcile.Settlement{MerID: "777290058110048", MerName: "集团", AcqInsCode: "88022900",
		SettleDate: day, Records: recs}).Zip()
	require.NoError(t, err)
	orders := "orderId,txnTime,amount,txnType,state\nSHOP1,20261125100000,100,01,succeeded\n"
	report, err := reconcileZip(zipBytes, day, "777290058110049", strings.NewReader(orders), &bytes.Buffer{}, "csv", false)
	require.NoError(t, err)
	assert.Equal(t, int64(1), report.Totals[reconcile.Matched].Count)
	assert.Zero(t, report.Totals[reconcile.UnknownToMerchant].Count, "the other store's record is not this store's")
}

// TestDemoNeverOverwritesOrders: the demo (no -live, no -zip) writes its orders to a new -orders
// file only. Given the merchant's own orders file (a forgotten -live), it stops and leaves the
// file as it was: it used to replace it with the demo's orders.
func TestDemoNeverOverwritesOrders(t *testing.T) {
	mine := "orderId,txnTime,amount,txnType,state\nSHOP1,20261125100000,100,01,succeeded\n"
	path := filepath.Join(t.TempDir(), "orders.csv")
	require.NoError(t, os.WriteFile(path, []byte(mine), 0o600))
	_, err := run(context.Background(), options{orders: path, format: "csv", all: true}, &bytes.Buffer{}, &bytes.Buffer{})
	require.ErrorIs(t, err, os.ErrExist)
	assert.Contains(t, err.Error(), "-orders "+path+" exists")
	b, err := os.ReadFile(path)
	require.NoError(t, err)
	assert.Equal(t, mine, string(b), "the merchant's orders are untouched")
}

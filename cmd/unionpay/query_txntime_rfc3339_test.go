package main

import (
	"context"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/goacp/unionpay/reconcile"
	"github.com/goacp/unionpay/unionpay"
	"github.com/goacp/unionpay/unionpay/unionpaytest"
)

// TestQueryTxnTimeRFC3339: -txn-time takes the txn_time a reconcile -orders report writes
// (RFC 3339 with its offset), so that the orders a report leaves unknown are queried from it
// without converting the time by hand: the same instant in another offset (UTC) finds the same
// transaction, and the txnTime printed is the 14 digits in Beijing time. A time without an
// offset, with a fraction of a second, or in a year of other than four digits in Beijing time,
// stays a usage error that names both forms.
func TestQueryTxnTimeRFC3339(t *testing.T) {
	c := newServiceCreds(t)
	const orderID = "RFC3339Q0001"
	client, err := unionpay.NewClient(c.g.srv.Config())
	require.NoError(t, err)
	when := c.g.srv.Now().Truncate(time.Second)
	_, err = client.BackConsume(context.Background(), &unionpay.CardRequest{OrderID: orderID, Amount: 100, TxnTime: when,
		BackURL: "https://shop.example/notify", AccNo: unionpaytest.TestCard})
	require.NoError(t, err)
	digits := when.In(reconcile.Beijing()).Format("20060102150405")
	for _, at := range []string{
		when.In(reconcile.Beijing()).Format(time.RFC3339), // as the report writes it
		when.UTC().Format(time.RFC3339),                   // the same instant, from a UTC log
	} {
		args := append([]string{"query", "-order", orderID, "-txn-time", at}, c.pfxFlags...)
		r := c.run(t, c.transport(), args...)
		require.Equal(t, exitOK, r.code, "-txn-time %s: stderr %q", at, r.stderr)
		assert.Contains(t, r.stdout, "state: succeeded\n", "-txn-time %s", at)
		assert.Contains(t, r.stdout, "txnTime: "+digits+"\n", "-txn-time %s", at)
	}
	// Not found: the txnTime printed is the one asked, in the 14 digits a query sends.
	other := when.Add(time.Second).In(reconcile.Beijing())
	args := append([]string{"query", "-order", orderID, "-txn-time", other.Format(time.RFC3339), "-json"}, c.pfxFlags...)
	r := c.run(t, c.transport(), args...)
	assert.Contains(t, r.stdout, `"txnTime":"`+other.Format("20060102150405")+`"`, "stderr %q", r.stderr)
	for _, bad := range []string{
		when.In(reconcile.Beijing()).Format("2006-01-02T15:04:05"),                        // no offset: which zone?
		when.Add(500 * time.Millisecond).In(reconcile.Beijing()).Format(time.RFC3339Nano), // txnTime is to the second
		digits[:12],
		"9999-12-31T23:59:59-01:00", // in 10000 in Beijing time: no 14 digits hold it
	} {
		args := append([]string{"query", "-order", orderID, "-txn-time", bad}, c.pfxFlags...)
		r := c.run(t, c.transport(), args...)
		assert.Equal(t, exitUsage, r.code, "-txn-time %s", bad)
		assert.Contains(t, r.stderr, "YYYYMMDDhhmmss", "-txn-time %s", bad)
		assert.Contains(t, r.stderr, "RFC 3339", "-txn-time %s", bad)
	}
}

package main

import (
	"context"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/goacp/unionpay/reconcile"
	"github.com/goacp/unionpay/unionpay"
	"github.com/goacp/unionpay/unionpay/unionpaytest"
)

// TestQueryPrintsOrderIDWhole: an orderId is printed as it was sent, never masked, even of 19
// digits passing the Luhn check as a card number's do: it is the key the operator finds the order
// by (the merchant's records, UnionPay's notifications and files carry it whole), and orderIds of
// digits alone (yyyyMMddHHmmss and more, as UnionPay's samples make them) are common. See query's
// help for why; respMsg and accNo are masked as before.
func TestQueryPrintsOrderIDWhole(t *testing.T) {
	c := newServiceCreds(t)
	const orderID = "6222021234567890128" // 19 digits, Luhn-valid: a card number's shape
	client, err := unionpay.NewClient(c.g.srv.Config())
	require.NoError(t, err)
	when := c.g.srv.Now()
	_, err = client.BackConsume(context.Background(), &unionpay.CardRequest{OrderID: orderID, Amount: 100, TxnTime: when,
		BackURL: "https://shop.example/notify", AccNo: unionpaytest.TestCard})
	require.NoError(t, err)
	at := when.In(reconcile.Beijing()).Format("20060102150405")
	for _, json := range []bool{false, true} {
		args := append([]string{"query", "-order", orderID, "-txn-time", at}, c.pfxFlags...)
		want := "orderId: " + orderID + "\n"
		if json {
			args, want = append(args, "-json"), `"orderId":"`+orderID+`"`
		}
		r := c.run(t, c.transport(), args...)
		require.Equal(t, exitOK, r.code, "stderr %q", r.stderr)
		assert.Contains(t, r.stdout, want)
		requireNoSecret(t, r)
	}
}

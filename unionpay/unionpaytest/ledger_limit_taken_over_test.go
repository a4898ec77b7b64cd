package unionpaytest_test

import (
	"context"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/goacp/unionpay/unionpay"
	"github.com/goacp/unionpay/unionpay/unionpaytest"
)

// TestLedgerLimitKeepsDrawsOfATakenOverOrderID: a consume SMS (77/02) holds its orderId until
// its consume takes it over; WithLedgerLimit forgetting the SMS, older than its consume, forgot
// the draws of the orderId too, which the kept consume still holds, so that the consume's next
// query or notification drew as a new order's: its draws depended on the other orders the gateway
// served. Now they go with the consume: of a limit of 2, the SMS forgotten by a third order's
// SMS, the orderId's draws are kept, and go when the consume is forgotten.
func TestLedgerLimitKeepsDrawsOfATakenOverOrderID(t *testing.T) {
	t.Parallel()
	srv, c, c0 := clientGateway(t, unionpaytest.WithFaults(1, unionpaytest.FaultRates{}), unionpaytest.WithLedgerLimit(2))
	ctx := context.Background()
	at := c0.Now()
	in := newInbox(t, mustVerifier(t, srv))
	sms := func(orderID string) {
		t.Helper()
		_, err := c.SendSMS(ctx, &unionpay.AccountRequest{OrderID: orderID, TxnTime: at, AccNo: unionpaytest.TestCard,
			Customer: &unionpay.Customer{Phone: "13552535506"}, TxnSubType: "02", Amount: 8800})
		require.NoError(t, err)
	}
	sms("DRAWTAKEN01")
	_, err := c.BackConsume(ctx, &unionpay.CardRequest{OrderID: "DRAWTAKEN01", TxnTime: at, Amount: 8800,
		AccNo: unionpaytest.TestCard, BackURL: in.URL(),
		Customer: &unionpay.Customer{Phone: "13552535506", SMSCode: "111111", Name: "张三"}})
	require.NoError(t, err)
	require.NoError(t, srv.WaitNotifications(ctx))
	taken, _ := unionpaytest.KeptSizes(srv) // the SMS's, the consume's and its notification's
	require.Equal(t, 3, taken)

	sms("DRAWTAKEN02") // the ledger forgets DRAWTAKEN01's SMS; its consume is kept
	draws, _ := unionpaytest.KeptSizes(srv)
	assert.Equal(t, taken+1, draws, "the draws of the orderId the kept consume holds")

	sms("DRAWTAKEN03") // and now the consume
	draws, _ = unionpaytest.KeptSizes(srv)
	assert.Equal(t, 2, draws, "the two SMS's kept")
}

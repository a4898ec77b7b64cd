package unionpaytest

import (
	"context"
	"net/http"
	"net/http/httptest"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/goacp/unionpay/sign"
	"github.com/goacp/unionpay/unionpay"
)

// TestLedgerLimitForgottenBeforeDelivery: a transaction WithLedgerLimit forgets between its
// answer and the start of its notification's delivery (another order taking its place) is not
// notified at all: no delivery of a forgotten transaction starts, as none of it is retried.
func TestLedgerLimitForgottenBeforeDelivery(t *testing.T) {
	t.Parallel()
	shop := httptest.NewServer(http.HandlerFunc(func(http.ResponseWriter, *http.Request) {}))
	t.Cleanup(shop.Close)
	srv := NewServer(WithLedgerLimit(1), WithNotifySchedule(0))
	t.Cleanup(srv.Close)
	c, err := unionpay.NewClient(srv.Config())
	require.NoError(t, err)
	ctx := context.Background()
	consume := func(orderID string) error {
		_, err := c.BackConsume(ctx, &unionpay.CardRequest{OrderID: orderID, Amount: 1000, BackURL: shop.URL,
			AccNo: TestCard, Customer: &unionpay.Customer{IDType: "01", IDNumber: "341126197709218366",
				Name: "互联网", Phone: "13552535506", SMSCode: "123456", PIN: "111111"}})
		return err
	}
	forgot := make(chan error, 1)
	srv.afterAnswer = func(req sign.Fields) {
		if req["orderId"] == "FORGETGAP1" {
			forgot <- consume("FORGETGAP2") // the ledger keeps 1: FORGETGAP1 is forgotten
		}
	}
	require.NoError(t, consume("FORGETGAP1"))
	require.NoError(t, <-forgot)
	require.NoError(t, srv.WaitNotifications(ctx))
	require.Equal(t, 1, srv.Dropped().Transactions)
	var notified []string
	for _, d := range srv.Deliveries() {
		notified = append(notified, d.OrderID)
	}
	assert.Equal(t, []string{"FORGETGAP2"}, notified, "FORGETGAP1 was forgotten before its delivery started")
}

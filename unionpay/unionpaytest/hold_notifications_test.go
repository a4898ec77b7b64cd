package unionpaytest_test

import (
	"context"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/goacp/unionpay/unionpay"
	"github.com/goacp/unionpay/unionpay/unionpaytest"
)

// TestHoldNotifications: an outage's notification pattern, gateway-wide. While held, the
// payments are answered and queried as usual but none is notified (a notify-first one
// neither), WaitNotifications does not wait for them, and Server.Notify still sends. Released
// with 2 copies, every held notification arrives twice in a burst, on its own fault too (a
// duplicate-notify one three times); later payments are notified at once, and a second release
// has nothing to deliver.
func TestHoldNotifications(t *testing.T) {
	t.Parallel()
	srv, c, clk := clientGateway(t, unionpaytest.WithReporter(t))
	v, err := srv.NotifyVerifier()
	require.NoError(t, err)
	in := newInbox(t, v)
	ctx := context.Background()
	pay := func(order string) {
		t.Helper()
		_, err := c.BackConsume(ctx, &unionpay.CardRequest{OrderID: order, Amount: 100, TxnTime: clk.Now(),
			BackURL: in.URL(), AccNo: unionpaytest.TestCard})
		require.NoError(t, err, order)
	}
	byOrder := func() map[string]int {
		in.mu.Lock()
		defer in.mu.Unlock()
		n := map[string]int{}
		for _, f := range in.got {
			n[f["orderId"]]++
		}
		return n
	}

	srv.HoldNotifications()
	srv.HoldNotifications() // twice is once
	srv.FailOrder("HOLDFIRST01", unionpaytest.FaultNotifyFirst)
	srv.FailOrder("HOLDDUP0001", unionpaytest.FaultDuplicateNotify)
	for _, o := range []string{"HOLD0000001", "HOLD0000002", "HOLDFIRST01", "HOLDDUP0001"} {
		pay(o)
	}
	wctx, cancel := context.WithTimeout(ctx, 5*time.Second)
	defer cancel()
	require.NoError(t, srv.WaitNotifications(wctx), "held notifications are not waited for")
	time.Sleep(100 * time.Millisecond) // none may arrive
	assert.Zero(t, in.count(), "held: nothing notified")
	assert.Empty(t, srv.Deliveries())
	tx, err := c.Query(ctx, &unionpay.QueryRequest{OrderID: "HOLD0000002", TxnTime: clk.Now()})
	require.NoError(t, err)
	assert.Equal(t, unionpay.Succeeded, tx.State, "the gateway answers queries while it holds notifications")
	require.NoError(t, srv.Notify(ctx, "HOLD0000001"), "Notify is not held")
	require.Equal(t, 1, in.count())

	assert.Equal(t, 4, srv.ReleaseNotifications(2))
	require.NoError(t, srv.WaitNotifications(wctx))
	assert.Equal(t, map[string]int{"HOLD0000001": 1 + 2, "HOLD0000002": 2, "HOLDFIRST01": 2, "HOLDDUP0001": 3}, byOrder())
	assert.Zero(t, in.bad, "every notification verifies")

	pay("AFTER000001")
	require.NoError(t, srv.WaitNotifications(wctx))
	assert.Equal(t, 1, byOrder()["AFTER000001"], "released: notified at once, once")
	assert.Zero(t, srv.ReleaseNotifications(2), "nothing held")
}

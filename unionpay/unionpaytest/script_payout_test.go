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

// A payout scripted 01 then success is answered 01 (which the client reads as pending for a
// payout) and goes through on the next query, as a real payout answered 01 may; scripted 01
// alone, it stays failed.
func TestPayoutAnswered01ThenSucceeds(t *testing.T) {
	t.Parallel()
	srv, c, c0 := clientGateway(t)
	var err error
	ctx := context.Background()
	payout := func(orderID string) (*unionpay.PendingError, time.Time) {
		at := c0.Now()
		_, err := c.Payout(ctx, &unionpay.CardRequest{OrderID: orderID, TxnTime: at, Amount: 500,
			AccNo: unionpaytest.TestCard, BackURL: "https://shop.example/notify", Customer: &unionpay.Customer{Name: "张三"}})
		var pe *unionpay.PendingError
		require.ErrorAs(t, err, &pe)
		return pe, at
	}
	srv.Script("PAYOUT01OK0001", unionpaytest.Failed, unionpaytest.Succeed)
	pe, at := payout("PAYOUT01OK0001")
	assert.Equal(t, "01", pe.RespCode)
	x, ok := srv.Transaction("PAYOUT01OK0001")
	require.True(t, ok)
	assert.False(t, x.Final, "01 with steps left is not final for a payout")
	tx, err := c.Query(ctx, &unionpay.QueryRequest{OrderID: "PAYOUT01OK0001", TxnTime: at, BizType: unionpay.BizTypePayout})
	require.NoError(t, err)
	assert.Equal(t, unionpay.Succeeded, tx.State)

	srv.Script("PAYOUT01NO0001", unionpaytest.Failed)
	pe, at = payout("PAYOUT01NO0001")
	assert.Equal(t, "01", pe.RespCode)
	x, ok = srv.Transaction("PAYOUT01NO0001")
	require.True(t, ok)
	assert.True(t, x.Final)
	tx, err = c.Query(ctx, &unionpay.QueryRequest{OrderID: "PAYOUT01NO0001", TxnTime: at, BizType: unionpay.BizTypePayout})
	require.NoError(t, err)
	assert.Equal(t, unionpay.Pending, tx.State, "01 on a payout: the client keeps asking")
	assert.Equal(t, "01", tx.OrigRespCode)

	// Rejected (30) is final for a payout too: a rejection, nothing happened.
	srv.Script("PAYOUT30NO0001", unionpaytest.Rejected)
	_, err = c.Payout(ctx, &unionpay.CardRequest{OrderID: "PAYOUT30NO0001", Amount: 500, AccNo: unionpaytest.TestCard,
		BackURL: "https://shop.example/notify", Customer: &unionpay.Customer{Name: "张三"}})
	var rejected *unionpay.Error
	require.ErrorAs(t, err, &rejected)
	assert.Equal(t, "30", rejected.RespCode)
	assert.NotErrorIs(t, err, unionpay.ErrPending)
}

// A Script for a transaction the gateway already has is ignored and reported: a test that
// scripts too late must not pass for the wrong reason.
func TestScriptTooLateIsReported(t *testing.T) {
	t.Parallel()
	rec := &recorder{}
	m := newMerchant(t, unionpaytest.WithReporter(rec))
	m.appConsume("LATESCRIPT01", "100", "http://127.0.0.1:1/n")
	require.Zero(t, rec.count())
	m.srv.Script("LATESCRIPT01", unionpaytest.Failed)
	require.Equal(t, 1, rec.count())
	assert.Contains(t, rec.msgs[0], "sent already")
	x, ok := m.srv.Transaction("LATESCRIPT01")
	require.True(t, ok)
	assert.Equal(t, "00", x.RespCode, "unchanged")
}

// BusinessDayClock starts at 10:00 Beijing time on today's Beijing date and runs at wall speed.
func TestBusinessDayClock(t *testing.T) {
	t.Parallel()
	beijing := time.FixedZone("CST", 8*3600)
	before := time.Now().In(beijing)
	clock := unionpaytest.BusinessDayClock()
	first := clock().In(beijing)
	after := time.Now().In(beijing)
	y, m, d := first.Date()
	if by, bm, bd := before.Date(); by != y || bm != m || bd != d { // Beijing midnight between the two readings
		ay, am, ad := after.Date()
		require.Equal(t, []int{ay, int(am), ad}, []int{y, int(m), d})
	}
	assert.Equal(t, 10, first.Hour())
	assert.Less(t, first.Sub(time.Date(y, m, d, 10, 0, 0, 0, beijing)), time.Second)
	time.Sleep(20 * time.Millisecond)
	assert.GreaterOrEqual(t, clock().Sub(first), 20*time.Millisecond, "it runs")
}

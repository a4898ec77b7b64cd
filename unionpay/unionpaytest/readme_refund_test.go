package unionpaytest_test

import (
	"context"
	"os"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/goacp/unionpay/internal/readmerecipe"
	"github.com/goacp/unionpay/unionpay"
	"github.com/goacp/unionpay/unionpay/unionpaytest"
)

// readmeRefundPart is README.md's RefundPart (TestReadmeRefundPart checks that the README still
// holds its distinctive lines), with the README's BackURL.
func readmeRefundPart(ctx context.Context, c *unionpay.Client, refundID string, txnTime time.Time,
	origQueryID string, amount int64) error {
	return readmerecipe.RefundPart(ctx, c, refundID, txnTime, origQueryID, amount, "https://shop.example.com/unionpay/notify")
}

// TestReadmeRefundPart runs the README's RefundPart against the fake gateway, called again after
// a crash once txnTime is no longer current: a refund sent before the crash is found and its
// outcome returned; one stored but never sent is pending as not found, to be checked in the
// settlement file before a new one is sent (a plain error, which the contract called "nothing was
// refunded", invited a second refund; found by a review), and is in no settlement file.
func TestReadmeRefundPart(t *testing.T) {
	t.Parallel()
	readme, err := os.ReadFile("../../README.md")
	require.NoError(t, err)
	for _, line := range []string{
		`case errors.Is(err, unionpay.ErrTxnTimeNotCurrent):`,
		`query := &unionpay.QueryRequest{OrderID: refundID, TxnTime: txnTime, TxnType: "04", Amount: amount,` + "\n\t\tOrigQueryID: origQueryID}",
		`if tx, err := c.Query(ctx, query); err == nil && tx.State == unionpay.NotFound {`,
		`Err: errors.New("not found: if the files of its settle day and the next one list no refund (04) " +`,
		`tx, err := c.QueryUntilFinal(ctx, query, unionpay.BackBackoff())`,
	} {
		require.Contains(t, string(readme), line, "readmeRefundPart is no longer the README's")
	}

	srv, _, c0 := clientGateway(t)
	cfg := srv.Config()
	cfg.Sleep = func(ctx context.Context, d time.Duration) error { c0.Advance(max(d, 0)); return ctx.Err() }
	c, err := unionpay.NewClient(cfg)
	require.NoError(t, err)
	ctx := context.Background()
	pay, err := c.BackConsume(ctx, &unionpay.CardRequest{OrderID: "READMEPAY0001", Amount: 10000,
		AccNo: unionpaytest.TestCard, BackURL: "https://shop.example/notify",
		Customer: &unionpay.Customer{Phone: "13552535506", SMSCode: "111111"}})
	require.NoError(t, err)
	c0.Advance(time.Minute)

	// Sent, then a crash; called again twenty minutes later: the query finds it.
	sent := c0.Now()
	require.NoError(t, readmeRefundPart(ctx, c, "READMEREF0001", sent, pay.QueryID, 100))
	c0.Advance(20 * time.Minute)
	require.NoError(t, readmeRefundPart(ctx, c, "READMEREF0001", sent, pay.QueryID, 100), "sent before: found")

	// Stored, a crash before sending; called again twenty minutes later, then a day later.
	stored := c0.Now()
	c0.Advance(20 * time.Minute)
	for range 2 {
		err = readmeRefundPart(ctx, c, "READMEREF0002", stored, pay.QueryID, 100)
		require.ErrorIs(t, err, unionpay.ErrPending, "unknown until the settle day's file says")
		assert.Contains(t, err.Error(), "not found: if the files of its settle day and the next one list no refund (04)")
		c0.Advance(24 * time.Hour)
	}
	// The settlement file decides: the refund sent is listed, the one never sent is not.
	var listed []string
	for _, r := range srv.Records(stored) {
		listed = append(listed, r.OrderID)
	}
	assert.Contains(t, listed, "READMEREF0001")
	assert.NotContains(t, listed, "READMEREF0002")
	// A new refundID and txnTime go through.
	require.NoError(t, readmeRefundPart(ctx, c, "READMEREF0003", c0.Now(), pay.QueryID, 100))
}

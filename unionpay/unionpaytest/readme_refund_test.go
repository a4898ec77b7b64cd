package unionpaytest_test

import (
	"context"
	"errors"
	"fmt"
	"os"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/goacp/unionpay/unionpay"
	"github.com/goacp/unionpay/unionpay/unionpaytest"
)

// readmeRefundPart is README.md's RefundPart, verbatim (TestReadmeRefundPart checks that the
// README still holds its distinctive lines).
func readmeRefundPart(ctx context.Context, c *unionpay.Client, refundID string, txnTime time.Time,
	origQueryID string, amount int64) error {
	if txnTime.IsZero() {
		return errors.New("refund: txnTime is required, stored with refundID before sending")
	}
	_, err := c.Refund(ctx, &unionpay.FollowUpRequest{
		OrderID:     refundID,
		OrigQueryID: origQueryID,
		Amount:      amount,
		TxnTime:     txnTime,
		BackURL:     "https://shop.example.com/unionpay/notify",
	})
	var rejected *unionpay.Error
	switch {
	case errors.As(err, &rejected):
		// Refused; but this may be a copy sent again after a crash, refused although the first
		// went through (12, or the refundable amount used up by it): a query tells.
		tx, qerr := c.Query(ctx, &unionpay.QueryRequest{OrderID: refundID, TxnTime: txnTime,
			TxnType: "04", Amount: amount})
		switch {
		case qerr != nil:
			return &unionpay.PendingError{Op: "refund", OrderID: refundID, TxnTime: txnTime,
				Err: fmt.Errorf("refused (%v); querying it: %w", err, qerr)}
		case tx.State == unionpay.NotFound:
			return fmt.Errorf("refund refused: %w", err)
		}
	case errors.Is(err, unionpay.ErrTxnTimeNotCurrent):
		// Not sent now; sent before with this txnTime, or never. A query that finds it tells its
		// outcome; "not found" is no proof that it was never made (unionpay.NotFound): the
		// settlement files of its settle day and the next one are (a day ends at 23:00, and a
		// copy accepted from then on settles the next day; this SDK sends no copy with a txnTime
		// this old, so nothing can come later).
		if tx, err := c.Query(ctx, &unionpay.QueryRequest{OrderID: refundID, TxnTime: txnTime,
			TxnType: "04", Amount: amount}); err == nil && tx.State == unionpay.NotFound {
			return &unionpay.PendingError{Op: "refund", OrderID: refundID, TxnTime: txnTime,
				Err: errors.New("not found: if the files of its settle day and the next one list no refund (04) " +
					"of this amount under refundID, it was never made (then store a new refundID and txnTime, and call again)")}
		}
	case err != nil && !errors.Is(err, unionpay.ErrPending):
		return err // never sent: nothing happened
	}
	// Accepted, pending or sent before: the notification or a query gives the result (with
	// TxnType and Amount, a query finding another transaction under refundID reads NotFound).
	tx, err := c.QueryUntilFinal(ctx, &unionpay.QueryRequest{OrderID: refundID, TxnTime: txnTime,
		TxnType: "04", Amount: amount}, unionpay.BackBackoff())
	switch {
	case errors.Is(err, unionpay.ErrPending):
		return err // still unknown: the schedule ended, ctx ended, or an answer did not verify
	case err != nil: // an invalid query or configuration, nothing asked: still unknown
		return &unionpay.PendingError{Op: "refund", OrderID: refundID, TxnTime: txnTime,
			Err: fmt.Errorf("querying it: %w", err)}
	case tx.State != unionpay.Succeeded:
		return fmt.Errorf("refund %s failed: %s %s", refundID, tx.OrigRespCode, tx.OrigRespMsg)
	}
	return nil
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
		`TxnType: "04", Amount: amount}); err == nil && tx.State == unionpay.NotFound {`,
		`Err: errors.New("not found: if the files of its settle day and the next one list no refund (04) " +`,
		`TxnType: "04", Amount: amount}, unionpay.BackBackoff())`,
	} {
		require.Contains(t, string(readme), line, "readmeRefundPart is no longer the README's")
	}

	srv, _, c0 := clientGateway(t)
	cfg := srv.Config()
	cfg.Sleep = func(ctx context.Context, d time.Duration) error { c0.Add(max(d, 0)); return ctx.Err() }
	c, err := unionpay.NewClient(cfg)
	require.NoError(t, err)
	ctx := context.Background()
	pay, err := c.BackConsume(ctx, &unionpay.CardRequest{OrderID: "READMEPAY0001", Amount: 10000,
		AccNo: unionpaytest.TestCard, BackURL: "https://shop.example/notify",
		Customer: &unionpay.Customer{Phone: "13552535506", SMSCode: "111111"}})
	require.NoError(t, err)
	c0.Add(time.Minute)

	// Sent, then a crash; called again twenty minutes later: the query finds it.
	sent := c0.Now()
	require.NoError(t, readmeRefundPart(ctx, c, "READMEREF0001", sent, pay.QueryID, 100))
	c0.Add(20 * time.Minute)
	require.NoError(t, readmeRefundPart(ctx, c, "READMEREF0001", sent, pay.QueryID, 100), "sent before: found")

	// Stored, a crash before sending; called again twenty minutes later, then a day later.
	stored := c0.Now()
	c0.Add(20 * time.Minute)
	for range 2 {
		err = readmeRefundPart(ctx, c, "READMEREF0002", stored, pay.QueryID, 100)
		require.ErrorIs(t, err, unionpay.ErrPending, "unknown until the settle day's file says")
		assert.Contains(t, err.Error(), "not found: if the files of its settle day and the next one list no refund (04)")
		c0.Add(24 * time.Hour)
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

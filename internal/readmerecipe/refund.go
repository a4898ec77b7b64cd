// Package readmerecipe holds the recipes README.md shows as Go code, so that tests run them as
// the README has them (unionpaytest's TestReadmeRefundPart, TestReadmeReconcile and
// TestReadmeFrontReturn check that the README still holds their distinctive lines,
// TestReadmeCheckout that it holds Orders and Routes byte for byte, and TestReadmeCollectMonth
// Debit and CollectMonth). It is for tests; nothing else imports it.
package readmerecipe

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/goacp/unionpay/unionpay"
)

// RefundPart is README.md's RefundPart, but for its backURL, given here last: see the README
// for its contract.
func RefundPart(ctx context.Context, c *unionpay.Client, refundID string, txnTime time.Time,
	origQueryID string, amount int64, backURL string) error {
	if txnTime.IsZero() {
		return errors.New("refund: txnTime is required, stored with refundID before sending")
	}
	// The refund's query, as res.QueryRequest() and a PendingError's QueryRequest() give it: with
	// TxnType, Amount and OrigQueryID, a query finding another transaction under refundID (a
	// reused orderId) reads NotFound, never that one's outcome. Built from what was stored, it
	// serves after a crash too, when there is neither.
	query := &unionpay.QueryRequest{OrderID: refundID, TxnTime: txnTime, TxnType: "04", Amount: amount,
		OrigQueryID: origQueryID}
	_, err := c.Refund(ctx, &unionpay.FollowUpRequest{
		OrderID:     refundID,
		OrigQueryID: origQueryID,
		Amount:      amount,
		TxnTime:     txnTime,
		BackURL:     backURL,
	})
	var rejected *unionpay.Error
	switch {
	case errors.As(err, &rejected):
		// Refused; but this may be a copy sent again after a crash, refused although the first
		// went through (the refundable amount used up by it; a 12 reads pending): a query tells.
		tx, qerr := c.Query(ctx, query)
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
		if tx, err := c.Query(ctx, query); err == nil && tx.State == unionpay.NotFound {
			return &unionpay.PendingError{Op: "refund", OrderID: refundID, TxnTime: txnTime,
				Err: errors.New("not found: if the files of its settle day and the next one list no refund (04) " +
					"of this amount under refundID, it was never made (then store a new refundID and txnTime, and call again)")}
		}
	case err != nil && !errors.Is(err, unionpay.ErrPending):
		return err // never sent: nothing happened
	}
	// Accepted, pending or sent before: the notification or a query gives the result.
	tx, err := c.QueryUntilFinal(ctx, query, unionpay.BackBackoff())
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

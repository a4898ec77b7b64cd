package readmerecipe

import (
	"context"
	"errors"
	"time"

	"github.com/goacp/unionpay/unionpay"
)

// The text from Debit's doc comment to the end of CollectMonth is README.md's, byte for byte
// (unionpaytest's TestReadmeCollectMonth checks it).

// Debit is one attempt to collect one month's premium. OrderID and TxnTime are new for each
// attempt; the Debit is stored before CollectMonth is called, so that a crash or a lost answer
// can still be queried.
type Debit struct {
	OrderID          string
	TxnTime          time.Time
	Amount           int64 // fen
	Card             string
	IDNumber, Holder string
}

// CollectMonth collects d and returns the state to store: Succeeded; Failed, to try again on a
// later day as a new Debit; or Pending, with an error matching unionpay.ErrPending, while the
// outcome is unknown: query d again later (or call CollectMonth again: with a stale TxnTime it
// queries instead of sending), never make a new Debit for that month meanwhile.
func CollectMonth(ctx context.Context, c *unionpay.Client, d Debit) (unionpay.State, error) {
	// The attempt's query, as res.QueryRequest() and a PendingError's give it; built from what was
	// stored, it serves after a crash too.
	query := &unionpay.QueryRequest{OrderID: d.OrderID, TxnTime: d.TxnTime, TxnType: "11", Amount: d.Amount,
		Currency: "156"}
	_, err := c.Collect(ctx, &unionpay.CardRequest{
		OrderID: d.OrderID, TxnTime: d.TxnTime, Amount: d.Amount, AccNo: d.Card,
		Customer: &unionpay.Customer{IDType: "01", IDNumber: d.IDNumber, Name: d.Holder},
		BackURL:  "https://insurer.example.com/unionpay/notify",
	})
	var rejected *unionpay.Error
	switch {
	case errors.As(err, &rejected), errors.Is(err, unionpay.ErrTxnTimeNotCurrent):
		// Refused (insufficient funds, a closed card...), or not sent as its TxnTime is stale:
		// nothing was collected by this request, but a copy sent before a crash may have been.
		tx, qerr := c.Query(ctx, query)
		switch {
		case qerr != nil:
			return unionpay.Pending, &unionpay.PendingError{Op: "collection", OrderID: d.OrderID,
				TxnTime: d.TxnTime, Err: qerr}
		case tx.State == unionpay.NotFound && rejected != nil:
			return unionpay.Failed, nil
		case tx.State == unionpay.NotFound: // never sent, or not found yet: the files decide
			return unionpay.Pending, &unionpay.PendingError{Op: "collection", OrderID: d.OrderID,
				TxnTime: d.TxnTime, Err: errors.New("not found: absent from the files of its settle day and the next, it was never made")}
		}
	case err != nil && !errors.Is(err, unionpay.ErrPending):
		return unionpay.Failed, err // never sent (an invalid field, named): nothing was collected
	}
	tx, err := c.QueryUntilFinal(ctx, query, unionpay.BackBackoff())
	if err != nil {
		return unionpay.Pending, err // still unknown: query again later
	}
	return tx.State, nil // Succeeded or Failed
}

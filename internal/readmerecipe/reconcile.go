package readmerecipe

import (
	"context"
	"io"
	"iter"
	"time"

	"github.com/goacp/unionpay/reconcile"
	"github.com/goacp/unionpay/unionpay"
)

// The text from Reconcile's doc comment to its end is README.md's, byte for byte
// (unionpaytest's TestReadmeReconcile checks it).

// Reconcile writes to w (a file, an HTTP response), as CSV, the discrepancies between UnionPay's
// settlement file for day and the shop's orders of that day, and returns how many there are.
// Error transactions (the ZME member: chargebacks, adjustments) name no orderId to match: their
// file counts as one discrepancy, for a person to review. A file whose records do not add up to
// its RD summary report is an error matching reconcile.ErrMismatch: none of it is to be trusted.
// On an error w may hold rows already: an HTTP handler that must answer it with an error status
// writes the report to a buffer first.
func Reconcile(ctx context.Context, c *unionpay.Client, day time.Time, orders iter.Seq2[reconcile.Order, error],
	w io.Writer) (int64, error) {
	f, err := c.DownloadFile(ctx, &unionpay.FileRequest{SettleDate: day})
	if err != nil {
		return 0, err
	}
	archive, err := reconcile.Open(f.Content)
	if err != nil {
		return 0, err
	}
	if archive.First(reconcile.KindZM) == nil {
		return 0, reconcile.ErrMalformed
	}
	// The records of every ZM member (a day's may come in more than one), added up as they are
	// matched, as the RD summary report adds them.
	var tally reconcile.Tally
	report, err := reconcile.WriteCSV(w, reconcile.Match(archive.Records(day, c.MerchantID()), orders),
		reconcile.Covering(day, c.MerchantID()), // each row names the settle date and merId
		reconcile.OnResult(func(r reconcile.Result) {
			if r.HasRecord() {
				tally.Add(&r.Record)
			}
		}))
	if err != nil {
		return 0, err
	}
	n := report.Discrepancies() + int64(report.ErrorCount)
	if archive.First(reconcile.KindZME) != nil {
		n++ // read it with archive.ErrorRecords
	}
	if m := archive.First(reconcile.KindRD); m != nil {
		r, err := m.Open()
		if err != nil {
			return n, err
		}
		defer r.Close()
		rd, err := reconcile.ParseRD(r)
		if err != nil {
			return n, err
		}
		if err := rd.Check(&tally); err != nil {
			return n, err
		}
	}
	return n, nil
}

package main

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"time"

	"github.com/goacp/unionpay/reconcile"
	"github.com/goacp/unionpay/unionpay"
)

// checked is the outcome of reconciling one day.
type checked struct {
	File   string            // settlement file name; "" when UnionPay had none
	Report *reconcile.Report // per-class totals and data errors
}

// OK reports whether every order matched a record and nothing was malformed.
func (c *checked) OK() bool { return c.Report.Discrepancies() == 0 && c.Report.ErrorCount == 0 }

// downloadDay fetches the settlement zip of settle from UnionPay; nil, nil when UnionPay has no
// file for it (respCode 98, unionpay.ErrNoFile): a day without transactions, or a file not
// published yet. The orders are then matched against no records, so that every order the shop
// counts as succeeded is reported missing at UnionPay, for a person to look at, not to act on.
func downloadDay(ctx context.Context, client *unionpay.Client, settle time.Time) (*unionpay.File, error) {
	f, err := client.DownloadFile(ctx, &unionpay.FileRequest{SettleDate: settle})
	if errors.Is(err, unionpay.ErrNoFile) {
		return nil, nil
	}
	return f, err
}

// reconcileZip matches merchant merID's ZM records ("" every record) of a settlement zip (nil: no
// file) against the orders
// and writes the report to out (CSV or JSON, every result or only discrepancies). The zip's
// records must also add up to its RD summary report.
func reconcileZip(zipBytes []byte, settle time.Time, merID string, orders io.Reader, out io.Writer, format string, all bool) (*reconcile.Report, error) {
	records := func(func(reconcile.Record, error) bool) {} // no file: no records
	var tally reconcile.Tally
	var rd *reconcile.Summary
	var zmeErrs []error // error transactions (ZME): no orderId to match, each for a person to review
	if zipBytes != nil {
		arc, err := reconcile.Open(zipBytes)
		if err != nil {
			return nil, err
		}
		if arc.First(reconcile.KindZM) == nil {
			return nil, fmt.Errorf("the settlement zip has no ZM member: %w", reconcile.ErrMalformed)
		}
		records = func(yield func(reconcile.Record, error) bool) {
			// Merchant merID's records ("" all) of every ZM member (a day's may come in more
			// than one), dated by settle.
			for r, err := range arc.Records(settle, merID) {
				if err == nil {
					tally.Add(&r)
				}
				if !yield(r, err) {
					return
				}
			}
		}
		for e, err := range arc.ErrorRecords(settle, merID) {
			if err != nil {
				zmeErrs = append(zmeErrs, fmt.Errorf("ZME: %w", err))
				continue
			}
			zmeErrs = append(zmeErrs, fmt.Errorf("error transaction (ZME line %d, txnCode %q, traceNo %q, txnAmt %d, settleAmt %d): review it",
				e.Line, e.TxnCode, e.TraceNo, e.TxnAmt, e.SettleAmt))
		}
		if m := arc.First(reconcile.KindRD); m != nil {
			b, err := readAll(m)
			if err != nil {
				return nil, err
			}
			if rd, err = reconcile.ParseRD(bytes.NewReader(b)); err != nil {
				return nil, err
			}
		}
	}
	opts := []reconcile.ReportOption{reconcile.Covering(settle, merID)} // the report names its file
	if all {
		opts = append(opts, reconcile.IncludeMatched())
	}
	write := reconcile.WriteCSV
	if format == "json" {
		write = reconcile.WriteJSON
	}
	report, err := write(out, reconcile.Match(records, reconcile.OrdersCSV(orders)), opts...)
	if err != nil {
		return report, err
	}
	if rd != nil {
		if err := rd.Check(&tally); err != nil {
			report.AddError(err)
		}
	}
	for _, err := range zmeErrs {
		report.AddError(err)
	}
	return report, nil
}

func readAll(m *reconcile.Member) ([]byte, error) {
	r, err := m.Open()
	if err != nil {
		return nil, err
	}
	defer r.Close()
	return io.ReadAll(r)
}

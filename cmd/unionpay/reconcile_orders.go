package main

import (
	"errors"
	"fmt"
	"io"
	"iter"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"time"

	"github.com/goacp/unionpay/reconcile"
)

const ordersHelp = `
-orders ORDERS.csv matches the ZM records against the merchant's own orders for the day, instead
of writing the records, as examples/reconcile does (the same file format). ORDERS.csv has a
header row naming its columns, in any order (other columns are ignored), then one order a row:
  orderId,txnTime,amount,txnType,state
  SHOP20261125000001,20261125100512,12800,01,succeeded
  SHOP20261125000002,20261125143000,3000,04,succeeded
orderId is the orderId sent to UnionPay; txnTime YYYYMMDDhhmmss, Beijing time, as sent; amount
the txnAmt in fen, a positive whole number (12800 is 128.00 yuan); txnType UnionPay's two digits
(01 consume, 03 pre-auth completion, 04 refund, 31 consume cancel, ...: keep the column text in a
spreadsheet, or it drops the leading zero); state what your system believes: succeeded, pending
or failed. A refund or cancel is an order of its own, with its own orderId. A platform
merchant (accessType 2) may add a column subMerId, the sub-merchant each order was sent for (up
to 15 letters or digits, text in a spreadsheet; empty: not checked): a record UnionPay filed
under another sub-merchant is a state_mismatch naming both. Give the orders of the file's settle
date (UnionPay's day runs from 23:00 the day before). A UTF-8 byte-order mark is allowed; the
file is read up to 256 MiB, a row up to 64 KiB. A malformed row is an error naming its line and,
for a bad cell, its column and text (a card number in it masked, 621626******0018; listed in the
report, status 1); the other rows are still matched.

Each ZM record, then each order not failed that no record matched, is one result, of class
matched, unknown_to_merchant (settled at UnionPay, no such order), missing_at_unionpay (an order
the file does not have), amount_mismatch, state_mismatch (your state is not succeeded, or the
txnType or subMerId differs) or duplicate (an orderId twice in the file). The report is package
reconcile's, every result included. -format json writes one JSON object:
  {"settle_date":"YYYYMMDD","mer_id":M,
   "results":[{"class":C,"line":N,"order_id":O,"query_id":Q,"orig_query_id":Q,"txn_type":T,
   "txn_time":RFC3339,"amount_fen":A,"fee_fen":F,"net_fen":N,"order_amount_fen":A,
   "order_state":S,"detail":D,"sub_mer_id":M},...],
   "totals":[{"class":C,"count":N,"amount_fen":A,"fee_fen":F,"net_fen":N,"order_amount_fen":A},...],
   "error_count":N,"errors":[{"line":N,"message":M},...]}
(a result's keys absent when empty: a missing order has no record, so no line, amount_fen, fee_fen
or net_fen; an unknown one no order_amount_fen or order_state). settle_date and mer_id say which
file the report covers: the settle date (-settle-date, or the member's name) and the merchant
(-merid, or the one merId of the file's records; absent when the records name none). -format csv
writes a header row
  row,class,count,line,order_id,query_id,orig_query_id,txn_type,txn_time,amount_fen,fee_fen,
  net_fen,order_amount_fen,order_state,detail,sub_mer_id,settle_date,mer_id
then one "result" row per result, one "error" row per malformed line or order, and last one
"total" row per class, each row ending with the settle date and the merId. In both formats a
control character in a text value (an orderId from the file, say) is written as a Go escape
(\x1b, \t, \u202e), and in CSV a text cell a spreadsheet would take for a formula gets a
leading apostrophe (package reconcile's CSVText). Errors number orders from 1, as lines are
numbered: "order 3" is the third data row. The per-class totals end the report on standard
output, in fen:
amount_fen (txnAmt, gross), fee_fen and net_fen (signed: the money that moved) from UnionPay's
records, order_amount_fen from your orders; read them with jq '.totals' or the "total" rows.

A group's zip holds several stores' records, and orderIds are unique per merId only: give -merid,
the store whose orders ORDERS.csv holds (records without merId count as its own). Without -merid,
a file with records of more than one merId is refused (status 2). The file's error transactions
(ZME: chargebacks, adjustments) have no orderId to match: they are counted on standard error for
a person to review (unionpay reconcile FILE lists them).

Exit status with -orders, for a cron job to alert on:
  0  reconciled: every record and every order matched, and no error transaction
  4  not reconciled: the report is whole and lists the discrepancies, or the merchant has error
     transactions (ZME) to review; one line on standard error counts them by class
  1  an error: a malformed line of the file or of ORDERS.csv (the report lists them), ZM records
     that disagree with the RD report, or a file that cannot be read to its end (the report then
     stops before its totals); one line on standard error
  2  a usage error (-merid missing for a group's zip)
Status 4 always leaves a whole report (status 1 only when it is for malformed lines or orders).
A missing_at_unionpay order is not failed by this file alone: one UnionPay accepted from 23:00
on (its txnTime a little earlier) is in the next settle day's file, and a payout's may be too.
Take it as failed (and never send it again under a new orderId before) only when the run on the
next settle day's file, with status 0 or 4, does not have it either (its detail says so when its
txnTime is in the quarter hour before 23:00).`

// errDiscrepancies is matched by the error of reconcile -orders for such a report.
var errDiscrepancies = errors.New("not reconciled")

// matchOptions are reconcile -orders's command line.
type matchOptions struct {
	file   string // the settlement file, in messages
	orders string // the orders file
	merID  string // -merid; "" when not given
	format string // json or csv
}

// matchOrders matches the ZM records of members against the orders file and writes the report
// to e.stdout. The error says what ended it, or that there are discrepancies
// (errDiscrepancies).
func matchOrders(e *env, members []*member, o matchOptions) error {
	hasZM := slices.ContainsFunc(members, func(m *member) bool { return m.kind == reconcile.KindZM })
	if !hasZM {
		return usagef("%s has no ZM member, no records to match orders against: give the settlement zip or its ZM member",
			printable(filepath.Base(o.file)))
	}
	merID, reportMerID := o.merID, o.merID // the merchant matched ("" all), and the one the report names
	if merID == "" {
		ids, err := merchantsOf(members)
		if err != nil {
			return err
		}
		if len(ids) > 1 {
			return usagef("the file holds records of more than one merId (%s, ...): give -merid, the merchant whose orders %s holds",
				printable(strings.Join(ids, ", ")), printable(filepath.Base(o.orders)))
		}
		if len(ids) == 1 {
			reportMerID = ids[0]
		}
	}
	f, err := os.Open(o.orders)
	if err != nil {
		return fmt.Errorf("-orders: %w", err)
	}
	defer f.Close()
	or, err := openOrders(filepath.Base(o.orders), &limitedReader{r: f, name: o.orders, limit: maxFileBytes})
	if err != nil {
		return err
	}

	var tally reconcile.Tally
	byMer := map[string]*reconcile.Tally{}
	write := reconcile.WriteJSON
	if o.format == "csv" {
		write = reconcile.WriteCSV
	}
	results := reconcile.Match(zmRecords(members, merID, &tally, byMer), or.orders())
	rep, err := write(e.stdout, withOrderLines(results, or), reconcile.IncludeMatched(),
		reconcile.Covering(settleDateOf(members), reportMerID))
	if err != nil {
		return err
	}
	zme, err := merchantZME(members, merID)
	if err != nil {
		return err
	}
	errs := checkRD(members, &tally, byMer)
	if rep.ErrorCount > 0 {
		errs = append([]error{fmt.Errorf("the report lists %d malformed lines or orders, the first: %w", rep.ErrorCount,
			rep.Errors[0])}, errs...)
	}
	if err := zme.bad.err(); err != nil {
		errs = append(errs, err)
	}
	if err := joinErrors(errs); err != nil {
		return err
	}
	var parts []string
	for _, c := range reconcile.Classes() {
		if n := rep.Totals[c].Count; n > 0 && c != reconcile.Matched {
			parts = append(parts, fmt.Sprintf("%d %s", n, c))
		}
	}
	if zme.n > 0 {
		parts = append(parts, fmt.Sprintf("%d error transactions (ZME) to review, settleAmt %d fen in all (unionpay reconcile %s lists them)",
			zme.n, zme.settleAmt, filepath.Base(o.file)))
	}
	if len(parts) > 0 {
		return fmt.Errorf("%w: %s", errDiscrepancies, strings.Join(parts, ", "))
	}
	return nil
}

// merchantsOf returns the merIds of the records of the ZM and ZME members, in the order they
// come, stopping at the second: a file of one merchant has one (or none, when its records name
// none). Malformed lines are skipped here (matching reports them); a member that cannot be read
// is an error.
func merchantsOf(members []*member) ([]string, error) {
	var ids []string
	add := func(id string) bool {
		if id != "" && !slices.Contains(ids, id) {
			ids = append(ids, id)
		}
		return len(ids) < 2
	}
	for _, m := range members {
		var err error
		switch m.kind {
		case reconcile.KindZM:
			err = eachRecord(m, reconcile.ZM, func(r *reconcile.Record) bool { return add(r.MerID) })
		case reconcile.KindZME:
			err = eachRecord(m, reconcile.ZME, func(r *reconcile.ErrorRecord) bool { return add(r.MerID) })
		}
		if err != nil {
			return nil, err
		}
		if len(ids) > 1 {
			break
		}
	}
	return ids, nil
}

// eachRecord calls f with the well-formed records parse reads from m until f returns false. A
// read error is returned; malformed lines are skipped.
func eachRecord[T any](m *member, parse func(io.Reader, time.Time) iter.Seq2[T, error], f func(*T) bool) error {
	r, err := m.open()
	if err != nil {
		return err
	}
	defer r.Close()
	for rec, err := range parse(r, m.day) {
		if err != nil {
			if _, line := errors.AsType[*reconcile.LineError](err); line {
				continue
			}
			return memberError(m.name, err)
		}
		if !f(&rec) {
			return nil
		}
	}
	return nil
}

// ownRecord reports whether a record with merId recMerID is merID's: merID is "" (the file's
// one merchant), or the record names merID or no merchant, as reconcile.Archive.Records reads.
func ownRecord(recMerID, merID string) bool {
	return merID == "" || recMerID == "" || recMerID == merID
}

// zmRecords returns merchant merID's records ("" all) of the ZM members, for Match. Every
// well-formed record, the other merchants' too, is counted in tally and byMer, for the RD
// reports. A malformed line is yielded as its *reconcile.LineError, naming the member; an error
// reading a member ends the sequence.
func zmRecords(members []*member, merID string, tally *reconcile.Tally,
	byMer map[string]*reconcile.Tally) iter.Seq2[reconcile.Record, error] {
	return func(yield func(reconcile.Record, error) bool) {
		for _, m := range members {
			if m.kind != reconcile.KindZM {
				continue
			}
			if !memberRecords(m, merID, tally, byMer, yield) {
				return
			}
		}
	}
}

// memberRecords yields the records of one ZM member as zmRecords does, and reports whether to
// go on with the next member.
func memberRecords(m *member, merID string, tally *reconcile.Tally, byMer map[string]*reconcile.Tally,
	yield func(reconcile.Record, error) bool) bool {
	r, err := m.open()
	if err != nil {
		yield(reconcile.Record{}, err)
		return false
	}
	defer r.Close()
	for rec, err := range reconcile.ZM(r, m.day) {
		if err != nil {
			_, line := errors.AsType[*reconcile.LineError](err)
			if !yield(rec, memberError(m.name, err)) || !line {
				return false // a read error (or too many malformed lines) ends the records
			}
			continue
		}
		count(tally, byMer, &rec)
		if ownRecord(rec.MerID, merID) && !yield(rec, nil) {
			return false
		}
	}
	return true
}

// zmeCount is what the ZME members hold for the merchant: the error transactions, for a
// person to review, and their malformed lines.
type zmeCount struct {
	n         int64
	settleAmt int64 // saturating, as -summary's
	bad       badLines
}

// merchantZME counts merchant merID's records ("" all) of the ZME members.
func merchantZME(members []*member, merID string) (*zmeCount, error) {
	z := &zmeCount{}
	for _, m := range members {
		if m.kind != reconcile.KindZME {
			continue
		}
		if err := func() error {
			r, err := m.open()
			if err != nil {
				return err
			}
			defer r.Close()
			for rec, err := range reconcile.ZME(r, m.day) {
				if err != nil {
					if _, line := errors.AsType[*reconcile.LineError](err); line {
						z.bad.add(m.name, err)
						continue
					}
					return memberError(m.name, err)
				}
				if ownRecord(rec.MerID, merID) {
					z.n++
					z.settleAmt = addSaturating(z.settleAmt, rec.SettleAmt)
				}
			}
			return nil
		}(); err != nil {
			return nil, err
		}
	}
	return z, nil
}

// settleDateOf returns the settle date of the ZM members, or the zero time when they disagree
// (-settle-date, when given, is every member's).
func settleDateOf(members []*member) time.Time {
	var day time.Time
	for _, m := range members {
		switch {
		case m.kind != reconcile.KindZM:
		case day.IsZero():
			day = m.day
		case !m.day.Equal(day):
			return time.Time{}
		}
	}
	return day
}

// withOrderLines passes results on, the errors Match made about orders with the line of the
// order. Their text needs no escaping here: the report writers escape what a terminal would act
// on (reconcile.CSVText), as printable does for the rest of the output.
func withOrderLines(results iter.Seq2[reconcile.Result, error], or *ordersFile) iter.Seq2[reconcile.Result, error] {
	return func(yield func(reconcile.Result, error) bool) {
		for res, err := range results {
			if err != nil {
				err = or.lineOf(err)
			}
			if !yield(res, err) {
				return
			}
		}
	}
}

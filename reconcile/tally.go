package reconcile

import (
	"fmt"
	"math"
	"strings"
	"time"
)

// Tally adds up ZM records the way the RD summary report presents them, so the
// two can be cross-checked with [Summary.Check] and a writer can produce a
// report consistent with its records ([Tally.Summary]). The zero value is ready.
//
// How a record is counted (inferred; the official sample has only consumes):
// its txnAmt is a credit when SettleAmt-MerchantFee is positive, a debit when
// negative (refunds, undos); fees and SettleAmt go to the side of their sign.
// Transaction-type labels and card kinds follow txnType and payCardType
// (01 借记卡, 02 贷记卡, 03 准贷记卡, others 其他卡).
type Tally struct {
	Total    SummaryRow            // every record
	byType   map[string]SummaryRow // by row label
	types    []string              // labels in order of first appearance
	cards    [4]SummaryRow
	overflow int64 // the count of the record whose amounts overflowed a sum first, or 0
}

var cardLabels = [4]string{"借记卡", "贷记卡", "准贷记卡", "其他卡"}

func cardIndex(payCardType string) int {
	switch payCardType {
	case "01":
		return 0
	case "02":
		return 1
	case "03":
		return 2
	}
	return 3
}

// txnTypeLabel names the 交易类型 row of a record. 01 is 自助消费 as in the
// official sample; the other labels are UnionPay's names of the transactions.
func txnTypeLabel(txnType string) string {
	switch txnType {
	case "01":
		return "自助消费"
	case "02":
		return "预授权"
	case "03":
		return "预授权完成"
	case "04":
		return "退货"
	case "31":
		return "消费撤销"
	case "32":
		return "预授权撤销"
	case "33":
		return "预授权完成撤销"
	}
	return "其他"
}

func isReversal(txnType string) bool {
	switch txnType {
	case "04", "31", "32", "33":
		return true
	}
	return false
}

// add counts r in row; ok is false if a sum no longer fits in an int64 (the
// row is then wrong).
func (row *SummaryRow) add(r *Record) (ok bool) {
	row.Count++
	ok = r.TxnAmt >= 0
	if r.debit() {
		ok = addTo(&row.TxnDebit, r.TxnAmt) && ok
	} else {
		ok = addTo(&row.TxnCredit, r.TxnAmt) && ok
	}
	ok = addSigned(&row.FeeDebit, &row.FeeCredit, r.MerchantFee) && ok
	return addSigned(&row.NetDebit, &row.NetCredit, r.SettleAmt) && ok
}

// debit reports whether r takes money back from the merchant (a refund, an undo): its signed
// txnAmt, SettleAmt less MerchantFee, is negative, or zero for a reversal's txnType.
func (r *Record) debit() bool {
	gross := r.SettleAmt - r.MerchantFee
	return gross < 0 || (gross == 0 && isReversal(r.TxnType))
}

// SignedTxnAmt returns TxnAmt, which the file gives unsigned, with the sign of the money's
// direction, as [Tally] sides it (TxnDebit, TxnCredit): negative for a record that takes money
// back from the merchant (a refund, an undo: SettleAmt less MerchantFee is negative, or zero
// for txnType 04, 31, 32 or 33), positive otherwise. Summed over a day's records it is the
// Tally's TxnCredit less TxnDebit.
func (r *Record) SignedTxnAmt() int64 {
	if r.debit() {
		return -r.TxnAmt
	}
	return r.TxnAmt
}

func addSigned(debit, credit *int64, v int64) bool {
	if v < 0 {
		return v != math.MinInt64 && addTo(debit, -v)
	}
	return addTo(credit, v)
}

// addTo adds v (>= 0) to *dst, reporting false if the sum overflows.
func addTo(dst *int64, v int64) bool {
	sum := *dst + v
	*dst = sum
	return sum >= v
}

// Add counts one record. r must not be nil: a nil r is a programmer error
// and panics, as a nil receiver does.
func (t *Tally) Add(r *Record) {
	ok := t.Total.add(r)
	label := txnTypeLabel(r.TxnType)
	if t.byType == nil {
		t.byType = make(map[string]SummaryRow)
	}
	row, seen := t.byType[label]
	if !seen {
		t.types = append(t.types, label)
		row.Label = label
	}
	// Every row adds non-negative amounts to sums the Total's hold too: if one of
	// them overflows, the Total's does.
	row.add(r)
	t.byType[label] = row
	t.cards[cardIndex(r.PayCardType)].add(r)
	if !ok && t.overflow == 0 {
		t.overflow = t.Total.Count
	}
}

// Merge adds the records counted in o to t, as if each had been added to t:
// a month's Tally from its days'. Rows keep t's order, o's new transaction
// types after them. A nil o adds nothing; o is not changed. A sum that
// overflows, or o's own overflow, makes [Tally.Err] report t's totals wrong.
func (t *Tally) Merge(o *Tally) {
	if o == nil {
		return
	}
	before := t.Total.Count
	src := *o // o may be t
	ok := t.Total.merge(src.Total)
	if t.byType == nil && len(src.types) > 0 {
		t.byType = make(map[string]SummaryRow)
	}
	for _, label := range src.types {
		row, seen := t.byType[label]
		if !seen {
			t.types = append(t.types, label)
			row.Label = label
		}
		row.merge(src.byType[label]) // rows add sums the Total's hold too
		t.byType[label] = row
	}
	for i := range t.cards {
		t.cards[i].merge(src.cards[i])
	}
	switch {
	case t.overflow != 0:
	case src.overflow != 0:
		t.overflow = before + src.overflow
	case !ok:
		t.overflow = before + 1 // somewhere among o's records
	}
}

// merge adds the sums of o to row, reporting false if one overflows.
func (row *SummaryRow) merge(o SummaryRow) (ok bool) {
	ok = addTo(&row.Count, o.Count)
	for _, p := range [...]struct {
		dst *int64
		v   int64
	}{
		{&row.TxnDebit, o.TxnDebit}, {&row.TxnCredit, o.TxnCredit}, {&row.FeeDebit, o.FeeDebit},
		{&row.FeeCredit, o.FeeCredit}, {&row.NetDebit, o.NetDebit}, {&row.NetCredit, o.NetCredit},
	} {
		ok = addTo(p.dst, p.v) && ok
	}
	return ok
}

// Err returns an error matching [ErrOverflow] if a sum of the counted records
// no longer fits in an int64 (fen), or a record had a negative TxnAmt: t's
// totals are then wrong. One ZM member within [Open]'s default limits cannot
// overflow; records added from several can. [Summary.Check] returns it too.
func (t *Tally) Err() error {
	if t.overflow == 0 {
		return nil
	}
	return fmt.Errorf("%w: Tally: the totals are wrong from record %d on (a sum past int64 fen, or a negative txnAmt)",
		ErrOverflow, t.overflow)
}

// Summary returns a summary report of the counted records with the given
// header; all four card-kind rows are present, as in UnionPay's report.
func (t *Tally) Summary(merID, merName, acqInsCode string, settleDate, generated time.Time) *Summary {
	s := &Summary{
		MerID: merID, Currency: "人民币", AcqInsCode: acqInsCode, MerName: merName,
		SettleDate: settleDate, Generated: generated,
		Total: t.Total, CardTotal: t.Total,
	}
	s.Total.Label, s.CardTotal.Label = rdTotal, rdTotal
	for _, label := range t.types {
		s.ByTxnType = append(s.ByTxnType, t.byType[label])
	}
	for i, row := range t.cards {
		row.Label = cardLabels[i]
		s.ByCardKind = append(s.ByCardKind, row)
	}
	return s
}

// Diff is one cell where two totals disagree.
type Diff struct {
	Row    string // e.g. 总计, or 卡性质总计 for the second table's total
	Column string // count, txn (credit minus debit), txn-gross (credit plus debit), fee, net
	Want   int64  // as the summary report states
	Got    int64  // as counted
}

// MismatchError lists every disagreement found by [Summary.Check]. It matches
// [ErrMismatch] with errors.Is.
type MismatchError struct {
	Diffs []Diff
}

// Error lists every differing cell.
func (e *MismatchError) Error() string {
	var b strings.Builder
	b.WriteString("reconcile: totals do not match the summary report:")
	for _, d := range e.Diffs {
		fmt.Fprintf(&b, " %s %s report %d records %d;", d.Row, d.Column, d.Want, d.Got)
	}
	return strings.TrimSuffix(b.String(), ";")
}

// Is reports whether target is [ErrMismatch].
func (e *MismatchError) Is(target error) bool { return target == ErrMismatch }

// Check compares the report's totals with records counted in t, and returns
// a [*MismatchError] listing every difference, or nil. It compares the record
// count and, for the transaction amounts, fees and settlement, credit minus
// debit (the report's split into sides for refunds is not documented), and
// for the transaction amounts, which are never negative, credit plus debit. It
// also checks that the card-kind table's total agrees with the first table's
// and that each table's rows add up to its total. A nil s or t is an error
// matching [ErrNilArgument], not a [*MismatchError].
func (s *Summary) Check(t *Tally) error {
	switch {
	case s == nil:
		return nilArgument("s (the receiver)", "Summary.Check")
	case t == nil:
		return nilArgument("t", "Summary.Check")
	}
	if err := t.Err(); err != nil {
		return err
	}
	var diffs []Diff
	diffs = compareRows(diffs, rdTotal, s.Total, t.Total)
	if s.CardTotal.Label != "" {
		diffs = compareRows(diffs, rdCardTable+rdTotal, s.CardTotal, s.Total)
	}
	diffs = compareRows(diffs, rdTxnTable+"合计", s.Total, sumRows(s.ByTxnType))
	if len(s.ByCardKind) > 0 {
		diffs = compareRows(diffs, rdCardTable+"合计", s.CardTotal, sumRows(s.ByCardKind))
	}
	if len(diffs) > 0 {
		return &MismatchError{Diffs: diffs}
	}
	return nil
}

func sumRows(rows []SummaryRow) SummaryRow {
	var t SummaryRow
	for _, r := range rows {
		t.Count += r.Count
		t.TxnDebit += r.TxnDebit
		t.TxnCredit += r.TxnCredit
		t.FeeDebit += r.FeeDebit
		t.FeeCredit += r.FeeCredit
		t.NetDebit += r.NetDebit
		t.NetCredit += r.NetCredit
	}
	return t
}

func compareRows(diffs []Diff, row string, want, got SummaryRow) []Diff {
	cells := [...]struct {
		col  string
		w, g int64
	}{
		{"count", want.Count, got.Count},
		{"txn", want.TxnCredit - want.TxnDebit, got.TxnCredit - got.TxnDebit},
		// txnAmt is never negative, so credit plus debit is the same whichever side a
		// refund is put on: with the count it catches a report whose amounts differ by
		// equal sums on both sides (300 paid, 100 refunded against 250 and 50).
		{"txn-gross", want.TxnCredit + want.TxnDebit, got.TxnCredit + got.TxnDebit},
		{"fee", want.FeeCredit - want.FeeDebit, got.FeeCredit - got.FeeDebit},
		{"net", want.NetCredit - want.NetDebit, got.NetCredit - got.NetDebit},
	}
	for _, c := range cells {
		if c.w != c.g {
			diffs = append(diffs, Diff{Row: row, Column: c.col, Want: c.w, Got: c.g})
		}
	}
	return diffs
}

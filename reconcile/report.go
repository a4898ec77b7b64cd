package reconcile

import (
	"bufio"
	"cmp"
	"encoding/csv"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"iter"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/goacp/unionpay/internal/textesc"
	"github.com/goacp/unionpay/internal/tz"
)

// Totals adds up the results of one class. Amount, Fees and Net come from
// UnionPay's records (txnAmt, the signed merchant fee, the signed settlement
// amount): txnAmt has no sign, so Amount adds refunds to payments, a gross
// figure, while Net is the money that moved. OrderAmount comes from the
// merchant's orders, each counted once: a Duplicate's order was counted with
// the record it matched first.
//
// Signs are the merchant's: Fees is negative for fees charged (a debit) and
// a refund's fee given back counts positive; Net adds each record's
// SettleAmt, which is its txnAmt (negative for a refund or undo) plus its fee,
// so Net is Amount's payments less its refunds, plus Fees. For the day's
// payments and refunds apart, read a [Tally]'s Total (TxnCredit, TxnDebit).
// The Net of every class added up is what the RD report's 资金清算差额 gives
// (credit minus debit). Error transactions (ZME) are in no Result, and so in
// no Totals nor in the Tally that [Summary.Check] compares with the RD report:
// add their SettleAmt apart (whether UnionPay's RD report counts them is not
// established; the fake gateway's does not).
type Totals struct {
	Count       int64
	Amount      int64
	Fees        int64
	Net         int64
	OrderAmount int64
}

// maxReportErrors bounds the errors a Report keeps (all are counted).
const maxReportErrors = 100

// Report holds the totals of a match, per class, and the data errors met on
// the way. The zero value is ready; feed it with Add and AddError.
//
// A Result whose Class is not one of [Classes] (Class(6), say: Match never
// yields one, but a caller's own sequence might) has no Totals to go to: Add
// counts it as a data error instead, an error naming its class and matching
// [ErrUnknownClass], and [WriteCSV] and [WriteJSON] report it as they report
// a malformed line.
//
// A total that no longer fits in an int64 (orders of absurd amounts, or
// results of many days added to one Report) makes the Totals wrong: [Report.Err]
// then says so, and WriteCSV and WriteJSON return that error instead of the
// totals.
//
// A Report printed, marshalled or logged names each class's totals by the
// class's word, as the reports do: see [Report.String], [Report.MarshalJSON]
// (WriteJSON's keys, which [Report.UnmarshalJSON] reads back) and
// [Report.LogValue].
type Report struct {
	Totals     [numClasses]Totals // indexed by Class
	ErrorCount int                // data errors seen
	Errors     []error            // the first 100 of them
	overflow   int64              // the number of results added when a total first overflowed; 0 = none
}

// Add counts one result in the Totals of its class, or, for a Class that is
// not one of [Classes], as a data error (see [Report]).
func (r *Report) Add(res Result) {
	if uint(res.Class) >= uint(numClasses) {
		r.addUnknown(&res)
		return
	}
	t := &r.Totals[res.Class]
	t.Count++
	// a+b overflowed if both differ in sign from the sum: of < 0 then.
	a, f, n := t.Amount+res.Record.TxnAmt, t.Fees+res.Record.MerchantFee, t.Net+res.Record.SettleAmt
	of := (t.Amount^a)&(res.Record.TxnAmt^a) | (t.Fees^f)&(res.Record.MerchantFee^f) | (t.Net^n)&(res.Record.SettleAmt^n)
	t.Amount, t.Fees, t.Net = a, f, n
	if res.Class != Duplicate { // the order was counted with the record it matched first
		o := t.OrderAmount + res.Order.Amount
		of |= (t.OrderAmount ^ o) & (res.Order.Amount ^ o)
		t.OrderAmount = o
	}
	if of < 0 && r.overflow == 0 {
		r.overflowAt()
	}
}

// Merge adds the results counted in o to r, as if each had been added to r:
// a month's Report from its days'. Errors are counted, and kept up to the
// first 100 in all. A nil o adds nothing; o is not changed. A total that
// overflows, or o's own overflow, makes [Report.Err] report r's totals wrong.
//
// Each day was matched on its own, so a month's Report counts twice an order
// that settled the day after its own (paid from 23:00 on, or a back
// transaction final only the next day): [MissingAtUnionPay] in its day's
// report and [UnknownToMerchant] in the next one's, under the same orderId.
// Pair such results by orderId before taking either class's totals as the
// month's discrepancies.
func (r *Report) Merge(o *Report) {
	if o == nil {
		return
	}
	var before int64
	for _, t := range r.Totals {
		before += t.Count
	}
	src := *o // o may be r
	var of int64
	for c := range r.Totals {
		t, s := &r.Totals[c], src.Totals[c]
		for _, p := range [...]struct {
			dst *int64
			v   int64
		}{
			{&t.Count, s.Count}, {&t.Amount, s.Amount}, {&t.Fees, s.Fees}, {&t.Net, s.Net}, {&t.OrderAmount, s.OrderAmount},
		} {
			sum := *p.dst + p.v
			of |= (*p.dst ^ sum) & (p.v ^ sum) // both differ in sign from the sum
			*p.dst = sum
		}
	}
	r.ErrorCount += src.ErrorCount
	if n := min(len(src.Errors), maxReportErrors-len(r.Errors)); n > 0 {
		r.Errors = append(r.Errors, src.Errors[:n]...)
	}
	switch {
	case r.overflow != 0:
	case src.overflow != 0:
		r.overflow = before + src.overflow
	case of < 0:
		r.overflow = before + 1 // somewhere among o's results
	}
}

// overflowAt records that the result just added made a total overflow.
func (r *Report) overflowAt() {
	for _, t := range r.Totals {
		r.overflow += t.Count // the results added so far
	}
}

// Err returns an error matching [ErrOverflow] if a total no longer fits in an
// int64 (fen): the Totals are then wrong. A day's records and orders, whose
// amounts have at most 12 digits, cannot overflow them below nine million.
func (r *Report) Err() error {
	if r.overflow == 0 {
		return nil
	}
	return fmt.Errorf("%w"+overflowBefore+"%d"+overflowAfter, ErrOverflow, r.overflow)
}

// String shows the report as %+v would show its exported fields, but with each class's Totals
// named by the class's word, in report order, "{Totals:{matched:{Count:1 Amount:100 Fees:0
// Net:100 OrderAmount:100} unknown_to_merchant:{...} ...} ErrorCount:... Errors:...}", and,
// once a total has overflowed, " Err:" and Err's text before the closing brace. Each error's
// text is escaped as the reports escape it ([CSVText], without the apostrophe), for it may quote
// the file or the orders. fmt's %v, %+v and %s of a Report or a *Report print it.
func (r Report) String() string {
	var b strings.Builder
	b.WriteString("{Totals:{")
	for c, t := range r.Totals {
		if c > 0 {
			b.WriteByte(' ')
		}
		fmt.Fprintf(&b, "%s:%+v", Class(c), t)
	}
	fmt.Fprintf(&b, "} ErrorCount:%d Errors:[", r.ErrorCount)
	for i, e := range r.Errors {
		if i > 0 {
			b.WriteByte(' ')
		}
		b.WriteString(errorText(e)) // escaped: an error may quote the file or the orders
	}
	b.WriteByte(']')
	if err := r.Err(); err != nil {
		fmt.Fprintf(&b, " Err:%v", err)
	}
	b.WriteByte('}')
	return b.String()
}

// GoString is String after the type's name, "reconcile.Report{Totals:{matched:...", for %#v.
func (r Report) GoString() string { return "reconcile.Report" + r.String() }

// ErrUnknownClass is matched (with errors.Is) by the data error that
// [Report.Add], [WriteCSV] and [WriteJSON] count for a [Result] whose Class is
// not one of [Classes]; the message names the class, the record's line and the
// orderId. [ParseClass]'s error for a word that names no class matches it too.
var ErrUnknownClass = errors.New("reconcile: result of unknown class")

// addUnknown counts a Result of no known class as a data error, and returns it.
func (r *Report) addUnknown(res *Result) error {
	err := fmt.Errorf("%w %v (record line %d, orderId %q)", ErrUnknownClass, res.Class, res.Record.Line,
		cmp.Or(res.Record.OrderID, res.Order.OrderID))
	r.AddError(err)
	return err
}

// AddError counts one data error.
func (r *Report) AddError(err error) {
	r.ErrorCount++
	if len(r.Errors) < maxReportErrors {
		r.Errors = append(r.Errors, err)
	}
}

// Discrepancies returns the number of results that are not Matched.
func (r *Report) Discrepancies() int64 {
	var n int64
	for c, t := range r.Totals {
		if Class(c) != Matched {
			n += t.Count
		}
	}
	return n
}

// ReportOption changes what [WriteCSV] and [WriteJSON] write. A nil ReportOption changes nothing.
type ReportOption func(*reportConfig)

type reportConfig struct {
	matched bool
	each    []func(Result)
	cover   *coverage // set by Covering
}

// coverage is what [Covering] says a report covers.
type coverage struct {
	settleDate string // YYYYMMDD; "" when not known
	merID      string // as given; "" when not known
}

// IncludeMatched writes Matched results too; by default only discrepancies
// are written (matched ones are still counted in the totals).
func IncludeMatched() ReportOption { return func(c *reportConfig) { c.matched = true } }

// Covering names the settlement file the report covers: UnionPay's settle
// date (清算日期; only its year, month and day count, as for [ZM]) and the
// merchant (merId) whose records were matched, so that a stored report can be
// tied back to its file. [WriteJSON] starts its object with them,
// {"settle_date":"20261125","mer_id":"802310048993424","results":[...],...};
// [WriteCSV] adds two columns, settle_date and mer_id, after the others,
// filled on every row (header, results, errors and totals alike), so that the
// reports of several days or stores can be concatenated or filtered in a
// spreadsheet. The date is written YYYYMMDD, as UnionPay writes it in its
// file names and its RD report; a zero settleDate or an empty merID is written
// empty in CSV and left out of the JSON. Without Covering the report is
// written as before: no such keys, no such columns. The merID is written as
// the report's other text (see WriteCSV); neither value is checked against
// the results' records.
func Covering(settleDate time.Time, merID string) ReportOption {
	c := &coverage{merID: merID}
	if !settleDate.IsZero() {
		c.settleDate = settleDate.Format("20060102")
	}
	return func(cfg *reportConfig) { cfg.cover = c }
}

// OnResult calls f with every result, matched ones included, as the report
// counts it (before writing it), so that a caller can act on each result
// while the report is written instead of ranging over the results twice.
// Act on an absence (MissingAtUnionPay) only once the writer has returned
// without an error. A nil f is ignored.
func OnResult(f func(Result)) ReportOption {
	return func(c *reportConfig) {
		if f != nil {
			c.each = append(c.each, f)
		}
	}
}

// IsDataError reports whether err, from [Match] (or [ZM], [ZME], an orders
// sequence), is about one line or order, to list and go past (a [*LineError],
// an [*OrderError]), rather than an error that ends the reading: reading
// failed, even where the error matches [ErrMalformed] (a member truncated or
// corrupt, too many malformed lines), for the records after it were never read
// and their orders would all seem missing at UnionPay. [WriteCSV] and
// [WriteJSON] list the first and stop at the second; a caller storing Match's
// results itself does the same:
//
//	for res, err := range reconcile.Match(records, orders) {
//		if err != nil {
//			if !reconcile.IsDataError(err) {
//				return err // trust none of the results, least of all MissingAtUnionPay
//			}
//			logBad(err)
//			continue
//		}
//		store(res)
//	}
func IsDataError(err error) bool {
	var le *LineError
	var oe *OrderError
	return errors.As(err, &le) || errors.As(err, &oe)
}

// consume ranges over results, counting them, and calls row for the results
// to write and fail for data errors. Other errors stop it and are returned.
func consume(results iter.Seq2[Result, error], cfg *reportConfig,
	row func(*Result) error, fail func(error) error) (*Report, error) {
	rep := &Report{}
	for res, err := range results {
		if err != nil {
			if !IsDataError(err) {
				return rep, err
			}
			rep.AddError(err)
			if rep.ErrorCount > maxReportErrors { // counted, not written: a flood of them is no report
				continue
			}
			if err := fail(err); err != nil {
				return rep, err
			}
			continue
		}
		if uint(res.Class) >= uint(numClasses) { // counted as a data error
			err := rep.addUnknown(&res)
			if rep.ErrorCount > maxReportErrors {
				continue
			}
			if err := fail(err); err != nil {
				return rep, err
			}
			continue
		}
		rep.Add(res)
		for _, f := range cfg.each {
			f(res)
		}
		if res.Class == Matched && !cfg.matched {
			continue
		}
		if err := row(&res); err != nil {
			return rep, err
		}
	}
	return rep, rep.Err()
}

// configure returns the configuration opts make.
func configure(opts []ReportOption) *reportConfig {
	cfg := &reportConfig{}
	for _, o := range opts {
		if o != nil { // a nil ReportOption changes nothing, as OnResult(nil) does
			o(cfg)
		}
	}
	return cfg
}

// writing wraps an error met writing a report (nil stays nil), so that it
// is told apart from one the results carried.
func writing(err error) error {
	if err == nil {
		return nil
	}
	return fmt.Errorf("reconcile: writing report: %w", err)
}

// csvHeader is the first line of a CSV report. Amounts are integers in fen.
var csvHeader = []string{"row", "class", "count", "line", "order_id", "query_id", "orig_query_id",
	"txn_type", "txn_time", "amount_fen", "fee_fen", "net_fen", "order_amount_fen", "order_state", "detail",
	"sub_mer_id"}

// coverHeader names the columns [Covering] adds to a CSV report, after csvHeader's.
var coverHeader = []string{"settle_date", "mer_id"}

// WriteCSV consumes results (usually from [Match]) and writes a CSV report to
// w: a header, one "result" row per discrepancy (see [IncludeMatched]), one
// "error" row per data error (a malformed line, a duplicate order) as it comes,
// the first 100 of them (one more row says how many were not listed, when the
// report ends without an error), then one "total" row per class. Amounts are
// integers in fen, times RFC 3339 in Beijing time. [Covering] adds the
// columns settle_date and mer_id. It returns the report's totals.
//
// Every text cell (orderId, queryId, origQueryId, txnType, the detail, the
// sub-merchant (the record's, or a missing order's Order.SubMerID), an error's message, the merId of Covering) is written
// through [CSVText], for the text comes from outside (UnionPay's file, the
// merchant's orders) and the report is read in a spreadsheet, a terminal and
// line-oriented tools: a control character (a line end, a tab, NUL, ESC, DEL,
// the C1 controls), a bidirectional override or isolate, or a byte that is
// not UTF-8 is written as a Go escape (\n, \x1b, \u202e, \xb5), so that each
// row is one line that no terminal acts on, and a cell that a spreadsheet
// would take for a formula gets a leading apostrophe. No orderId or queryId
// UnionPay issues or accepts holds such a character, so no real one is
// changed; a program that wants the values as read takes them from the
// results ([Result], [OnResult]). Amounts, the report's own integers, are written as
// they are: a negative fee stays a number. [WriteJSON] escapes its text the
// same way, so both reports show a value alike.
//
// An error that is not a data error ([*LineError] or [*OrderError]) stops it
// and is returned with the totals so far, the report left without its totals:
// reading the file or the orders failed, a member was truncated or corrupt
// (such errors match [ErrMalformed] too), and the unread records' orders would
// otherwise all seem missing at UnionPay. A nil w or results is an error
// matching [ErrNilArgument], returned before anything is read or written.
// Totals that overflowed ([Report.Err]) are not written either: the error,
// matching [ErrOverflow], is returned with the report.
func WriteCSV(w io.Writer, results iter.Seq2[Result, error], opts ...ReportOption) (*Report, error) {
	if err := reportArgs(w, results, "WriteCSV"); err != nil {
		return nil, err
	}
	cfg := configure(opts)
	cw := csv.NewWriter(w)
	header, write := csvHeader, cw.Write
	if c := cfg.cover; c != nil {
		header = append(slices.Clip(csvHeader), coverHeader...)
		mer := CSVText(c.merID)
		write = func(row []string) error { return cw.Write(append(row, c.settleDate, mer)) }
	}
	if err := cw.Write(header); err != nil {
		return nil, writing(err)
	}
	rep, err := consume(results, cfg, func(r *Result) error {
		return writing(write(resultRow(r)))
	}, func(e error) error {
		return writing(write([]string{"error", "", "", lineOf(e), "", "", "", "", "", "", "", "", "", "", CSVText(e.Error()), ""}))
	})
	if err == nil && rep.ErrorCount > maxReportErrors {
		err = writing(write([]string{"error", "", "", "", "", "", "", "", "", "", "", "", "", "",
			fmt.Sprintf("reconcile: %d more data errors, not listed", rep.ErrorCount-maxReportErrors), ""}))
	}
	if err != nil {
		cw.Flush()
		return rep, err
	}
	for _, c := range Classes() {
		t := rep.Totals[c]
		if err := write([]string{"total", c.String(), i64(t.Count), "", "", "", "", "", "",
			i64(t.Amount), i64(t.Fees), i64(t.Net), i64(t.OrderAmount), "", "", ""}); err != nil {
			return rep, writing(err)
		}
	}
	cw.Flush()
	if err := cw.Error(); err != nil {
		return rep, writing(err)
	}
	return rep, nil
}

// reportArgs checks the arguments of WriteCSV and WriteJSON (fn).
func reportArgs(w io.Writer, results iter.Seq2[Result, error], fn string) error {
	switch {
	case w == nil:
		return nilArgument("w", fn)
	case results == nil:
		return nilArgument("results", fn)
	}
	return nil
}

func i64(v int64) string { return strconv.FormatInt(v, 10) }

func lineOf(err error) string {
	if le, ok := errors.AsType[*LineError](err); ok {
		return strconv.Itoa(le.Line)
	}
	if line, ok := reportedLine(err); ok {
		return strconv.Itoa(line)
	}
	return ""
}

func formatTime(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return t.In(tz.Beijing()).Format(time.RFC3339)
}

// subMerchantOf is the platform sub-merchant a result is for: its record's
// ([Record.SubMerchant]), or for a MissingAtUnionPay order its Order.SubMerID.
func subMerchantOf(r *Result) string {
	if r.HasRecord() {
		return r.Record.SubMerchant()
	}
	return r.Order.SubMerID
}

// txnTimeOf is UnionPay's time when the file has the transaction, else the merchant's.
func txnTimeOf(r *Result) time.Time {
	if r.HasRecord() {
		return r.Record.TxnTime
	}
	return r.Order.TxnTime
}

func resultRow(r *Result) []string {
	row := []string{"result", r.Class.String(), "1", "", r.Record.OrderID, r.Record.QueryID, r.Record.OrigQueryID,
		r.Record.TxnType, formatTime(txnTimeOf(r)), "", "", "", "", "", r.Detail, CSVText(subMerchantOf(r))}
	if r.HasRecord() {
		row[3] = strconv.Itoa(r.Record.Line)
		row[9], row[10], row[11] = i64(r.Record.TxnAmt), i64(r.Record.MerchantFee), i64(r.Record.SettleAmt)
	}
	if r.HasOrder() {
		row[4] = r.Order.OrderID
		if row[7] == "" {
			row[7] = r.Order.TxnType
		}
		row[12], row[13] = i64(r.Order.Amount), r.Order.State.String()
	}
	for _, i := range [...]int{4, 5, 6, 7, 14} { // the text cells; amounts may be negative
		row[i] = CSVText(row[i])
	}
	return row
}

// CSVText returns s as a CSV text cell that a spreadsheet shows as text and
// that a terminal or a line-oriented tool (grep, a log shipper) reads as one
// line of text, never acting on it.
//
// First, each character a terminal would act on, or that would break the
// row's line, is written as a Go escape (as [strconv.QuoteRuneToASCII] writes
// it, without the quotes): the C0 controls, a line end and a tab included
// (\n, \r, \t, \x00, \x1b), DEL and the C1 controls (\x7f, \u009b), the
// line and paragraph separators U+2028 and U+2029, the bidirectional
// overrides and isolates U+202A to U+202E and U+2066 to U+2069 (which make a
// viewer show text in another order than it is); a byte that is not UTF-8 is
// written \xb5. A backslash itself is kept as it is: no identifier of
// UnionPay's or of the merchant's holds one, nor any of these characters.
//
// Then, as OWASP advises against CSV injection, a cell that could start a
// formula gets a leading apostrophe: one whose first character after any
// white space (spaces, the no-break and full-width U+3000 spaces) and
// invisible format characters (a byte-order mark, a zero-width space) is
// = + - or @, or their full-width forms ＝ ＋ － ＠ (U+FF1D, U+FF0B,
// U+FF0D, U+FF20). (A tab or a CR first, which OWASP lists too, is escaped
// above.) The full-width forms and the invisible characters are a precaution:
// OWASP lists only the ASCII characters, and no spreadsheet is known here to
// take them for formulas, but an input method types the full-width forms
// where = was meant, and an apostrophe before a text cell costs nothing.
//
// [WriteCSV] writes every text cell through it; so should other CSV writers
// of a settlement file's fields or a merchant's orders, which come from
// outside (an orderId, a reserved field). Numbers a writer makes itself (an
// amount in fen, negative ones included) are not text: written as they are,
// they stay numbers to the spreadsheet. A cell written by CSVText is for
// people to read, not for a program to read back as the value.
func CSVText(s string) string {
	s = reportText(s)
	if s == "" {
		return s
	}
	r, _ := utf8.DecodeRuneInString(strings.TrimLeftFunc(s, func(r rune) bool {
		return unicode.IsSpace(r) || unicode.Is(unicode.Cf, r) // a BOM or zero-width character hides what follows
	}))
	if strings.ContainsRune("=+-@\uff1d\uff0b\uff0d\uff20", r) {
		return "'" + s
	}
	return s
}

// reportText returns s with the characters [CSVText] escapes written as Go
// escapes: the text cells of both reports, and the JSON report's strings, go
// through it. s itself when it has none, without allocating.
func reportText(s string) string { return textesc.Escape(s, false) }

type jsonResult struct {
	Class       string `json:"class"`
	Line        int    `json:"line,omitempty"`
	OrderID     string `json:"order_id"`
	QueryID     string `json:"query_id,omitempty"`
	OrigQueryID string `json:"orig_query_id,omitempty"`
	TxnType     string `json:"txn_type,omitempty"`
	TxnTime     string `json:"txn_time,omitempty"`
	Amount      *int64 `json:"amount_fen,omitempty"`
	Fee         *int64 `json:"fee_fen,omitempty"`
	Net         *int64 `json:"net_fen,omitempty"`
	OrderAmount *int64 `json:"order_amount_fen,omitempty"`
	OrderState  string `json:"order_state,omitempty"`
	Detail      string `json:"detail,omitempty"`
	SubMerID    string `json:"sub_mer_id,omitempty"` // a platform's sub-merchant (subMerchantOf)
}

type jsonTotals struct {
	Class       string `json:"class"`
	Count       int64  `json:"count"`
	Amount      int64  `json:"amount_fen"`
	Fees        int64  `json:"fee_fen"`
	Net         int64  `json:"net_fen"`
	OrderAmount int64  `json:"order_amount_fen"`
}

type jsonError struct {
	Line    int    `json:"line,omitempty"`
	Message string `json:"message"`
}

// WriteJSON consumes results like [WriteCSV] and writes one JSON object:
// {"results":[...],"totals":[...],"error_count":n,"errors":[...]}, preceded by
// "settle_date" and "mer_id" when [Covering] names them. Results
// stream out as they come; errors are kept (the first 100) and written last.
// Amounts are integers in fen ("amount_fen", "fee_fen", "net_fen",
// "order_amount_fen"), absent on the side that has no such transaction. Text
// (an orderId, a detail, an error's message) has the characters WriteCSV
// escapes written as it writes them (\x1b, \u202e, \xb5: see [CSVText]),
// without the apostrophe, a spreadsheet's matter: a value reads the same in
// both reports, and none carries a terminal's control sequence once decoded
// (jq -r). An
// error that is not a data error stops it as it stops WriteCSV and is
// returned, the object left unfinished. A nil w or results is an error
// matching [ErrNilArgument], as for WriteCSV, and totals that overflowed
// end it unfinished, as they end WriteCSV.
func WriteJSON(w io.Writer, results iter.Seq2[Result, error], opts ...ReportOption) (*Report, error) {
	if err := reportArgs(w, results, "WriteJSON"); err != nil {
		return nil, err
	}
	cfg := configure(opts)
	bw := bufio.NewWriter(w)
	bw.WriteByte('{')
	if c := cfg.cover; c != nil {
		b, err := json.Marshal(struct {
			SettleDate string `json:"settle_date,omitempty"`
			MerID      string `json:"mer_id,omitempty"`
		}{c.settleDate, reportText(c.merID)})
		if err != nil {
			return nil, writing(err)
		}
		if len(b) > 2 { // not {}
			bw.Write(b[1 : len(b)-1]) // the fields open the outer object
			bw.WriteByte(',')
		}
	}
	bw.WriteString(`"results":[`)
	first := true
	rep, err := consume(results, cfg, func(r *Result) error {
		b, err := json.Marshal(toJSON(r))
		if err != nil {
			return writing(err)
		}
		if !first {
			bw.WriteByte(',')
		}
		first = false
		_, err = bw.Write(b)
		return writing(err)
	}, func(error) error { return nil })
	if err != nil {
		bw.Flush()
		return rep, err
	}
	b, err := json.Marshal(rep.jsonForm()) // the totals and errors as Report.MarshalJSON writes them; no "err", the totals being right
	if err != nil {
		return rep, writing(err)
	}
	bw.WriteString(`],`)
	bw.Write(b[1:]) // the tail's fields continue the outer object
	bw.WriteByte('\n')
	if err := bw.Flush(); err != nil {
		return rep, writing(err)
	}
	return rep, nil
}

func toJSON(r *Result) jsonResult {
	j := jsonResult{Class: r.Class.String(), TxnTime: formatTime(txnTimeOf(r)), Detail: r.Detail, SubMerID: subMerchantOf(r)}
	if r.HasRecord() {
		rec := &r.Record
		j.Line, j.OrderID, j.QueryID, j.OrigQueryID, j.TxnType = rec.Line, rec.OrderID, rec.QueryID, rec.OrigQueryID, rec.TxnType
		j.Amount, j.Fee, j.Net = &rec.TxnAmt, &rec.MerchantFee, &rec.SettleAmt
	}
	if r.HasOrder() {
		j.OrderID = r.Order.OrderID
		if j.TxnType == "" {
			j.TxnType = r.Order.TxnType
		}
		j.OrderAmount = &r.Order.Amount
		j.OrderState = r.Order.State.String()
	}
	for _, f := range [...]*string{&j.OrderID, &j.QueryID, &j.OrigQueryID, &j.TxnType, &j.Detail, &j.SubMerID} {
		*f = reportText(*f) // the text cells WriteCSV escapes
	}
	return j
}

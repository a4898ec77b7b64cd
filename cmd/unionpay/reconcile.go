package main

import (
	"bytes"
	"encoding/csv"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"time"

	"github.com/goacp/unionpay/notify"
	"github.com/goacp/unionpay/reconcile"
)

const reconcileHelp = `
Reads a settlement file and writes its records to standard output. FILE is the settlement zip
(the decoded fileContent of the file-download transaction, e.g. 802310048993424_20150905.zip)
or a bare ZM or ZME member (INN15090588ZM_802310048993424).

A bare RD summary report (RD201015090501_802310048993424, told by its name or its title) has
no records: reconcile writes its 总计 totals as one JSON object, in -summary's keys but the ZME
ones, whatever -format says:
  {"kind":"RD","merId":M,"settleDate":"YYYYMMDD","records":N,"txnAmtCredit":C,...}
To check ZM records against it, give the whole zip.

-format json writes one JSON object per record, one per line, always with the keys
  kind ("ZM" or "ZME"), line, orderId, queryId, origQueryId, origOrderId, merId, txnType,
  txnSubType, bizType, txnTime (RFC 3339, Beijing time), traceNo, accNo (masked 6+4),
  txnAmt, merchantFee, settleAmt, subMerId, subMerAbbr, txnCode, origTraceNo, origTxnTime,
  origTxnAmt
(amounts are integers in fen; D amounts negative, C and blank positive; ZME records, the error
transactions (chargebacks, adjustments) for a person to review, have no orderId or queryId:
their txnCode says what they are, the orig* keys which transaction they concern). -format csv
writes the same columns with a header row; a text cell starting with = + - @, a tab or a CR
gets a leading apostrophe, so that a spreadsheet does not run it as a formula.

-summary writes instead the totals of the ZM records, in fen, then the ZME records' apart, as
one JSON object (or, with -format csv, a header row and one row of the same keys):
  {"records":N,"txnAmtCredit":C,"txnAmtDebit":D,"txnAmtNet":C-D,"merchantFee":F,"settleAmt":S,
   "zmeRecords":E,"zmeSettleAmt":Z}
txnAmt has no sign in the file, so it is split as in the RD report: txnAmtCredit sums the
transactions credited to the merchant (payments), txnAmtDebit those debited (refunds,
reversals), both positive; merchantFee, settleAmt and zmeSettleAmt are signed sums (negative: a
debit). The money the day moves is settleAmt plus zmeSettleAmt. -summary writes nothing when any
line is malformed, a member cannot be read to its end or the totals disagree with the RD report:
totals of part of a file, or disputed ones, would mislead.

The settle date, which gives the MMDDhhmmss times their year, comes from -settle-date, else from
the member's name (INN{yymmdd}...); a -settle-date that disagrees with a name that carries one
is refused. An empty FILE is refused: UnionPay sends no file for a day without transactions
(respCode 98), so an empty one is a failed download. A bare ZM or ZME member is read whole, up to
256 MiB (about 450,000 records); a zip's members are streamed. When a zip holds the RD summary report, the ZM records are
checked against its totals (a group's zip: each store's RD against that store's records, the
group's against them all). Exit status 1 for a malformed line (the other records are still
written), totals that disagree with the RD report (with malformed lines, both are reported), a
file that does not open, or a zip member that cannot be read to its end. Zip members are
streamed, never held in memory whole, so their checksum is checked only at their end. Exit
status 0 says the file was read whole and agrees with its RD report, not that it matches your
orders: for that, give -orders (below).

On a non-zero exit status the output is incomplete and must not be trusted: records written
before the error may come from the corrupt member itself. Keep the output only when the exit
status is 0 (write it to a temporary file, then rename it).`

func runReconcile(e *env, args []string) error {
	fs := newFlags(e, "reconcile", "[-format json|csv] [-summary] [-settle-date YYYYMMDD] [-orders ORDERS.csv [-merid MERID]] FILE",
		reconcileHelp+"\n"+ordersHelp)
	format := fs.String("format", "json", "output format: json (one object per line; with -orders one object) or csv")
	summary := fs.Bool("summary", false, "write only the totals: the ZM records', then the ZME records' apart")
	settle := fs.String("settle-date", "", "settle date YYYYMMDD (default: from the member name)")
	orders := fs.String("orders", "", "match the ZM records against the merchant's orders in this CSV file and write the report")
	merID := fs.String("merid", "", "with -orders: the merchant whose records are matched (needed for a zip of several)")
	if err := parseFlags(fs, args, 1); err != nil {
		return err
	}
	if *format != "json" && *format != "csv" {
		return usagef("-format must be json or csv, not %q", *format)
	}
	switch {
	case *orders == "" && flagGiven(fs, "orders"):
		return usagef("-orders: empty file name")
	case *orders == "" && flagGiven(fs, "merid"):
		return usagef("-merid goes with -orders")
	case *orders != "" && *summary:
		return usagef("-summary and -orders exclude each other: the report of -orders ends with its totals")
	case flagGiven(fs, "merid") && !validMerID(*merID):
		return usagef("-merid: want a merId, up to 15 letters and digits (the file's field), got %d bytes", len(*merID))
	}
	var day time.Time
	if *settle != "" {
		t, err := time.ParseInLocation("20060102", *settle, reconcile.Beijing())
		if err != nil {
			return usagef("-settle-date: want YYYYMMDD, got %q", *settle)
		}
		day = t
	}
	data, err := readFileLimited(fs.Arg(0), maxFileBytes)
	if err != nil {
		return err
	}
	if len(data) == 0 {
		// UnionPay publishes no file for a day without transactions (respCode 98): an empty one is
		// a failed download or a truncated copy, not a quiet day.
		return fmt.Errorf("%s is empty: not a settlement file", fs.Arg(0))
	}
	if *orders != "" && isBareRD(fs.Arg(0), data) {
		return usagef("-orders needs ZM records: an RD summary report has none; give the settlement zip")
	}
	if isBareRD(fs.Arg(0), data) {
		// The summary alone has no records to check it against: print its totals, said to be the RD's.
		return writeBareRD(e.stdout, fs.Arg(0), data, day)
	}
	members, err := membersOf(fs.Arg(0), data, day)
	if err != nil {
		return err
	}
	if *orders != "" {
		return matchOrders(e, members, matchOptions{file: fs.Arg(0), orders: *orders, merID: *merID, format: *format})
	}
	out := newRecordWriter(e.stdout, *format, *summary)
	var bad badLines
	var tally reconcile.Tally
	byMer := map[string]*reconcile.Tally{} // a group's zip holds its stores' records and an RD each
	for _, m := range members {
		if err := m.each(out, &tally, byMer, &bad); err != nil {
			out.abort()
			return joinErrors([]error{err, bad.err()}) // the malformed lines before the failure too
		}
	}
	// Malformed lines do not hide a disagreement with the RD report: both are reported.
	errs := append([]error{bad.err()}, checkRD(members, &tally, byMer)...)
	// -summary writes no totals that a malformed line or the RD report disputes.
	if err := out.finish(&tally, len(errs) == 1 && bad.n == 0); err != nil {
		return err
	}
	return joinErrors(errs)
}

// validMerID reports whether id can be a merId of a ZM record: 1 to 15 ASCII letters and digits.
func validMerID(id string) bool {
	if id == "" || len(id) > 15 {
		return false
	}
	for i := 0; i < len(id); i++ {
		if c := id[i]; !('0' <= c && c <= '9' || 'A' <= c && c <= 'Z' || 'a' <= c && c <= 'z') {
			return false
		}
	}
	return true
}

// checkRD checks the ZM records, counted in tally and by merId in byMer, against the RD
// summary reports among members, and returns the disagreements.
func checkRD(members []*member, tally *reconcile.Tally, byMer map[string]*reconcile.Tally) []error {
	var errs []error
	for _, m := range members {
		if m.rd == nil {
			continue
		}
		// An RD of one of several merchants whose records the zip holds is checked against that
		// merchant's records; any other (a single merchant's, a group's) against them all.
		checked, of := tally, ""
		if t := byMer[m.rd.MerID]; t != nil && len(byMer) > 1 {
			checked, of = t, " of merId "+m.rd.MerID
		}
		if err := m.rd.Check(checked); err != nil {
			errs = append(errs, fmt.Errorf("ZM records%s disagree with the RD summary report %s: %w", of, m.name, err))
		}
	}
	return errs
}

// joinErrors returns the errors that are not nil as one error on one line, "; " between them.
func joinErrors(errs []error) error {
	var err error
	for _, e := range errs {
		switch {
		case e == nil:
		case err == nil:
			err = e
		default:
			err = fmt.Errorf("%w; %w", err, e)
		}
	}
	return err
}

// member is one readable part of the input: ZM or ZME records, or the RD summary. A zip's
// members are read as they are streamed, never whole: a small zip may inflate to gigabytes.
type member struct {
	kind reconcile.Kind
	name string
	data []byte            // a bare file's bytes; nil for a zip member
	zm   *reconcile.Member // a zip member
	day  time.Time
	rd   *reconcile.Summary
}

// open returns a reader of the member's bytes.
func (m *member) open() (io.ReadCloser, error) {
	if m.zm == nil {
		return io.NopCloser(bytes.NewReader(m.data)), nil
	}
	r, err := m.zm.Open()
	if err != nil {
		return nil, fmt.Errorf("%s: %w", m.name, err)
	}
	return r, nil
}

var datePart = regexp.MustCompile(`INN(\d{6})`)

// membersOf splits the input into its ZM, ZME and RD members: a zip's, or a bare file's.
func membersOf(path string, data []byte, day time.Time) ([]*member, error) {
	if !bytes.HasPrefix(data, []byte("PK\x03\x04")) {
		name := filepath.Base(path)
		kind := reconcile.KindZM
		if strings.Contains(name, "ZME_") {
			kind = reconcile.KindZME
		}
		if m := datePart.FindStringSubmatch(name); m != nil && !day.IsZero() {
			if t, err := time.ParseInLocation("060102", m[1], reconcile.Beijing()); err == nil && !t.Equal(day) {
				return nil, fmt.Errorf("-settle-date %s disagrees with the name %q", day.Format("20060102"), name)
			}
		}
		if day.IsZero() {
			m := datePart.FindStringSubmatch(name)
			if m == nil {
				return nil, usagef("cannot tell the settle date from the name %q: give -settle-date", name)
			}
			t, err := time.ParseInLocation("060102", m[1], reconcile.Beijing())
			if err != nil {
				return nil, usagef("cannot tell the settle date from the name %q: give -settle-date", name)
			}
			day = t
		}
		return []*member{{kind: kind, name: name, data: data, day: day}}, nil
	}
	a, err := reconcile.Open(data)
	if err != nil {
		return nil, err
	}
	var out []*member
	for _, m := range a.Members() {
		if m.Kind != reconcile.KindZM && m.Kind != reconcile.KindZME && m.Kind != reconcile.KindRD {
			continue
		}
		mm := &member{kind: m.Kind, name: m.Name, zm: m, day: day}
		if !day.IsZero() && !m.SettleDate.IsZero() && !m.SettleDate.Equal(day) {
			return nil, fmt.Errorf("-settle-date %s disagrees with the member %q (settle date %s)",
				day.Format("20060102"), m.Name, m.SettleDate.Format("20060102"))
		}
		if mm.day.IsZero() {
			mm.day = m.SettleDate
		}
		if mm.day.IsZero() {
			return nil, usagef("cannot tell the settle date of %q: give -settle-date", m.Name)
		}
		if m.Kind == reconcile.KindRD {
			if mm.rd, err = parseRD(mm); err != nil {
				return nil, err
			}
		}
		out = append(out, mm)
	}
	if len(out) == 0 {
		return nil, fmt.Errorf("the zip holds no ZM, ZME or RD member: %w", reconcile.ErrMalformed)
	}
	return out, nil
}

// parseRD parses the RD member (ParseRD bounds what it reads).
func parseRD(m *member) (*reconcile.Summary, error) {
	r, err := m.open()
	if err != nil {
		return nil, err
	}
	defer r.Close()
	s, err := reconcile.ParseRD(r)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", m.name, err)
	}
	return s, nil
}

// maxMerchantTallies bounds the merchants whose records are counted apart (a file's merIds are
// its own to choose): a group has a few stores, not thousands.
const maxMerchantTallies = 256

// each streams the member's records to out, counts ZM records in tally and in byMer by merId
// (the first maxMerchantTallies merIds), and collects bad lines.
// A read error (a truncated or corrupt member) stops it and is returned.
func (m *member) each(out *recordWriter, tally *reconcile.Tally, byMer map[string]*reconcile.Tally, bad *badLines) error {
	if m.kind != reconcile.KindZM && m.kind != reconcile.KindZME {
		return nil
	}
	r, err := m.open()
	if err != nil {
		return err
	}
	defer r.Close()
	failed := func(err error) error {
		if le := (*reconcile.LineError)(nil); errors.As(err, &le) {
			bad.add(m.name, err)
			return nil
		}
		return fmt.Errorf("%s: %w", m.name, err)
	}
	if m.kind == reconcile.KindZM {
		for rec, err := range reconcile.ZM(r, m.day) {
			if err != nil {
				if err := failed(err); err != nil {
					return err
				}
				continue
			}
			count(tally, byMer, &rec)
			if err := out.zm(&rec); err != nil {
				return err
			}
		}
		return nil
	}
	for rec, err := range reconcile.ZME(r, m.day) {
		if err != nil {
			if err := failed(err); err != nil {
				return err
			}
			continue
		}
		if err := out.zme(&rec); err != nil {
			return err
		}
	}
	return nil
}

// count adds rec to tally, and to its merchant's tally in byMer (the first maxMerchantTallies
// merIds).
func count(tally *reconcile.Tally, byMer map[string]*reconcile.Tally, rec *reconcile.Record) {
	tally.Add(rec)
	t := byMer[rec.MerID]
	if t == nil && len(byMer) < maxMerchantTallies {
		t = &reconcile.Tally{}
		byMer[rec.MerID] = t
	}
	if t != nil {
		t.Add(rec)
	}
}

// badLines keeps the first malformed line and counts the others.
type badLines struct {
	first error
	n     int
}

func (b *badLines) add(name string, err error) {
	if b.first == nil {
		b.first = fmt.Errorf("%s: %w", name, err)
	}
	b.n++
}

func (b *badLines) err() error {
	switch {
	case b.n == 0:
		return nil
	case b.n == 1:
		return b.first
	}
	return fmt.Errorf("%w (and %d more malformed lines)", b.first, b.n-1)
}

// row is one output record, in the column order of the CSV format.
type row struct {
	Kind        string `json:"kind"`
	Line        int    `json:"line"`
	OrderID     string `json:"orderId"`
	QueryID     string `json:"queryId"`
	OrigQueryID string `json:"origQueryId"`
	OrigOrderID string `json:"origOrderId"`
	MerID       string `json:"merId"`
	TxnType     string `json:"txnType"`
	TxnSubType  string `json:"txnSubType"`
	BizType     string `json:"bizType"`
	TxnTime     string `json:"txnTime"`
	TraceNo     string `json:"traceNo"`
	AccNo       string `json:"accNo"`
	TxnAmt      int64  `json:"txnAmt"`
	MerchantFee int64  `json:"merchantFee"`
	SettleAmt   int64  `json:"settleAmt"`
	SubMerID    string `json:"subMerId"`    // a platform's sub-merchant (ZM)
	SubMerAbbr  string `json:"subMerAbbr"`  // its abbreviation (ZM)
	TxnCode     string `json:"txnCode"`     // the kind of transaction, or of error (ZME)
	OrigTraceNo string `json:"origTraceNo"` // the original transaction's traceNo
	OrigTxnTime string `json:"origTxnTime"` // and its txnTime
	OrigTxnAmt  int64  `json:"origTxnAmt"`  // and its txnAmt (ZME)
}

var csvHeader = []string{"kind", "line", "orderId", "queryId", "origQueryId", "origOrderId", "merId", "txnType",
	"txnSubType", "bizType", "txnTime", "traceNo", "accNo", "txnAmt", "merchantFee", "settleAmt", "subMerId",
	"subMerAbbr", "txnCode", "origTraceNo", "origTxnTime", "origTxnAmt"}

// csv returns the row's cells, the text ones through reconcile.CSVText: a settlement file's
// fields come from outside, and one starting with = is a formula to a spreadsheet.
func (r *row) csv() []string {
	text := []string{r.OrderID, r.QueryID, r.OrigQueryID, r.OrigOrderID, r.MerID,
		r.TxnType, r.TxnSubType, r.BizType, r.TxnTime, r.TraceNo, r.AccNo}
	for i, s := range text {
		text[i] = reconcile.CSVText(s)
	}
	return append(append([]string{r.Kind, strconv.Itoa(r.Line)}, text...),
		strconv.FormatInt(r.TxnAmt, 10), strconv.FormatInt(r.MerchantFee, 10), strconv.FormatInt(r.SettleAmt, 10),
		reconcile.CSVText(r.SubMerID), reconcile.CSVText(r.SubMerAbbr), reconcile.CSVText(r.TxnCode),
		reconcile.CSVText(r.OrigTraceNo), r.OrigTxnTime, strconv.FormatInt(r.OrigTxnAmt, 10))
}

func rfc3339(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return t.Format(time.RFC3339)
}

// maskAccNo keeps a card number masked 6+4 even if a file ever carried it in full.
func maskAccNo(s string) string {
	if s == "" {
		return ""
	}
	return notify.MaskPAN(s)
}

// totals is the -summary object, in fen. txnAmt is unsigned in ZM records: it is split into
// credits (payments) and debits (refunds, reversals) as the RD report does, never summed whole.
type totals struct {
	Records      int64 `json:"records"`
	TxnAmtCredit int64 `json:"txnAmtCredit"`
	TxnAmtDebit  int64 `json:"txnAmtDebit"`
	TxnAmtNet    int64 `json:"txnAmtNet"`
	MerchantFee  int64 `json:"merchantFee"`
	SettleAmt    int64 `json:"settleAmt"`
}

// summaryTotals is the -summary object: the ZM records' totals, then the error transactions'
// (ZME: chargebacks, adjustments) apart: a person reviews them, and their settleAmt moves the
// merchant's money too.
type summaryTotals struct {
	totals
	ZMERecords   int64 `json:"zmeRecords"`
	ZMESettleAmt int64 `json:"zmeSettleAmt"`
}

// totalsHeader are the CSV columns of the -summary totals, in the JSON keys' order.
var totalsHeader = []string{"records", "txnAmtCredit", "txnAmtDebit", "txnAmtNet", "merchantFee", "settleAmt",
	"zmeRecords", "zmeSettleAmt"}

// csv returns the totals' cells, in totalsHeader's order.
func (t summaryTotals) csv() []string {
	cells := make([]string, 0, len(totalsHeader))
	for _, v := range []int64{t.Records, t.TxnAmtCredit, t.TxnAmtDebit, t.TxnAmtNet, t.MerchantFee, t.SettleAmt,
		t.ZMERecords, t.ZMESettleAmt} {
		cells = append(cells, strconv.FormatInt(v, 10))
	}
	return cells
}

// totalsOf turns the tally of the ZM records into the -summary object.
func totalsOf(t *reconcile.Tally) totals {
	r := t.Total
	return totals{Records: r.Count, TxnAmtCredit: r.TxnCredit, TxnAmtDebit: r.TxnDebit,
		TxnAmtNet: r.TxnCredit - r.TxnDebit, MerchantFee: r.FeeCredit - r.FeeDebit, SettleAmt: r.NetCredit - r.NetDebit}
}

// recordWriter writes rows as JSON lines or CSV, or only adds them up for -summary.
type recordWriter struct {
	w       io.Writer
	format  string
	summary bool
	enc     *json.Encoder
	csv     *csv.Writer
	header  bool
	// The ZME records seen, and their settleAmt summed (saturating: a file that would overflow
	// is not UnionPay's, and its totals are refused anyway), for -summary.
	zmeRecords, zmeSettleAmt int64
	zmeOverflow              bool // zmeSettleAmt was held at a bound: no totals
}

// addSaturating returns a+b, held at the int64 bounds.
func addSaturating(a, b int64) int64 {
	s := a + b
	switch {
	case a > 0 && b > 0 && s < 0:
		return math.MaxInt64
	case a < 0 && b < 0 && s >= 0:
		return math.MinInt64
	}
	return s
}

func newRecordWriter(w io.Writer, format string, summary bool) *recordWriter {
	rw := &recordWriter{w: w, format: format, summary: summary}
	if format == "csv" {
		rw.csv = csv.NewWriter(w)
	} else {
		rw.enc = json.NewEncoder(w)
		rw.enc.SetEscapeHTML(false)
	}
	return rw
}

func (w *recordWriter) zm(r *reconcile.Record) error {
	if w.summary {
		return nil // the totals alone: no row to build
	}
	return w.write(&row{Kind: "ZM", Line: r.Line, OrderID: r.OrderID, QueryID: r.QueryID,
		OrigQueryID: r.OrigQueryID, OrigOrderID: r.OrigOrderID, MerID: r.MerID, TxnType: r.TxnType,
		TxnSubType: r.TxnSubType, BizType: r.BizType, TxnTime: rfc3339(r.TxnTime), TraceNo: r.TraceNo,
		AccNo: maskAccNo(r.AccNo), TxnAmt: r.TxnAmt, MerchantFee: r.MerchantFee, SettleAmt: r.SettleAmt,
		SubMerID: r.SubMerchant(), SubMerAbbr: r.SubMerAbbr, TxnCode: r.TxnCode, OrigTraceNo: r.OrigTraceNo,
		OrigTxnTime: rfc3339(r.OrigTxnTime)})
}

func (w *recordWriter) zme(r *reconcile.ErrorRecord) error {
	w.zmeRecords++
	w.zmeSettleAmt = addSaturating(w.zmeSettleAmt, r.SettleAmt)
	if w.zmeSettleAmt == math.MaxInt64 || w.zmeSettleAmt == math.MinInt64 {
		w.zmeOverflow = true
	}
	return w.write(&row{Kind: "ZME", Line: r.Line, MerID: r.MerID, TxnTime: rfc3339(r.TxnTime),
		TraceNo: r.TraceNo, AccNo: maskAccNo(r.AccNo), TxnAmt: r.TxnAmt, MerchantFee: r.MerchantFee,
		SettleAmt: r.SettleAmt, TxnCode: r.TxnCode, OrigTraceNo: r.OrigTraceNo,
		OrigTxnTime: rfc3339(r.OrigTxnTime), OrigTxnAmt: r.OrigTxnAmt})
}

func (w *recordWriter) write(r *row) error {
	if w.summary {
		return nil
	}
	// A settlement file's text fields may hold any byte: shown, never acted on by a terminal.
	for _, f := range []*string{&r.OrderID, &r.QueryID, &r.OrigQueryID, &r.OrigOrderID, &r.MerID, &r.TxnType,
		&r.TxnSubType, &r.BizType, &r.TraceNo, &r.AccNo, &r.SubMerID, &r.SubMerAbbr, &r.TxnCode, &r.OrigTraceNo} {
		*f = printable(*f)
	}
	if w.csv == nil {
		return w.enc.Encode(r)
	}
	if !w.header {
		w.header = true
		if err := w.csv.Write(csvHeader); err != nil {
			return err
		}
	}
	return w.csv.Write(r.csv())
}

// abort flushes the records written so far, after a member could not be read to its end: they
// are true records, but totals of part of a file would mislead, so -summary writes nothing.
func (w *recordWriter) abort() {
	if w.csv != nil {
		w.csv.Flush()
	}
}

// finish writes the CSV header of an empty file, or for -summary the totals of tally when
// complete (no malformed line): like abort, it writes no totals of part of a file.
func (w *recordWriter) finish(tally *reconcile.Tally, complete bool) error {
	if w.summary {
		if !complete {
			return nil
		}
		if err := tally.Err(); err != nil { // records from several members: no totals rather than wrong ones
			return err
		}
		if w.zmeOverflow {
			return fmt.Errorf("%w: the ZME records' settleAmt sum is past int64 fen", reconcile.ErrOverflow)
		}
		t := summaryTotals{totalsOf(tally), w.zmeRecords, w.zmeSettleAmt}
		if w.csv != nil {
			w.csv.Write(totalsHeader)
			w.csv.Write(t.csv())
			w.csv.Flush()
			return w.csv.Error()
		}
		return json.NewEncoder(w.w).Encode(t)
	}
	if w.csv != nil {
		if !w.header {
			if err := w.csv.Write(csvHeader); err != nil {
				return err
			}
		}
		w.csv.Flush()
		return w.csv.Error()
	}
	return nil
}

package main

import (
	"archive/zip"
	"bytes"
	"compress/flate"
	"errors"
	"fmt"
	"io"
	"path/filepath"
	"regexp"
	"strings"
	"time"

	"github.com/goacp/unionpay/internal/ascii"
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

A periodic merchant's PED (周期交易明细) and PEDERR (周期差错) members have a layout that is not
known, so they are not read: each one in a zip gets a line "unionpay reconcile: note: ..." on
stderr (its transactions are in no total; status unchanged), and a bare PED or PEDERR file, or a
zip holding only such members, is refused (status 1).

-format json writes one JSON object per record, one per line, always with the keys
  kind ("ZM" or "ZME"), line, orderId, queryId, origQueryId, origOrderId, merId, txnType,
  txnSubType, bizType, txnTime (RFC 3339, Beijing time), traceNo, accNo (as the file masks
  it, 622609******0048; a whole card number, or one masked too little, masked 6+4), txnAmt,
  merchantFee, settleAmt, subMerId, subMerAbbr, txnCode, origTraceNo, origTxnTime, origTxnAmt
(orderId and origOrderId as the file gives them, never masked: they are the keys to match the
merchant's orders by, and one of digits alone would read as a card number to a masker;
amounts are integers in fen; D amounts negative, C and blank positive; ZME records, the error
transactions (chargebacks, adjustments) for a person to review, have no orderId or queryId:
their txnCode says what they are, the orig* keys which transaction they concern). -format csv
writes the same columns with a header row; a text cell starting with = + - @ (after white
space too, or in their full-width forms ＝ ＋ － ＠) gets a leading apostrophe, so that a
spreadsheet does not run it as a formula, and a control character (a tab, a CR, ESC) is written
as a Go escape (\t, \r, \x1b).

-summary writes instead the totals of the ZM records, in fen, then the ZME records' apart, as
one JSON object (or, with -format csv, a header row and one row of the same keys):
  {"records":N,"txnAmtCredit":C,"txnAmtDebit":D,"txnAmtNet":C-D,"merchantFee":F,"settleAmt":S,
   "zmeRecords":E,"zmeSettleAmt":Z}
txnAmt has no sign in the file, so it is split as in the RD report: txnAmtCredit sums the
transactions credited to the merchant (payments), txnAmtDebit those debited (refunds,
reversals), both positive; merchantFee, settleAmt and zmeSettleAmt are signed sums (negative: a
debit). The money the day moves is settleAmt plus zmeSettleAmt. -summary writes nothing when any
line is malformed, a member cannot be read to its end or the totals disagree with the RD report:
totals of part of a file, or disputed ones, would mislead. -summary -by submer adds a platform's
(accessType 2) totals of each sub-merchant, the ZM records' by merId and subMerId (with the first
subMerAbbr given; subMerId "" for the records of none, the merchant's own), in that order, as
  {...,"zmeSettleAmt":Z,"subMerchants":[{"merId":M,"subMerId":S,"subMerAbbr":A,"records":N,
   "txnAmtCredit":C,"txnAmtDebit":D,"txnAmtNet":C-D,"merchantFee":F,"settleAmt":S},...]}
or, with -format csv, the columns row,merId,subMerId,subMerAbbr and -summary's: one "subMer" row
each (no ZME cells: error transactions name no sub-merchant), then the "total" row.

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
status 0 says the file was read whole and agrees with its RD report (a zip with ZM records and
no RD report is noted on stderr: its totals went unchecked), not that it matches your orders:
for that, give -orders (below).

On a non-zero exit status the output is incomplete and must not be trusted: records written
before the error may come from the corrupt member itself. Keep the output only when the exit
status is 0 (write it to a temporary file, then rename it).`

func runReconcile(e *env, args []string) error {
	fs := newFlags(e, "reconcile", "[-format json|csv] [-summary [-by submer]] [-settle-date YYYYMMDD] [-orders ORDERS.csv [-merid MERID]] FILE",
		reconcileHelp+"\n"+ordersHelp)
	format := fs.String("format", "json", "output format: json (one object per line; with -orders one object) or csv")
	summary := fs.Bool("summary", false, "write only the totals: the ZM records', then the ZME records' apart")
	by := fs.String("by", "", "with -summary: submer adds the ZM records' totals of each of a platform's sub-merchants")
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
	case flagGiven(fs, "by") && !*summary:
		return usagef("-by goes with -summary")
	case flagGiven(fs, "by") && *by != "submer":
		return usagef("-by: want submer (the totals of each sub-merchant), not %q", *by)
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
	members, unread, err := membersOf(fs.Arg(0), data, day)
	if err != nil {
		return err
	}
	if noRD(members) {
		// On one line, escaped as errors are: the path may hold a line break or a terminal's escape.
		fmt.Fprintln(e.stderr, oneLine(fmt.Sprintf("unionpay reconcile: note: %s holds no RD summary report: its "+
			"totals are not cross-checked", fs.Arg(0))))
	}
	for _, m := range unread {
		fmt.Fprintln(e.stderr, oneLine(fmt.Sprintf("unionpay reconcile: note: %s: %s (%s, %s) is not read: its layout "+
			"is not known, so its transactions are in no total", fs.Arg(0), m.Name, m.Kind, periodicWhat(m.Kind))))
	}
	if *orders != "" {
		return matchOrders(e, members, matchOptions{file: fs.Arg(0), orders: *orders, merID: *merID, format: *format})
	}
	out := newRecordWriter(e.stdout, *format, *summary)
	if *by == "submer" {
		out.bySub = map[subKey]*subTally{}
	}
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
	return id != "" && len(id) <= 15 && ascii.IsAlnum(id)
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
		return nil, memberError(m.name, err)
	}
	return r, nil
}

// damagedHint says what to do with a settlement zip that cannot be read whole.
const damagedHint = "a file cut short or damaged: download it again, or decode the answer again with " +
	"filecontent, which checks the whole zip before writing it"

// memberError is err, met reading the member name, naming it. A zip member that does not read
// to its end (its compressed data corrupt or cut short, its checksum wrong, or inflating past the
// size the zip declares for it: a damaged file, not a large one) is told what to do, damagedHint,
// as a zip whose directory does not read is. Other errors are left as they are: a malformed line
// (a *reconcile.LineError), and the end of a member that read whole, checksum right, but holds
// more than reconcile.MaxMalformedLines malformed lines (the file is as UnionPay wrote it, or not
// UnionPay's: downloading it again gives the same bytes).
func memberError(name string, err error) error {
	if damagedMember(err) {
		return fmt.Errorf("%s: %w (%s)", name, err, damagedHint)
	}
	return fmt.Errorf("%s: %w", name, err)
}

// damagedMember reports whether err is a zip member's failure to read to its end, as
// reconcile's member reader reports it: the zip's own errors, a corrupt or truncated deflate
// stream, or data inflating past the declared size (reconcile.ErrTooLarge, which a member's
// reader reports for nothing else).
func damagedMember(err error) bool {
	var corrupt flate.CorruptInputError
	return errors.Is(err, reconcile.ErrTooLarge) || errors.Is(err, zip.ErrFormat) || errors.Is(err, zip.ErrChecksum) ||
		errors.Is(err, io.ErrUnexpectedEOF) || errors.As(err, &corrupt)
}

var datePart = regexp.MustCompile(`INN(\d{6})`)

// periodicWhat says what a periodic merchant's member of kind k, PED or PEDERR, holds.
func periodicWhat(k reconcile.Kind) string {
	if k == reconcile.KindPEDERR {
		return "a periodic merchant's errors"
	}
	return "a periodic merchant's detail"
}

// bareKind tells the kind of a bare member from its name as package reconcile tells a zip
// member's: ZM when the name says none (an RD report is told apart before, by its content).
func bareKind(name string) reconcile.Kind {
	if k := reconcile.MemberKind(name); k != reconcile.KindUnknown && k != reconcile.KindRD {
		return k
	}
	return reconcile.KindZM
}

// membersOf splits the input into its ZM, ZME and RD members, a zip's or a bare file's, and
// returns apart a zip's PED and PEDERR members (a periodic merchant's), whose layout is not
// known and which are not read. A bare PED or PEDERR file is refused: read as a ZM file, a
// PEDERR's error transactions would count as settled ones.
func membersOf(path string, data []byte, day time.Time) ([]*member, []*reconcile.Member, error) {
	if !bytes.HasPrefix(data, []byte("PK\x03\x04")) {
		name := filepath.Base(path)
		kind := bareKind(name)
		if kind == reconcile.KindPED || kind == reconcile.KindPEDERR {
			return nil, nil, fmt.Errorf("%s is a %s file (%s), which is not read: its layout is not known",
				name, kind, periodicWhat(kind))
		}
		if m := datePart.FindStringSubmatch(name); m != nil && !day.IsZero() {
			if t, err := time.ParseInLocation("060102", m[1], reconcile.Beijing()); err == nil && !t.Equal(day) {
				return nil, nil, fmt.Errorf("-settle-date %s disagrees with the name %q", day.Format("20060102"), name)
			}
		}
		if day.IsZero() {
			m := datePart.FindStringSubmatch(name)
			if m == nil {
				return nil, nil, usagef("cannot tell the settle date from the name %q: give -settle-date", name)
			}
			t, err := time.ParseInLocation("060102", m[1], reconcile.Beijing())
			if err != nil {
				return nil, nil, usagef("cannot tell the settle date from the name %q: give -settle-date", name)
			}
			day = t
		}
		return []*member{{kind: kind, name: name, data: data, day: day}}, nil, nil
	}
	a, err := reconcile.Open(data)
	if errors.Is(err, reconcile.ErrMalformed) {
		return nil, nil, fmt.Errorf("%w (%s)", err, damagedHint)
	}
	if err != nil {
		return nil, nil, err
	}
	var out []*member
	var unread []*reconcile.Member
	for _, m := range a.Members() {
		if m.Kind == reconcile.KindPED || m.Kind == reconcile.KindPEDERR {
			unread = append(unread, m)
			continue
		}
		if m.Kind != reconcile.KindZM && m.Kind != reconcile.KindZME && m.Kind != reconcile.KindRD {
			continue
		}
		mm := &member{kind: m.Kind, name: m.Name, zm: m, day: day}
		if !day.IsZero() && !m.SettleDate.IsZero() && !m.SettleDate.Equal(day) {
			return nil, nil, fmt.Errorf("-settle-date %s disagrees with the member %q (settle date %s)",
				day.Format("20060102"), m.Name, m.SettleDate.Format("20060102"))
		}
		if mm.day.IsZero() {
			mm.day = m.SettleDate
		}
		if mm.day.IsZero() {
			return nil, nil, usagef("cannot tell the settle date of %q: give -settle-date", m.Name)
		}
		if m.Kind == reconcile.KindRD {
			if mm.rd, err = parseRD(mm); err != nil {
				return nil, nil, err
			}
		}
		out = append(out, mm)
	}
	if len(out) == 0 && len(unread) > 0 {
		names := make([]string, len(unread))
		for i, m := range unread {
			names[i] = m.Name
		}
		return nil, nil, fmt.Errorf("the zip holds no ZM, ZME or RD member, only a periodic merchant's member that is not "+
			"read (its layout is not known): %s", strings.Join(names, ", "))
	}
	if len(out) == 0 {
		return nil, nil, fmt.Errorf("the zip holds no ZM, ZME or RD member: %w", reconcile.ErrMalformed)
	}
	return out, unread, nil
}

// noRD reports whether members, a zip's, hold ZM records but no RD summary report to check them
// against (UnionPay's zip has one; a bare ZM file has none to hold).
func noRD(members []*member) bool {
	zm := false
	for _, m := range members {
		switch {
		case m.zm == nil:
			return false
		case m.kind == reconcile.KindRD:
			return false
		case m.kind == reconcile.KindZM:
			zm = true
		}
	}
	return zm
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
		return memberError(m.name, err)
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

package main

import (
	"cmp"
	"encoding/csv"
	"encoding/json"
	"fmt"
	"io"
	"maps"
	"math"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/goacp/unionpay/reconcile"
)

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

// subMerTotals is one sub-merchant's ZM totals, for -summary -by submer.
type subMerTotals struct {
	MerID      string `json:"merId"`
	SubMerID   string `json:"subMerId"` // "": records of no sub-merchant (the merchant's own)
	SubMerAbbr string `json:"subMerAbbr"`
	totals
}

// bySubMerTotals is the -summary -by submer object: the file's totals, then each sub-merchant's.
type bySubMerTotals struct {
	summaryTotals
	SubMerchants []subMerTotals `json:"subMerchants"`
}

// subMerHeader are the CSV columns of -summary -by submer: the row's kind (subMer, total) and
// whose totals they are, then totalsHeader's.
var subMerHeader = append([]string{"row", "merId", "subMerId", "subMerAbbr"}, totalsHeader...)

// subKey names a sub-merchant: subMerIds are a platform's, its merId's.
type subKey struct{ merID, subMerID string }

// subTally is a sub-merchant's tally, with the first abbreviation its records gave.
type subTally struct {
	abbr  string
	tally reconcile.Tally
}

// maxSubTallies bounds the sub-merchants -summary -by submer adds up: a file with more is
// refused rather than held in memory.
const maxSubTallies = 1 << 16

// recordWriter writes rows as JSON lines or CSV, or only adds them up for -summary.
type recordWriter struct {
	w       io.Writer
	format  string
	summary bool
	// bySub holds, for -summary -by submer, each sub-merchant's tally (nil otherwise);
	// subOverflow says a record's sub-merchant was past maxSubTallies.
	bySub       map[subKey]*subTally
	subOverflow bool
	enc         *json.Encoder
	csv         *csv.Writer
	header      bool
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
		if w.bySub != nil {
			w.addSub(r)
		}
		return nil // the totals alone: no row to build
	}
	return w.write(&row{Kind: "ZM", Line: r.Line, OrderID: r.OrderID, QueryID: r.QueryID,
		OrigQueryID: r.OrigQueryID, OrigOrderID: r.OrigOrderID, MerID: r.MerID, TxnType: r.TxnType,
		TxnSubType: r.TxnSubType, BizType: r.BizType, TxnTime: rfc3339(r.TxnTime), TraceNo: r.TraceNo,
		AccNo: shownAccNo(r.AccNo), TxnAmt: r.TxnAmt, MerchantFee: r.MerchantFee, SettleAmt: r.SettleAmt,
		SubMerID: r.SubMerchant(), SubMerAbbr: r.SubMerAbbr, TxnCode: r.TxnCode, OrigTraceNo: r.OrigTraceNo,
		OrigTxnTime: rfc3339(r.OrigTxnTime)})
}

// addSub adds r to its sub-merchant's tally.
func (w *recordWriter) addSub(r *reconcile.Record) {
	k := subKey{r.MerID, r.SubMerchant()}
	st := w.bySub[k]
	if st == nil {
		if len(w.bySub) == maxSubTallies {
			w.subOverflow = true
			return
		}
		st = &subTally{}
		w.bySub[k] = st
	}
	if st.abbr == "" {
		st.abbr = r.SubMerAbbr
	}
	st.tally.Add(r)
}

// subTotals returns the sub-merchants' totals, by merId and subMerId, their text printable.
func (w *recordWriter) subTotals() ([]subMerTotals, error) {
	if w.subOverflow {
		return nil, fmt.Errorf("more than %d sub-merchants: no totals by sub-merchant", maxSubTallies)
	}
	// Sorted by the keys as read, not as shown: two may show alike once escaped ("\x01" for a
	// control byte and for those four characters), and their order must not be the map's.
	keys := slices.SortedFunc(maps.Keys(w.bySub), func(a, b subKey) int {
		return cmp.Or(strings.Compare(a.merID, b.merID), strings.Compare(a.subMerID, b.subMerID))
	})
	subs := make([]subMerTotals, 0, len(keys))
	for _, k := range keys {
		st := w.bySub[k]
		if err := st.tally.Err(); err != nil {
			return nil, err
		}
		subs = append(subs, subMerTotals{MerID: printable(k.merID), SubMerID: printable(k.subMerID),
			SubMerAbbr: printable(st.abbr), totals: totalsOf(&st.tally)})
	}
	return subs, nil
}

// writeBySub writes the -summary -by submer totals t and subs.
func (w *recordWriter) writeBySub(t summaryTotals, subs []subMerTotals) error {
	if w.csv == nil {
		return json.NewEncoder(w.w).Encode(bySubMerTotals{t, subs})
	}
	w.csv.Write(subMerHeader)
	for _, s := range subs {
		cells := summaryTotals{totals: s.totals}.csv()
		cells[len(cells)-2], cells[len(cells)-1] = "", "" // no ZME cells: error transactions name no sub-merchant
		w.csv.Write(append([]string{"subMer", reconcile.CSVText(s.MerID), reconcile.CSVText(s.SubMerID),
			reconcile.CSVText(s.SubMerAbbr)}, cells...))
	}
	w.csv.Write(append([]string{"total", "", "", ""}, t.csv()...))
	w.csv.Flush()
	return w.csv.Error()
}

func (w *recordWriter) zme(r *reconcile.ErrorRecord) error {
	w.zmeRecords++
	w.zmeSettleAmt = addSaturating(w.zmeSettleAmt, r.SettleAmt)
	if w.zmeSettleAmt == math.MaxInt64 || w.zmeSettleAmt == math.MinInt64 {
		w.zmeOverflow = true
	}
	return w.write(&row{Kind: "ZME", Line: r.Line, MerID: r.MerID, TxnTime: rfc3339(r.TxnTime),
		TraceNo: r.TraceNo, AccNo: shownAccNo(r.AccNo), TxnAmt: r.TxnAmt, MerchantFee: r.MerchantFee,
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
		if w.bySub != nil {
			subs, err := w.subTotals()
			if err != nil {
				return err
			}
			return w.writeBySub(t, subs)
		}
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

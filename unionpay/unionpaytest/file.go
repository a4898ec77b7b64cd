package unionpaytest

import (
	"archive/zip"
	"bytes"
	"cmp"
	"errors"
	"fmt"
	"io"
	"math/bits"
	"slices"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/goacp/unionpay/internal/javagbk"
	"github.com/goacp/unionpay/reconcile"
	"github.com/goacp/unionpay/sign"
	"github.com/goacp/unionpay/unionpay"
)

// Settlement-file constants. The fee is 0.6% (the rate in UnionPay's sample file), rounded half
// up; refunds and cancels return the fee in proportion.
const (
	acqInsCode   = "88022900"
	sendInsCode  = "00049993"
	merCatCode   = "4899"
	merchantName = "unionpaytest 测试商户"
	feePerMille  = 6
)

// settles reports whether a successful transaction of this txnType moves money (and so appears
// in the ZM file), and with which sign: +1 credit to the merchant, -1 debit.
func settles(kind string) int {
	switch kind {
	case "01", "03", "11":
		return 1
	case "04", "31", "33", "12":
		return -1
	}
	return 0 // pre-authorisation, pre-auth cancel, queries and the rest move no money
}

func fee(amount int64) int64 { return (amount*feePerMille + 500) / 1000 }

// feeShares returns the fee each successful refund or cancel gives back: its original's fee in
// proportion to the amount refunded so far (the successful refunds of the same original, in
// the order they succeeded, up to and including it), less what the earlier ones gave back. In
// that order a share, once in a file, never changes (in queryId order a refund pending over
// night changed a later one's). One pass over the ledger, not one per refund. Callers hold s.mu.
func (s *Server) feeShares() map[*txn]int64 {
	var us []*txn
	for _, u := range s.byQueryID {
		if u.orig != nil && u.orig.amount > 0 && u.final && isSuccess(u.code) && settles(u.kind) < 0 {
			us = append(us, u)
		}
	}
	slices.SortFunc(us, func(a, b *txn) int {
		return cmp.Or(cmp.Compare(a.finalSeq, b.finalSeq), strings.Compare(a.queryID, b.queryID))
	})
	done := map[*txn]int64{} // refunded so far, by original
	out := make(map[*txn]int64, len(us))
	for _, u := range us {
		o := u.orig
		before := done[o]
		total := fee(o.amount)
		out[u] = mulDiv(total, min(before+u.amount, o.amount), o.amount) - mulDiv(total, min(before, o.amount), o.amount)
		done[o] = before + u.amount
	}
	return out
}

// mulDiv returns a*b/c, rounded down, for 0 <= a, b and a*b/c < 2^63, c > 0, without overflow.
func mulDiv(a, b, c int64) int64 {
	hi, lo := bits.Mul64(uint64(a), uint64(b))
	q, _ := bits.Div64(hi, lo, uint64(c))
	return int64(q)
}

// instalmentCount reads numberOfInstallments from instalTransInfo ({numberOfInstallments=06}),
// as two digits; "" when absent.
func instalmentCount(info string) string {
	switch v := bracedValue(info, "numberOfInstallments"); {
	case len(v) == 1 && isDigits(v):
		return "0" + v
	case len(v) == 2 && isDigits(v):
		return v
	}
	return ""
}

// bracedValue returns the value of key in a {k=v&k=v} field (reserved, instalTransInfo): its
// first occurrence, "" when absent.
func bracedValue(field, key string) string {
	field = strings.TrimSuffix(strings.TrimPrefix(field, "{"), "}")
	for kv := range strings.SplitSeq(field, "&") {
		if k, v, ok := strings.Cut(kv, "="); ok && k == key {
			return v
		}
	}
	return ""
}

// record returns the ZM record of a settled transaction. Callers hold s.mu.
func (s *Server) record(t *txn, shares map[*txn]int64) reconcile.Record {
	sgn := int64(settles(t.kind))
	// The merchant pays the fee of a payment to it and of a payout; a refund or cancel gives the
	// payment's fee back.
	f := -sgn * fee(t.amount)
	if t.kind == "12" {
		f = -fee(t.amount)
	}
	if sgn < 0 && t.orig != nil && t.orig.amount > 0 {
		// A refund or cancel gives back its share of the fee the original paid, computed on the
		// running total so that the shares of a payment refunded in parts add up to its fee,
		// never more.
		f = shares[t]
	}
	r := reconcile.Record{
		TxnCode: "S56", AcqInsCode: acqInsCode, SendInsCode: sendInsCode, TraceNo: t.traceNo,
		TxnTime: t.at, AccNo: filePAN(t.pan), TxnAmt: t.amount, MerCatCode: merCatCode,
		TermType: t.req["channelType"], QueryID: t.queryID, LegacyPayType: "01", OrderID: fileField(t.orderID),
		PayCardType: "01", MerchantFee: f, SettleAmt: sgn*t.amount + f, PayType: "0001",
		TxnType: t.kind, TxnSubType: t.req["txnSubType"], BizType: t.req["bizType"],
		MerID: s.opts.merchantID, SubMerID: "000000000000000", NetSettleAmt: sgn*t.amount + f,
		TxnMedium: "7",
	}
	if sgn < 0 {
		r.TxnCode = "S30"
	}
	if o := t.orig; o != nil {
		r.OrigTraceNo, r.OrigTxnTime, r.OrigQueryID, r.OrigOrderID = o.traceNo, o.at, o.queryID, fileField(o.orderID)
		// The card of the payment at the root: a refund or cancel of a pre-auth completion is on
		// the card the pre-authorisation held, which the completion (a back transaction) does not
		// record itself.
		for ; o != nil; o = o.orig {
			if o.pan != "" {
				r.AccNo = filePAN(o.pan)
				break
			}
		}
	}
	if r.AccNo == "" {
		r.AccNo = filePAN(TestCard)
	}
	if t.kind == "01" && t.req["txnSubType"] == "03" { // 分期付款: the count the merchant sent
		r.InstallmentCount = instalmentCount(t.req["instalTransInfo"])
	}
	if t.req["accessType"] == "1" { // the acquirer that sent it
		r.AcqInsCode = fitGBK(t.req["acqInsCode"], 11)
	}
	if t.req["accessType"] == "2" { // a platform's sub-merchant, as its request named it
		r.SubMerID = fitGBK(t.req["subMerId"], 15) // n15 in UnionPay's; whole characters of anything else
		r.SubMerAbbr = fitGBK(t.req["subMerAbbr"], 32)
	}
	return r
}

// fitGBK returns the longest prefix of s, in whole characters, that takes at most n bytes in GBK
// (a settlement file's text field).
func fitGBK(s string, n int) string {
	enc := javagbk.NewEncoder()
	used := 0
	for i, r := range s {
		w := 1
		if r >= utf8.RuneSelf {
			b, err := enc.String(string(r))
			if err != nil {
				return s[:i]
			}
			w = len(b)
		}
		if used+w > n {
			return s[:i]
		}
		used += w
	}
	return s
}

// Records returns the ZM records of every successful money-moving transaction settled on day
// (transactions accepted from 23:00 Beijing time the day before to 23:00 on it, and those pending
// over a cut-over that became final on it: a day's file does not change once the day has ended;
// day is read as
// the client's FileRequest.SettleDate is: a midnight is the date it is in its own zone, another
// time the Beijing date it falls in, and so are the days of Settlement, AddRecord and
// AddErrorRecord),
// in queryId order, as [Server.AlterRecord] edits them, then those
// [Server.AddRecord] added: what the settlement file holds.
func (s *Server) Records(day time.Time) []reconcile.Record {
	day = s.dayOf(day)
	s.mu.Lock()
	var ts []*txn
	for _, t := range s.byQueryID {
		if isSuccess(t.code) && settles(t.kind) != 0 && sameDay(t.day, day) {
			ts = append(ts, t)
		}
	}
	slices.SortFunc(ts, func(a, b *txn) int { return strings.Compare(a.queryID, b.queryID) })
	out := make([]reconcile.Record, len(ts))
	shares := s.feeShares()
	edits := make([]func(*reconcile.Record) bool, len(ts))
	for i, t := range ts {
		out[i], edits[i] = s.record(t, shares), s.alterations[t.queryID]
	}
	extra := slices.Clone(s.extraRecords[day.Format("20060102")])
	s.mu.Unlock()
	kept := out[:0]
	for i := range out { // the edits run without the lock: they may call the Server
		if edits[i] == nil || edits[i](&out[i]) {
			kept = append(kept, out[i])
		}
	}
	return append(kept, extra...)
}

// AlterRecord makes the settlement file say something else of the transaction with queryID than
// the gateway's ledger does, for reconciliation tests from UnionPay's side: edit changes its ZM
// record each time the file (or [Server.Records]) is built, and returning false leaves the record
// out (a transaction UnionPay did not settle). A record edit makes unwritable (a field too wide,
// a zero TxnTime) fails the file download. A later AlterRecord for the same queryID replaces the
// edit; a nil edit removes it. edit runs without the Server's lock.
func (s *Server) AlterRecord(queryID string, edit func(r *reconcile.Record) bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if edit == nil {
		delete(s.alterations, queryID)
		return
	}
	s.alterations[queryID] = edit
}

// AddRecord adds a ZM record to the settlement file of day that the gateway's ledger does not
// hold (a transaction unknown to the merchant, say), after the ledger's records. A zero day, or a
// record the ZM writer refuses (a zero TxnTime, a value too wide for its field, ...), is an error
// naming the field, and nothing is added.
func (s *Server) AddRecord(day time.Time, r reconcile.Record) error {
	if day.IsZero() {
		return errors.New("unionpaytest: AddRecord: zero day")
	}
	if err := reconcile.NewZMWriter(io.Discard).Write(&r); err != nil { // what Settlement will write
		return fmt.Errorf("unionpaytest: AddRecord: %w", err)
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	key := s.dayOf(day).Format("20060102")
	s.extraRecords[key] = append(s.extraRecords[key], r)
	return nil
}

// dayOf returns the gateway-zone midnight of the date day means, as the client's
// FileRequest.SettleDate reads it: a midnight is the date it is in its own zone, another time
// the Beijing date it falls in.
func (s *Server) dayOf(day time.Time) time.Time {
	if day.Hour() != 0 || day.Minute() != 0 || day.Second() != 0 || day.Nanosecond() != 0 {
		day = day.In(s.loc)
	}
	y, m, d := day.Date()
	return time.Date(y, m, d, 0, 0, 0, 0, s.loc)
}

func sameDay(a, b time.Time) bool {
	ay, am, ad := a.Date()
	by, bm, bd := b.Date()
	return ay == by && am == bm && ad == bd
}

// Settlement returns the settlement zip for day, as the file-download transaction (76) delivers
// it: a ZM member with one line per settled transaction, a ZME member when error records were
// added ([Server.AddErrorRecord]), and the RD summary, named as in UnionPay's sample; members are
// written with the reconcile package's writers. A zero day is an error.
func (s *Server) Settlement(day time.Time) ([]byte, error) {
	if day.IsZero() {
		return nil, errors.New("unionpaytest: Settlement: zero day")
	}
	day = s.dayOf(day)
	return s.settlement(day, s.Records(day), s.errorRecordsOf(day))
}

// settlement builds the zip of day from its records and error records (Records and
// errorRecordsOf of day, taken once: an AlterRecord edit runs once per file).
func (s *Server) settlement(day time.Time, records []reconcile.Record, errs []reconcile.ErrorRecord) ([]byte, error) {
	var zm bytes.Buffer
	w := reconcile.NewZMWriter(&zm)
	var tally reconcile.Tally
	for i := range records {
		if err := w.Write(&records[i]); err != nil {
			return nil, fmt.Errorf("unionpaytest: settlement: %w", err)
		}
		tally.Add(&records[i])
	}
	if err := w.Flush(); err != nil {
		return nil, fmt.Errorf("unionpaytest: settlement: %w", err)
	}
	// The file is dated by the day it is made, not stamped with the time of each download:
	// asked again the same day with nothing new, it is the same bytes, as UnionPay's file is (a
	// retried download then finds the file it wrote before, not "other bytes").
	y, m, d := s.Now().In(reconcile.Beijing()).Date()
	made := time.Date(y, m, d, 0, 0, 0, 0, reconcile.Beijing())
	var rd bytes.Buffer
	summary := tally.Summary(s.opts.merchantID, merchantName, acqInsCode, day, made)
	if err := reconcile.WriteRD(&rd, summary); err != nil {
		return nil, fmt.Errorf("unionpaytest: settlement: %w", err)
	}
	type member struct {
		kind reconcile.Kind
		data []byte
	}
	members := []member{{reconcile.KindZM, zm.Bytes()}}
	if len(errs) > 0 {
		var zme bytes.Buffer
		ew := reconcile.NewZMEWriter(&zme)
		for i := range errs {
			if err := ew.Write(&errs[i]); err != nil {
				return nil, fmt.Errorf("unionpaytest: settlement: %w", err)
			}
		}
		if err := ew.Flush(); err != nil {
			return nil, fmt.Errorf("unionpaytest: settlement: %w", err)
		}
		members = append(members, member{reconcile.KindZME, zme.Bytes()})
	}
	members = append(members, member{reconcile.KindRD, rd.Bytes()})
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	for _, m := range members {
		fw, err := zw.CreateHeader(&zip.FileHeader{Name: reconcile.MemberName(m.kind, s.opts.merchantID, day),
			Method: zip.Deflate, Modified: made})
		if err == nil {
			_, err = fw.Write(m.data)
		}
		if err != nil {
			return nil, fmt.Errorf("unionpaytest: settlement zip: %w", err)
		}
	}
	if err := zw.Close(); err != nil {
		return nil, fmt.Errorf("unionpaytest: settlement zip: %w", err)
	}
	return buf.Bytes(), nil
}

// FileContent encodes data as UnionPay's fileContent field: base64 of a zlib stream, as
// unionpay.EncodeFileContent does (the error is always nil; the signature is kept for callers).
func FileContent(data []byte) (string, error) {
	return unionpay.EncodeFileContent(data), nil
}

// fileDay turns an MMDD settleDate into the latest such date not after today's settle day.
func (s *Server) fileDay(mmdd string) (time.Time, bool) {
	if len(mmdd) != 4 || !isDigits(mmdd) {
		return time.Time{}, false
	}
	today := settleDay(s.Now())
	for y := today.Year(); y >= today.Year()-1; y-- {
		d, err := time.ParseInLocation("20060102", fmt.Sprintf("%d%s", y, mmdd), s.loc)
		if err == nil && !d.After(today) {
			return d, true
		}
	}
	return time.Time{}, false
}

// fileDownload answers txnType 76: the settlement zip of settleDate in fileContent, or 98 when no
// transaction settled that day (or, WithFilePublication, when the day has not ended).
func (s *Server) fileDownload(req sign.Fields) result {
	if req["fileType"] != "00" {
		return result{rej: violation(CodeMalformed, "fileType %q, want 00", req["fileType"])}
	}
	if req["txnSubType"] != "01" {
		return result{rej: violation(CodeMalformed, "txnSubType %q, want 01", req["txnSubType"])}
	}
	day, ok := s.fileDay(req["settleDate"])
	if !ok {
		return result{rej: violation(CodeMalformed, "settleDate %q: want a past MMDD", req["settleDate"])}
	}
	if s.opts.publication && day.Equal(settleDay(s.Now())) {
		return result{rej: refuse(CodeNoFile, "the file of %s is not published yet: the settle day ends at 23:00", day.Format("2006-01-02"))}
	}
	records, errs := s.Records(day), s.errorRecordsOf(day)
	if len(records) == 0 && len(errs) == 0 {
		return result{rej: refuse(CodeNoFile, "no transaction settled on %s", day.Format("2006-01-02"))}
	}
	data, err := s.settlement(day, records, errs)
	if err == nil {
		var content string
		if content, err = FileContent(data); err == nil {
			return result{code: CodeSuccess, fields: sign.Fields{
				"fileName": reconcile.ArchiveName(s.opts.merchantID, day), "fileContent": content}}
		}
	}
	s.report("settlement file for %s: %v", day.Format("0102"), err)
	return result{rej: refuse("99", "settlement file: %v", err)}
}

// fileField cuts an orderId to the 32 bytes of its field in the ZM file (the API allows 40).
func fileField(orderID string) string { return orderID[:min(len(orderID), 32)] }

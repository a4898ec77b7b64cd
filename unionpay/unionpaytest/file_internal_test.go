package unionpaytest

import (
	"fmt"
	"testing"
	"time"

	"github.com/goacp/unionpay/reconcile"
	"github.com/goacp/unionpay/sign"
)

// ledgerServer is a Server with only the ledger, for Records.
func ledgerServer() *Server {
	return &Server{opts: defaultOptions(), loc: reconcile.Beijing(), orders: map[string]*txn{}, byQueryID: map[string]*txn{},
		alterations: map[string]func(*reconcile.Record) bool{}, extraRecords: map[string][]reconcile.Record{}}
}

func (s *Server) addTxn(kind string, amount int64, code string, final bool, orig *txn, at time.Time) *txn {
	t := &txn{req: sign.Fields{"txnSubType": "01", "bizType": "000201", "channelType": "07"}, kind: kind,
		amount: amount, code: code, final: final, orig: orig, orderID: fmt.Sprintf("O%d", s.seq+1)}
	s.seq++
	s.assignIDs(t, at)
	s.register(t)
	return t
}

// feeBack sums the fee the successful refunds/cancels of o give back over the given days.
func feeBack(s *Server, origQueryID string, days ...time.Time) (paid, back int64) {
	for _, d := range days {
		for _, r := range s.Records(d) {
			if r.QueryID == origQueryID {
				paid = -r.MerchantFee
			}
			if r.OrigQueryID == origQueryID {
				back += r.MerchantFee
			}
		}
	}
	return paid, back
}

// 1 fen and the maximum amount (12 digits): shares add up to the fee, never overflow.
func TestReviewLateFeeShareExtremes(t *testing.T) {
	bj := reconcile.Beijing()
	day := time.Date(2026, 11, 26, 12, 0, 0, 0, bj)
	for _, tc := range []struct {
		amount int64
		parts  []int64
	}{
		{1, []int64{1}},
		{84, []int64{1, 83}},    // fee(84)=1 (0.504 rounded half up)
		{83, []int64{1, 1, 81}}, // fee(83)=0
		{999_999_999_999, []int64{1, 999_999_999_998}},
		{999_999_999_999, []int64{333_333_333_333, 333_333_333_333, 333_333_333_333}},
		{1000, []int64{250, 250, 250, 250}},
	} {
		s := ledgerServer()
		o := s.addTxn("01", tc.amount, CodeSuccess, true, nil, day)
		at := day
		for _, p := range tc.parts {
			at = at.Add(time.Second)
			s.addTxn("04", p, CodeSuccess, true, o, at)
		}
		paid, back := feeBack(s, o.queryID, day)
		if paid != fee(tc.amount) || back != paid {
			t.Errorf("%d in parts %v: paid %d, given back %d", tc.amount, tc.parts, paid, back)
		}
	}
}

// Failed and pending refunds give nothing back and do not count in the running total; a cancel
// of the full amount gives the whole fee.
func TestReviewLateFeeSharePendingAndFailed(t *testing.T) {
	bj := reconcile.Beijing()
	day := time.Date(2026, 11, 26, 12, 0, 0, 0, bj)
	s := ledgerServer()
	o := s.addTxn("01", 1000, CodeSuccess, true, nil, day)      // fee 6
	s.addTxn("04", 250, "03", false, o, day.Add(1*time.Second)) // pending
	s.addTxn("04", 250, "30", true, o, day.Add(2*time.Second))  // failed
	s.addTxn("04", 250, CodeSuccess, true, o, day.Add(3*time.Second))
	if _, back := feeBack(s, o.queryID, day); back != 1 { // mulDiv(6,250,1000)=1
		t.Errorf("pending and failed counted: back %d", back)
	}
	c := ledgerServer()
	o2 := c.addTxn("01", 1000, CodeSuccess, true, nil, day)
	c.addTxn("31", 1000, CodeSuccess, true, o2, day.Add(time.Second))
	if paid, back := feeBack(c, o2.queryID, day); back != paid || paid != 6 {
		t.Errorf("cancel: paid %d back %d", paid, back)
	}
}

// A refund pending across a later one that succeeds: the later one's share, in the file of its
// day, changes when the earlier resolves; the file of a past day is not stable.
func TestReviewLateFeeShareFileOfPastDayStable(t *testing.T) {
	bj := reconcile.Beijing()
	d1 := time.Date(2026, 11, 25, 12, 0, 0, 0, bj)
	d2 := d1.AddDate(0, 0, 1)
	s := ledgerServer()
	o := s.addTxn("01", 1000, CodeSuccess, true, nil, d1)        // fee 6
	r1 := s.addTxn("04", 250, "03", false, o, d1.Add(time.Hour)) // pending over night
	s.addTxn("04", 250, CodeSuccess, true, o, d2)
	first := s.Records(d2)
	s.finish(r1, CodeSuccess) // the pending refund succeeds the next day
	again := s.Records(d2)
	if first[0].MerchantFee != again[0].MerchantFee {
		t.Errorf("the file of %s downloaded twice: refund fee %d, then %d", d2.Format("0102"), first[0].MerchantFee, again[0].MerchantFee)
	}
}

// Time taken by the file of a day with 20,000 consumes and 5,000 refunds (all on that day).
func TestReviewLateFeeSharePerformance(t *testing.T) {
	bj := reconcile.Beijing()
	day := time.Date(2026, 11, 26, 1, 0, 0, 0, bj)
	s := ledgerServer()
	var origs []*txn
	for i := range 20_000 {
		origs = append(origs, s.addTxn("01", int64(1000+i), CodeSuccess, true, nil, day.Add(time.Duration(i)*time.Second)))
	}
	for i := range 5_000 {
		s.addTxn("04", 100, CodeSuccess, true, origs[i%2000], day.Add(time.Duration(20_000+i)*time.Second))
	}
	start := time.Now()
	recs := s.Records(day)
	el := time.Since(start)
	start = time.Now()
	if _, err := s.settlement(s.dayOf(day), recs, nil); err != nil {
		t.Fatal(err)
	}
	file := time.Since(start)
	t.Logf("Records: %d records in %v; settlement file from them in %v", len(recs), el, file)
	// Listing the records should cost no more than writing and zipping them (without the fee
	// shares' scan of the ledger per refund it costs a quarter of it).
	if el > 10*file { // the scan per refund made it ~50 times; generous for a shared machine and -race
		t.Errorf("Records took %v, %.0f times the file's writing (%v): a scan of the ledger per refund", el,
			float64(el)/float64(file), file)
	}
}

// Each refund's own share, in queryId order, and two originals kept apart (kills F2, F6).
func TestReviewLateKillFeeShareEachPart(t *testing.T) {
	bj := reconcile.Beijing()
	day := time.Date(2026, 11, 26, 12, 0, 0, 0, bj)
	s := ledgerServer()
	o := s.addTxn("01", 1000, CodeSuccess, true, nil, day)  // fee 6
	o2 := s.addTxn("01", 1000, CodeSuccess, true, nil, day) // fee 6
	s.addTxn("04", 250, CodeSuccess, true, o2, day.Add(time.Second))
	var got []int64
	for i := range 4 {
		r := s.addTxn("04", 250, CodeSuccess, true, o, day.Add(time.Duration(2+i)*time.Second))
		for _, rec := range s.Records(day) {
			if rec.QueryID == r.queryID {
				got = append(got, rec.MerchantFee)
			}
		}
	}
	if fmt.Sprint(got) != "[1 2 1 2]" { // 1.5, 3, 4.5, 6 rounded down, less the earlier
		t.Errorf("shares %v, want [1 2 1 2]", got)
	}
}

// A count sent in one digit through Extra settles as two (kills F10); cardNumberLock=0 locks
// nothing (kills F18).
func TestReviewLateKillInstalmentAndFlag(t *testing.T) {
	if got := instalmentCount("{numberOfInstallments=6}"); got != "06" {
		t.Errorf("instalmentCount: %q", got)
	}
	if reservedFlag("{cardNumberLock=0}", "cardNumberLock") || !reservedFlag("{a=b&cardNumberLock=1}", "cardNumberLock") {
		t.Error("reservedFlag")
	}
}

package soak

import (
	"context"
	"fmt"
	"iter"
	"maps"
	"slices"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/goacp/unionpay/reconcile"
	"github.com/goacp/unionpay/unionpay"
)

// checkInvariants compares the merchant's ledger with the gateway's, checks the attacks, the
// notifications and the settlement file.
func (s *sim) checkInvariants(t *testing.T, ctx context.Context, att *attacker) {
	entries := s.m.all()
	day := s.now()

	s.m.mu.Lock()
	anomalies := slices.Clone(s.m.anomalies)
	s.m.mu.Unlock()
	assert.Empty(t, anomalies, "the SDK reported something inconsistent (conflicting results, wrong amounts)")

	// 1. Order by order, fen by fen: the gateway's settled records for the day against the
	// transactions the merchant booked as succeeded.
	records := s.srv.Records(day)
	byOrder := map[string]entry{}
	finals := map[string]int{}
	for _, e := range entries {
		byOrder[e.orderID] = e
		finals[e.kind+" "+e.state.String()+" by "+e.how]++
	}
	seen := map[string]bool{}
	charged := map[int]int{} // successful consumes and completions per business order
	var gatewayNet, merchantNet int64
	for _, r := range records {
		e, ok := byOrder[r.OrderID]
		if !assert.Truef(t, ok, "gateway settled %s %s (%d fen), unknown to the merchant", r.TxnType, r.OrderID, r.TxnAmt) {
			continue
		}
		seen[r.OrderID] = true
		assert.Equalf(t, stSucceeded, e.state, "gateway settled %s, the merchant booked it %s (%s): a missed success",
			r.OrderID, e.state, e.how)
		assert.Equalf(t, e.kind, r.TxnType, "txnType of %s", r.OrderID)
		assert.Equalf(t, e.amount, r.TxnAmt, "amount of %s", r.OrderID)
		assert.Equalf(t, e.queryID, r.QueryID, "queryId of %s", r.OrderID)
		assert.Equalf(t, e.orig, r.OrigOrderID, "original of %s", r.OrderID)
		if r.TxnType == "01" || r.TxnType == "03" {
			charged[e.biz]++
		}
		gatewayNet += signed(r.TxnType, r.TxnAmt)
	}
	for _, e := range entries {
		if !moneyKinds[e.kind] || e.state != stSucceeded {
			continue
		}
		assert.Truef(t, seen[e.orderID], "merchant booked %s %s (%d fen) as succeeded; the gateway has no such settlement",
			e.kind, e.orderID, e.amount)
		merchantNet += signed(e.kind, e.amount)
	}
	assert.Equal(t, gatewayNet, merchantNet, "net amount of the day, fen")
	for biz, n := range charged {
		assert.LessOrEqualf(t, n, 1, "business order %d charged %d times", biz, n)
	}

	// The browser returns (verified, never booked) agree with what the ledger learnt elsewhere.
	s.m.mu.Lock()
	returns := maps.Clone(s.m.returns)
	s.m.mu.Unlock()
	for id, code := range returns {
		e := byOrder[id]
		assert.Equalf(t, code == "00", e.state == stSucceeded, "front return of %s said %s, ledger %s", id, code, e.state)
	}

	// 2. Attacks: every forgery refused, every verbatim replay acknowledged without effect.
	text, wrong := att.report()
	assert.Empty(t, wrong, "forged requests not answered as they must be")

	// 3. Every notification the gateway started was eventually acknowledged with 200.
	deliveries := s.srv.Deliveries()
	acked := map[string]bool{}
	statuses := map[string]int{}
	for _, d := range deliveries {
		if d.Status == 200 {
			acked[d.OrderID] = true
		}
		key := fmt.Sprintf("attempts answered %d", d.Status)
		if d.Err != nil {
			key = "attempts failed in transport"
		}
		statuses[key]++
	}
	for _, d := range deliveries {
		assert.Truef(t, acked[d.OrderID], "notification of %s never acknowledged", d.OrderID)
	}

	// 4. The settlement file, downloaded through the client, reconciles with zero differences.
	classes, fileRecords := s.reconcile(t, ctx, day, entries)
	assert.Equal(t, len(records), fileRecords, "records in the downloaded file")

	t.Logf("ledger: %d gateway settlements, net %d fen; merchant net %d fen; business orders charged: %d",
		len(records), gatewayNet, merchantNet, len(charged))
	t.Logf("merchant transactions by final state:\n%s", statsText(finals))
	s.m.mu.Lock()
	t.Logf("merchant counters:\n%s", statsText(s.m.stats))
	s.m.mu.Unlock()
	t.Logf("gateway notification attempts: %d\n%s", len(deliveries), statsText(statuses))
	t.Logf("attacks:\n%s", text)
	t.Logf("settlement file: %d records, classes %v", fileRecords, classes)
}

// reconcile downloads the day's settlement file with the client (retrying, as the gateway
// injects faults there too), checks it against its RD summary and matches it against the
// ledger. It returns the classes found and the number of ZM records.
func (s *sim) reconcile(t *testing.T, ctx context.Context, day time.Time, entries []entry) (map[string]int, int) {
	var file *unionpay.File
	var err error
	for try := 0; try < 20; try++ {
		if file, err = s.client.DownloadFile(ctx, &unionpay.FileRequest{SettleDate: day}); err == nil {
			break
		}
	}
	require.NoError(t, err, "file download")
	archive, err := reconcile.Open(file.Content)
	require.NoError(t, err)
	zm := archive.First(reconcile.KindZM)
	require.NotNil(t, zm, "ZM member")
	rc, err := zm.Open()
	require.NoError(t, err)
	defer rc.Close()
	var records []reconcile.Record
	var tally reconcile.Tally
	for r, err := range reconcile.ZM(rc, day) {
		require.NoError(t, err)
		records = append(records, r)
		tally.Add(&r)
	}
	rd := archive.First(reconcile.KindRD)
	require.NotNil(t, rd, "RD member")
	rdr, err := rd.Open()
	require.NoError(t, err)
	defer rdr.Close()
	summary, err := reconcile.ParseRD(rdr)
	require.NoError(t, err)
	assert.NoError(t, summary.Check(&tally), "ZM against its RD summary")

	orders := func(yield func(reconcile.Order, error) bool) {
		for _, e := range entries {
			if !moneyKinds[e.kind] {
				continue
			}
			st := reconcile.StateFailed
			if e.state == stSucceeded {
				st = reconcile.StateSucceeded
			}
			if !yield(reconcile.Order{OrderID: e.orderID, TxnTime: e.txnTime, Amount: e.amount, TxnType: e.kind, State: st}, nil) {
				return
			}
		}
	}
	classes := map[string]int{}
	var report reconcile.Report
	for res, err := range reconcile.Match(recordSeq(records), iter.Seq2[reconcile.Order, error](orders)) {
		if !assert.NoError(t, err) {
			continue
		}
		report.Add(res)
		classes[res.Class.String()]++
		if res.Class != reconcile.Matched {
			t.Errorf("reconcile: %s %s: %s", res.Class, res.Record.OrderID+res.Order.OrderID, res.Detail)
		}
	}
	assert.Zero(t, report.Discrepancies(), "reconcile discrepancies")
	return classes, len(records)
}

func recordSeq(records []reconcile.Record) iter.Seq2[reconcile.Record, error] {
	return func(yield func(reconcile.Record, error) bool) {
		for _, r := range records {
			if !yield(r, nil) {
				return
			}
		}
	}
}

// signed returns amount with the sign of its effect on the merchant: refunds and cancels debit.
func signed(kind string, amount int64) int64 {
	if kind == "04" || kind == "31" || kind == "33" {
		return -amount
	}
	return amount
}

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
	"github.com/goacp/unionpay/unionpay/unionpaytest"
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

	s.compareGatewayLedger(t, entries)

	// The browser returns (verified, never booked) agree with what the ledger learnt elsewhere.
	s.m.mu.Lock()
	returns := maps.Clone(s.m.returns)
	s.m.mu.Unlock()
	for id, code := range returns {
		e := byOrder[id]
		assert.Equalf(t, code == "00", e.state == stSucceeded, "front return of %s said %s, ledger %s", id, code, e.state)
	}

	s.m.mu.Lock()
	refused := s.m.stats["front returns refused"]
	s.m.mu.Unlock()
	assert.Zero(t, refused, "genuine browser returns refused at frontUrl (see TestGBKFrontReturnVerifies)")

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
	// A genuine notification is never refused by notify.Handler (400, 405, 413); the only other
	// answer is 500 when the merchant's store fails, and the gateway sends again. One never
	// acknowledged because every attempt timed out on a loaded machine is counted, not failed:
	// the merchant's queries settle those orders anyway.
	lost := map[string]bool{}
	for _, d := range deliveries {
		assert.Containsf(t, []int{0, 200, 500}, d.Status, "notification of %s answered %d", d.OrderID, d.Status)
		if !acked[d.OrderID] {
			lost[d.OrderID] = true
		}
	}
	statuses["orders whose notification was never acknowledged"] = len(lost)

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
	for range 20 {
		if file, err = s.files.DownloadFile(ctx, &unionpay.FileRequest{SettleDate: day}); err == nil {
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
	if kind == "04" || kind == "31" || kind == "33" || kind == "12" {
		return -amount
	}
	return amount
}

// compareGatewayLedger compares every transaction the gateway recorded (unionpaytest's ledger
// export) with the merchant's ledger, including those that move no money (pre-authorisations,
// their cancels) and those that failed: same orders, same outcome, same amounts, and for each
// consume or completion the same refunded total and cancel flag.
func (s *sim) compareGatewayLedger(t *testing.T, entries []entry) {
	gateway := map[string]unionpaytest.Transaction{}
	for _, g := range s.srv.Transactions() {
		gateway[g.OrderID] = g
	}
	byOrder := map[string]entry{}
	refunded := map[string]int64{}
	cancelled := map[string]bool{}
	for _, e := range entries {
		byOrder[e.orderID] = e
	}
	for _, e := range entries {
		if e.state != stSucceeded || e.orig == "" {
			continue
		}
		switch e.kind {
		case "04", "03":
			refunded[e.orig] += e.amount
		case "31", "32", "33":
			cancelled[e.orig] = true
		}
		if c := byOrder[e.orig]; e.kind == "33" {
			refunded[c.orig] -= c.amount // a cancelled completion no longer counts against its pre-auth
		}
	}
	for id, g := range gateway {
		if _, ok := byOrder[id]; !assert.Truef(t, ok, "gateway has %s %s, unknown to the merchant", g.TxnType, id) {
			continue
		}
		assert.Truef(t, g.Final || g.RespCode == "", "gateway transaction %s still pending (%s)", id, g.RespCode)
	}
	for _, e := range entries {
		g, ok := gateway[e.orderID]
		if e.state == stFailed {
			assert.Truef(t, !ok || g.RespCode != "00", "merchant booked %s failed (%s); the gateway has it succeeded",
				e.orderID, e.how)
			continue
		}
		if !assert.Truef(t, ok, "merchant booked %s %s; the gateway never saw it", e.orderID, e.state) {
			continue
		}
		assert.Equalf(t, "00", g.RespCode, "gateway status of %s, booked succeeded", e.orderID)
		assert.Equalf(t, e.kind, g.TxnType, "txnType of %s", e.orderID)
		assert.Equalf(t, e.amount, g.Amount, "amount of %s", e.orderID)
		assert.Equalf(t, e.queryID, g.QueryID, "queryId of %s", e.orderID)
		assert.Equalf(t, e.txnTime.Format("20060102150405"), g.TxnTime, "txnTime of %s", e.orderID)
		if e.orig != "" {
			assert.Equalf(t, byOrder[e.orig].queryID, g.OrigQueryID, "original of %s", e.orderID)
		}
		assert.Equalf(t, refunded[e.orderID], g.Refunded, "refunded or completed total of %s, fen", e.orderID)
		assert.Equalf(t, cancelled[e.orderID], g.Cancelled, "cancelled flag of %s", e.orderID)
	}
}

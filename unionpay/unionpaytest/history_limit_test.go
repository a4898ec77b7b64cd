package unionpaytest_test

import (
	"context"
	"fmt"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/goacp/unionpay/unionpay/unionpaytest"
)

// txnTimeNow is the gateway clock's txnTime, for a query.
func (m *merchant) txnTimeNow() string { return m.clock.Now().Format("20060102150405") }

// TestHistoryLimit: with WithHistoryLimit(n), Requests, Deliveries and FaultLog each keep their
// latest n entries, oldest dropped first, and Dropped counts the others; without it (or with 0)
// they keep everything.
func TestHistoryLimit(t *testing.T) {
	t.Parallel()
	const sent = 5 // queries, each taking a fault, and notifications; after one consume
	tests := []struct {
		name  string
		opts  []unionpaytest.Option
		limit int // 0: none
	}{
		{"unbounded by default", nil, 0},
		{"zero is unbounded", []unionpaytest.Option{unionpaytest.WithHistoryLimit(0)}, 0},
		{"the limit", []unionpaytest.Option{unionpaytest.WithHistoryLimit(2)}, 2},
		{"a limit of one", []unionpaytest.Option{unionpaytest.WithHistoryLimit(1)}, 1},
		{"a limit reached exactly", []unionpaytest.Option{unionpaytest.WithHistoryLimit(sent + 1)}, sent + 1},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			kept := func(n int) int {
				if tt.limit == 0 {
					return n
				}
				return min(n, tt.limit)
			}
			// Background notifications wait an hour: only Notify's attempts are made.
			m := newMerchant(t, append([]unionpaytest.Option{unionpaytest.WithNotifySchedule(time.Hour)}, tt.opts...)...)
			resp := m.call(unionpaytest.EndpointBack, m.consumeByCard("HISTORY00", "300"))
			require.Equal(t, "00", resp["respCode"], resp["respMsg"])
			m.srv.FailEndpoint(unionpaytest.EndpointQuery, repeat(unionpaytest.FaultPending, sent)...)
			for i := 1; i <= sent; i++ {
				m.query(fmt.Sprintf("HISTORY%02d", i), m.txnTimeNow())
				require.Error(t, m.srv.Notify(context.Background(), "HISTORY00"), "noBackURL refuses")
			}

			reqs := m.srv.Requests() // HISTORY00's consume, then the queries of HISTORY01 to 05
			require.Len(t, reqs, kept(sent+1))
			assert.Equal(t, fmt.Sprintf("HISTORY%02d", sent), reqs[len(reqs)-1].OrderID, "the latest")
			assert.Equal(t, fmt.Sprintf("HISTORY%02d", sent+1-len(reqs)), reqs[0].OrderID, "the oldest kept")
			assert.Len(t, m.srv.Deliveries(), kept(sent))
			faults := m.srv.FaultLog() // HISTORY01 to 05
			require.Len(t, faults, kept(sent))
			assert.Equal(t, fmt.Sprintf("HISTORY%02d", sent+1-len(faults)), faults[0].OrderID, "the oldest kept")
			assert.Equal(t, unionpaytest.Dropped{Requests: sent + 1 - kept(sent+1), Deliveries: sent - kept(sent),
				FaultEvents: sent - kept(sent)}, m.srv.Dropped())
		})
	}
}

func repeat(f unionpaytest.Fault, n int) []unionpaytest.Fault {
	out := make([]unionpaytest.Fault, n)
	for i := range out {
		out[i] = f
	}
	return out
}

// TestReceivedAfterDrops: Received still counts an order none of whose requests were dropped,
// and panics, naming the limit, for one whose requests were, instead of counting short.
func TestReceivedAfterDrops(t *testing.T) {
	t.Parallel()
	m := newMerchant(t, unionpaytest.WithHistoryLimit(3))
	for _, id := range []string{"RECDROP01", "RECDROP01", "RECDROP02", "RECDROP02", "RECDROP02"} {
		m.query(id, m.txnTimeNow())
	}
	assert.Equal(t, 3, m.srv.Received("RECDROP02", "00"), "none of its requests dropped")
	assert.Equal(t, 0, m.srv.Received("RECDROP02", "04"))
	assert.Equal(t, 0, m.srv.Received("RECDROP03", "00"), "never sent")
	assert.PanicsWithError(t, `unionpaytest: Received("RECDROP01", "00"): requests of it may be among the 2 dropped `+
		`by WithHistoryLimit(3), and the count would be short; raise the limit`,
		func() { m.srv.Received("RECDROP01", "00") }, "both dropped: 0 would be wrong")
	m.query("RECDROP01", m.txnTimeNow())
	assert.Panics(t, func() { m.srv.Received("RECDROP01", "00") }, "one kept, two dropped: 1 would be wrong")
}

// TestLedgerLimit: with WithLedgerLimit(n) the ledger keeps its latest n transactions: the
// oldest is forgotten for every purpose (query, refund, Transactions, its orderId), and the
// refusals say it may have been; without it nothing is forgotten.
func TestLedgerLimit(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name      string
		opts      []unionpaytest.Option
		forgotten bool
	}{
		{"unbounded by default", nil, false},
		{"zero is unbounded", []unionpaytest.Option{unionpaytest.WithLedgerLimit(0)}, false},
		{"the limit", []unionpaytest.Option{unionpaytest.WithLedgerLimit(2)}, true},
		{"a limit reached exactly", []unionpaytest.Option{unionpaytest.WithLedgerLimit(4)}, false}, // 3 consumes, a refund
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			m := newMerchant(t, tt.opts...)
			var queryIDs []string
			for _, id := range []string{"LEDGER001", "LEDGER002", "LEDGER003"} {
				resp := m.call(unionpaytest.EndpointBack, m.consumeByCard(id, "300"))
				require.Equal(t, "00", resp["respCode"], resp["respMsg"])
				queryIDs = append(queryIDs, resp["queryId"])
			}
			_, found := m.srv.Transaction("LEDGER001")
			assert.Equal(t, !tt.forgotten, found)
			q := m.query("LEDGER001", m.txnTimeNow())
			refund := m.back("04", "LEDGER004", queryIDs[0], "100", noBackURL)
			again := m.call(unionpaytest.EndpointBack, m.consumeByCard("LEDGER001", "300"))
			reqs := m.srv.Requests()
			if !tt.forgotten {
				assert.Equal(t, "00", q["respCode"])
				assert.Equal(t, "00", refund["respCode"], refund["respMsg"])
				assert.Equal(t, unionpaytest.CodeDuplicate, again["respCode"])
				assert.Len(t, m.srv.Transactions(), 4)
				assert.Zero(t, m.srv.Dropped().Transactions)
				return
			}
			assert.Equal(t, unionpaytest.CodeNotFound, q["respCode"], "a query of it")
			assert.Contains(t, reqs[3].Refusal, "forgotten under WithLedgerLimit(2)")
			assert.Equal(t, unionpaytest.CodeBadOriginal, refund["respCode"], "a refund of it")
			assert.Contains(t, reqs[4].Refusal, "or one of the 1 oldest, forgotten under WithLedgerLimit(2)")
			assert.Equal(t, "00", again["respCode"], "its orderId used again")
			assert.Equal(t, "00", m.query("LEDGER003", m.txnTimeNow())["respCode"], "a kept one")
			var ids []string
			for _, x := range m.srv.Transactions() {
				ids = append(ids, x.OrderID)
			}
			assert.Equal(t, []string{"LEDGER001", "LEDGER003"}, ids, "LEDGER002 made way for the consume under LEDGER001 again")
			assert.Equal(t, 2, m.srv.Dropped().Transactions, "LEDGER001 and 002; the refused refund was not recorded")
		})
	}
}

// TestLedgerLimitFrontAttempt: a front order's declined attempt, kept under its own queryId
// when the order is paid again, is a transaction of its own under WithLedgerLimit: forgotten in
// its turn, after the order.
func TestLedgerLimitFrontAttempt(t *testing.T) {
	t.Parallel()
	m := newMerchant(t, unionpaytest.WithLedgerLimit(2))
	result, err := m.srv.Pay(context.Background(), m.frontForm("LEDGFRNT1", "2500", noBackURL), unionpaytest.DeclinedCard)
	require.NoError(t, err)
	require.Equal(t, "64", result["respCode"])
	declined := result["queryId"]
	code, err := m.srv.Complete("LEDGFRNT1", unionpaytest.TestCard) // the order and its attempt: 2
	require.NoError(t, err)
	require.Equal(t, "00", code)
	byQueryID := func(id string) string {
		return m.call(unionpaytest.EndpointQuery, m.fields("00", "00", "000000", "queryId", id))["respCode"]
	}
	require.Equal(t, "00", byQueryID(declined))

	m.call(unionpaytest.EndpointBack, m.consumeByCard("LEDGFRNT2", "300")) // the order forgotten
	_, found := m.srv.Transaction("LEDGFRNT1")
	assert.False(t, found)
	assert.Equal(t, "00", byQueryID(declined), "the attempt is kept")
	m.call(unionpaytest.EndpointBack, m.consumeByCard("LEDGFRNT3", "300")) // the attempt forgotten
	assert.Equal(t, unionpaytest.CodeNotFound, byQueryID(declined))
	assert.Equal(t, 2, m.srv.Dropped().Transactions)
}

// TestHistoryLimitConcurrent: clients sending at once never push the logs or the ledger past
// their limits, and every request is either kept or counted dropped: run with -race.
func TestHistoryLimitConcurrent(t *testing.T) {
	t.Parallel()
	const clients, each, limit = 8, 12, 10
	m := newMerchant(t, unionpaytest.WithHistoryLimit(limit), unionpaytest.WithLedgerLimit(limit))
	stop := make(chan struct{})
	var readers sync.WaitGroup
	readers.Go(func() {
		for {
			select {
			case <-stop:
				return
			default:
				assert.LessOrEqual(t, len(m.srv.Requests()), limit)
				assert.LessOrEqual(t, len(m.srv.Transactions()), limit)
				_ = m.srv.Dropped()
			}
		}
	})
	var wg sync.WaitGroup
	for c := range clients {
		wg.Go(func() {
			for i := range each {
				f := m.sign(m.consumeByCard(fmt.Sprintf("HISTCONC%02d%02d", c, i), "300"))
				_, _, err := m.postRaw(unionpaytest.EndpointBack, f)
				assert.NoError(t, err)
			}
		})
	}
	wg.Wait()
	close(stop)
	readers.Wait()
	d := m.srv.Dropped()
	assert.Len(t, m.srv.Requests(), limit)
	assert.Equal(t, clients*each-limit, d.Requests)
	assert.Len(t, m.srv.Transactions(), limit)
	assert.Equal(t, clients*each-limit, d.Transactions)
}

// TestHistoryLimitsRefuseNegative: a negative limit is refused by name, as other unusable options.
func TestHistoryLimitsRefuseNegative(t *testing.T) {
	t.Parallel()
	tests := []struct {
		opt  unionpaytest.Option
		want string
	}{
		{unionpaytest.WithHistoryLimit(-1), "unionpaytest: WithHistoryLimit: limit -1 is negative; 0 keeps everything"},
		{unionpaytest.WithLedgerLimit(-2), "unionpaytest: WithLedgerLimit: limit -2 is negative; 0 keeps everything"},
	}
	for _, tt := range tests {
		assert.PanicsWithError(t, tt.want, func() { unionpaytest.NewServer(tt.opt) })
	}
}

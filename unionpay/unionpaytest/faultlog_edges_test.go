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

// faultLogByOrder groups a FaultLog by orderId, keeping each order's events in log order.
func faultLogByOrder(log []unionpaytest.FaultEvent) map[string][]unionpaytest.FaultEvent {
	out := map[string][]unionpaytest.FaultEvent{}
	for _, e := range log {
		out[e.OrderID] = append(out[e.OrderID], e)
	}
	return out
}

// seededFaultLog runs orders through a gateway seeded with seed, workers at a time, and returns
// its FaultLog once the notifications settled.
func seededFaultLog(t *testing.T, seed uint64, orders []string, workers int) []unionpaytest.FaultEvent {
	t.Helper()
	m := newMerchant(t, unionpaytest.WithFaults(seed, seededRates))
	in := newInbox(t, m.verifier)
	next := make(chan string)
	var wg sync.WaitGroup
	paid := 0
	var mu sync.Mutex
	for range workers {
		wg.Go(func() {
			for id := range next {
				life := orderLife(t, m, id, in.URL())
				if life[1] == "paid" {
					mu.Lock()
					paid++
					mu.Unlock()
				}
			}
		})
	}
	for _, id := range orders {
		next <- id
	}
	close(next)
	wg.Wait()
	settledDeliveries(t, m.srv, paid)
	return m.srv.FaultLog()
}

// TestFaultLogSeededReproducible: with one seed, each order's FaultLog entries are the same
// in every run, however the orders interleave over concurrent clients (the package doc's promise
// that FaultLog tells which fault made a seeded test fail, run after run).
func TestFaultLogSeededReproducible(t *testing.T) {
	t.Parallel()
	orders := make([]string, 16)
	for i := range orders {
		orders[i] = fmt.Sprintf("RVLOG%04d", i)
	}
	want := faultLogByOrder(seededFaultLog(t, 42, orders, 1))
	kinds := map[unionpaytest.Fault]bool{}
	for _, evs := range want {
		for _, e := range evs {
			assert.True(t, e.Random, "%+v", e)
			kinds[e.Fault] = true
		}
	}
	require.GreaterOrEqual(t, len(kinds), 3, "seed 42 must deal several kinds: %v", kinds)
	got := faultLogByOrder(seededFaultLog(t, 42, orders, 6))
	assert.Equal(t, want, got)
}

// TestFaultLogOnlyShownFaults: FaultLog is documented as "every fault shown so far". A
// random response fault drawn for the cashier page that the page cannot show (wrong-key,
// expired-cert, wrong-name, delay) changes nothing there, so it must not be listed: a QA engineer
// reading the log would look for a wrong signature that never happened.
func TestFaultLogOnlyShownFaults(t *testing.T) {
	t.Parallel()
	for _, f := range []unionpaytest.Fault{unionpaytest.FaultWrongKey, unionpaytest.FaultExpiredCert,
		unionpaytest.FaultWrongName, unionpaytest.FaultDelay} {
		t.Run(f.String(), func(t *testing.T) {
			t.Parallel()
			m := newMerchant(t, unionpaytest.WithFaults(3, unionpaytest.FaultRates{f: 1}),
				unionpaytest.WithFaultDelay(50*time.Millisecond))
			in := newInbox(t, m.verifier)
			res, err := m.srv.Pay(context.Background(), m.frontForm("RVFRONT01", "100", in.URL()), "")
			require.NoError(t, err, "the cashier page shows no such fault")
			_, err = m.verifier.Verify(res)
			require.NoError(t, err)
			for _, e := range m.srv.FaultLog() {
				assert.NotEqual(t, unionpaytest.EndpointFront, e.Endpoint,
					"%v was not shown by the cashier page, yet FaultLog lists it: %+v", f, e)
			}
		})
	}
}

// TestFaultLogTakenWithoutEffect: a fault is listed when taken, even where it changes nothing,
// as FaultLog documents: notify-first taken by the notification Complete sends, pending taken by
// a query (review).
func TestFaultLogTakenWithoutEffect(t *testing.T) {
	t.Parallel()
	m := newMerchant(t)
	in := newInbox(t, m.verifier)
	m.srv.FailEndpoint(unionpaytest.EndpointFront, unionpaytest.FaultNotifyFirst)
	m.appConsume("RVNFIRST1", "100", in.URL())
	in.wait(t, 1, 5*time.Second)
	m.srv.FailOrder("RVNFIRST1", unionpaytest.FaultPending)
	q := m.query("RVNFIRST1", m.clock.Now().Format("20060102150405"))
	require.Equal(t, "00", q["respCode"])
	require.Equal(t, "00", q["origRespCode"], "the query is not affected")
	var faults []unionpaytest.Fault
	for _, e := range m.srv.FaultLog() {
		faults = append(faults, e.Fault)
	}
	assert.Equal(t, []unionpaytest.Fault{unionpaytest.FaultNotifyFirst, unionpaytest.FaultPending}, faults)
}

// TestFaultLogCopy: FaultLog returns a copy; changing it does not change the server's log.
func TestFaultLogCopy(t *testing.T) {
	t.Parallel()
	m := newMerchant(t)
	in := newInbox(t, m.verifier)
	m.srv.FailOrder("RVCOPY001", unionpaytest.FaultWrongKey, unionpaytest.FaultDuplicateNotify)
	_, _, err := m.postRaw(unionpaytest.EndpointApp, m.sign(m.fields("01", "01", "000201", "orderId", "RVCOPY001",
		"txnAmt", "100", "currencyCode", "156", "channelType", "08", "backUrl", in.URL())))
	require.NoError(t, err)
	_, err = m.srv.Complete("RVCOPY001", "")
	require.NoError(t, err)
	log := m.srv.FaultLog()
	require.Len(t, log, 2)
	assert.Equal(t, unionpaytest.FaultEvent{Endpoint: unionpaytest.EndpointApp, OrderID: "RVCOPY001", TxnType: "01",
		Fault: unionpaytest.FaultWrongKey}, log[0])
	assert.Equal(t, unionpaytest.FaultEvent{Endpoint: unionpaytest.EndpointFront, OrderID: "RVCOPY001", Notification: true,
		Fault: unionpaytest.FaultDuplicateNotify}, log[1])
	log[0].Fault = unionpaytest.FaultNone
	_ = append(log[:1], unionpaytest.FaultEvent{OrderID: "X"})
	assert.Equal(t, unionpaytest.FaultWrongKey, m.srv.FaultLog()[0].Fault)
	assert.Equal(t, "RVCOPY001", m.srv.FaultLog()[1].OrderID)
}

// TestFaultLogRandomNotification: a drawn notification fault is listed once per
// notification (not per attempt), marked Random and Notification, with the endpoint of the
// request that triggered it; a drawn FaultNone is not listed.
func TestFaultLogRandomNotification(t *testing.T) {
	t.Parallel()
	m := newMerchant(t, unionpaytest.WithFaults(9, unionpaytest.FaultRates{unionpaytest.FaultNotifyWrongKey: 1}),
		unionpaytest.WithNotifySchedule(0, 20*time.Millisecond, 20*time.Millisecond))
	in := newInbox(t, m.verifier, 400, 400, 400)
	m.appConsume("RVRNDN001", "100", in.URL())
	in.wait(t, 3, 5*time.Second)
	time.Sleep(100 * time.Millisecond)
	assert.Equal(t, []unionpaytest.FaultEvent{{Endpoint: unionpaytest.EndpointFront, OrderID: "RVRNDN001",
		Notification: true, Fault: unionpaytest.FaultNotifyWrongKey, Random: true}}, m.srv.FaultLog())
	assert.Equal(t, 3, in.count(), "every attempt sent (each answered 400), one FaultLog event")

	none := newMerchant(t, unionpaytest.WithFaults(9, unionpaytest.FaultRates{unionpaytest.FaultNotifyWrongKey: 0,
		unionpaytest.Fault5xx: 0}))
	in2 := newInbox(t, none.verifier)
	none.appConsume("RVRNDN002", "100", in2.URL())
	in2.wait(t, 1, 5*time.Second)
	assert.Empty(t, none.srv.FaultLog())
}

// TestFaultLogConcurrent: FaultLog read while requests take faults (run with -race).
func TestFaultLogConcurrent(t *testing.T) {
	t.Parallel()
	m := newMerchant(t, unionpaytest.WithFaults(5, unionpaytest.FaultRates{unionpaytest.Fault5xx: 0.5}))
	var wg sync.WaitGroup
	for i := range 4 {
		wg.Go(func() {
			for j := range 5 {
				_, _, _ = m.postRaw(unionpaytest.EndpointQuery, m.sign(m.fields("00", "00", "000000",
					"orderId", fmt.Sprintf("RVCONC%02d%02d", i, j))))
			}
		})
	}
	done := make(chan struct{})
	var reader sync.WaitGroup
	reader.Go(func() {
		for {
			select {
			case <-done:
				return
			default:
				_ = len(m.srv.FaultLog())
			}
		}
	})
	wg.Wait()
	close(done)
	reader.Wait()
	for _, e := range m.srv.FaultLog() {
		assert.Equal(t, unionpaytest.Fault5xx, e.Fault)
		assert.True(t, e.Random)
		assert.Equal(t, "00", e.TxnType)
	}
}

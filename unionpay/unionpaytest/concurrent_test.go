package unionpaytest_test

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"
	"runtime"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/goacp/unionpay/internal/goroutinetest"
	"github.com/goacp/unionpay/unionpay"
	"github.com/goacp/unionpay/unionpay/unionpaytest"
)

// TestConcurrentLedger runs many orders at once through the real client while the gateway
// injects random faults, then checks the gateway's own books: refunds never exceed their
// consume, every refund the ledger holds is counted once, and the settlement records agree with
// the ledger fen by fen.
func TestConcurrentLedger(t *testing.T) {
	t.Parallel()
	const orders = 40
	c := newClock()
	srv := unionpaytest.NewServer(keys(t), unionpaytest.WithClock(c.Now), unionpaytest.WithTimeScale(scale),
		unionpaytest.WithFaultDelay(3*time.Second), unionpaytest.WithFaults(1, unionpaytest.FaultRates{
			unionpaytest.FaultPending: 0.1, unionpaytest.FaultDrop: 0.05, unionpaytest.Fault5xx: 0.05,
			unionpaytest.FaultTruncate: 0.05, unionpaytest.FaultWrongKey: 0.05, unionpaytest.FaultDelay: 0.02,
			unionpaytest.FaultDuplicateNotify: 0.1, unionpaytest.FaultNotifyFirst: 0.1, unionpaytest.FaultForgedNotify: 0.1,
		}))
	t.Cleanup(srv.Close)
	cfg := srv.Config()
	cfg.HTTPClient.Timeout = time.Second
	client, err := unionpay.NewClient(cfg)
	require.NoError(t, err)
	in := newInbox(t, cfg.Verifier)
	ctx := context.Background()

	var wg sync.WaitGroup
	for i := range orders {
		wg.Go(func() {
			order := fmt.Sprintf("CONC%06d", i)
			form, err := client.FrontConsume(&unionpay.ConsumeRequest{OrderID: order, Amount: 1000,
				FrontURL: in.URL(), BackURL: in.URL()})
			if !assert.NoError(t, err) {
				return
			}
			if _, err := srv.Pay(ctx, form.Fields, ""); err != nil {
				return // a fault on the cashier page: the order stays unpaid
			}
			paid, ok := srv.Transaction(order)
			if !ok || paid.QueryID == "" {
				return
			}
			for j := range 3 { // three refunds of 400: the third must never succeed
				_, err := client.Refund(ctx, &unionpay.FollowUpRequest{OrderID: fmt.Sprintf("%sR%d", order, j),
					OrigQueryID: paid.QueryID, Amount: 400, BackURL: in.URL()})
				if ue, ok := errors.AsType[*unionpay.Error](err); ok {
					assert.Contains(t, []string{"33", "35"}, ue.RespCode, "only the limit refuses a refund")
				}
			}
		})
	}
	wg.Wait()

	ledger := srv.Transactions()
	byQuery := map[string]unionpaytest.Transaction{}
	refunded := map[string]int64{}
	for _, x := range ledger {
		byQuery[x.QueryID] = x
	}
	for _, x := range ledger {
		if x.TxnType == "04" {
			assert.Contains(t, byQuery, x.OrigQueryID)
			if x.RespCode == "00" || !x.Final {
				refunded[x.OrigQueryID] += x.Amount
			}
		}
	}
	var paid int
	for _, x := range ledger {
		if x.TxnType != "01" || x.RespCode != "00" {
			continue
		}
		paid++
		assert.LessOrEqual(t, refunded[x.QueryID], x.Amount, "refunds (done or pending) within the consume")
		assert.LessOrEqual(t, x.Refunded, refunded[x.QueryID])
	}
	assert.Positive(t, paid)

	var sum int64
	for _, r := range srv.Records(c.Now()) {
		x := byQuery[r.QueryID]
		assert.Equal(t, "00", x.RespCode)
		assert.Equal(t, x.Amount, r.TxnAmt)
		if r.TxnType == "04" {
			sum -= r.TxnAmt
		} else {
			sum += r.TxnAmt
		}
	}
	var want int64
	for _, x := range ledger {
		switch {
		case x.RespCode != "00":
		case x.TxnType == "01":
			want += x.Amount
		case x.TxnType == "04":
			want -= x.Amount
		}
	}
	assert.Equal(t, want, sum, "the settlement file nets to the ledger")
	// Every notification the merchant could not verify was a forged one, and every forged one it
	// answered failed verification. (The seed fixes which of an order's notifications are forged,
	// however the orders interleave, but not how many notifications there are: a client timing
	// out on a loaded machine changes what an order sends.) Close waits for the deliveries in flight.
	srv.Close()
	var forged, forgedAnswered int
	for _, d := range srv.Deliveries() {
		if d.Forged {
			forged++
			if d.Status != 0 {
				forgedAnswered++
			}
		}
	}
	in.mu.Lock()
	defer in.mu.Unlock()
	assert.GreaterOrEqual(t, in.bad, forgedAnswered, "every forged notification answered failed verification")
	assert.LessOrEqual(t, in.bad, forged, "only forged notifications fail verification")
}

// Concurrency audit (helper "audit-conc"): go test -race ./unionpay/unionpaytest -run ConcAudit -count=1
// These tests count goroutines: they do not call t.Parallel.

// TestConcAuditCloseStopsHungDeliveries: the merchant's backUrl never answers; Close, called
// while deliveries (background, notify-first, duplicate, forged) and a held answer (FaultDelay)
// are in flight, returns promptly and leaves no goroutine behind.
func TestConcAuditCloseStopsHungDeliveries(t *testing.T) {
	base := runtime.NumGoroutine()
	release := make(chan struct{})
	var hits atomic.Int64
	hung := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		hits.Add(1)
		select {
		case <-r.Context().Done():
		case <-release:
		}
	}))
	func() {
		defer func() { close(release); hung.Close() }()
		c := newClock()
		srv := unionpaytest.NewServer(keys(t), unionpaytest.WithClock(c.Now), unionpaytest.WithFaultDelay(time.Minute))
		cfg := srv.Config()
		client, err := unionpay.NewClient(cfg)
		require.NoError(t, err)
		ctx := context.Background()
		var wg sync.WaitGroup
		for i, f := range []unionpaytest.Fault{unionpaytest.FaultNone, unionpaytest.FaultDuplicateNotify,
			unionpaytest.FaultForgedNotify, unionpaytest.FaultLateNotify} {
			id := fmt.Sprintf("HUNG%08d", i)
			srv.FailOrder(id, f)
			wg.Go(func() {
				_, _ = client.Collect(ctx, &unionpay.CardRequest{OrderID: id, Amount: 100, BackURL: hung.URL,
					AccNo: unionpaytest.TestCard, Customer: &unionpay.Customer{IDType: "01", IDNumber: "341126197709218366",
						Name: "互联网", Phone: "13552535506", SMSCode: "123456"}})
			})
		}
		// notify-first: the handler itself waits on the hung merchant.
		srv.FailOrder("HUNGFIRST001", unionpaytest.FaultNotifyFirst)
		wg.Go(func() {
			_, _ = client.Collect(ctx, &unionpay.CardRequest{OrderID: "HUNGFIRST001", Amount: 100, BackURL: hung.URL,
				AccNo: unionpaytest.TestCard, Customer: &unionpay.Customer{IDType: "01", IDNumber: "341126197709218366",
					Name: "互联网", Phone: "13552535506", SMSCode: "123456"}})
		})
		// an answer held by FaultDelay
		srv.FailEndpoint(unionpaytest.EndpointQuery, unionpaytest.FaultDelay)
		wg.Go(func() {
			_, _ = client.Query(ctx, &unionpay.QueryRequest{OrderID: "HELD00000001", TxnTime: c.Now()})
		})
		// Wait for everything to be in flight (a fixed sleep was too short on a loaded machine
		// under -race: 2 runs in 40 saw 1 or 4 of the 5): the five sends (one each for FaultNone and
		// the notify-first order, two for the duplicate, the forged copy before its genuine one;
		// the late one waits for its schedule) and the query whose answer FaultDelay holds.
		held := func() bool {
			for _, e := range srv.FaultLog() {
				if e.Endpoint == unionpaytest.EndpointQuery && e.Fault == unionpaytest.FaultDelay {
					return true
				}
			}
			return false
		}
		require.Eventually(t, func() bool { return hits.Load() >= 5 && held() }, 30*time.Second, 10*time.Millisecond,
			"deliveries and the held answer in flight")
		start := time.Now()
		srv.Close()
		assert.Less(t, time.Since(start), 2*time.Second, "Close waits for hung deliveries")
		srv.Close() // twice is harmless
		wg.Wait()
		client.CloseIdleConnections()
		cfg.HTTPClient.CloseIdleConnections()
	}()
	goroutinetest.Settle(t, base, 5*time.Second)
}

// TestConcAuditServerMethodsParallel calls the gateway's own methods from many goroutines while
// clients pay, refund, query and download, under -race: the same form paid twice at once, the
// same order advanced, notified and completed at once, the books read, certificates rotated.
func TestConcAuditServerMethodsParallel(t *testing.T) {
	c := newClock()
	srv := unionpaytest.NewServer(keys(t), unionpaytest.WithClock(c.Now), unionpaytest.WithTimeScale(scale))
	t.Cleanup(srv.Close)
	v, err := srv.NotifyVerifier()
	require.NoError(t, err)
	in := newInbox(t, v)
	client, err := unionpay.NewClient(srv.Config())
	require.NoError(t, err)
	ctx := context.Background()
	var wg sync.WaitGroup
	for i := range 6 {
		wg.Go(func() {
			id := fmt.Sprintf("SRVPAR%06d", i)
			srv.Script(id+"P", unionpaytest.Pending, unionpaytest.Succeed)
			form, err := client.FrontConsume(&unionpay.ConsumeRequest{OrderID: id, Amount: 1000, FrontURL: in.URL(), BackURL: in.URL()})
			if !assert.NoError(t, err) {
				return
			}
			var pay sync.WaitGroup
			for range 3 { // the same form paid three times at once: one payment
				pay.Go(func() { _, _ = srv.Pay(ctx, form.Fields, "") })
			}
			pay.Wait()
			tx, ok := srv.Transaction(id)
			if !ok || tx.QueryID == "" {
				return
			}
			_, _ = client.Collect(ctx, &unionpay.CardRequest{OrderID: id + "P", Amount: 100, BackURL: in.URL(),
				AccNo: unionpaytest.TestCard, Customer: &unionpay.Customer{IDType: "01", IDNumber: "341126197709218366",
					Name: "互联网", Phone: "13552535506", SMSCode: "123456"}})
			var same sync.WaitGroup
			same.Go(func() { _, _ = srv.Advance(id + "P") })
			same.Go(func() { _ = srv.Notify(ctx, id+"P") })
			same.Go(func() { _ = srv.Notify(ctx, id) })
			same.Go(func() {
				_, _ = client.Refund(ctx, &unionpay.FollowUpRequest{OrderID: id + "R", OrigQueryID: tx.QueryID, Amount: 100, BackURL: in.URL()})
			})
			same.Go(func() {
				_, _ = client.Query(ctx, &unionpay.QueryRequest{OrderID: id + "P", TxnTime: c.Now()})
			})
			same.Wait()
		})
	}
	wg.Go(func() {
		for range 20 {
			_ = srv.Transactions()
			_ = srv.Records(c.Now())
			_, _ = srv.Settlement(c.Now())
			_ = srv.FaultLog()
			_ = srv.Deliveries()
			_ = srv.EncryptionPEM()
			_ = srv.Config()
			time.Sleep(5 * time.Millisecond)
		}
	})
	wg.Go(func() {
		for range 3 {
			assert.NoError(t, srv.RotateEncryptionCert())
			_, _ = client.UpdateEncryptionCertificate(ctx)
		}
	})
	wg.Wait()
	// each order was paid once
	for _, x := range srv.Transactions() {
		if x.TxnType == "01" {
			assert.Equal(t, int64(1000), x.Amount)
		}
	}
}

// TestConcAuditNotifyRacesAdvance (run with -race): Server.Notify reads the transaction's
// respCode after releasing the server's lock, while Advance (or a query) makes it final.
func TestConcAuditNotifyRacesAdvance(t *testing.T) {
	c := newClock()
	srv := unionpaytest.NewServer(keys(t), unionpaytest.WithClock(c.Now), unionpaytest.WithTimeScale(scale))
	t.Cleanup(srv.Close)
	v, err := srv.NotifyVerifier()
	require.NoError(t, err)
	in := newInbox(t, v)
	client, err := unionpay.NewClient(srv.Config())
	require.NoError(t, err)
	ctx := context.Background()
	for i := range 20 {
		id := fmt.Sprintf("NRACE%06d", i)
		srv.Script(id, unionpaytest.Pending, unionpaytest.Succeed)
		_, err := client.Collect(ctx, &unionpay.CardRequest{OrderID: id, Amount: 100, BackURL: in.URL(),
			AccNo: unionpaytest.TestCard, Customer: &unionpay.Customer{IDType: "01", IDNumber: "341126197709218366",
				Name: "互联网", Phone: "13552535506", SMSCode: "123456"}})
		// a pending collection: else there is nothing for Advance and Notify to race on
		require.ErrorIs(t, err, unionpay.ErrPending, id)
		var wg sync.WaitGroup
		wg.Go(func() { _, _ = srv.Advance(id) })
		wg.Go(func() { _ = srv.Notify(ctx, id) })
		wg.Wait()
	}
}

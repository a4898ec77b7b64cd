package unionpaytest_test

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/goacp/unionpay/cert"
	"github.com/goacp/unionpay/notify"
	"github.com/goacp/unionpay/reconcile"
	"github.com/goacp/unionpay/unionpay"
	"github.com/goacp/unionpay/unionpay/unionpaytest"
)

// goroutines is how many goroutines share one Client in these tests.
const goroutines = 50

// payBack makes a back consume of amount and returns its queryId.
func payBack(t *testing.T, c *unionpay.Client, orderID string, amount int64) string {
	t.Helper()
	res, err := c.BackConsume(context.Background(), &unionpay.CardRequest{OrderID: orderID, Amount: amount,
		AccNo: unionpaytest.TestCard, BackURL: "https://shop.example/notify",
		Customer: &unionpay.Customer{Phone: "13552535506", SMSCode: "111111"}})
	require.NoError(t, err)
	return res.QueryID
}

// respCodeOf returns the respCode of a refusal, "" for nil, and fails the test on any other error.
func respCodeOf(t *testing.T, err error) string {
	t.Helper()
	if err == nil {
		return ""
	}
	ue, ok := errors.AsType[*unionpay.Error](err)
	if !assert.True(t, ok, "not a refusal: %v", err) {
		return "?"
	}
	return ue.RespCode
}

// TestRefundsRaceOnOnePayment sends 50 refunds of one payment at once from one Client: the gateway
// admits exactly as many as the payment covers and refuses the others 33, its ledger says so, and
// the settlement file it then writes lists those refunds and no more.
func TestRefundsRaceOnOnePayment(t *testing.T) {
	t.Parallel()
	srv, c, clk := clientGateway(t)
	const paid, each = 10000, 300 // 33 refunds fit, 17 do not
	orig := payBack(t, c, "RACEPAY0001", paid)
	var ok, refused atomic.Int64
	var wg sync.WaitGroup
	for i := range goroutines {
		wg.Go(func() {
			_, err := c.Refund(context.Background(), &unionpay.FollowUpRequest{OrderID: fmt.Sprintf("RACEREF%04d", i),
				OrigQueryID: orig, Amount: each, BackURL: "https://shop.example/notify"})
			switch code := respCodeOf(t, err); code {
			case "":
				ok.Add(1)
			case unionpaytest.CodeOverLimit:
				refused.Add(1)
			default:
				t.Errorf("refund %d refused %s", i, code)
			}
		})
	}
	wg.Wait()
	assert.EqualValues(t, paid/each, ok.Load(), "refunds admitted")
	assert.EqualValues(t, goroutines-paid/each, refused.Load(), "refunds refused")

	pay, found := srv.Transaction("RACEPAY0001")
	require.True(t, found)
	assert.EqualValues(t, ok.Load()*each, pay.Refunded, "the ledger's refunded amount")
	var ledger int64
	for _, x := range srv.Transactions() {
		if x.TxnType == "04" {
			assert.Equal(t, orig, x.OrigQueryID)
			ledger += x.Amount
		}
	}
	assert.EqualValues(t, ok.Load()*each, ledger, "refunds in the ledger")

	f, err := c.DownloadFile(context.Background(), &unionpay.FileRequest{SettleDate: clk.Now()})
	require.NoError(t, err)
	a, err := reconcile.Open(f.Content)
	require.NoError(t, err)
	var filed, count, fee, feeBack int64
	for r, err := range a.Records(time.Time{}, srv.MerchantID()) {
		require.NoError(t, err)
		switch r.TxnType {
		case "04":
			filed += r.TxnAmt
			count++
			feeBack += r.MerchantFee
		case "01":
			fee = -r.MerchantFee
		}
	}
	assert.Positive(t, fee, "the payment's fee")
	assert.LessOrEqual(t, feeBack, fee, "the refunds give back more fee than the payment was charged")
	assert.EqualValues(t, ok.Load(), count, "refunds in the settlement file")
	assert.LessOrEqual(t, filed, int64(paid), "the file's refunds exceed the payment")
	assert.EqualValues(t, ok.Load()*each, filed, "the file's refunded amount")
}

// TestFollowUpsRaceTheirCancel races, on each of 25 payments, two follow-ups that exclude each
// other: a refund and the consume's cancel, and a pre-authorisation's completion and its cancel.
// Exactly one of each pair goes through, and the ledger agrees with the answers.
func TestFollowUpsRaceTheirCancel(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	for _, tc := range []struct {
		name      string
		preAuth   bool
		follow    func(c *unionpay.Client) func(context.Context, *unionpay.FollowUpRequest) (*unionpay.Result, error)
		cancel    func(c *unionpay.Client) func(context.Context, *unionpay.FollowUpRequest) (*unionpay.Result, error)
		followAmt int64
	}{
		{"refund and consume cancel", false,
			func(c *unionpay.Client) func(context.Context, *unionpay.FollowUpRequest) (*unionpay.Result, error) {
				return c.Refund
			},
			func(c *unionpay.Client) func(context.Context, *unionpay.FollowUpRequest) (*unionpay.Result, error) {
				return c.CancelConsume
			}, 100},
		{"completion and pre-auth cancel", true,
			func(c *unionpay.Client) func(context.Context, *unionpay.FollowUpRequest) (*unionpay.Result, error) {
				return c.CompletePreAuth
			},
			func(c *unionpay.Client) func(context.Context, *unionpay.FollowUpRequest) (*unionpay.Result, error) {
				return c.CancelPreAuth
			}, 9000},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			srv, c, _ := clientGateway(t)
			const pairs = goroutines / 2
			origs := make([]string, pairs)
			for i := range origs {
				form, err := c.FrontConsume(&unionpay.ConsumeRequest{OrderID: fmt.Sprintf("PAIRPAY%04d", i), Amount: 10000,
					FrontURL: "https://shop.example/return", BackURL: "https://shop.example/notify"})
				if tc.preAuth {
					form, err = c.FrontPreAuth(&unionpay.ConsumeRequest{OrderID: fmt.Sprintf("PAIRPAY%04d", i), Amount: 10000,
						FrontURL: "https://shop.example/return", BackURL: "https://shop.example/notify"})
				}
				require.NoError(t, err)
				_, err = srv.Pay(ctx, form.Fields, "")
				require.NoError(t, err)
				x, found := srv.Transaction(fmt.Sprintf("PAIRPAY%04d", i))
				require.True(t, found)
				origs[i] = x.QueryID
			}
			var followed, cancelled [pairs]atomic.Bool
			var wg sync.WaitGroup
			for i := range pairs {
				wg.Go(func() {
					_, err := tc.follow(c)(ctx, &unionpay.FollowUpRequest{OrderID: fmt.Sprintf("PAIRFOL%04d", i),
						OrigQueryID: origs[i], Amount: tc.followAmt, BackURL: "https://shop.example/notify"})
					if code := respCodeOf(t, err); code == "" {
						followed[i].Store(true)
					} else {
						assert.Equal(t, unionpaytest.CodeBadOriginal, code, "pair %d", i)
					}
				})
				wg.Go(func() {
					_, err := tc.cancel(c)(ctx, &unionpay.FollowUpRequest{OrderID: fmt.Sprintf("PAIRCAN%04d", i),
						OrigQueryID: origs[i], Amount: 10000, BackURL: "https://shop.example/notify"})
					if code := respCodeOf(t, err); code == "" {
						cancelled[i].Store(true)
					} else {
						assert.Equal(t, unionpaytest.CodeBadOriginal, code, "pair %d", i)
					}
				})
			}
			wg.Wait()
			for i := range pairs {
				assert.NotEqual(t, followed[i].Load(), cancelled[i].Load(), "pair %d: exactly one goes through", i)
				x, _ := srv.Transaction(fmt.Sprintf("PAIRPAY%04d", i))
				assert.Equal(t, cancelled[i].Load(), x.Cancelled, "pair %d cancelled", i)
				if followed[i].Load() {
					assert.Equal(t, tc.followAmt, x.Refunded, "pair %d", i)
				} else {
					assert.Zero(t, x.Refunded, "pair %d", i)
				}
			}
		})
	}
}

// TestQueriesRaceTheNotification queries one pending order from 50 goroutines at once while the
// gateway may notify it: the first query that sees it final makes the one notification, every
// query answers the same final state, and the merchant's handler is told once.
func TestQueriesRaceTheNotification(t *testing.T) {
	t.Parallel()
	srv, c, _ := clientGateway(t, unionpaytest.WithNotifySchedule(0))
	ctx := context.Background()
	var told atomic.Int64
	var keys sync.Map
	v, err := srv.NotifyVerifier()
	require.NoError(t, err)
	h := &notify.Handler{Verifier: v, OnNotify: func(_ context.Context, n *notify.Notification) error {
		told.Add(1)
		keys.Store(n.Key(), true)
		return nil
	}}
	shop := httptest.NewServer(h)
	t.Cleanup(shop.Close)

	const order = "RACEQRY0001"
	srv.Script(order, unionpaytest.Succeed, unionpaytest.Pending, unionpaytest.Succeed)
	res, err := c.BackConsume(ctx, &unionpay.CardRequest{OrderID: order, Amount: 500, AccNo: unionpaytest.TestCard,
		BackURL: shop.URL, Customer: &unionpay.Customer{Phone: "13552535506", SMSCode: "111111"}})
	require.NoError(t, err)
	q := res.QueryRequest()
	var states sync.Map
	var wg sync.WaitGroup
	for range goroutines {
		wg.Go(func() {
			tx, err := c.Query(ctx, q)
			if assert.NoError(t, err) {
				states.Store(tx.State, true)
			}
		})
	}
	wg.Wait()
	require.NoError(t, srv.WaitNotifications(ctx))
	var seen []unionpay.State
	states.Range(func(k, _ any) bool { seen = append(seen, k.(unionpay.State)); return true })
	assert.Subset(t, []unionpay.State{unionpay.Pending, unionpay.Succeeded}, seen)
	tx, err := c.Query(ctx, q)
	require.NoError(t, err)
	assert.Equal(t, unionpay.Succeeded, tx.State)
	assert.EqualValues(t, 1, told.Load(), "the success is notified once")
	n := 0
	keys.Range(func(any, any) bool { n++; return true })
	assert.Equal(t, 1, n)
}

// TestNotifyRacesQueries sends the notification of one final order (Server.Notify) from 25
// goroutines while 25 others query it: each delivery reaches OnNotify with the same key.
func TestNotifyRacesQueries(t *testing.T) {
	t.Parallel()
	srv, c, _ := clientGateway(t, unionpaytest.WithNotifySchedule(0))
	ctx := context.Background()
	v, err := srv.NotifyVerifier()
	require.NoError(t, err)
	var told atomic.Int64
	var mu sync.Mutex
	keys := map[string]int{}
	h := &notify.Handler{Verifier: v, OnNotify: func(_ context.Context, n *notify.Notification) error {
		told.Add(1)
		mu.Lock()
		keys[n.Key()]++
		mu.Unlock()
		return nil
	}}
	shop := httptest.NewServer(h)
	t.Cleanup(shop.Close)
	res, err := c.BackConsume(ctx, &unionpay.CardRequest{OrderID: "RACENTF0001", Amount: 500, AccNo: unionpaytest.TestCard,
		BackURL: shop.URL, Customer: &unionpay.Customer{Phone: "13552535506", SMSCode: "111111"}})
	require.NoError(t, err)
	require.NoError(t, srv.WaitNotifications(ctx))
	var wg sync.WaitGroup
	for i := range goroutines {
		wg.Go(func() {
			if i%2 == 0 {
				assert.NoError(t, srv.Notify(ctx, "RACENTF0001"))
				return
			}
			tx, err := c.Query(ctx, res.QueryRequest())
			if assert.NoError(t, err) {
				assert.Equal(t, unionpay.Succeeded, tx.State)
			}
		})
	}
	wg.Wait()
	assert.EqualValues(t, 1+goroutines/2, told.Load(), "every delivery reaches OnNotify")
	assert.Len(t, keys, 1, "one key for every delivery")
}

// TestCertificateUpdateRacesEncryption rotates the gateway's encryption certificate while 50
// goroutines send card data and others update the client's certificate and list its expiries:
// every request is encrypted with a certificate the gateway accepts (none refused), and each
// Expiries lists exactly one encryption certificate.
func TestCertificateUpdateRacesEncryption(t *testing.T) {
	t.Parallel()
	srv, c, _ := clientGateway(t)
	ctx := context.Background()
	var wg sync.WaitGroup
	var updates atomic.Int64
	for i := range goroutines {
		wg.Go(func() {
			switch {
			case i%10 == 0:
				require.NoError(t, srv.RotateEncryptionCert())
				if updated, err := c.UpdateEncryptionCertificate(ctx); assert.NoError(t, err) && updated {
					updates.Add(1)
				}
			case i%10 == 1:
				n := 0
				for _, e := range c.Expiries() {
					if e.Role == cert.RoleEncryption {
						n++
					}
				}
				assert.Equal(t, 1, n, "encryption certificates listed")
			default:
				_, err := c.BackConsume(ctx, &unionpay.CardRequest{OrderID: fmt.Sprintf("RACEENC%04d", i), Amount: 100,
					AccNo: unionpaytest.TestCard, BackURL: "https://shop.example/notify",
					Customer: &unionpay.Customer{Phone: "13552535506", SMSCode: "111111", CVN2: "123", Expiry: "3012"}})
				assert.NoError(t, err, "consume %d", i)
			}
		})
	}
	wg.Wait()
	assert.Positive(t, updates.Load())
	assert.Equal(t, srv.EncryptionCertificate().SerialNumber.String(), c.Encrypter().Certificate().SerialNumber.String(),
		"the last update took the last certificate")
}

// TestSlowOnNotifyRacesRetries makes OnNotify slower than the gateway waits for an answer: the
// retry arrives while the first delivery is still in OnNotify, every delivery reaches OnNotify
// with the same key, and an idempotent store applies the payment once.
func TestSlowOnNotifyRacesRetries(t *testing.T) {
	t.Parallel()
	// The gateway's answer deadline (10 s scaled, never below 2 s) is what the first delivery
	// outlasts, and what the retry must be answered within: at 1/600 it was 2 s, which a loaded
	// machine exceeded (both deliveries read 0, no 200). At 0.5 it is 5 s; the waits are 0.
	srv, c, _ := clientGateway(t, unionpaytest.WithNotifySchedule(0, 0), unionpaytest.WithTimeScale(0.5))
	ctx := context.Background()
	v, err := srv.NotifyVerifier()
	require.NoError(t, err)
	var mu sync.Mutex
	keys := map[string]int{}
	applied := 0
	inside, maxInside := 0, 0
	release := make(chan struct{})
	var calls atomic.Int64
	h := &notify.Handler{Verifier: v, OnNotify: func(ctx context.Context, n *notify.Notification) error {
		mu.Lock()
		inside++
		maxInside = max(maxInside, inside)
		keys[n.Key()]++
		mu.Unlock()
		if calls.Add(1) == 1 {
			<-release // the first stays until the retry has come
		}
		mu.Lock()
		defer mu.Unlock()
		inside--
		if keys[n.Key()] > 0 && applied == 0 {
			applied++
		}
		return nil
	}}
	shop := httptest.NewServer(h)
	t.Cleanup(shop.Close)
	_, err = c.BackConsume(ctx, &unionpay.CardRequest{OrderID: "SLOWNTF0001", Amount: 500, AccNo: unionpaytest.TestCard,
		BackURL: shop.URL, Customer: &unionpay.Customer{Phone: "13552535506", SMSCode: "111111"}})
	require.NoError(t, err)
	require.Eventually(t, func() bool { return calls.Load() >= 2 }, 30*time.Second, 10*time.Millisecond,
		"the retry did not come while OnNotify was busy")
	close(release)
	require.NoError(t, srv.WaitNotifications(ctx))
	mu.Lock()
	defer mu.Unlock()
	assert.Equal(t, 2, maxInside, "the retry ran alongside the first delivery")
	assert.Len(t, keys, 1)
	assert.Equal(t, 1, applied)
	var answered []int
	for _, d := range srv.Deliveries() {
		answered = append(answered, d.Status)
	}
	assert.Contains(t, answered, http.StatusOK, "the retry is answered 200")
}

// TestServerSharedByParallelTests runs 50 parallel subtests on one gateway and one Client, each
// with its own order, Script and ScriptQuery: each order gets its own script's outcome and no
// other, whatever the interleaving.
func TestServerSharedByParallelTests(t *testing.T) {
	srv, c, _ := clientGateway(t)
	outcomes := []struct {
		steps []unionpaytest.Outcome
		code  string // the consume's refusal, "" when accepted
		state unionpay.State
	}{
		{[]unionpaytest.Outcome{unionpaytest.Succeed}, "", unionpay.Succeeded},
		{[]unionpaytest.Outcome{unionpaytest.NoBalance}, unionpaytest.CodeDeclined, unionpay.Failed},
		{[]unionpaytest.Outcome{unionpaytest.Succeed, unionpaytest.Pending}, "", unionpay.Pending},
	}
	t.Run("orders", func(t *testing.T) {
		for i := range goroutines {
			t.Run(fmt.Sprint(i), func(t *testing.T) {
				t.Parallel()
				ctx := context.Background()
				want := outcomes[i%len(outcomes)]
				order := fmt.Sprintf("PARTEST%04d", i)
				srv.Script(order, want.steps...)
				srv.ScriptQuery(order, unionpaytest.Outcome("06"))
				res, err := c.BackConsume(ctx, &unionpay.CardRequest{OrderID: order, Amount: int64(100 + i), AccNo: unionpaytest.TestCard,
					BackURL: "https://shop.example/notify", Customer: &unionpay.Customer{Phone: "13552535506", SMSCode: "111111"}})
				require.Equal(t, want.code, respCodeOf(t, err))
				q := &unionpay.QueryRequest{OrderID: order, TxnTime: srv.Now()}
				if res != nil {
					q = res.QueryRequest()
				}
				_, err = c.Query(ctx, q)
				assert.Error(t, err, "the scripted busy answer")
				if want.code != "" {
					return
				}
				tx, err := c.Query(ctx, q)
				require.NoError(t, err)
				assert.Equal(t, want.state, tx.State)
				x, found := srv.Transaction(order)
				require.True(t, found)
				assert.EqualValues(t, 100+i, x.Amount, "another test's order")
			})
		}
	})
	for _, x := range srv.Transactions() {
		var i int
		_, err := fmt.Sscanf(x.OrderID, "PARTEST%04d", &i)
		require.NoError(t, err)
		want := outcomes[i%len(outcomes)]
		assert.Equal(t, want.state == unionpay.Succeeded || want.code != "", x.Final, "order %s", x.OrderID)
	}
}

// TestCloseWhileCallsInFlight closes the gateway while 50 goroutines pay, refund and query: Close
// returns, every call returns (an answer or an error), and nothing is reported but what the calls
// themselves did.
func TestCloseWhileCallsInFlight(t *testing.T) {
	t.Parallel()
	c0 := newClock()
	rec := &recorder{}
	srv := unionpaytest.NewServer(keys(t), unionpaytest.WithClock(c0.Now), unionpaytest.WithReporter(rec),
		unionpaytest.WithNotifySchedule(0))
	cfg := srv.Config()
	cfg.HTTPClient.Timeout = 5 * time.Second
	c, err := unionpay.NewClient(cfg)
	require.NoError(t, err)
	ctx := context.Background()
	shop := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
		time.Sleep(50 * time.Millisecond)
	}))
	t.Cleanup(shop.Close)
	started := make(chan struct{}, goroutines)
	var wg sync.WaitGroup
	for i := range goroutines {
		wg.Go(func() {
			started <- struct{}{}
			for j := 0; ; j++ {
				res, err := c.BackConsume(ctx, &unionpay.CardRequest{OrderID: fmt.Sprintf("CLOSE%04dX%04d", i, j), Amount: 100,
					AccNo: unionpaytest.TestCard, BackURL: shop.URL,
					Customer: &unionpay.Customer{Phone: "13552535506", SMSCode: "111111"}})
				if err != nil {
					return
				}
				if _, err := c.Query(ctx, res.QueryRequest()); err != nil {
					return
				}
			}
		})
	}
	for range goroutines {
		<-started
	}
	time.Sleep(100 * time.Millisecond)
	done := make(chan struct{})
	go func() { srv.Close(); close(done) }()
	select {
	case <-done:
	case <-time.After(30 * time.Second):
		t.Fatal("Close did not return")
	}
	wg.Wait()
	assert.Zero(t, rec.count(), "reported: %q", rec.all())
}

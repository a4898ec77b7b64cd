package unionpay_test

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/http"
	"sort"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/goacp/unionpay/cert"
	"github.com/goacp/unionpay/internal/readmerecipe"
	"github.com/goacp/unionpay/notify"
	"github.com/goacp/unionpay/reconcile"
	"github.com/goacp/unionpay/unionpay"
	"github.com/goacp/unionpay/unionpay/unionpaytest"
)

// Trial "deploy": rolling restarts, SIGTERM-style shutdowns and crashes at every step of the
// refund and payout flows, against the fake gateway. Run: go test -run TestDeploy ./unionpay

// ---- the merchant's durable store: what the docs say to persist, and nothing else ----

type dRec struct {
	Kind        string // "refund" or "payout"
	OrderID     string
	TxnTime     time.Time
	Amount      int64
	OrigQueryID string // refund
	AccNo       string // payout
	State       string // pending, succeeded, failed, abandoned (never made: replaced by Next)
	Next        string // the orderId that replaced an abandoned one
	Applied     int    // how many times a final outcome was applied
}

type dStore struct {
	mu   sync.Mutex
	recs map[string]*dRec
}

func newDStore() *dStore { return &dStore{recs: map[string]*dRec{}} }

func (s *dStore) put(r dRec) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.recs[r.OrderID] = &r
}

func (s *dStore) get(id string) (dRec, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	r, ok := s.recs[id]
	if !ok {
		return dRec{}, false
	}
	return *r, true
}

// final applies a final outcome once (UPDATE ... WHERE state = 'pending'), keyed on orderId
// and txnTime, checking the amount.
func (s *dStore) final(id string, txnTime time.Time, amount int64, ok bool) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	r, found := s.recs[id]
	if !found || !r.TxnTime.Equal(txnTime) || r.Amount != amount {
		return nil // not ours / for a person to look at
	}
	if r.State != "pending" {
		return nil
	}
	r.State = map[bool]string{true: "succeeded", false: "failed"}[ok]
	r.Applied++
	return nil
}

func (s *dStore) pending() []dRec {
	s.mu.Lock()
	defer s.mu.Unlock()
	var out []dRec
	for _, r := range s.recs {
		if r.State == "pending" {
			out = append(out, *r)
		}
	}
	sort.Slice(out, func(i, j int) bool { return out[i].OrderID < out[j].OrderID })
	return out
}

// ---- a shared mutable clock for the fake and the client ----

type dClock struct {
	base time.Time
	t0   time.Time
	off  atomic.Int64
}

func newDClock() *dClock {
	return &dClock{base: unionpaytest.BusinessDayClock()(), t0: time.Now()}
}
func (c *dClock) Now() time.Time          { return c.base.Add(time.Since(c.t0) + time.Duration(c.off.Load())) }
func (c *dClock) Advance(d time.Duration) { c.off.Add(int64(d)) }

// ---- a stable backUrl whose handler is the current process's ----

type dFront struct {
	srv *http.Server
	url string
	cur atomic.Pointer[http.Handler]
}

func newDFront(t *testing.T) *dFront {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	require.NoError(t, err)
	f := &dFront{url: "http://" + ln.Addr().String() + "/notify"}
	f.srv = &http.Server{Handler: http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		h := f.cur.Load()
		if h == nil {
			http.Error(w, "down", http.StatusServiceUnavailable) // between processes
			return
		}
		(*h).ServeHTTP(w, r)
	})}
	go func() { _ = f.srv.Serve(ln) }()
	t.Cleanup(func() { _ = f.srv.Close() })
	return f
}

// ---- one process of the merchant's service ----

type dProc struct {
	c       *unionpay.Client
	v       *cert.Verifier
	killed  atomic.Bool // a killed process applies nothing any more
	hold    atomic.Bool // Sleep blocks until ctx ends (to crash mid-wait)
	backURL string
}

func dGateway(t *testing.T, clk *dClock, opts ...unionpaytest.Option) *unionpaytest.Server {
	opts = append([]unionpaytest.Option{withSharedKeys(t), unionpaytest.WithClock(clk.Now), unionpaytest.WithTimeScale(1.0 / 600),
		unionpaytest.WithReporter(t)}, opts...)
	srv := unionpaytest.NewServer(opts...)
	t.Cleanup(srv.Close)
	return srv
}

func dStart(t *testing.T, srv *unionpaytest.Server, front *dFront, store *dStore, edit ...func(*unionpay.Config)) *dProc {
	cfg := srv.Config()
	var p *dProc
	cfg.Sleep = func(ctx context.Context, d time.Duration) error { // the schedules, compressed
		if p.hold.Load() {
			<-ctx.Done()
			return ctx.Err()
		}
		tm := time.NewTimer(d / 6000)
		defer tm.Stop()
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-tm.C:
			return nil
		}
	}
	cfg.HTTPClient.Timeout = 3 * time.Second
	for _, e := range edit {
		e(&cfg)
	}
	c, err := unionpay.NewClient(cfg)
	require.NoError(t, err)
	p = &dProc{c: c, v: cfg.Verifier, backURL: front.url}
	var h http.Handler = &notify.Handler{Verifier: cfg.Verifier, OnNotify: func(ctx context.Context, n *notify.Notification) error {
		if p.killed.Load() {
			return errors.New("process gone") // the write never happened
		}
		if n.MerchantID != c.MerchantID() || n.Status() == notify.Pending {
			return nil
		}
		switch n.TxnType {
		case "04", "12":
			return store.final(n.OrderID, n.TxnTime, n.TxnAmt, n.Status() == notify.Succeeded)
		}
		return nil
	}}
	front.cur.Store(&h)
	return p
}

func (p *dProc) kill(front *dFront) {
	p.killed.Store(true)
	front.cur.Store(nil)
}

// dPaid makes a paid consume of amount and returns its queryId.
func dPaid(t *testing.T, srv *unionpaytest.Server, c *unionpay.Client, id string, amount int64) string {
	ctx := context.Background()
	form, err := c.FrontConsume(&unionpay.ConsumeRequest{OrderID: id, Amount: amount, Channel: unionpay.ChannelPC,
		FrontURL: "https://shop.example/return", BackURL: "https://shop.example/notify"})
	require.NoError(t, err)
	_, err = srv.Pay(ctx, form.Fields, "")
	require.NoError(t, err)
	tx, ok := srv.Transaction(id)
	require.True(t, ok)
	require.NotEmpty(t, tx.QueryID)
	return tx.QueryID
}

// inFile reports whether the settlement file of day lists orderID with txnType and amount.
func inFile(t *testing.T, c *unionpay.Client, day time.Time, orderID, txnType string, amount int64) bool {
	f, err := c.DownloadFile(context.Background(), &unionpay.FileRequest{SettleDate: day})
	if errors.Is(err, unionpay.ErrNoFile) {
		return false
	}
	require.NoError(t, err)
	a, err := reconcile.Open(f.Content)
	require.NoError(t, err)
	for r, err := range a.Records(day, c.MerchantID()) {
		require.NoError(t, err)
		if r.OrderID == orderID && r.TxnType == txnType && r.TxnAmt == amount {
			return true
		}
	}
	return false
}

// ---- (a) shutdown while a refund or payout is in flight ----

// Cancelled before the request is written: nothing sent, a plain error, nothing at the gateway.
// Cancelled after: pending, and the gateway has it.
func TestDeployInFlightCancel(t *testing.T) {
	clk := newDClock()
	srv := dGateway(t, clk)
	front := newDFront(t)
	store := newDStore()
	p := dStart(t, srv, front, store)
	q := dPaid(t, srv, p.c, "PAY00000000000001", 10000)

	// before writing
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	_, err := p.c.Refund(ctx, &unionpay.FollowUpRequest{OrderID: "REF00000000000001", OrigQueryID: q, Amount: 100,
		TxnTime: clk.Now(), BackURL: p.backURL})
	require.Error(t, err)
	require.False(t, errors.Is(err, unionpay.ErrPending), "%v", err)
	_, ok := srv.Transaction("REF00000000000001")
	require.False(t, ok)

	// after writing: the answer held back, SIGTERM cancels the context
	for _, kind := range []string{"refund", "payout"} {
		id := map[string]string{"refund": "REF00000000000002", "payout": "PO000000000000002"}[kind]
		srv.FailOrder(id, unionpaytest.FaultDelay)
		// SIGTERM once the gateway has acted on the request: a 300 ms timer could fire before a
		// loaded -race run had sent it (the payout's, on a new TLS connection, failed so).
		ctx, cancel := endWhen(context.Background(), context.Canceled, recorded(srv, id))
		defer cancel()
		if kind == "refund" {
			_, err = p.c.Refund(ctx, &unionpay.FollowUpRequest{OrderID: id, OrigQueryID: q, Amount: 100,
				TxnTime: clk.Now(), BackURL: p.backURL})
		} else {
			_, err = p.c.Payout(ctx, &unionpay.CardRequest{OrderID: id, Amount: 100, AccNo: unionpaytest.TestCard,
				TxnTime: clk.Now(), BackURL: p.backURL, Customer: &unionpay.Customer{Name: "张三"}})
		}
		require.ErrorIs(t, err, unionpay.ErrPending, kind)
		require.ErrorIs(t, err, context.Canceled, kind)
		_, ok = srv.Transaction(id)
		require.True(t, ok, kind)
	}
}

// ---- (b) QueryUntilFinal during shutdown ----

func TestDeployQueryUntilFinalShutdown(t *testing.T) {
	clk := newDClock()
	srv := dGateway(t, clk)
	front := newDFront(t)
	var waitless atomic.Bool // the waits between queries end at once (mid-query), or with ctx
	p := dStart(t, srv, front, newDStore(), func(c *unionpay.Config) {
		c.Sleep = func(ctx context.Context, d time.Duration) error {
			if waitless.Load() {
				return ctx.Err()
			}
			<-ctx.Done()
			return ctx.Err()
		}
	})
	q := dPaid(t, srv, p.c, "PAY00000000000011", 10000)
	srv.Script("REF00000000000011", unionpaytest.Succeed, unionpaytest.Pending, unionpaytest.Succeed)
	now := clk.Now()
	_, err := p.c.Refund(context.Background(), &unionpay.FollowUpRequest{OrderID: "REF00000000000011", OrigQueryID: q,
		Amount: 100, TxnTime: now, BackURL: p.backURL})
	require.NoError(t, err)

	// waiting between queries
	ctx, cancel := context.WithTimeout(context.Background(), 200*time.Millisecond)
	defer cancel()
	tx, err := p.c.QueryUntilFinal(ctx, &unionpay.QueryRequest{OrderID: "REF00000000000011", TxnTime: now,
		TxnType: "04", Amount: 100}, unionpay.BackBackoff())
	require.ErrorIs(t, err, unionpay.ErrPending)
	require.ErrorIs(t, err, context.DeadlineExceeded)
	_ = tx

	// mid-query: the first query is sent at once, and its answer held past ctx2, which ends once
	// the query has taken the FaultDelay (a 300 ms timer could end it before a loaded -race run
	// had sent the query: the fault then left over, which the Server's Close reports)
	waitless.Store(true)
	srv.FailOrder("REF00000000000011", unionpaytest.FaultDelay)
	ctx2, cancel2 := endWhen(context.Background(), context.DeadlineExceeded,
		delayTaken(srv, unionpaytest.EndpointQuery, "REF00000000000011"))
	defer cancel2()
	_, err = p.c.QueryUntilFinal(ctx2, &unionpay.QueryRequest{OrderID: "REF00000000000011", TxnTime: now,
		TxnType: "04", Amount: 100}, unionpay.BackBackoff())
	require.ErrorIs(t, err, unionpay.ErrPending)
	require.ErrorIs(t, err, context.DeadlineExceeded)
}

// ---- crash at every step of a refund and of a payout ----

// crash points
const (
	stepStored      = iota // orderId and txnTime stored, nothing sent
	stepNotWritten         // the call started, ctx ended before the request was written
	stepAnswerLost         // the request reached the gateway, the answer was lost (connection dropped)
	stepAccepted           // answered accepted, crash before any query
	stepQuerying           // crash while QueryUntilFinal waits
	stepNotifyCrash        // crash while OnNotify runs (nothing written, no 200)
	stepNone               // no crash
	nSteps
)

var stepNames = [...]string{"stored", "not-written", "answer-lost", "accepted", "querying", "notify-crash", "none"}

// runFlow runs one refund or payout in process p, crashing at step. It returns once the process
// is "dead" or the flow ended.
func runFlow(t *testing.T, srv *unionpaytest.Server, front *dFront, store *dStore, p *dProc, kind string,
	rec dRec, step int) {
	store.put(rec) // the docs: store orderId and txnTime (and the amount) before sending
	if step == stepStored {
		p.kill(front)
		return
	}
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	switch step {
	case stepNotWritten:
		cancel()
	case stepAnswerLost:
		srv.FailOrder(rec.OrderID, unionpaytest.FaultDrop)
	case stepQuerying:
		srv.Script(rec.OrderID, unionpaytest.Pending, unionpaytest.Pending, unionpaytest.Pending, unionpaytest.Succeed)
		p.hold.Store(true)
	case stepNotifyCrash:
		p.killed.Store(true) // OnNotify fails: the process is going down while it runs
	}
	var err error
	if kind == "refund" {
		_, err = p.c.Refund(ctx, &unionpay.FollowUpRequest{OrderID: rec.OrderID, OrigQueryID: rec.OrigQueryID,
			Amount: rec.Amount, TxnTime: rec.TxnTime, BackURL: p.backURL})
	} else {
		_, err = p.c.Payout(ctx, &unionpay.CardRequest{OrderID: rec.OrderID, Amount: rec.Amount, AccNo: rec.AccNo,
			TxnTime: rec.TxnTime, BackURL: p.backURL, Customer: &unionpay.Customer{Name: "张三"}})
	}
	switch step {
	case stepNotWritten:
		require.Error(t, err)
		require.False(t, errors.Is(err, unionpay.ErrPending), "%v", err)
		p.kill(front)
		return
	case stepAnswerLost:
		require.ErrorIs(t, err, unionpay.ErrPending)
		p.kill(front)
		return
	case stepAccepted:
		require.NoError(t, err)
		p.kill(front)
		return
	case stepQuerying:
		require.ErrorIs(t, err, unionpay.ErrPending)
		qctx, qcancel := context.WithTimeout(context.Background(), 50*time.Millisecond)
		defer qcancel()
		bo := unionpay.BackBackoff()
		qr := &unionpay.QueryRequest{OrderID: rec.OrderID, TxnTime: rec.TxnTime, TxnType: "04", Amount: rec.Amount}
		if kind == "payout" {
			bo = unionpay.PayoutBackoff()
			qr.TxnType, qr.BizType = "12", unionpay.BizTypePayout
		}
		_, err = p.c.QueryUntilFinal(qctx, qr, bo)
		require.ErrorIs(t, err, unionpay.ErrPending)
		p.kill(front)
		return
	case stepNotifyCrash:
		require.NoError(t, err)
		time.Sleep(150 * time.Millisecond) // the first send reaches the dying process
		p.kill(front)
		return
	}
	require.NoError(t, err)
}

// recover follows the docs' recipe for every pending record. It returns what it had to leave to
// a person.
func recoverAll(t *testing.T, srv *unionpaytest.Server, store *dStore, p *dProc, clk *dClock) []string {
	var left []string
	ctx := context.Background()
	for _, r := range store.pending() {
		switch r.Kind {
		case "refund":
			err := readmerecipe.RefundPart(ctx, p.c, r.OrderID, r.TxnTime, r.OrigQueryID, r.Amount, p.backURL)
			var rejected *unionpay.Error
			switch {
			case err == nil:
				require.NoError(t, store.final(r.OrderID, r.TxnTime, r.Amount, true))
			case errors.Is(err, unionpay.ErrPending):
				// "only if the settlement file of its settle day lists no refund of this amount under
				// refundID either was it never made (then store a new refundID and txnTime, and call again)"
				if inFile(t, p.c, unionpay.SettleDay(r.TxnTime), r.OrderID, "04", r.Amount) {
					require.NoError(t, store.final(r.OrderID, r.TxnTime, r.Amount, true))
					continue
				}
				next := r
				next.OrderID, next.TxnTime, next.State = r.OrderID+"R", clk.Now(), "pending"
				store.mu.Lock()
				store.recs[r.OrderID].State, store.recs[r.OrderID].Next = "abandoned", next.OrderID
				store.mu.Unlock()
				store.put(next)
				err = readmerecipe.RefundPart(ctx, p.c, next.OrderID, next.TxnTime, next.OrigQueryID, next.Amount, p.backURL)
				require.NoError(t, err)
				require.NoError(t, store.final(next.OrderID, next.TxnTime, next.Amount, true))
			case errors.As(err, &rejected):
				left = append(left, fmt.Sprintf("%s: %v", r.OrderID, err))
				require.NoError(t, store.final(r.OrderID, r.TxnTime, r.Amount, false))
			default:
				// never sent: nothing happened; the docs' recipe sends it again with a current txnTime
				left = append(left, fmt.Sprintf("%s: %v", r.OrderID, err))
			}
		case "payout":
			_, err := p.c.Payout(ctx, &unionpay.CardRequest{OrderID: r.OrderID, Amount: r.Amount, AccNo: r.AccNo,
				TxnTime: r.TxnTime, BackURL: p.backURL, Customer: &unionpay.Customer{Name: "张三"}})
			var rejected *unionpay.Error
			switch {
			case errors.As(err, &rejected):
				require.NoError(t, store.final(r.OrderID, r.TxnTime, r.Amount, false))
				continue
			case err != nil && !errors.Is(err, unionpay.ErrPending) && !errors.Is(err, unionpay.ErrTxnTimeNotCurrent):
				left = append(left, fmt.Sprintf("%s: %v", r.OrderID, err))
				continue
			}
			tx, err := p.c.QueryUntilFinal(ctx, &unionpay.QueryRequest{OrderID: r.OrderID, TxnTime: r.TxnTime,
				BizType: unionpay.BizTypePayout, TxnType: "12", Amount: r.Amount}, unionpay.PayoutBackoff())
			switch {
			case err == nil:
				require.NoError(t, store.final(r.OrderID, r.TxnTime, r.Amount, tx.State == unionpay.Succeeded))
			default:
				// Client.Payout's rule: failed only when absent from the files of its settle date and
				// the next one, and its latest query answered other than success or 03/04/05/83.
				day := unionpay.SettleDay(r.TxnTime)
				if inFile(t, p.c, day, r.OrderID, "12", r.Amount) {
					require.NoError(t, store.final(r.OrderID, r.TxnTime, r.Amount, true))
					continue
				}
				clk.Advance(25 * time.Hour) // wait for the next day's file
				if inFile(t, p.c, day.AddDate(0, 0, 1), r.OrderID, "12", r.Amount) {
					require.NoError(t, store.final(r.OrderID, r.TxnTime, r.Amount, true))
					continue
				}
				tx, err := p.c.Query(ctx, &unionpay.QueryRequest{OrderID: r.OrderID, TxnTime: r.TxnTime,
					BizType: unionpay.BizTypePayout, TxnType: "12", Amount: r.Amount})
				require.NoError(t, err)
				if tx.State != unionpay.NotFound && tx.State != unionpay.Failed {
					left = append(left, fmt.Sprintf("%s: still %v", r.OrderID, tx.State))
					continue
				}
				next := r
				next.OrderID, next.TxnTime, next.State = r.OrderID+"R", clk.Now(), "pending"
				store.mu.Lock()
				store.recs[r.OrderID].State, store.recs[r.OrderID].Next = "abandoned", next.OrderID
				store.mu.Unlock()
				store.put(next)
				_, err = p.c.Payout(ctx, &unionpay.CardRequest{OrderID: next.OrderID, Amount: next.Amount, AccNo: next.AccNo,
					TxnTime: next.TxnTime, BackURL: p.backURL, Customer: &unionpay.Customer{Name: "张三"}})
				require.NoError(t, err)
				tx, err = p.c.QueryUntilFinal(ctx, &unionpay.QueryRequest{OrderID: next.OrderID, TxnTime: next.TxnTime,
					BizType: unionpay.BizTypePayout, TxnType: "12", Amount: next.Amount}, unionpay.PayoutBackoff())
				require.NoError(t, err)
				require.NoError(t, store.final(next.OrderID, next.TxnTime, next.Amount, tx.State == unionpay.Succeeded))
			}
		}
	}
	return left
}

// checkLedger compares the store with the gateway's ledger: every succeeded record is a success
// at the gateway, every success at the gateway is a succeeded record, no outcome applied twice,
// and the original refunded exactly once.
func checkLedger(t *testing.T, srv *unionpaytest.Server, store *dStore, origOrder string, want int64, kind string) {
	t.Helper()
	var gwOK int64
	succ := map[string]bool{}
	for _, tx := range srv.Transactions() {
		if tx.TxnType == map[string]string{"refund": "04", "payout": "12"}[kind] &&
			(tx.RespCode == "00" || tx.RespCode == "A6") {
			gwOK += tx.Amount
			succ[tx.OrderID] = true
		}
	}
	require.Equal(t, want, gwOK, "the gateway moved %d, once", want)
	store.mu.Lock()
	defer store.mu.Unlock()
	var mine int64
	for id, r := range store.recs {
		require.LessOrEqual(t, r.Applied, 1, id)
		if r.State == "succeeded" {
			mine += r.Amount
			require.True(t, succ[id], "%s succeeded at the merchant, not at the gateway", id)
		}
		if succ[id] {
			require.Equal(t, "succeeded", r.State, "%s succeeded at the gateway", id)
		}
	}
	require.Equal(t, gwOK, mine)
	if kind == "refund" {
		o, ok := srv.Transaction(origOrder)
		require.True(t, ok)
		require.Equal(t, want, o.Refunded)
	}
}

func TestDeployCrashAtEveryStep(t *testing.T) {
	t.Parallel()
	for _, kind := range []string{"refund", "payout"} {
		for step := range nSteps {
			for _, later := range []time.Duration{0, 20 * time.Minute} {
				name := fmt.Sprintf("%s/%s/restart+%v", kind, stepNames[step], later)
				t.Run(name, func(t *testing.T) {
					t.Parallel() // each has its own gateway, clock, store and processes
					clk := newDClock()
					srv := dGateway(t, clk)
					front := newDFront(t)
					store := newDStore()
					p := dStart(t, srv, front, store)
					rec := dRec{Kind: kind, OrderID: "X" + fmt.Sprint(1000000000+step) + "0001", TxnTime: clk.Now(),
						Amount: 2500, State: "pending"}
					var orig string
					if kind == "refund" {
						orig = "PAY0000000000" + fmt.Sprint(10+step)
						rec.OrigQueryID = dPaid(t, srv, p.c, orig, 2500)
					} else {
						rec.AccNo = unionpaytest.TestCard
					}
					runFlow(t, srv, front, store, p, kind, rec, step)
					if step == stepNone {
						time.Sleep(200 * time.Millisecond) // notification
					}
					clk.Advance(later)
					p2 := dStart(t, srv, front, store) // new process, empty memory
					left := recoverAll(t, srv, store, p2, clk)
					time.Sleep(300 * time.Millisecond) // late notifications to the new process
					require.Empty(t, left)
					checkLedger(t, srv, store, orig, 2500, kind)
				})
			}
		}
	}
}

package soak

// TestModel is a model-based (stateful property) test of the SDK against the fake gateway: a seeded
// random sequence of what one merchant does in a business day (back and app consumes, front
// pre-authorisations paid through Server.Pay, partial, full and excessive refunds, consume cancels,
// completions and their cancels, payouts, queries), sent one at a time through a real
// unionpay.Client while the gateway injects random faults (unionpaytest.WithFaults) and a
// notify.Handler receives the notifications. The merchant's model holds only what the SDK
// reported. After each step, and at the end of the day, it checks:
//
//  1. a call the SDK reported refused (*unionpay.Error) moved no money at the gateway;
//  2. nothing the model holds as succeeded is absent, or not succeeded, at the gateway;
//  3. every pending outcome is resolved by QueryUntilFinal (or, for a payout, the settlement
//     files) to the gateway's truth, never guessed;
//  4. refunds and cancels of a payment never exceed its amount, and a refund the model predicted
//     the gateway must refuse is never reported succeeded;
//  5. every notification the handler accepted agrees with the gateway's final state, and a
//     duplicate never changes the model twice; no forged one is accepted;
//  6. the settlement files of the days touched, downloaded through the client and matched with
//     reconcile against the model's orders of that day (by the settleDate UnionPay reported),
//     have no difference, and their amount, fees and net equal the model's.
//
// The clock is virtual (Config.Now, Config.Sleep and WithClock share it): QueryUntilFinal's
// schedules take no wall time, and the day runs from the evening over 23:00 into the next settle
// day. Seeds and steps:
//
//	go test ./soak -run TestModel                                   # 4 seeds (2 with -short), 120 steps each
//	go test ./soak -run TestModel -model.seeds=300 -model.steps=300 -parallel 1
//	UNIONPAY_MODEL_SEED=17 UNIONPAY_MODEL_SEEDS=1 go test ./soak -run TestModel -v   # one seed
import (
	"context"
	"errors"
	"flag"
	"fmt"
	"math/rand/v2"
	"net/http/httptest"
	"os"
	"slices"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/goacp/unionpay/notify"
	"github.com/goacp/unionpay/reconcile"
	"github.com/goacp/unionpay/unionpay"
	"github.com/goacp/unionpay/unionpay/unionpaytest"
)

var (
	flagModelSeed  = flag.Uint64("model.seed", 0, "first seed of TestModel (or UNIONPAY_MODEL_SEED; 0: 1)")
	flagModelSeeds = flag.Int("model.seeds", 0, "seeds TestModel runs (or UNIONPAY_MODEL_SEEDS; 0: 4)")
	flagModelSteps = flag.Int("model.steps", 0, "steps per seed (or UNIONPAY_MODEL_STEPS; 0: 120)")
)

func modelBudget(t *testing.T) (first uint64, seeds, steps int) {
	env := func(name string, flagValue, def int) int {
		if flagValue != 0 {
			return flagValue
		}
		if v := os.Getenv(name); v != "" {
			n, err := strconv.Atoi(v)
			require.NoError(t, err, name)
			return n
		}
		return def
	}
	defSeeds := 4
	if testing.Short() {
		defSeeds = 2
	}
	seeds = env("UNIONPAY_MODEL_SEEDS", *flagModelSeeds, defSeeds)
	steps = env("UNIONPAY_MODEL_STEPS", *flagModelSteps, 120)
	first = uint64(env("UNIONPAY_MODEL_SEED", int(*flagModelSeed), 1))
	return first, seeds, steps
}

var (
	modelKeysOnce sync.Once
	modelKeys     *unionpaytest.Keys
	modelKeysErr  error
)

// modelFaults are the gateway's random faults in TestModel: every response fault (FaultDelay
// costs the client's short timeout in wall time), and every notification fault.
var modelFaults = unionpaytest.FaultRates{
	unionpaytest.Fault5xx:               0.03,
	unionpaytest.FaultDrop:              0.03,
	unionpaytest.FaultTruncate:          0.02,
	unionpaytest.FaultDelay:             0.005,
	unionpaytest.FaultWrongKey:          0.01,
	unionpaytest.FaultExpiredCert:       0.01,
	unionpaytest.FaultWrongName:         0.01,
	unionpaytest.FaultPending:           0.04,
	unionpaytest.FaultDuplicateNotify:   0.10,
	unionpaytest.FaultLateNotify:        0.05,
	unionpaytest.FaultNotifyFirst:       0.10,
	unionpaytest.FaultForgedNotify:      0.05,
	unionpaytest.FaultNotifyWrongKey:    0.02,
	unionpaytest.FaultNotifyExpiredCert: 0.02,
	unionpaytest.FaultNotifyWrongName:   0.02,
}

func TestModel(t *testing.T) {
	first, seeds, steps := modelBudget(t)
	modelKeysOnce.Do(func() { modelKeys, modelKeysErr = unionpaytest.NewKeys() })
	require.NoError(t, modelKeysErr)
	for i := range seeds {
		seed := first + uint64(i)
		t.Run(fmt.Sprintf("seed=%d", seed), func(t *testing.T) {
			t.Parallel()
			runModel(t, seed, steps)
		})
	}
}

// vclock is the virtual clock shared by the gateway and the client.
type vclock struct{ ns atomic.Int64 }

func (c *vclock) now() time.Time          { return time.Unix(0, c.ns.Load()).In(beijing) }
func (c *vclock) advance(d time.Duration) { c.ns.Add(int64(d)) }
func (c *vclock) set(t time.Time)         { c.ns.Store(t.UnixNano()) }
func (c *vclock) txnTime() time.Time      { return c.now().Truncate(time.Second) }
func (c *vclock) sleep(ctx context.Context, d time.Duration) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	c.advance(d)
	return nil
}

// mState is what the merchant knows of one of its transactions.
type mState int

const (
	mOpen      mState = iota // sent; accepted or pending, not final
	mSucceeded               // final: succeeded
	mFailed                  // final: refused, failed, or never happened
)

func (s mState) String() string { return [...]string{"open", "succeeded", "failed"}[s] }

// mOrder is one transaction (orderId) of the merchant.
type mOrder struct {
	id         string
	kind       string // txnType
	orig       *mOrder
	amount     int64
	txnTime    time.Time
	front      bool // front or app order: paid by the shopper
	payTimeout time.Time
	state      mState
	how        string
	queryID    string
	settleDate time.Time // from the answer, query or file that made it succeed
	notFound   bool      // the last query found nothing
	mustRefuse string    // why the model predicts the gateway refuses it ("" no prediction)
}

// notice is what the handler accepted for one order.
type notice struct {
	status  notify.Status
	amount  int64
	queryID string
	count   int
}

type model struct {
	t      *testing.T
	seed   uint64
	rng    *rand.Rand
	clk    *vclock
	srv    *unionpaytest.Server
	c      *unionpay.Client
	back   string // backUrl
	orders map[string]*mOrder
	list   []*mOrder
	n      int
	log    []string // the steps, for the failure message
	stats  map[string]int

	mu      sync.Mutex
	notices map[string]*notice
	bad     []string // notifications that disagreed with an earlier one, or named unknown orders
}

func (m *model) fail(format string, args ...any) {
	m.t.Helper()
	tail := m.log[max(0, len(m.log)-12):]
	m.t.Fatalf("seed %d: "+format+"\nlast steps:\n  %s", append([]any{m.seed}, append(args,
		joinLines(tail))...)...)
}

func joinLines(s []string) string { return strings.Join(s, "\n  ") }

func (m *model) step(format string, args ...any) {
	m.log = append(m.log, m.clk.now().Format("15:04:05")+" "+fmt.Sprintf(format, args...))
}

func (m *model) newID(tag string) string {
	m.n++
	return fmt.Sprintf("M%dS%04d%s", m.seed, m.n, tag)
}

func (m *model) add(o *mOrder) *mOrder {
	m.orders[o.id] = o
	m.list = append(m.list, o)
	return o
}

// onNotify is the handler's OnNotify: a verified notification is booked once per order; a later
// one must say the same.
func (m *model) onNotify(_ context.Context, n *notify.Notification) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	st := n.Status()
	if st == notify.Pending {
		return nil
	}
	prev := m.notices[n.OrderID]
	if prev == nil {
		m.notices[n.OrderID] = &notice{status: st, amount: n.TxnAmt, queryID: n.QueryID, count: 1}
		return nil
	}
	prev.count++
	if prev.status != st || prev.amount != n.TxnAmt || prev.queryID != n.QueryID {
		m.bad = append(m.bad, fmt.Sprintf("notification of %s says %v %d %s, an earlier one %v %d %s",
			n.OrderID, st, n.TxnAmt, n.QueryID, prev.status, prev.amount, prev.queryID))
	}
	return nil
}

func runModel(t *testing.T, seed uint64, steps int) {
	clk := &vclock{}
	rng := rand.New(rand.NewPCG(seed, 0x6d6f64656c))
	// Start between 20:00 and 22:30 Beijing time, so the day crosses 23:00 (the end of the settle
	// day) in most seeds.
	clk.set(time.Date(2026, 11, 25, 20, 0, 0, 0, beijing).Add(time.Duration(rng.IntN(150)) * time.Minute))
	srv := unionpaytest.NewServer(
		unionpaytest.WithKeys(modelKeys),
		unionpaytest.WithClock(clk.now),
		unionpaytest.WithReporter(t),
		unionpaytest.WithFaults(seed, modelFaults),
		unionpaytest.WithFaultDelay(2*time.Second),
		unionpaytest.WithTimeScale(1.0/2000),
	)
	defer srv.Close()
	m := &model{t: t, seed: seed, rng: rng, clk: clk, srv: srv, orders: map[string]*mOrder{},
		notices: map[string]*notice{}, stats: map[string]int{}}
	verifier, err := srv.NotifyVerifier()
	require.NoError(t, err)
	shop := httptest.NewServer(&notify.Handler{Verifier: verifier, OnNotify: m.onNotify})
	defer shop.Close()
	m.back = shop.URL + "/notify"
	cfg := srv.Config()
	cfg.HTTPClient = srv.HTTPClient()
	cfg.HTTPClient.Timeout = 300 * time.Millisecond // FaultDelay holds answers past this
	cfg.Now = clk.now
	cfg.Sleep = clk.sleep
	m.c, err = unionpay.NewClient(cfg)
	require.NoError(t, err)
	ctx := context.Background()

	for range steps {
		m.randomStep(ctx)
		m.checkStep()
	}
	m.endOfDay(ctx)
}

// randomStep performs one operation a merchant does.
func (m *model) randomStep(ctx context.Context) {
	m.clk.advance(time.Duration(m.rng.IntN(150)) * time.Second)
	switch r := m.rng.IntN(100); {
	case r < 14:
		m.backConsume(ctx)
	case r < 24:
		m.appConsume(ctx)
	case r < 32:
		m.frontPreAuth(ctx)
	case r < 52:
		if p := m.pick(func(o *mOrder) bool { return (o.kind == "01" || o.kind == "03") && o.state == mSucceeded }); p != nil {
			m.refund(ctx, p)
		}
	case r < 58:
		if p := m.pick(func(o *mOrder) bool { return o.kind == "01" && o.state == mSucceeded }); p != nil {
			m.followUp(ctx, "31", p, p.amount)
		}
	case r < 66:
		if p := m.pick(func(o *mOrder) bool { return o.kind == "02" && o.state == mSucceeded }); p != nil {
			pct := 50 + m.rng.Int64N(66)
			if m.rng.IntN(10) == 0 {
				pct = 116 + m.rng.Int64N(20)
			}
			m.followUp(ctx, "03", p, p.amount*pct/100)
		}
	case r < 70:
		if p := m.pick(func(o *mOrder) bool { return o.kind == "02" && o.state == mSucceeded }); p != nil {
			m.followUp(ctx, "32", p, p.amount)
		}
	case r < 73:
		if p := m.pick(func(o *mOrder) bool { return o.kind == "03" && o.state == mSucceeded }); p != nil {
			m.followUp(ctx, "33", p, p.amount)
		}
	case r < 80:
		m.payout(ctx)
	case r < 92:
		if o := m.pick(func(o *mOrder) bool { return o.state == mOpen }); o != nil {
			m.resolve(ctx, o)
		}
	default:
		if o := m.pick(func(*mOrder) bool { return true }); o != nil {
			m.query(ctx, o)
		}
	}
}

func (m *model) pick(ok func(*mOrder) bool) *mOrder {
	var c []*mOrder
	for _, o := range m.list {
		if ok(o) {
			c = append(c, o)
		}
	}
	if len(c) == 0 {
		return nil
	}
	return c[m.rng.IntN(len(c))]
}

// ledger is the gateway's money state: per order, its status and what was refunded or completed.
type ledger map[string]unionpaytest.Transaction

func (m *model) ledger() ledger {
	l := ledger{}
	for _, g := range m.srv.Transactions() {
		l[g.OrderID] = g
	}
	return l
}

// sameMoney reports how after differs from before in anything that moves money, leaving out the
// new transaction id when it did not succeed and is not pending.
func sameMoney(before, after ledger, id string) string {
	for k, a := range after {
		b, ok := before[k]
		if !ok {
			if k == id && a.RespCode != "00" && (a.Final || a.RespCode == "") {
				continue
			}
			return fmt.Sprintf("new gateway transaction %s %s %d fen, status %q final %v", k, a.TxnType, a.Amount, a.RespCode, a.Final)
		}
		if a.RespCode != b.RespCode || a.Refunded != b.Refunded || a.Cancelled != b.Cancelled {
			return fmt.Sprintf("gateway transaction %s changed: status %q -> %q, refunded %d -> %d, cancelled %v -> %v",
				k, b.RespCode, a.RespCode, b.Refunded, a.Refunded, b.Cancelled, a.Cancelled)
		}
	}
	return ""
}

// outcome books the answer to a money-moving call and checks invariant 1.
func (m *model) outcome(o *mOrder, before ledger, res *unionpay.Result, err error) {
	var pe *unionpay.PendingError
	var re *unionpay.Error
	switch {
	case err == nil:
		o.how = "accepted"
		if res.QueryID != "" {
			o.queryID = res.QueryID
		}
		m.step("%s %s %d fen: accepted", o.kind, o.id, o.amount)
		if g, ok := m.srv.Transaction(o.id); !ok || res.QueryID != "" && res.QueryID != g.QueryID {
			m.fail("invariant 2: %s %s accepted (queryId %s); the gateway has %+v (found %v)", o.kind, o.id, res.QueryID, g, ok)
		}
	case errors.As(err, &pe):
		o.how = "pending " + pe.RespCode
		m.step("%s %s %d fen: pending (%v)", o.kind, o.id, o.amount, err)
	case errors.As(err, &re):
		o.state, o.how = mFailed, "refused "+re.RespCode
		m.step("%s %s %d fen: refused %s", o.kind, o.id, o.amount, re.RespCode)
		if d := sameMoney(before, m.ledger(), o.id); d != "" {
			m.fail("invariant 1: %s %s reported refused (%s), yet %s", o.kind, o.id, re.RespCode, d)
		}
	case errors.Is(err, unionpay.ErrNotSent):
		o.state, o.how = mFailed, "not sent"
		m.step("%s %s: not sent (%v)", o.kind, o.id, err)
		if d := sameMoney(before, m.ledger(), o.id); d != "" {
			m.fail("invariant 1: %s %s reported not sent, yet %s", o.kind, o.id, d)
		}
		if _, ok := m.srv.Transaction(o.id); ok {
			m.fail("%s %s reported not sent; the gateway has it", o.kind, o.id)
		}
	default:
		m.fail("%s %s: an error that is neither pending, refused nor not sent: %v", o.kind, o.id, err)
	}
	if o.mustRefuse != "" && err == nil {
		m.step("  (accepted although the model predicted a refusal: %s)", o.mustRefuse)
	}
	// Half the time, resolve at once; otherwise a later step or the end of the day does.
	if o.state == mOpen && m.rng.IntN(2) == 0 {
		m.resolve(context.Background(), o)
	}
}

func (m *model) card(id string, amount int64) *unionpay.CardRequest {
	return &unionpay.CardRequest{OrderID: id, Amount: amount, TxnTime: m.clk.txnTime(), BackURL: m.back,
		AccNo: unionpaytest.TestCard, Customer: &unionpay.Customer{IDType: "01", IDNumber: "341126197709218366",
			Name: "互联网", Phone: "13552535506", SMSCode: "123456"}}
}

func (m *model) script(id string) {
	switch r := m.rng.IntN(100); {
	case r < 5:
		m.srv.Script(id, unionpaytest.Pending, unionpaytest.Pending, unionpaytest.Succeed)
	case r < 8:
		m.srv.Script(id, unionpaytest.TimedOut, unionpaytest.Failed)
	case r < 12:
		m.srv.Script(id, unionpaytest.Succeed, unionpaytest.Pending, unionpaytest.Succeed)
	case r < 14:
		m.srv.Script(id, unionpaytest.Succeed, unionpaytest.Pending, unionpaytest.Failed)
	case r < 17:
		m.srv.Script(id, unionpaytest.Rejected)
	}
}

func (m *model) backConsume(ctx context.Context) {
	req := m.card(m.newID("C"), 100+m.rng.Int64N(200_000))
	o := m.add(&mOrder{id: req.OrderID, kind: "01", amount: req.Amount, txnTime: req.TxnTime})
	m.script(o.id)
	before := m.ledger()
	res, err := m.c.BackConsume(ctx, req)
	m.outcome(o, before, res, err)
}

func (m *model) payout(ctx context.Context) {
	req := m.card(m.newID("D"), 100+m.rng.Int64N(50_000))
	req.Customer = &unionpay.Customer{Name: "张三"}
	o := m.add(&mOrder{id: req.OrderID, kind: "12", amount: req.Amount, txnTime: req.TxnTime})
	// A payout answered 01, 34 or 60 may still go through: the SDK must report it pending.
	switch r := m.rng.IntN(10); {
	case r == 0:
		m.srv.Script(o.id, unionpaytest.Failed, unionpaytest.Succeed)
	case r == 1:
		m.srv.Script(o.id, unionpaytest.Outcome("34"), unionpaytest.Pending, unionpaytest.Succeed)
	case r == 2:
		m.srv.Script(o.id, unionpaytest.Outcome("60"), unionpaytest.Rejected)
	default:
		m.script(o.id)
	}
	before := m.ledger()
	res, err := m.c.Payout(ctx, req)
	m.outcome(o, before, res, err)
}

// appConsume asks for a tn and lets the app control pay (Server.Complete), sometimes with a
// declined card, sometimes not at all.
func (m *model) appConsume(ctx context.Context) {
	id := m.newID("A")
	txnTime := m.clk.txnTime()
	o := m.add(&mOrder{id: id, kind: "01", amount: 100 + m.rng.Int64N(200_000), txnTime: txnTime, front: true,
		payTimeout: txnTime.Add(15 * time.Minute)})
	res, err := m.c.AppConsume(ctx, &unionpay.ConsumeRequest{OrderID: id, Amount: o.amount, TxnTime: txnTime,
		BackURL: m.back, PayTimeout: o.payTimeout})
	var re *unionpay.Error
	switch {
	case errors.As(err, &re):
		o.state, o.how = mFailed, "refused "+re.RespCode
		m.step("app %s: refused %s", id, re.RespCode)
		return
	case err != nil:
		o.how = "pending"
		m.step("app %s: no tn (%v)", id, err)
		return
	}
	card := unionpaytest.TestCard
	switch r := m.rng.IntN(10); {
	case r == 0:
		card = unionpaytest.DeclinedCard
	case r == 1:
		m.step("app %s %d fen: tn, not paid", id, o.amount)
		return
	}
	code, err := m.srv.Complete(id, card)
	m.step("app %s %d fen: tn %q, paid %s %v", id, o.amount, res.TN, code, err)
	if code == "64" && m.rng.IntN(2) == 0 {
		if m.rng.IntN(2) == 0 {
			m.resolve(ctx, o) // declined is not final before payTimeout: the shopper may try again
		}
		m.clk.advance(time.Duration(m.rng.IntN(20)) * time.Minute)
		code, err = m.srv.Complete(id, unionpaytest.TestCard)
		m.step("app %s: paid again: %s %v", id, code, err)
	}
	if m.rng.IntN(2) == 0 {
		m.resolve(ctx, o)
	}
}

// frontPreAuth signs a pre-authorisation form and pays it through Server.Pay.
func (m *model) frontPreAuth(ctx context.Context) {
	id := m.newID("P")
	txnTime := m.clk.txnTime()
	o := m.add(&mOrder{id: id, kind: "02", amount: 100 + m.rng.Int64N(200_000), txnTime: txnTime, front: true,
		payTimeout: txnTime.Add(15 * time.Minute)})
	form, err := m.c.FrontPreAuth(&unionpay.ConsumeRequest{OrderID: id, Amount: o.amount, TxnTime: txnTime,
		FrontURL: m.back + "/return", BackURL: m.back, PayTimeout: o.payTimeout})
	require.NoError(m.t, err)
	card := unionpaytest.TestCard
	if m.rng.IntN(10) == 0 {
		card = unionpaytest.DeclinedCard
	}
	ret, err := m.srv.Pay(ctx, form.Fields, card)
	m.step("preauth %s %d fen: paid: %s %v", id, o.amount, ret["respCode"], err)
	if m.rng.IntN(2) == 0 {
		m.resolve(ctx, o)
	}
}

// refund sends a refund of p: part of what is left, all of it, or more than is left.
func (m *model) refund(ctx context.Context, p *mOrder) {
	var succeeded, open int64
	cancelled := false
	for _, o := range m.list {
		if o.orig != p || o.kind != "04" && o.kind != "31" && o.kind != "33" {
			continue
		}
		switch {
		case o.state == mSucceeded && o.kind == "04":
			succeeded += o.amount
		case o.state == mSucceeded:
			cancelled = true
		case o.state == mOpen:
			open += o.amount
		}
	}
	left := p.amount - succeeded
	safe := left - open
	var amount int64
	var why string
	switch r := m.rng.IntN(10); {
	case r < 5 && safe > 1:
		amount = 1 + m.rng.Int64N(safe-1)
	case r < 8 && safe > 0:
		amount = safe
	default:
		amount = left + 1 + m.rng.Int64N(100)
		why = fmt.Sprintf("%d fen refunded of %d", succeeded, p.amount)
	}
	if cancelled {
		why = "the payment was cancelled"
	}
	m.followUpWhy(ctx, "04", p, amount, why)
}

func (m *model) followUp(ctx context.Context, kind string, p *mOrder, amount int64) {
	why := ""
	switch {
	case kind == "03" && amount > p.amount*115/100:
		why = "completion beyond 115%"
	case kind == "31" && !unionpay.SettleDay(m.clk.now()).Equal(p.settleDate) && !p.settleDate.IsZero():
		why = "cancel on another settle day than the payment's"
	}
	m.followUpWhy(ctx, kind, p, amount, why)
}

func (m *model) followUpWhy(ctx context.Context, kind string, p *mOrder, amount int64, why string) {
	tag := map[string]string{"04": "R", "31": "X", "03": "F", "32": "Y", "33": "Z"}[kind]
	req := &unionpay.FollowUpRequest{OrderID: m.newID(tag), OrigQueryID: p.queryID, Amount: amount,
		TxnTime: m.clk.txnTime(), BackURL: m.back}
	if p.kind == "01" && !p.front {
		req.BizType = "000301"
	}
	o := m.add(&mOrder{id: req.OrderID, kind: kind, orig: p, amount: amount, txnTime: req.TxnTime, mustRefuse: why})
	if why == "" {
		m.script(o.id)
	}
	do := map[string]func(context.Context, *unionpay.FollowUpRequest) (*unionpay.Result, error){
		"31": m.c.CancelConsume, "04": m.c.Refund, "03": m.c.CompletePreAuth,
		"32": m.c.CancelPreAuth, "33": m.c.CancelPreAuthCompletion,
	}[kind]
	before := m.ledger()
	res, err := do(ctx, req)
	m.outcome(o, before, res, err)
}

// backoff is the schedule the merchant queries o on.
func backoff(o *mOrder) unionpay.Backoff {
	switch {
	case o.front:
		return unionpay.Backoff{Delays: []time.Duration{0, 30 * time.Second, time.Minute}, FromTxnTime: true,
			PayTimeout: o.payTimeout}
	case o.kind == "12":
		return unionpay.PayoutBackoff()
	}
	return unionpay.BackBackoff()
}

func queryFor(o *mOrder) *unionpay.QueryRequest {
	q := &unionpay.QueryRequest{OrderID: o.id, TxnTime: o.txnTime, TxnType: o.kind, Amount: o.amount}
	if o.kind == "12" {
		q.BizType = unionpay.BizTypePayout
	}
	return q
}

// resolve queries an open order until final (invariant 3: a final answer is the gateway's truth).
func (m *model) resolve(ctx context.Context, o *mOrder) {
	tx, err := m.c.QueryUntilFinal(ctx, queryFor(o), backoff(o))
	m.step("resolve %s %s: %v %v", o.kind, o.id, txState(tx), err)
	if tx != nil {
		m.apply(o, tx, err == nil)
	}
}

// query asks once about any order; a final order must read as the model has it.
func (m *model) query(ctx context.Context, o *mOrder) {
	tx, err := m.c.Query(ctx, queryFor(o))
	m.step("query %s %s: %v %v", o.kind, o.id, txState(tx), err)
	if err != nil || tx == nil {
		return
	}
	final := tx.State == unionpay.Succeeded || tx.State == unionpay.Failed && !o.front
	if o.state != mOpen && final && (tx.State == unionpay.Succeeded) != (o.state == mSucceeded) {
		m.fail("invariant 3: %s %s is %s in the model (%s); a query now says %s", o.kind, o.id, o.state, o.how, tx.State)
	}
	m.apply(o, tx, final)
}

func txState(tx *unionpay.Transaction) string {
	if tx == nil {
		return "<nil>"
	}
	return string(tx.State) + " " + tx.OrigRespCode + "/" + tx.RespCode
}

// apply books a query's answer when final, and checks it against the gateway (invariant 3).
func (m *model) apply(o *mOrder, tx *unionpay.Transaction, final bool) {
	o.notFound = tx.State == unionpay.NotFound
	if !final || o.state != mOpen {
		return
	}
	g, ok := m.srv.Transaction(o.id)
	switch tx.State {
	case unionpay.Succeeded:
		if !ok || g.RespCode != "00" || g.QueryID != tx.QueryID || g.Amount != tx.Amount {
			m.fail("invariant 3: %s %s resolved succeeded (queryId %s, %d fen); the gateway has %+v (found %v)",
				o.kind, o.id, tx.QueryID, tx.Amount, g, ok)
		}
		o.state, o.how, o.queryID = mSucceeded, "query", tx.QueryID
		if tx.SettleDate != "" {
			d, err := unionpay.ParseSettleDate(tx.SettleDate, m.clk.now())
			require.NoError(m.t, err)
			o.settleDate = d
		}
	case unionpay.Failed:
		if ok && g.RespCode == "00" {
			m.fail("invariant 3: %s %s resolved failed (%s); the gateway has it succeeded", o.kind, o.id, tx.OrigRespCode)
		}
		o.state, o.how = mFailed, "query "+tx.OrigRespCode
	}
}

// checkStep checks invariants 2 and 4 against the gateway's ledger.
func (m *model) checkStep() {
	l := m.ledger()
	refunded := map[*mOrder]int64{}
	for _, o := range m.list {
		if g, ok := l[o.id]; o.state == mFailed && ok && g.RespCode == "00" {
			m.fail("invariants 1 and 3: the model holds %s %s failed (%s); the gateway has it succeeded: %+v", o.kind, o.id, o.how, g)
		}
		if o.state != mSucceeded {
			continue
		}
		g, ok := l[o.id]
		if !ok || g.RespCode != "00" || g.Amount != o.amount || g.TxnType != o.kind {
			m.fail("invariant 2: the model holds %s %s %d fen succeeded (%s); the gateway has %+v (found %v)",
				o.kind, o.id, o.amount, o.how, g, ok)
		}
		if o.mustRefuse != "" {
			m.fail("invariant 4: %s %s of %d fen succeeded, although the gateway must refuse it: %s",
				o.kind, o.id, o.amount, o.mustRefuse)
		}
		if o.orig != nil && (o.kind == "04" || o.kind == "31" || o.kind == "33") {
			refunded[o.orig] += o.amount
		}
	}
	for p, r := range refunded {
		if r > p.amount {
			m.fail("invariant 4: %s %s of %d fen: %d fen refunded or cancelled", p.kind, p.id, p.amount, r)
		}
	}
	m.mu.Lock()
	bad := slices.Clone(m.bad)
	m.mu.Unlock()
	if len(bad) > 0 {
		m.fail("invariant 5: %v", bad)
	}
}

// endOfDay resolves every open order, waits for the notifications, and reconciles.
func (m *model) endOfDay(ctx context.Context) {
	m.clk.advance(30 * time.Minute) // past every payTimeout and its skew
	for range 5 {
		for _, o := range m.list {
			if o.state == mOpen {
				m.resolve(ctx, o)
			}
		}
	}
	// Move to the settle day after the last one any order could fall in, so that every file
	// asked for below is of a day that has begun (the files are live: a day's only grows until it
	// ends).
	last := m.clk.now()
	for _, o := range m.list {
		if d := unionpay.SettleDay(o.txnTime).AddDate(0, 0, 1); d.After(last) {
			last = d
		}
	}
	if end := last.Add(30 * time.Minute); end.After(m.clk.now()) {
		m.clk.set(end)
	}
	// Wait until no notification is in flight (its schedule is compressed to well under a
	// second; its answer deadline is 2 s at least).
	wctx, cancel := context.WithTimeout(ctx, time.Minute)
	defer cancel()
	if err := m.srv.WaitNotifications(wctx); err != nil {
		m.fail("notifications still in flight: %v", err)
	}
	days := m.settleDays()
	files := map[time.Time][]reconcile.Record{}
	for _, d := range days {
		files[d] = m.download(ctx, d)
	}
	// What the queries leave open (a back transaction never found, a payout answered 01, 34, 60)
	// the settlement files decide: present, succeeded; absent from its day's and the next, failed.
	for _, o := range m.list {
		if o.state != mOpen {
			continue
		}
		if !o.notFound && o.kind != "12" && !o.front {
			m.fail("invariant 3: %s %s still pending after the day's queries (%s)", o.kind, o.id, o.how)
		}
		d := unionpay.SettleDay(o.txnTime)
		found := false
		for _, day := range []time.Time{d, d.AddDate(0, 0, 1)} {
			if _, ok := files[day]; !ok {
				files[day] = m.download(ctx, day)
			}
			for _, r := range files[day] {
				if r.OrderID == o.id {
					found, o.queryID, o.settleDate = true, r.QueryID, day
				}
			}
		}
		if found {
			o.state, o.how = mSucceeded, "settlement file"
		} else {
			o.state, o.how = mFailed, "absent from the settlement files"
		}
		if g, ok := m.srv.Transaction(o.id); (ok && g.RespCode == "00") != found {
			m.fail("invariant 3: %s %s booked %s by the settlement files; the gateway has %+v", o.kind, o.id, o.state, g)
		}
	}
	m.checkStep()
	m.checkNotifications()
	m.reconcile(files)
	// Invariant 4 at the end: the gateway's refunded totals are the model's.
	refunded := map[string]int64{}
	cancelled := map[string]bool{}
	for _, o := range m.list {
		if o.state != mSucceeded || o.orig == nil {
			continue
		}
		switch o.kind {
		case "04", "03":
			refunded[o.orig.id] += o.amount
		case "31", "32", "33":
			cancelled[o.orig.id] = true
		}
		if o.kind == "33" {
			refunded[o.orig.orig.id] -= o.orig.amount
		}
	}
	for _, o := range m.list {
		if o.state != mSucceeded {
			continue
		}
		g, _ := m.srv.Transaction(o.id)
		if g.Refunded != refunded[o.id] || g.Cancelled != cancelled[o.id] {
			m.fail("invariant 4: %s %s: the gateway has refunded %d cancelled %v, the model %d %v",
				o.kind, o.id, g.Refunded, g.Cancelled, refunded[o.id], cancelled[o.id])
		}
	}
	for _, o := range m.list {
		m.stats[fmt.Sprintf("%s %s by %s", o.kind, o.state, o.how)]++
		if o.mustRefuse != "" {
			m.stats["predicted refusals, "+o.state.String()]++
		}
	}
	m.t.Logf("seed %d: %d orders, %d notifications accepted, %d faults shown, days %v\n%s", m.seed, len(m.list),
		len(m.notices), len(m.srv.FaultLog()), days, statsText(m.stats))
}

// settleDays returns the settle days the model's orders touched, and the day after the last.
func (m *model) settleDays() []time.Time {
	seen := map[time.Time]bool{}
	for _, o := range m.list {
		d := o.settleDate
		if d.IsZero() {
			d = unionpay.SettleDay(o.txnTime)
		}
		seen[d] = true
	}
	var out []time.Time
	for d := range seen {
		out = append(out, d)
	}
	slices.SortFunc(out, func(a, b time.Time) int { return a.Compare(b) })
	return out
}

// download fetches a day's settlement file through the client (retrying over the random faults)
// and returns its ZM records; a day without file (98) has none.
func (m *model) download(ctx context.Context, day time.Time) []reconcile.Record {
	var file *unionpay.File
	var err error
	for range 30 {
		if file, err = m.c.DownloadFile(ctx, &unionpay.FileRequest{SettleDate: day}); err == nil || errors.Is(err, unionpay.ErrNoFile) {
			break
		}
	}
	if errors.Is(err, unionpay.ErrNoFile) {
		return nil
	}
	require.NoError(m.t, err, "settlement file of %s", day.Format(time.DateOnly))
	archive, err := reconcile.Open(file.Content)
	require.NoError(m.t, err)
	var out []reconcile.Record
	for r, err := range archive.Records(day, m.srv.MerchantID()) {
		require.NoError(m.t, err)
		out = append(out, r)
	}
	return out
}

// checkNotifications checks invariant 5: each accepted notification is the gateway's final state,
// and no forged delivery was acknowledged.
func (m *model) checkNotifications() {
	m.mu.Lock()
	defer m.mu.Unlock()
	for id, n := range m.notices {
		o := m.orders[id]
		if o == nil {
			m.fail("invariant 5: accepted a notification of %s, which the merchant never made", id)
		}
		g, _ := m.srv.Transaction(id)
		if (n.status == notify.Succeeded) != (g.RespCode == "00") || n.amount != g.Amount || n.queryID != g.QueryID {
			m.fail("invariant 5: accepted notification of %s (%v %d fen %s); the gateway has %+v", id, n.status, n.amount, n.queryID, g)
		}
		if (n.status == notify.Succeeded) != (o.state == mSucceeded) {
			m.fail("invariant 5: notification of %s says %v; the model resolved %s (%s)", id, n.status, o.state, o.how)
		}
	}
	for _, d := range m.srv.Deliveries() {
		if d.Forged && d.Status == 200 {
			m.fail("invariant 5: a forged notification of %s was acknowledged", d.OrderID)
		}
	}
}

// moneyKind reports whether a succeeded transaction of this txnType is in the settlement file,
// and its sign for the merchant.
func moneySign(kind string) int64 {
	switch kind {
	case "01", "03", "11":
		return 1
	case "04", "31", "33", "12":
		return -1
	}
	return 0
}

// modelFee is the fake's documented fee: 0.6%, rounded half up, paid on payments and payouts;
// refunds and cancels give back their share of the original's fee.
func modelFee(amount int64) int64 { return (amount*6 + 500) / 1000 }

// reconcile checks invariant 6 on every day's file.
func (m *model) reconcile(files map[time.Time][]reconcile.Record) {
	var fees, wantFees, net, wantNet int64
	// Refunds give back the original's fee in proportion to the total refunded: computed over
	// all days, since the shares telescope.
	refundedBy := map[*mOrder]int64{}
	for _, o := range m.list {
		if o.state != mSucceeded {
			continue
		}
		s := moneySign(o.kind)
		if s == 0 {
			continue
		}
		wantNet += s * o.amount
		if s > 0 || o.kind == "12" {
			wantFees -= modelFee(o.amount)
		} else {
			refundedBy[o.orig] += o.amount
		}
	}
	for p, r := range refundedBy {
		wantFees += modelFee(p.amount) * min(r, p.amount) / p.amount
	}
	wantNet += wantFees
	for day, records := range files {
		var orders []reconcile.Order
		var wantAmount, amount int64
		for _, o := range m.list {
			if moneySign(o.kind) == 0 || o.state == mOpen {
				continue
			}
			st := reconcile.StateFailed
			if o.state == mSucceeded {
				if !o.settleDate.Equal(day) {
					continue
				}
				st = reconcile.StateSucceeded
				wantAmount += o.amount
			}
			orders = append(orders, reconcile.Order{OrderID: o.id, TxnTime: o.txnTime, Amount: o.amount, TxnType: o.kind, State: st})
		}
		var report reconcile.Report
		for res, err := range reconcile.Match(recordSeq(records), sliceSeq(orders)) {
			require.NoError(m.t, err)
			report.Add(res)
			if res.Class != reconcile.Matched {
				m.fail("invariant 6: settle day %s: %s %s%s: %s", day.Format(time.DateOnly), res.Class,
					res.Record.OrderID, res.Order.OrderID, res.Detail)
			}
		}
		for _, r := range records {
			amount += r.TxnAmt
			fees += r.MerchantFee
			net += r.SettleAmt
		}
		if amount != wantAmount {
			m.fail("invariant 6: settle day %s: file amount %d fen, model %d", day.Format(time.DateOnly), amount, wantAmount)
		}
	}
	if fees != wantFees || net != wantNet {
		m.fail("invariant 6: files' fees %d net %d fen; model's fees %d net %d", fees, net, wantFees, wantNet)
	}
}

func sliceSeq(orders []reconcile.Order) func(func(reconcile.Order, error) bool) {
	return func(yield func(reconcile.Order, error) bool) {
		for _, o := range orders {
			if !yield(o, nil) {
				return
			}
		}
	}
}

package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net/http/httptest"
	"strings"

	"github.com/goacp/unionpay/notify"
	"github.com/goacp/unionpay/unionpay"
	"github.com/goacp/unionpay/unionpay/unionpaytest"
)

// The customer, and what the insurer takes and gives back.
const (
	card        = unionpaytest.TestCard // never printed whole: notify.MaskPAN
	holder      = "张三"
	idNumber    = "341126197709218366"
	phone       = "13552535506"
	instalment  = 12000 // fen: 120.00 yuan a month
	overpayment = 5000  // fen: 50.00 yuan paid twice by the customer, paid back
)

// run walks the insurer's steps against the fake gateway gw with a client built from cfg, and
// returns nil only if every step checked out.
func run(ctx context.Context, w io.Writer, gw *unionpaytest.Server, cfg unionpay.Config) error {
	p := &printer{w: w}
	p.say("The fake UnionPay gateway (package unionpaytest) runs in this process; the insurer's")
	p.say("notification endpoint is a notify.Handler on a local httptest server.")
	client, err := unionpay.NewClient(cfg) // in production: your PFX, UnionPay's certificates, ProductionEndpoints
	if err != nil {
		return err
	}
	in := newInsurer(client.MerchantID())
	// In production: an http.Server with a ReadTimeout (see notify.Handler), at your backUrl.
	backend := httptest.NewServer(&notify.Handler{Verifier: cfg.Verifier, OnNotify: in.onNotify})
	defer backend.Close()
	s := &steps{p: p, gw: gw, client: client, in: in, backURL: backend.URL + "/unionpay/notify"}
	p.say("Gateway at %s, notifications to %s,", gw.URL, s.backURL)
	p.say("merchant %s, the customer's card %s.", client.MerchantID(), notify.MaskPAN(card))

	for _, st := range []struct {
		title string
		run   func(context.Context) error
	}{
		{"The insurer checks that the card is the customer's (real-name authentication)", s.authenticate},
		{"UnionPay sends the customer a verification code", s.sendSMS},
		{"The insurer collects the month's instalment", s.collect},
		{"UnionPay's notification of the collection arrives and is checked", s.awaitNotification},
		{"A collection left pending is queried until final, never sent again", s.collectPending},
		{"The insurer pays an overpayment back to the card (payout)", s.payout},
	} {
		p.step(st.title)
		if err := st.run(ctx); err != nil {
			p.say("FAILED: %v", err)
			return fmt.Errorf("step %d (%s): %w", p.n, st.title, err)
		}
	}
	if alerts := in.alertList(); len(alerts) > 0 {
		p.say("FAILED: notifications set aside: %s", strings.Join(alerts, "; "))
		return fmt.Errorf("notifications set aside: %s", strings.Join(alerts, "; "))
	}
	fmt.Fprintln(w, "\nEvery step checked out.")
	return nil
}

// steps holds what the steps share.
type steps struct {
	p       *printer
	gw      *unionpaytest.Server
	client  *unionpay.Client
	in      *insurer
	backURL string
	n       int  // orderIds made
	month   *txn // the instalment of step 3
}

// newOrder stores a new transaction as pending and returns it: its orderId and txnTime are
// stored before the request is sent, so that it can be queried whatever happens to the answer.
func (s *steps) newOrder(txnType string, amount int64) txn {
	// The gateway's clock here; in production time.Now() (the client's Config.Now).
	t := txn{OrderID: s.nextID(), TxnTime: s.gw.Now(), TxnType: txnType, Amount: amount}
	s.in.store(t)
	return t
}

func (s *steps) authenticate(ctx context.Context) error {
	res, err := s.client.RealNameAuth(ctx, &unionpay.AccountRequest{OrderID: s.nextID(), AccNo: card,
		Customer: &unionpay.Customer{IDType: "01", IDNumber: idNumber, Name: holder, Phone: phone}})
	if err != nil {
		return err // an *unionpay.Error: not the customer's card (or not verifiable): ask for another
	}
	s.p.ok("card %s is the customer's: name, ID and phone match (respCode %s)", notify.MaskPAN(card), res.RespCode)
	return nil
}

func (s *steps) sendSMS(ctx context.Context) error {
	res, err := s.client.SendSMS(ctx, &unionpay.AccountRequest{OrderID: s.nextID(), AccNo: card,
		Customer: &unionpay.Customer{Phone: phone}, BizType: "000501"})
	if err != nil {
		return err
	}
	s.p.ok("code sent to the holder's phone (respCode %s)", res.RespCode)
	s.p.say("Whether your 代收 product asks for the code, and in which request, UnionPay sets up per")
	s.p.say("merId: ask it.")
	return nil
}

func (s *steps) collect(ctx context.Context) error {
	t := s.newOrder("11", instalment)
	s.month = &t
	res, err := s.client.Collect(ctx, s.collection(t))
	if err != nil {
		return err // a rejection, or pending: step 5 shows what to do then
	}
	s.p.ok("collection %s of %s yuan accepted (respCode %s)", t.OrderID, yuan(t.Amount), res.RespCode)
	s.p.say("Accepted is not collected: the notification, or a query, gives the result.")
	return nil
}

// collection is the request for t: the card, and the holder's name and ID, which UnionPay checks.
func (s *steps) collection(t txn) *unionpay.CardRequest {
	return &unionpay.CardRequest{OrderID: t.OrderID, TxnTime: t.TxnTime, Amount: t.Amount, AccNo: card,
		Customer: &unionpay.Customer{IDType: "01", IDNumber: idNumber, Name: holder}, BackURL: s.backURL}
}

func (s *steps) awaitNotification(ctx context.Context) error {
	if err := s.gw.WaitNotifications(ctx); err != nil {
		return err
	}
	t := s.in.get(s.month.OrderID, s.month.TxnTime)
	if !t.Notified || t.State != unionpay.Succeeded {
		return fmt.Errorf("collection %s: notified %t, state %s", t.OrderID, t.Notified, t.State)
	}
	s.p.ok("verified, and Check passed (merId, txnType 11, txnAmt %s yuan as stored): collected,", yuan(t.Amount))
	s.p.say("queryId %s. A second delivery would change nothing: it is applied once.", t.QueryID)
	return nil
}

func (s *steps) collectPending(ctx context.Context) error {
	t := s.newOrder("11", instalment)
	s.gw.Script(t.OrderID, unionpaytest.Pending, unionpaytest.Pending, unionpaytest.Succeed)
	s.p.say("(The fake gateway is told to answer collection %s 05, and its first query too.)", t.OrderID)
	_, err := s.client.Collect(ctx, s.collection(t))
	var pe *unionpay.PendingError
	if !errors.As(err, &pe) {
		return fmt.Errorf("want a pending answer, got %v", err)
	}
	s.p.say("Answered %s: the outcome is not known. Sending it again could collect twice: query it.",
		pe.RespCode)
	// Still pending when the schedule ends: query again later (README's CollectMonth), and make
	// no new collection for the month meanwhile.
	tx, err := s.settleByQuery(ctx, "collection", t, pe.QueryRequest(), unionpay.BackBackoff())
	if err != nil {
		return err
	}
	s.p.ok("collected %s yuan, applied once (the query and the notification agree)", yuan(tx.Amount))
	return nil
}

func (s *steps) payout(ctx context.Context) error {
	t := s.newOrder("12", overpayment)
	s.gw.Script(t.OrderID, unionpaytest.Failed, unionpaytest.Succeed)
	s.p.say("(The fake gateway is told to answer payout %s 01, then succeed.)", t.OrderID)
	_, err := s.client.Payout(ctx, &unionpay.CardRequest{OrderID: t.OrderID, TxnTime: t.TxnTime, Amount: t.Amount,
		AccNo: card, AccType: "01", Customer: &unionpay.Customer{Name: holder}, BackURL: s.backURL})
	var pe *unionpay.PendingError
	switch {
	case errors.As(err, &pe):
		s.p.say("Answered %s (%s): for a payout, 01, 12, 34 and 60 are not final either, as", pe.RespCode,
			pe.RespMsg)
		s.p.say("03, 04, 05 and 83 are not. Paying again could pay twice: query it under bizType %s.",
			unionpay.BizTypePayout)
	case err != nil:
		return err // rejected (nothing was paid), or never sent
	default:
		return errors.New("the payout was accepted at once; want the scripted 01")
	}
	// pe.QueryRequest() queries under bizType 000401 with txnType 12 and the amount, as a payout
	// must be queried. Still pending: query later; if it lasts, the settlement files decide
	// (Client.Payout).
	tx, err := s.settleByQuery(ctx, "payout", t, pe.QueryRequest(), unionpay.PayoutBackoff())
	if err != nil {
		return err
	}
	s.p.ok("paid %s yuan back to %s (the query and the notification agree)", yuan(tx.Amount),
		notify.MaskPAN(card))
	return nil
}

// schedule is b, printing each query as it is answered.
func (s *steps) schedule(b unionpay.Backoff) unionpay.Backoff {
	start := s.gw.Now()
	b.OnQuery = func(q unionpay.QueryAttempt) {
		if q.Err != nil {
			s.p.say("query %d, %s later: %v", q.N, q.Asked.Sub(start), q.Err)
			return
		}
		s.p.say("query %d, %s later: %s (origRespCode %s)", q.N, q.Asked.Sub(start), q.Transaction.State,
			q.Transaction.OrigRespCode)
	}
	return b
}

// nextID returns a new orderId for a request that moves no money.
func (s *steps) nextID() string {
	s.n++
	return fmt.Sprintf("INS%s%02d", s.gw.Now().Format("20060102150405"), s.n)
}

// printer numbers the steps and indents what is said about them.
type printer struct {
	w io.Writer
	n int
}

func (p *printer) step(title string) {
	p.n++
	fmt.Fprintf(p.w, "\n%d. %s\n", p.n, title)
}

func (p *printer) say(format string, args ...any) { fmt.Fprintf(p.w, "   "+format+"\n", args...) }

func (p *printer) ok(format string, args ...any) { fmt.Fprintf(p.w, "   ok: "+format+"\n", args...) }

// yuan formats fen as yuan with two decimals.
func yuan(fen int64) string { return fmt.Sprintf("%d.%02d", fen/100, fen%100) }

// settleByQuery queries the pending transaction t (what names it) until final on schedule b,
// applies the outcome, and checks that it succeeded and that the query and UnionPay's
// notification agree with what the insurer stored.
func (s *steps) settleByQuery(ctx context.Context, what string, t txn, q *unionpay.QueryRequest,
	b unionpay.Backoff) (*unionpay.Transaction, error) {
	tx, err := s.client.QueryUntilFinal(ctx, q, s.schedule(b))
	if err != nil {
		return nil, err
	}
	s.in.settled(tx)
	if err := s.gw.WaitNotifications(ctx); err != nil {
		return nil, err
	}
	got := s.in.get(t.OrderID, t.TxnTime)
	if tx.State != unionpay.Succeeded || got.State != unionpay.Succeeded || !got.Notified {
		return nil, fmt.Errorf("%s %s: query says %s, stored %s, notified %t", what, t.OrderID, tx.State, got.State,
			got.Notified)
	}
	return tx, nil
}

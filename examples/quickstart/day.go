package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"iter"
	"net"
	"net/http"
	"net/url"
	"time"

	"github.com/goacp/unionpay/notify"
	"github.com/goacp/unionpay/reconcile"
	"github.com/goacp/unionpay/unionpay"
	"github.com/goacp/unionpay/unionpay/unionpaytest"
)

// The day's business: one payment and a partial refund of it.
const (
	price       = 12800 // fen: 128.00 yuan
	refundPrice = 3000  // fen: 30.00 yuan
)

// runDay walks the whole day on the fake gateway and returns nil only if every step checked out.
func runDay(ctx context.Context, w io.Writer) error {
	p := &printer{w: w}
	// The gateway's clock starts at 10:00 Beijing time today and runs at normal speed, so that the
	// whole day falls on one settle date whenever the example runs.
	clock := unionpaytest.BusinessDayClock()
	start := clock()

	p.say("Starting the fake UnionPay gateway (package unionpaytest: its own root, middle and")
	p.say("signing certificates, SHA-1 signed like UnionPay's) and the shop's web server.")
	srv := unionpaytest.NewServer(unionpaytest.WithClock(clock), unionpaytest.WithSHA1Chain())
	defer srv.Close()
	cfg := srv.Config() // in production: your PFX, UnionPay's root and middle, unionpay.ProductionEndpoints()
	client, err := unionpay.NewClient(cfg)
	if err != nil {
		return err
	}
	sh := newShop(client.MerchantID(), cfg.Verifier)
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return err
	}
	hs := &http.Server{Handler: sh.routes(), ReadHeaderTimeout: 5 * time.Second, ReadTimeout: 15 * time.Second}
	go func() { _ = hs.Serve(ln) }()
	defer func() { _ = hs.Shutdown(context.Background()) }()
	d := &day{p: p, srv: srv, client: client, shop: sh, base: "http://" + ln.Addr().String(), clock: clock,
		browser: &browser{client: srv.HTTPClient()}}
	p.say("Gateway at %s, shop at %s, merchant %s, business day %s.", srv.URL, d.base, client.MerchantID(),
		start.Format("2006-01-02"))

	for _, s := range []struct {
		title string
		run   func(context.Context) error
	}{
		{"The shop builds the signed front consume form", d.buildForm},
		{"The shopper pays on UnionPay's cashier page", d.pay},
		{"UnionPay's notification arrives at the shop", d.awaitPayment},
		{"A status query confirms the payment", d.query},
		{"The shop refunds part of the order", d.refund},
		{"The shop downloads the day's settlement file", d.download},
		{"The shop reconciles the file against its orders", d.reconcile},
	} {
		p.step(s.title)
		if err := s.run(ctx); err != nil {
			p.say("FAILED: %v", err)
			return fmt.Errorf("step %d (%s): %w", p.n, s.title, err)
		}
	}
	fmt.Fprintln(w, "\nEvery step checked out.")
	return nil
}

// day holds what the steps share.
type day struct {
	p       *printer
	srv     *unionpaytest.Server
	client  *unionpay.Client
	shop    *shop
	browser *browser
	base    string // the shop's URL
	clock   func() time.Time

	form     *unionpay.Form
	queryID  string    // of the payment
	settle   time.Time // the payment's settle day, from UnionPay's settleDate
	refundID string
	file     *unionpay.File
}

func (d *day) buildForm(context.Context) error {
	now := d.clock()
	id := "QS" + now.Format("20060102150405") + "01"
	form, err := d.client.FrontConsume(&unionpay.ConsumeRequest{
		OrderID:      id,
		Amount:       price,
		TxnTime:      now,
		Channel:      unionpay.ChannelPC,
		FrontURL:     d.base + "/unionpay/return",
		BackURL:      d.base + "/unionpay/notify",
		PayTimeout:   now.Add(15 * time.Minute),
		RiskRateInfo: map[string]string{"commodityName": "龙井茶 Longjing tea"},
	})
	if err != nil {
		return err
	}
	d.form = form
	d.shop.add(&order{ID: id, TxnTime: form.TxnTime, Amount: price, TxnType: "01", State: reconcile.StatePending})
	d.shop.mu.Lock()
	d.shop.checkout[id] = form
	d.shop.mu.Unlock()
	d.p.ok("order %s for %s yuan: %d signed fields (signMethod %s, certId %s), posting to %s",
		id, yuan(price), len(form.Fields), form.Fields["signMethod"], form.Fields["certId"], form.Action)
	return nil
}

func (d *day) pay(ctx context.Context) error {
	id := d.form.OrderID
	pg, err := d.browser.get(ctx, d.base+"/checkout/"+id)
	if err != nil {
		return err
	}
	autopost, err := pg.form("pay_form")
	if err != nil {
		return err
	}
	d.p.say("The browser opens the shop's checkout page; its script posts the form to UnionPay.")
	if pg, err = d.browser.submit(ctx, autopost, "", nil); err != nil {
		return err
	}
	cashier, err := pg.form("cashier")
	if err != nil {
		return err
	}
	if pg.ids["orderId"] != id || pg.ids["txnAmt"] != yuan(price) {
		return fmt.Errorf("the cashier shows order %q for %q", pg.ids["orderId"], pg.ids["txnAmt"])
	}
	card := unionpaytest.TestCard
	d.p.say("The cashier page shows order %s, %s yuan; the shopper types test card %s and clicks pay.",
		pg.ids["orderId"], pg.ids["txnAmt"], notify.MaskPAN(card))
	if pg, err = d.browser.submit(ctx, cashier, "pay", url.Values{"cardNo": {card}}); err != nil {
		return err
	}
	back, err := pg.form("pay_form")
	if err != nil {
		return err
	}
	if back.fields.Get("respCode") != "00" {
		return fmt.Errorf("UnionPay returned the browser with respCode %q (%s)", back.fields.Get("respCode"),
			back.fields.Get("respMsg"))
	}
	d.p.say("UnionPay sends the browser back to the shop's frontUrl with signed fields (respCode 00).")
	if pg, err = d.browser.submit(ctx, back, "", nil); err != nil {
		return err
	}
	if pg.ids["order"] != id {
		return fmt.Errorf("the shop's return page says %q", pg.text)
	}
	d.p.ok("the shop's return page verified the fields and shows: payment %s", pg.ids["status"])
	d.p.say("(A browser return is never proof of payment: the shop waits for the notification.)")
	return nil
}

func (d *day) awaitPayment(ctx context.Context) error {
	n, err := d.awaitNotification(ctx, d.form.OrderID)
	if err != nil {
		return err
	}
	if n.Status() != notify.Succeeded || n.TxnAmt != price {
		return fmt.Errorf("notification says %s for %d fen", n.Status(), n.TxnAmt)
	}
	d.queryID = n.QueryID
	d.p.ok("verified (signMethod %s, UnionPay certificate %s chaining to the configured root): respCode %s, "+
		"queryId %s, %s yuan; order %s is paid", n.Signed.Method, n.Signed.CertID, n.RespCode, n.QueryID,
		yuan(n.TxnAmt), n.OrderID)
	return nil
}

// awaitNotification waits for the shop to apply the notification of orderID.
func (d *day) awaitNotification(ctx context.Context, orderID string) (*notify.Notification, error) {
	timeout := time.NewTimer(20 * time.Second)
	defer timeout.Stop()
	for {
		select {
		case n := <-d.shop.notified:
			if n.OrderID == orderID {
				return n, nil
			}
		case <-timeout.C:
			return nil, errors.New("no notification within 20 s")
		case <-ctx.Done():
			return nil, ctx.Err()
		}
	}
}

func (d *day) query(ctx context.Context) error {
	tx, err := d.client.Query(ctx, d.form.QueryRequest())
	if err != nil {
		return err
	}
	if tx.State != unionpay.Succeeded || tx.Amount != price || tx.QueryID != d.queryID {
		return fmt.Errorf("query says %s, %d fen, queryId %s", tx.State, tx.Amount, tx.QueryID)
	}
	// The settle day is UnionPay's word (settleDate), not the form's txnTime: a form signed before
	// 23:00 and paid after it settles the next day.
	settle, err := unionpay.ParseSettleDate(tx.SettleDate, d.clock()) // the year of a date not after the answer's
	if err != nil {
		return err
	}
	d.settle = settle
	d.p.ok("respCode %s (the query worked), origRespCode %s (the payment succeeded): %s, %s yuan, settle date %s",
		tx.RespCode, tx.OrigRespCode, tx.State, yuan(tx.Amount), tx.SettleDate)
	return nil
}

func (d *day) refund(ctx context.Context) error {
	now := d.clock()
	d.refundID = "QS" + now.Format("20060102150405") + "02"
	d.shop.add(&order{ID: d.refundID, TxnTime: now, Amount: refundPrice, TxnType: "04", State: reconcile.StatePending})
	res, err := d.client.Refund(ctx, &unionpay.FollowUpRequest{OrderID: d.refundID, OrigQueryID: d.queryID,
		Amount: refundPrice, TxnTime: now, BackURL: d.base + "/unionpay/notify"})
	var pending *unionpay.PendingError
	var rejected *unionpay.Error
	var query *unionpay.QueryRequest // the refund's: txnType, amount and origQryId tell it from another under its orderId
	switch {
	case errors.As(err, &pending):
		d.p.say("The outcome is not known yet (%v): the shop queries, it never resends.", err)
		query = pending.QueryRequest()
	case errors.As(err, &rejected):
		return fmt.Errorf("UnionPay refused the refund: %w", err)
	case err != nil:
		return err
	default:
		d.p.say("Refund %s of %s yuan accepted (respCode %s). Accepted is not refunded: the result comes",
			d.refundID, yuan(refundPrice), res.RespCode)
		d.p.say("by notification or query.")
		query = res.QueryRequest()
	}
	// The query decides; the notification may come late (UnionPay's schedule runs for minutes).
	tx, err := d.client.QueryUntilFinal(ctx, query, unionpay.BackBackoff())
	switch {
	case errors.Is(err, unionpay.ErrPending):
		return fmt.Errorf("the refund is still pending: query it later, never send it again: %w", err)
	case err != nil:
		return err
	case tx.State != unionpay.Succeeded || tx.Amount != refundPrice || tx.TxnType != "04":
		return fmt.Errorf("the refund query says %s for %d fen (txnType %s)", tx.State, tx.Amount, tx.TxnType)
	}
	d.shop.settled(d.refundID, reconcile.StateSucceeded, tx.QueryID)
	if _, err := d.awaitNotification(ctx, d.refundID); err != nil {
		d.p.say("The refund's notification has not come (%v); the query is what counts.", err)
	} else {
		d.p.say("The refund's notification arrived and verified too.")
	}
	d.p.ok("the query (on UnionPay's 1, 2, 4... s schedule) says %s", tx.State)
	return nil
}

func (d *day) download(ctx context.Context) error {
	f, err := d.client.DownloadFile(ctx, &unionpay.FileRequest{SettleDate: d.settle})
	if err != nil {
		return err
	}
	d.file = f
	d.p.ok("%s, %d bytes (the answer verified; fileContent was base64 of a zlib stream of this zip)",
		f.Name, len(f.Content))
	return nil
}

func (d *day) reconcile(context.Context) error {
	arc, err := reconcile.Open(d.file.Content)
	if err != nil {
		return err
	}
	zm, rd := arc.First(reconcile.KindZM), arc.First(reconcile.KindRD)
	if zm == nil || rd == nil {
		return errors.New("the zip lacks its ZM or RD member")
	}
	var tally reconcile.Tally
	records := counted(arc.Records(zm.SettleDate, d.client.MerchantID()), &tally) // the shop's records of every ZM member
	var report reconcile.Report
	d.p.say("%-10s %-20s %-7s %10s %10s %8s %10s", "result", "orderId", "txnType", "UnionPay", "shop", "fee", "net")
	for res, err := range reconcile.Match(records, reconcile.Orders(d.shop.reconcileOrders())) {
		if err != nil {
			report.AddError(err)
			d.p.say("error: %v", err)
			continue
		}
		report.Add(res)
		d.p.say("%-10s %-20s %-7s %10s %10s %8s %10s", res.Class, orderIDOf(&res), txnTypeOf(&res),
			yuanIf(res.HasRecord(), res.Record.TxnAmt), yuanIf(res.HasOrder(), res.Order.Amount),
			yuanIf(res.HasRecord(), res.Record.MerchantFee), yuanIf(res.HasRecord(), res.Record.SettleAmt))
	}
	if report.ErrorCount > 0 || report.Discrepancies() > 0 {
		return fmt.Errorf("%d discrepancies and %d errors", report.Discrepancies(), report.ErrorCount)
	}
	summary, err := openRD(rd)
	if err != nil {
		return err
	}
	if err := summary.Check(&tally); err != nil {
		return err
	}
	t := tally.Total
	d.p.ok("every order matched; the RD summary report agrees: %d records, net %s yuan to the shop",
		t.Count, yuan(t.NetCredit-t.NetDebit))
	return nil
}

func openRD(m *reconcile.Member) (*reconcile.Summary, error) {
	r, err := m.Open()
	if err != nil {
		return nil, err
	}
	defer r.Close()
	return reconcile.ParseRD(r)
}

// counted passes records on, adding each to t.
func counted(records iter.Seq2[reconcile.Record, error], t *reconcile.Tally) iter.Seq2[reconcile.Record, error] {
	return func(yield func(reconcile.Record, error) bool) {
		for r, err := range records {
			if err == nil {
				t.Add(&r)
			}
			if !yield(r, err) {
				return
			}
		}
	}
}

func orderIDOf(r *reconcile.Result) string {
	if r.HasOrder() {
		return r.Order.OrderID
	}
	return r.Record.OrderID
}

func txnTypeOf(r *reconcile.Result) string {
	if r.HasRecord() {
		return r.Record.TxnType
	}
	return r.Order.TxnType
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
func yuan(fen int64) string {
	sign := ""
	if fen < 0 {
		sign, fen = "-", -fen
	}
	return fmt.Sprintf("%s%d.%02d", sign, fen/100, fen%100)
}

func yuanIf(ok bool, fen int64) string {
	if !ok {
		return "-"
	}
	return yuan(fen)
}

package main

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"net/url"
	"sync"
	"time"

	"github.com/goacp/unionpay/cert"
	"github.com/goacp/unionpay/notify"
	"github.com/goacp/unionpay/unionpay"
)

// Status is what the shop knows about an order's payment.
type Status string

// Order statuses.
const (
	Pending Status = "pending" // sent to UnionPay, outcome not known yet
	Paid    Status = "paid"    // confirmed by a verified notification or query
	Failed  Status = "failed"  // not paid by payTimeout
	Review  Status = "review"  // UnionPay took another amount than the order's: for a person (not shipped)
)

// payWindow is how long the shopper has to pay (payTimeout); UnionPay recommends 15 minutes.
const payWindow = 15 * time.Minute

// clockSkew is how far the shop's clock may be from UnionPay's: an order is given up only when a
// query asked that much after payTimeout still finds it unpaid.
const clockSkew = 2 * time.Minute

// Order is one purchase.
type Order struct {
	ID       string
	Product  string
	Amount   int64 // fen
	Channel  unionpay.Channel
	TxnTime  time.Time // as sent to UnionPay: with ID, what identifies the order there
	Status   Status
	QueryID  string // UnionPay's serial number, once paid
	Queries  int    // status queries made so far, answered or not
	Answered int    // scheduled queries UnionPay answered (CheckPending's place in its schedule)
	Returned bool   // the shopper's browser came back from UnionPay
}

// Shop is the merchant site: product page, checkout, UnionPay's notification and the return.
//
// It is simplified where a production shop is not; do not copy these parts as they are:
//   - Orders live in a map in memory, lost on a restart and unknown to a second instance: store
//     each order, with its orderId and txnTime, in a database before its form is signed.
//   - mu stands for a database transaction: onNotify and check read an order's status and write
//     the new one under it, so a notification and a query, or two deliveries of the notification,
//     apply a payment once. With several instances, that is a transaction that locks the order's
//     row (SELECT ... FOR UPDATE) or an UPDATE ... WHERE status = 'pending', not a sync.Mutex.
//   - Order numbers are unique within one process only (the time and a counter that restarts):
//     take them from the database, unique across instances and restarts.
//   - Anyone may open any order's page and press its query button (each press a query to
//     UnionPay): a real shop shows an order to its shopper only, and limits the queries.
type Shop struct {
	Client   *unionpay.Client
	Verifier *cert.Verifier // the one the client uses
	BaseURL  string         // public URL of the site, for frontUrl and backUrl
	Now      func() time.Time
	Logger   *slog.Logger

	mu     sync.Mutex
	orders map[string]*Order
	seq    int
}

// NewShop returns a shop with no orders.
func NewShop(client *unionpay.Client, v *cert.Verifier, baseURL string, now func() time.Time, log *slog.Logger) *Shop {
	if now == nil {
		now = time.Now
	}
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	return &Shop{Client: client, Verifier: v, BaseURL: baseURL, Now: now, Logger: log, orders: map[string]*Order{}}
}

// Handler returns the site's routes.
func (s *Shop) Handler() http.Handler {
	mux := http.NewServeMux()
	mux.HandleFunc("GET /{$}", s.serveProduct)
	mux.HandleFunc("POST /pay", s.servePay)
	mux.HandleFunc("GET /orders/{id}", s.serveOrder)
	mux.HandleFunc("POST /orders/{id}/query", s.serveQuery)
	mux.Handle("POST /unionpay/notify", &notify.Handler{Verifier: s.Verifier, OnNotify: s.onNotify, Logger: s.Logger})
	mux.HandleFunc("/unionpay/return/{id}", s.serveReturn) // any method: a refresh is a GET
	return mux
}

// Order returns a copy of the order with id.
func (s *Shop) Order(id string) (Order, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	o, ok := s.orders[id]
	if !ok {
		return Order{}, false
	}
	return *o, true
}

func (s *Shop) serveProduct(w http.ResponseWriter, _ *http.Request) {
	render(w, http.StatusOK, productPage, product)
}

// servePay creates the order and answers with the auto-submitting form that takes the shopper's
// browser to UnionPay: the PC gateway or the WAP (mobile) pages.
func (s *Shop) servePay(w http.ResponseWriter, r *http.Request) {
	channel := unionpay.ChannelPC
	if r.PostFormValue("channel") == "wap" {
		channel = unionpay.ChannelMobile
	}
	now := s.Now()
	s.mu.Lock()
	s.seq++
	o := &Order{ID: fmt.Sprintf("WS%s%04d", now.Format("20060102150405"), s.seq%10000), Product: product.Name,
		Amount: product.Price, Channel: channel, TxnTime: now, Status: Pending}
	s.orders[o.ID] = o
	s.mu.Unlock()
	form, err := s.Client.FrontConsume(&unionpay.ConsumeRequest{
		OrderID: o.ID, Amount: o.Amount, TxnTime: now, Channel: channel,
		FrontURL: s.BaseURL + "/unionpay/return/" + o.ID, BackURL: s.BaseURL + "/unionpay/notify",
		PayTimeout: now.Add(payWindow), RiskRateInfo: map[string]string{"commodityName": o.Product},
	})
	if err != nil {
		s.Logger.Error("building the payment form", "orderId", o.ID, "err", err)
		render(w, http.StatusInternalServerError, messagePage, "Payment is unavailable right now.")
		return
	}
	s.Logger.Info("checkout", "orderId", o.ID, "channel", channel)
	form.ServeHTTP(w, r)
}

// onNotify applies UnionPay's verified notification once. A front consume is notified only when it
// succeeded. Notifications the shop cannot match are acknowledged and logged: answering an
// error would only make UnionPay send them again.
func (s *Shop) onNotify(_ context.Context, n *notify.Notification) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	o := s.orders[n.OrderID]
	if o == nil || n.Key() != notify.KeyOf(o.ID, o.TxnTime) {
		s.Logger.Warn("notification for no order of ours", "notification", n)
		return nil
	}
	// merId, txnType, amount and currency (CNY, the shop's), as the order was sent.
	err := n.Check(notify.Expected{MerchantID: s.Client.MerchantID(), TxnType: "01", Amount: o.Amount})
	var differs *notify.MismatchError
	switch {
	case errors.As(err, &differs) && differs.OtherAmount():
		if n.Status() == notify.Succeeded && o.Status != Paid && o.Status != Review {
			// Genuine, paid, but not what was ordered: money was taken. Do not ship; keep the
			// queryId (a refund needs it) and have a person look.
			o.Status, o.QueryID = Review, n.QueryID
			s.Logger.Error("paid another amount than the order's: refund or settle by hand",
				"orderId", o.ID, "queryId", n.QueryID, "paid", n.TxnAmt, "currencyCode", n.CurrencyCode, "ordered", o.Amount)
		}
		return nil
	case err != nil:
		// Another merchant's or another transaction's (a refund's): not this order's payment.
		s.Logger.Warn("notification for no order of ours", "notification", n, "differs", err)
		return nil
	}
	switch {
	case n.Status() != notify.Succeeded:
	case o.Status == Pending:
		o.Status, o.QueryID = Paid, n.QueryID
		s.Logger.Info("paid (notification)", "orderId", o.ID, "queryId", n.QueryID)
	case o.Status == Failed:
		// The shop gave up on the order, but UnionPay took the money (the shopper paid at
		// the last moment, or the clocks differ): never drop that. Record it, and have
		// someone ship the order or refund it.
		o.Status, o.QueryID = Paid, n.QueryID
		s.Logger.Error("paid after the order was closed as unpaid: ship it or refund it", "orderId", o.ID, "queryId", n.QueryID)
	}
	return nil
}

// serveReturn is frontUrl, one per order: the shopper's browser comes back from UnionPay with
// signed fields. They are verified, but they are not proof of payment (the shopper may never come
// back, or replay an old return): whatever came back, verified or not, or a GET (a refresh, a
// bookmark), the browser is sent (303, a top-level GET that carries the shop's SameSite=Lax
// cookies, which the cross-site POST did not) to the order page, which shows what the
// notification or a query established. The order is the URL's, never the return's fields.
func (s *Shop) serveReturn(w http.ResponseWriter, r *http.Request) {
	id := r.PathValue("id")
	if r.Method == http.MethodPost {
		n, err := notify.ReadRequest(w, r, s.Verifier, 0)
		switch {
		case err != nil:
			s.Logger.Warn("return that does not verify", "orderId", id, "err", err)
		case n.OrderID != id:
			s.Logger.Warn("return of another order", "orderId", id, "returned", n.OrderID)
		default:
			s.mu.Lock()
			if o := s.orders[id]; o != nil {
				o.Returned = true
			}
			s.mu.Unlock()
		}
	}
	http.Redirect(w, r, "/orders/"+url.PathEscape(id), http.StatusSeeOther)
}

func (s *Shop) serveOrder(w http.ResponseWriter, r *http.Request) {
	o, ok := s.Order(r.PathValue("id"))
	if !ok {
		render(w, http.StatusNotFound, messagePage, "No such order.")
		return
	}
	render(w, http.StatusOK, orderPage, o)
}

// serveQuery is the order page's "check with UnionPay" button: a query fallback for an order
// still pending, when the notification has not come.
func (s *Shop) serveQuery(w http.ResponseWriter, r *http.Request) {
	id := r.PathValue("id")
	if _, ok := s.Order(id); !ok {
		render(w, http.StatusNotFound, messagePage, "No such order.")
		return
	}
	if err := s.check(r.Context(), id, false); err != nil {
		s.Logger.Warn("query", "orderId", id, "err", err)
	}
	http.Redirect(w, r, "/orders/"+id, http.StatusSeeOther)
}

// check queries one pending order and applies the answer; scheduled says CheckPending asked
// (an answered scheduled query moves the order along the schedule; a shopper's click or a failed
// query does not). Only success is final before payTimeout: not found or failed may still turn
// into a payment while the cashier is open. Pending (03/04/05/83, for the payment or for the query
// itself) is never final: the order keeps being queried.
func (s *Shop) check(ctx context.Context, id string, scheduled bool) error {
	o, ok := s.Order(id)
	if !ok || o.Status != Pending {
		return nil
	}
	asked := s.Now() // what the answer can say is as of this moment, not when it came back
	// The query names the payment as checkout sent it (the same fields as form.QueryRequest()):
	// an answer of another type, amount or currency (the shop sends CNY, 156) reads NotFound,
	// with that payment in tx.Other.
	tx, err := s.Client.Query(ctx, &unionpay.QueryRequest{OrderID: o.ID, TxnTime: o.TxnTime, TxnType: "01",
		Amount: o.Amount, Currency: "156"})
	s.mu.Lock()
	defer s.mu.Unlock()
	cur := s.orders[id]
	cur.Queries++
	if err != nil {
		return err
	}
	if scheduled {
		cur.Answered++
	}
	switch {
	case cur.Status != Pending:
	case tx.State == unionpay.Succeeded && tx.Amount == cur.Amount:
		cur.Status, cur.QueryID = Paid, tx.QueryID
		s.Logger.Info("paid (query)", "orderId", id, "queryId", tx.QueryID)
	case tx.State == unionpay.Succeeded:
		// Paid, but the answer names no amount (the query compares only what the answer has):
		// not known to be the order's.
		cur.Status, cur.QueryID = Review, tx.QueryID
		s.Logger.Error("paid, of no stated amount: refund or settle by hand",
			"orderId", id, "queryId", tx.QueryID, "paid", tx.Amount, "currencyCode", tx.Currency, "ordered", cur.Amount)
	case tx.Other != nil && tx.Other.State == unionpay.Succeeded:
		// Money was taken under this order's orderId and txnTime, but not as ordered (another
		// amount: a form re-issued with a new price under the same key; another currency).
		cur.Status, cur.QueryID = Review, tx.Other.QueryID
		s.Logger.Error("paid another amount or transaction than the order's: refund or settle by hand",
			"orderId", id, "queryId", tx.Other.QueryID, "paid", tx.Other.Amount, "currencyCode", tx.Other.Currency,
			"txnType", tx.Other.TxnType, "ordered", cur.Amount)
	case tx.Other != nil:
		// Another transaction under this order's key, not paid: neither paid nor failed. The
		// order stays pending, and is queried again; a person looks if it lasts.
		s.Logger.Warn("another transaction under this order's orderId and txnTime", "orderId", id,
			"queryId", tx.Other.QueryID, "txnType", tx.Other.TxnType, "txnAmt", tx.Other.Amount, "state", tx.Other.State)
	case tx.State == unionpay.Pending:
		// UnionPay does not know yet: neither paid nor failed, whatever the time.
	case asked.After(cur.TxnTime.Add(payWindow + clockSkew)):
		cur.Status = Failed
		s.Logger.Info("not paid by payTimeout", "orderId", id, "state", tx.State)
	}
	return nil
}

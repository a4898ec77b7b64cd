package main

import (
	"context"
	"fmt"
	"html"
	"net/http"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/goacp/unionpay/cert"
	"github.com/goacp/unionpay/notify"
	"github.com/goacp/unionpay/reconcile"
	"github.com/goacp/unionpay/unionpay"
)

// order is one transaction as the shop records it: a payment or a refund.
type order struct {
	ID      string
	TxnTime time.Time
	Amount  int64  // fen
	TxnType string // 01 consume, 04 refund
	State   reconcile.State
	QueryID string // UnionPay's serial number, once known
}

// shop is the merchant's side of the day: its orders, the checkout pages it serves, and the
// handlers UnionPay and the shopper's browser come back to.
type shop struct {
	merID    string
	verifier *cert.Verifier

	mu       sync.Mutex
	orders   map[string]*order
	checkout map[string]*unionpay.Form
	alerts   []string

	notified chan *notify.Notification // each notification applied, for the walkthrough to wait on
}

func newShop(merID string, v *cert.Verifier) *shop {
	return &shop{merID: merID, verifier: v, orders: map[string]*order{}, checkout: map[string]*unionpay.Form{},
		notified: make(chan *notify.Notification, 16)}
}

// routes are the shop's URLs: the checkout page, UnionPay's backUrl and the shopper's frontUrl.
func (s *shop) routes() http.Handler {
	mux := http.NewServeMux()
	mux.HandleFunc("GET /checkout/{orderId}", s.serveCheckout)
	mux.Handle("POST /unionpay/notify", &notify.Handler{Verifier: s.verifier, OnNotify: s.onNotify})
	mux.HandleFunc("POST /unionpay/return", s.serveReturn)
	return mux
}

func (s *shop) add(o *order) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.orders[o.ID] = o
}

// settled records a final outcome learnt by a query (a notification may never come): the state
// of a pending order, once.
func (s *shop) settled(id string, st reconcile.State, queryID string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if o := s.orders[id]; o != nil && o.State == reconcile.StatePending {
		o.State, o.QueryID = st, queryID
	}
}

func (s *shop) get(id string) order {
	s.mu.Lock()
	defer s.mu.Unlock()
	if o := s.orders[id]; o != nil {
		return *o
	}
	return order{}
}

// serveCheckout serves the auto-submitting page that sends the shopper's browser to UnionPay.
func (s *shop) serveCheckout(w http.ResponseWriter, r *http.Request) {
	s.mu.Lock()
	form := s.checkout[r.PathValue("orderId")]
	s.mu.Unlock()
	if form == nil {
		http.NotFound(w, r)
		return
	}
	form.ServeHTTP(w, r)
}

// onNotify applies a verified notification once: it must be about one of the shop's pending
// orders, for the amount asked and this merchant. Duplicates and strangers are acknowledged
// (an error would only make UnionPay send them again) and noted.
func (s *shop) onNotify(_ context.Context, n *notify.Notification) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	o := s.orders[n.OrderID]
	switch {
	case o == nil || n.Key() != notify.KeyOf(o.ID, o.TxnTime) ||
		n.Check(notify.Expected{MerchantID: s.merID, TxnType: o.TxnType, Amount: o.Amount}) != nil:
		s.alerts = append(s.alerts, "notification for an order the shop did not make: "+n.String())
		return nil
	case o.State == reconcile.StateFailed && n.Status() == notify.Succeeded:
		// Paid after the shop gave the order up: the money was taken, so never drop it.
		o.State, o.QueryID = reconcile.StateSucceeded, n.QueryID
		s.alerts = append(s.alerts, "paid after the order was closed as unpaid, ship or refund it: "+n.String())
		return nil
	case o.State != reconcile.StatePending:
		return nil // already applied: a second delivery, or a query got there first
	}
	switch n.Status() {
	case notify.Succeeded:
		o.State, o.QueryID = reconcile.StateSucceeded, n.QueryID
	case notify.Failed:
		if o.TxnType == "01" {
			// A consume's failure is not final while the cashier is open (the shopper may pay
			// again until payTimeout); a query after it settles the order.
			return nil
		}
		o.State = reconcile.StateFailed // a back transaction's (the refund's) failure is final
	default:
		return nil // pending
	}
	select {
	case s.notified <- n:
	default:
	}
	return nil
}

// serveReturn is frontUrl, where the shopper's browser comes back from UnionPay. The signed
// fields are verified, but they are not proof of payment: the page only says what is known.
func (s *shop) serveReturn(w http.ResponseWriter, r *http.Request) {
	n, err := notify.ReadRequest(w, r, s.verifier, 0)
	if err != nil {
		http.Error(w, "this return did not come from UnionPay", notify.HTTPStatus(err))
		return
	}
	o := s.get(n.OrderID)
	status := "being confirmed"
	if o.State == reconcile.StateSucceeded {
		status = "paid"
	}
	w.Header().Set("Content-Type", "text/html; charset=UTF-8")
	fmt.Fprintf(w, `<!DOCTYPE html><html><body><p>Order <span id="order">%s</span>: payment <span id="status">%s</span>.</p></body></html>`,
		html.EscapeString(n.OrderID), status)
}

// reconcileOrders returns the shop's orders in the form package reconcile matches.
func (s *shop) reconcileOrders() []reconcile.Order {
	s.mu.Lock()
	defer s.mu.Unlock()
	out := make([]reconcile.Order, 0, len(s.orders))
	for _, o := range s.orders {
		out = append(out, reconcile.Order{OrderID: o.ID, TxnTime: o.TxnTime, Amount: o.Amount, TxnType: o.TxnType,
			State: o.State})
	}
	slices.SortFunc(out, func(a, b reconcile.Order) int { return strings.Compare(a.OrderID, b.OrderID) })
	return out
}

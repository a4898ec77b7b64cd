package main

import (
	"context"
	"sync"
	"time"

	"github.com/goacp/unionpay/notify"
	"github.com/goacp/unionpay/unionpay"
)

// txn is one collection (txnType 11) or payout (12) as the insurer stores it, before sending.
type txn struct {
	OrderID  string
	TxnTime  time.Time
	TxnType  string
	Amount   int64 // fen
	State    unionpay.State
	QueryID  string // UnionPay's serial number, once known
	Notified bool   // a verified notification of the outcome was applied
}

// insurer is the merchant's store of transactions, and the notification handler's logic. In
// production it is a database table keyed on orderId and txnTime, updated under a condition
// (UPDATE ... WHERE state = 'pending'), so that a result is applied once.
type insurer struct {
	merID string

	mu     sync.Mutex
	txns   map[string]*txn // by notify.KeyOf(OrderID, TxnTime)
	alerts []string        // notifications that were not about a transaction of ours
}

func newInsurer(merID string) *insurer {
	return &insurer{merID: merID, txns: map[string]*txn{}}
}

// store records t as pending, before it is sent.
func (in *insurer) store(t txn) {
	in.mu.Lock()
	defer in.mu.Unlock()
	t.State = unionpay.Pending
	in.txns[notify.KeyOf(t.OrderID, t.TxnTime)] = &t
}

// get returns a copy of the stored transaction.
func (in *insurer) get(orderID string, txnTime time.Time) txn {
	in.mu.Lock()
	defer in.mu.Unlock()
	if t := in.txns[notify.KeyOf(orderID, txnTime)]; t != nil {
		return *t
	}
	return txn{}
}

// settle applies a final outcome once, whether a query or a notification brings it first.
func (in *insurer) settle(key string, st unionpay.State, queryID string) {
	if t := in.txns[key]; t != nil && t.State == unionpay.Pending && st != unionpay.Pending {
		t.State, t.QueryID = st, queryID
	}
}

// settled is settle for an outcome a query brought.
func (in *insurer) settled(tx *unionpay.Transaction) {
	in.mu.Lock()
	defer in.mu.Unlock()
	in.settle(notify.KeyOf(tx.OrderID, tx.TxnTime), tx.State, tx.QueryID)
}

// onNotify is notify.Handler's OnNotify: it applies a verified notification once, if it is about
// a transaction the insurer sent, as the insurer sent it. Anything else is acknowledged (an error
// only makes UnionPay send it again) and noted for a person.
func (in *insurer) onNotify(_ context.Context, n *notify.Notification) error {
	in.mu.Lock()
	defer in.mu.Unlock()
	t := in.txns[n.Key()]
	if t == nil {
		in.alerts = append(in.alerts, "not one of ours: "+n.String())
		return nil
	}
	if err := n.Check(notify.Expected{MerchantID: in.merID, TxnType: t.TxnType, Amount: t.Amount}); err != nil {
		in.alerts = append(in.alerts, err.Error())
		return nil
	}
	t.Notified = true
	switch n.Status() {
	case notify.Succeeded:
		in.settle(n.Key(), unionpay.Succeeded, n.QueryID)
	case notify.Failed:
		in.settle(n.Key(), unionpay.Failed, n.QueryID)
	}
	return nil // Pending (for a payout, 01 too): a query settles it
}

// alertList returns the notifications set aside.
func (in *insurer) alertList() []string {
	in.mu.Lock()
	defer in.mu.Unlock()
	return append([]string(nil), in.alerts...)
}

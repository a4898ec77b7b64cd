package unionpaytest

import (
	"errors"
	"fmt"
	"io"
	"slices"
	"strings"
	"time"

	"github.com/goacp/unionpay/reconcile"
)

// Transaction is the gateway's view of one transaction: its ledger, for comparing with what a
// merchant's SDK reported.
type Transaction struct {
	OrderID     string    // orderId
	TxnTime     string    // txnTime as sent, yyyyMMddHHmmss
	TxnType     string    // txnType: 01 consume, 02 pre-auth, 03 completion, 04 refund, 31/32/33 cancels, ...
	TxnSubType  string    // txnSubType
	BizType     string    // bizType
	Amount      int64     // txnAmt in fen
	QueryID     string    // queryId; "" for a front or app order nobody has paid
	OrigQueryID string    // origQryId of a refund, cancel or completion
	TN          string    // tn of an app order
	RespCode    string    // current status: 00, 03/04/05/83 pending, a failure code, or "" when unpaid
	Final       bool      // the status is final (success or failure)
	Settled     time.Time // gateway time of acceptance or payment, zero when unpaid (its settle date, unless it was pending when that day ended: then the day it became final)
	Refunded    int64     // consume or completion: amount refunded successfully; pre-auth: amount completed
	Cancelled   bool      // a cancel (31, 32, 33) of this transaction succeeded
}

// Transactions returns every transaction the gateway has recorded, in orderId order; with
// [WithLedgerLimit], those it has not forgotten ([Server.Dropped] counts the others).
func (s *Server) Transactions() []Transaction {
	s.mu.Lock()
	defer s.mu.Unlock()
	out := make([]Transaction, 0, len(s.orders))
	for _, t := range s.orders {
		out = append(out, s.export(t))
	}
	slices.SortFunc(out, func(a, b Transaction) int { return strings.Compare(a.OrderID, b.OrderID) })
	return out
}

// Transaction returns the gateway's record of orderID.
func (s *Server) Transaction(orderID string) (Transaction, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	t := s.orders[orderID]
	if t == nil {
		return Transaction{}, false
	}
	return s.export(t), true
}

// export copies t. Callers hold s.mu.
func (s *Server) export(t *txn) Transaction {
	x := Transaction{
		OrderID: t.orderID, TxnTime: t.txnTime, TxnType: t.kind, TxnSubType: t.req["txnSubType"],
		BizType: t.req["bizType"], Amount: t.amount, QueryID: t.queryID, TN: t.tn, RespCode: t.code,
		Final: t.final, Settled: t.at, Refunded: t.used, Cancelled: t.undone,
	}
	if t.orig != nil {
		x.OrigQueryID = t.orig.queryID
	}
	return x
}

// AddErrorRecord adds an error transaction (差错) to the settlement file of day: the zip then has
// a ZME member holding it, as UnionPay's does when a dispute or adjustment hit the merchant. A
// zero day, or a record the ZME writer refuses (a zero TxnTime, a value too wide for its field,
// ...), is an error naming the field, and nothing is added: the file download would fail.
func (s *Server) AddErrorRecord(day time.Time, r reconcile.ErrorRecord) error {
	if day.IsZero() {
		return errors.New("unionpaytest: AddErrorRecord: zero day")
	}
	if err := reconcile.NewZMEWriter(io.Discard).Write(&r); err != nil { // what Settlement will write
		return fmt.Errorf("unionpaytest: AddErrorRecord: %w", err)
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	key := s.dayOf(day).Format("20060102")
	s.errorRecords[key] = append(s.errorRecords[key], r)
	return nil
}

// errorRecordsOf returns the error records added for day.
func (s *Server) errorRecordsOf(day time.Time) []reconcile.ErrorRecord {
	s.mu.Lock()
	defer s.mu.Unlock()
	return slices.Clone(s.errorRecords[s.dayOf(day).Format("20060102")])
}

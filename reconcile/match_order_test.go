package reconcile

import (
	"errors"
	"fmt"
	"math/rand/v2"
	"testing"

	"github.com/stretchr/testify/require"
)

// refMatch is Match written plainly, with a map: what Match must yield.
func refMatch(records []Record, recErrs map[int]error, orders []Order, orderErrs map[int]error) []string {
	var out []string
	type entry struct {
		o    Order
		seen bool
	}
	byID := map[string]*entry{}
	var list []*entry
	for i, o := range orders {
		switch {
		case orderErrs[i] != nil:
			out = append(out, "error "+orderErrs[i].Error())
		case o.OrderID == "":
			out = append(out, "error "+(&OrderError{Index: i, Err: ErrNoOrderID}).Error())
		case byID[o.OrderID] != nil:
			out = append(out, "error "+(&OrderError{Index: i, OrderID: o.OrderID, Err: ErrDuplicateOrder}).Error())
		default:
			e := &entry{o: o}
			byID[o.OrderID] = e
			list = append(list, e)
		}
	}
	for i, rec := range records {
		if recErrs[i] != nil {
			out = append(out, "error "+recErrs[i].Error())
			continue
		}
		res := Result{Record: rec}
		e := byID[rec.OrderID]
		switch {
		case e == nil || rec.OrderID == "":
			res.Class = UnknownToMerchant
		case e.seen:
			res.Class, res.Order, res.Detail = Duplicate, e.o, "orderId appears more than once in the file"
		default:
			e.seen = true
			res.Class, res.Order = Matched, e.o
			switch o := e.o; {
			case rec.TxnAmt != o.Amount:
				res.Class, res.Detail = AmountMismatch, fmt.Sprintf("txnAmt %d at UnionPay, %d at the merchant", rec.TxnAmt, o.Amount)
			case o.State != StateSucceeded:
				res.Class, res.Detail = StateMismatch, fmt.Sprintf("settled at UnionPay, %s at the merchant", o.State)
			case o.TxnType != "" && rec.TxnType != o.TxnType:
				res.Class, res.Detail = StateMismatch, fmt.Sprintf("txnType %s at UnionPay, %s at the merchant", rec.TxnType, o.TxnType)
			}
		}
		out = append(out, fmt.Sprintf("%+v", res))
	}
	for _, e := range list {
		if !e.seen && e.o.State != StateFailed {
			res := Result{Class: MissingAtUnionPay, Order: e.o}
			if e.o.State == StatePending { // no txnTime near the cutoff, no txnType 02 or 32 here
				res.Detail = pendingMissing
			}
			out = append(out, fmt.Sprintf("%+v", res))
		}
	}
	return out
}

// TestMatchAgainstMap matches records that mostly follow the orders' order
// (the case Match finds without its table), with gaps, repeats, unknown and
// empty orderIds, duplicate orders and errors on both sides, against refMatch.
func TestMatchAgainstMap(t *testing.T) {
	r := rand.New(rand.NewPCG(11, 12))
	for round := range 300 {
		n := 1 + r.IntN(80)
		orders := make([]Order, n)
		orderErrs := map[int]error{}
		for i := range orders {
			orders[i] = Order{State: StateSucceeded, OrderID: fmt.Sprint("O", r.IntN(2*n)), Amount: int64(r.IntN(3)), TxnType: []string{"", "01", "04"}[r.IntN(3)]}
			switch r.IntN(20) {
			case 0:
				orders[i].OrderID = ""
			case 1:
				orderErrs[i] = errors.New("order source failed")
			case 2:
				orders[i].State = StateFailed
			case 3:
				orders[i].State = StatePending
			}
		}
		var records []Record
		recErrs := map[int]error{}
		for k := 0; k < n+r.IntN(10); k++ {
			rec := Record{Line: len(records) + 1, TxnAmt: int64(r.IntN(3)), TxnType: []string{"01", "04"}[r.IntN(2)]}
			switch x := r.IntN(10); {
			case x < 6 && k < n: // in order
				rec.OrderID = orders[k].OrderID
			case x < 8:
				rec.OrderID = fmt.Sprint("O", r.IntN(2*n))
			case x == 8:
				if len(records) > 0 {
					rec.OrderID = records[r.IntN(len(records))].OrderID
				}
			default:
				recErrs[len(records)] = errors.New("bad line")
			}
			records = append(records, rec)
		}
		recSeq := func(yield func(Record, error) bool) {
			for i, rec := range records {
				if recErrs[i] != nil {
					rec = Record{}
				}
				if !yield(rec, recErrs[i]) {
					return
				}
			}
		}
		orderSeq := func(yield func(Order, error) bool) {
			for i, o := range orders {
				if orderErrs[i] != nil {
					o = Order{}
				}
				if !yield(o, orderErrs[i]) {
					return
				}
			}
		}
		var got []string
		for res, err := range Match(recSeq, orderSeq) {
			if err != nil {
				got = append(got, "error "+err.Error())
				continue
			}
			got = append(got, fmt.Sprintf("%+v", res))
		}
		require.Equal(t, refMatch(records, recErrs, orders, orderErrs), got, "round %d", round)
	}
}

package reconcile

import (
	"errors"
	"fmt"
	"math/rand/v2"
	"testing"

	"github.com/stretchr/testify/require"
)

// TestMatchAscendingOrders matches records against orders whose orderIds ascend (those Match
// builds no hash table for until a record is not the next order), against refMatch: records in
// the orders' order throughout, or leaving it at some point (the table is then built in the middle
// of the stream), and orders that stop ascending (a repeat: the table is built at once and the
// duplicate reported), with errors and empty orderIds among them, which do not count.
func TestMatchAscendingOrders(t *testing.T) {
	tests := []struct {
		name   string
		leave  int // out of 10: how often a record leaves the orders' order
		repeat bool
	}{
		{"in-order", 0, false},
		{"in-order-then-not", 1, false},
		{"mostly-not-in-order", 6, false},
		{"orders-repeat", 1, true},
	}
	r := rand.New(rand.NewPCG(21, 22))
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			for round := range 200 {
				n := 1 + r.IntN(60)
				var orders []Order
				orderErrs := map[int]error{}
				id := 0
				for range n {
					id += 1 + r.IntN(2)
					o := Order{State: StateSucceeded, OrderID: fmt.Sprintf("O%05d", id), Amount: int64(r.IntN(3))}
					switch r.IntN(25) {
					case 0:
						o.OrderID = ""
					case 1:
						orderErrs[len(orders)] = errors.New("order source failed")
					case 2:
						o.State = StateFailed
					case 3:
						if tt.repeat && len(orders) > 0 {
							o.OrderID = orders[r.IntN(len(orders))].OrderID
						}
					}
					orders = append(orders, o)
				}
				var records []Record
				for k := range n + r.IntN(5) {
					rec := Record{Line: len(records) + 1, TxnAmt: int64(r.IntN(3)), TxnType: "01"}
					switch {
					case k < n && r.IntN(10) >= tt.leave:
						rec.OrderID = orders[k].OrderID
					case r.IntN(2) == 0:
						rec.OrderID = fmt.Sprintf("O%05d", r.IntN(2*n+2))
					case len(records) > 0:
						rec.OrderID = records[r.IntN(len(records))].OrderID
					}
					records = append(records, rec)
				}
				recSeq := func(yield func(Record, error) bool) {
					for _, rec := range records {
						if !yield(rec, nil) {
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
				require.Equal(t, refMatch(records, nil, orders, orderErrs), got, "round %d", round)
			}
		})
	}
}

package reconcile

import (
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestMissingDetailMovesNoMoney: a pre-authorisation (02) or its cancel (32) absent from the file
// is still MissingAtUnionPay, but its Detail says that it moves no money and that files need not
// list it, so that a hotel passing its holds does not take each one as failed (a Result's rule:
// absent from the next day's file too, take it as failed); other txnTypes keep their Detail, and
// NearCutoff stays the txnTime's alone.
func TestMissingDetailMovesNoMoney(t *testing.T) {
	t.Parallel()
	noon := time.Date(2026, 11, 25, 12, 0, 0, 0, Beijing())
	late := time.Date(2026, 11, 25, 22, 50, 0, 0, Beijing())
	for _, tc := range []struct {
		name       string
		order      Order
		want       []string // in Detail
		near, none bool     // NearCutoff; Detail empty
	}{
		{"hold", Order{OrderID: "HOLD0001", TxnTime: noon, Amount: 50000, TxnType: "02", State: StateSucceeded},
			[]string{"txnType 02", "moves no money", "completion (03)"}, false, false},
		{"hold near the cutoff", Order{OrderID: "HOLD0002", TxnTime: late, Amount: 50000, TxnType: "02", State: StateSucceeded},
			[]string{"moves no money", "within 15 minutes before 23:00"}, true, false},
		{"pending hold", Order{OrderID: "HOLD0003", TxnTime: noon, Amount: 50000, TxnType: "02", State: StatePending},
			[]string{"moves no money"}, false, false},
		{"hold cancel", Order{OrderID: "CANC0001", TxnTime: noon, Amount: 50000, TxnType: "32", State: StateSucceeded},
			[]string{"txnType 32", "moves no money"}, false, false},
		{"completion", Order{OrderID: "COMP0001", TxnTime: noon, Amount: 42000, TxnType: "03", State: StateSucceeded},
			nil, false, true},
		{"consume near the cutoff", Order{OrderID: "PAY00001", TxnTime: late, Amount: 100, TxnType: "01", State: StateSucceeded},
			[]string{"within 15 minutes before 23:00"}, true, false},
		{"txnType not given", Order{OrderID: "PAY00002", TxnTime: noon, Amount: 100, State: StateSucceeded},
			nil, false, true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			var got []Result
			for res, err := range Match(recordsOf(), ordersOf(tc.order)) {
				require.NoError(t, err)
				got = append(got, res)
			}
			require.Len(t, got, 1)
			assert.Equal(t, MissingAtUnionPay, got[0].Class)
			assert.Equal(t, tc.near, got[0].NearCutoff)
			if tc.none {
				assert.Empty(t, got[0].Detail)
			}
			for _, w := range tc.want {
				assert.Contains(t, got[0].Detail, w)
			}
		})
	}
}

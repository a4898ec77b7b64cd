package reconcile

import (
	"bytes"
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"
	"unsafe"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestMatchSubMerchant: a platform's order with Order.SubMerID set matches only a record filed
// under that sub-merchant; one UnionPay filed under another shop (or under none) is a
// StateMismatch naming both subMerIds, and a mismatch already found for another reason says so
// too. An order without SubMerID is matched as before, whatever shop the record names.
func TestMatchSubMerchant(t *testing.T) {
	t.Parallel()
	const shopA, shopB = "898111148990268", "898111148990269"
	recOf := func(id string, amt int64, sub string) Record {
		r := rec(1, id, amt, 0, "01")
		r.SubMerID = sub
		return r
	}
	for _, tt := range []struct {
		name   string
		rec    Record
		order  Order
		class  Class
		detail string // "" for none; else contained in Detail
	}{
		{"not checked", recOf("O1", 100, shopB), Order{OrderID: "O1", Amount: 100, State: StateSucceeded}, Matched, ""},
		{"same shop", recOf("O1", 100, shopA), Order{OrderID: "O1", Amount: 100, State: StateSucceeded, SubMerID: shopA}, Matched, ""},
		{"other shop", recOf("O1", 100, shopB), Order{OrderID: "O1", Amount: 100, State: StateSucceeded, SubMerID: shopA},
			StateMismatch, "subMerId " + shopB + " at UnionPay, " + shopA + " at the merchant"},
		{"no shop at UnionPay", recOf("O1", 100, "000000000000000"), Order{OrderID: "O1", Amount: 100, State: StateSucceeded, SubMerID: shopA},
			StateMismatch, "subMerId none at UnionPay, " + shopA + " at the merchant"},
		{"blank at UnionPay", recOf("O1", 100, ""), Order{OrderID: "O1", Amount: 100, State: StateSucceeded, SubMerID: shopA},
			StateMismatch, "subMerId none at UnionPay"},
		{"amount and shop", recOf("O1", 100, shopB), Order{OrderID: "O1", Amount: 200, State: StateSucceeded, SubMerID: shopA},
			AmountMismatch, "txnAmt 100 at UnionPay, 200 at the merchant; subMerId " + shopB},
		{"state and shop", recOf("O1", 100, shopB), Order{OrderID: "O1", Amount: 100, State: StatePending, SubMerID: shopA},
			StateMismatch, "settled at UnionPay, pending at the merchant; subMerId " + shopB},
		{"type and shop", recOf("O1", 100, shopB), Order{OrderID: "O1", Amount: 100, State: StateSucceeded, TxnType: "04", SubMerID: shopA},
			StateMismatch, "txnType 01 at UnionPay, 04 at the merchant; subMerId " + shopB},
		{"type only", recOf("O1", 100, shopA), Order{OrderID: "O1", Amount: 100, State: StateSucceeded, TxnType: "04", SubMerID: shopA},
			StateMismatch, "txnType 01 at UnionPay, 04 at the merchant"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			var got []Result
			for r, err := range Match(recordsOf(tt.rec), ordersOf(tt.order)) {
				require.NoError(t, err)
				got = append(got, r)
			}
			require.Len(t, got, 1)
			assert.Equal(t, tt.class, got[0].Class)
			assert.Equal(t, tt.order, got[0].Order, "the order as given, SubMerID included")
			if tt.detail == "" {
				assert.Empty(t, got[0].Detail)
			} else {
				assert.Contains(t, got[0].Detail, tt.detail)
			}
			if tt.name == "type only" {
				assert.NotContains(t, got[0].Detail, "subMerId")
			}
		})
	}
}

// TestMatchSubMerchantPaths: the sub-merchant check holds on each of Match's paths (records in
// the orders' order, looked up in the table built later or by loadOrders for unsorted orders),
// across order blocks, for orders kept whole in odd, and for a missing order, which keeps its
// SubMerID (the report routes it by it).
func TestMatchSubMerchantPaths(t *testing.T) {
	t.Parallel()
	const n = 2*orderBlock + 10
	subOf := func(i int) string {
		switch {
		case i%3 == 0:
			return "" // not checked
		case i < orderBlock:
			return "" // a first block without any: no side storage for it
		}
		return fmt.Sprintf("SHOP%d", i%7)
	}
	orders := make([]Order, n)
	for i := range orders {
		orders[i] = Order{OrderID: fmt.Sprintf("O%06d", i), Amount: 100, State: StateSucceeded, SubMerID: subOf(i)}
	}
	orders[n-5].TxnTime = time.Now() // a monotonic reading: kept whole in odd
	orders[n-5].SubMerID = "SHOPODD"
	orders[n-4].OrderID = "订单" + strings.Repeat("9", 28) // 34 bytes of UTF-8, 32 in GBK: odd
	orders[n-4].SubMerID = "SHOPODD"
	records := func(order []int) []Record {
		var recs []Record
		for _, i := range order {
			if i == n-1 {
				continue // missing at UnionPay
			}
			r := rec(i+1, orders[i].OrderID, 100, 0, "01")
			r.SubMerID = orders[i].SubMerID
			if i%5 == 1 { // filed under another shop
				r.SubMerID = "SHOPOTHER"
			}
			recs = append(recs, r)
		}
		return recs
	}
	ascending := make([]int, n)
	for i := range ascending {
		ascending[i] = i
	}
	reversed := slices.Clone(ascending)
	slices.Reverse(reversed)
	for _, tt := range []struct {
		name          string
		orders, files []int
	}{
		{"in order", ascending, ascending},
		{"records reversed", ascending, reversed},
		{"orders reversed", reversed, ascending},
	} {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			in := make([]Order, 0, n)
			for _, i := range tt.orders {
				in = append(in, orders[i])
			}
			var recs []any
			for _, r := range records(tt.files) {
				recs = append(recs, r)
			}
			pos := make(map[string]int, n)
			for i, o := range orders {
				pos[o.OrderID] = i
			}
			seen := 0
			for r, err := range Match(recordsOf(recs...), Orders(in)) {
				require.NoError(t, err)
				i, ok := pos[r.Order.OrderID]
				require.True(t, ok, "%+v", r)
				require.True(t, r.Order == orders[i], "%d: %#v\n%#v", i, r.Order, orders[i])
				want := Matched
				switch {
				case i == n-1:
					want = MissingAtUnionPay
				case i%5 == 1 && orders[i].SubMerID != "":
					want = StateMismatch
					assert.Contains(t, r.Detail, "subMerId SHOPOTHER at UnionPay, "+orders[i].SubMerID+" at the merchant")
				}
				require.Equal(t, want, r.Class, "%d: %s", i, r.Detail)
				seen++
			}
			assert.Equal(t, n, seen)
		})
	}
}

// TestOrderIndexSubMerchantSide: the sub-merchants are kept on the side, the entries unchanged:
// nothing is allocated for them while no order has one, nothing for a block of orders without,
// and each distinct subMerId once.
func TestOrderIndexSubMerchantSide(t *testing.T) {
	t.Parallel()
	m := newOrderIndex()
	for i := range orderBlock + 1 {
		require.True(t, m.add(Order{OrderID: fmt.Sprint("A", i), State: StateSucceeded}))
	}
	assert.Nil(t, m.subOf, "no order with a sub-merchant: no side table")
	assert.Nil(t, m.subs)
	shop := []byte("SHOP1")
	for i := range 3 {
		require.True(t, m.add(Order{OrderID: fmt.Sprint("B", i), State: StateSucceeded, SubMerID: string(shop)}))
	}
	require.Len(t, m.subOf, 2)
	assert.Nil(t, m.subOf[0], "a block without sub-merchants has no side block")
	assert.Equal(t, []string{"SHOP1"}, m.subs, "interned once")
	assert.Equal(t, "SHOP1", m.order(orderBlock+1).SubMerID)
	assert.Empty(t, m.order(orderBlock).SubMerID)
	assert.Empty(t, m.order(0).SubMerID)
	require.Equal(t, 32, int(unsafe.Sizeof(orderEntry{})), "the entry is unchanged")
}

// TestWriteSubMerchantOfMissing: a missing order's sub-merchant is the report's sub_mer_id, as a
// record's is, so that a platform routes it to its shop.
func TestWriteSubMerchantOfMissing(t *testing.T) {
	t.Parallel()
	results := Match(recordsOf(), ordersOf(Order{OrderID: "M1", Amount: 100, State: StateSucceeded, SubMerID: "SHOPA"}))
	var buf bytes.Buffer
	_, err := WriteCSV(&buf, results)
	require.NoError(t, err)
	lines := strings.Split(buf.String(), "\n")
	assert.True(t, strings.HasPrefix(lines[1], "result,missing_at_unionpay,"), lines[1])
	assert.True(t, strings.HasSuffix(lines[1], ",SHOPA"), lines[1])
	buf.Reset()
	_, err = WriteJSON(&buf, results)
	require.NoError(t, err)
	assert.Contains(t, buf.String(), `"sub_mer_id":"SHOPA"`)
}

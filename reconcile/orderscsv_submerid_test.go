package reconcile

import (
	"errors"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestOrdersCSVSubMerID: an optional subMerId column gives each order its Order.SubMerID (an
// empty cell: not checked); without the column, none; a cell no subMerId can be (UnionPay's are
// up to 15 letters or digits: a spreadsheet's 8.98111E+14, a space) is the row's error naming
// the column, and the column twice is a header error.
func TestOrdersCSVSubMerID(t *testing.T) {
	t.Parallel()
	const head = "orderId,txnTime,amount,txnType,state,subMerId\n"
	withSub := func(id string, sub string) Order {
		o := csvOrder(id, 10, 10000, "01", StateSucceeded)
		o.SubMerID = sub
		return o
	}
	for _, tt := range []struct {
		name string
		in   string
		want []Order
		bad  string // the error's text, "" for none
	}{
		{"column", head + "SHOP0001,20261125100000,10000,01,succeeded,898111148990268\n" +
			"SHOP0002,20261125100000,10000,01,succeeded,898111148990268\n" +
			"SHOP0003,20261125100000,10000,01,succeeded,\n",
			[]Order{withSub("SHOP0001", "898111148990268"), withSub("SHOP0002", "898111148990268"), withSub("SHOP0003", "")}, ""},
		{"first column", "subMerId,orderId,txnTime,amount,txnType,state\nA1,SHOP0001,20261125100000,10000,01,succeeded\n",
			[]Order{withSub("SHOP0001", "A1")}, ""},
		{"no column", ordersHead + orderRow1, []Order{withSub("SHOP0001", "")}, ""},
		{"letters of either case, a to z", head + "SHOP0001,20261125100000,10000,01,succeeded,azAZ09\n",
			[]Order{withSub("SHOP0001", "azAZ09")}, ""},
		{"a character next to the letters", head + "SHOP0001,20261125100000,10000,01,succeeded,SHOP[1\n", nil,
			`column 6 (subMerId): "SHOP[1"`},
		{"a character next to the letters, lower case", head + "SHOP0001,20261125100000,10000,01,succeeded,shop`1\n", nil,
			"column 6 (subMerId)"},
		{"at sign", head + "SHOP0001,20261125100000,10000,01,succeeded,SHOP@1\n", nil, "column 6 (subMerId)"},
		{"spreadsheet number", head + "SHOP0001,20261125100000,10000,01,succeeded,8.98111E+14\n", nil,
			`line 2, column 6 (subMerId): "8.98111E+14": want up to 15 letters or digits`},
		{"too long", head + "SHOP0001,20261125100000,10000,01,succeeded,8981111489902681\n", nil,
			"column 6 (subMerId)"},
		{"space", head + "SHOP0001,20261125100000,10000,01,succeeded, 898111148990268\n", nil,
			"column 6 (subMerId)"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			orders, errs, _ := readOrdersCSV(t, tt.in)
			assert.Equal(t, tt.want, orders)
			if tt.bad == "" {
				assert.Empty(t, errs)
				return
			}
			require.Len(t, errs, 1)
			assert.Contains(t, errs[0].Error(), tt.bad)
			ce, ok := errors.AsType[*CSVError](errs[0])
			require.True(t, ok)
			assert.Equal(t, "subMerId", ce.Name)
			assert.NotContains(t, errs[0].Error(), "8981111489902681", "a 16-digit cell is masked as a card number")
		})
	}
	_, err := NewOrdersCSVReader(strings.NewReader("orderId,txnTime,amount,txnType,state,subMerId,subMerId\n"))
	require.ErrorIs(t, err, ErrOrdersHeader)
	assert.Contains(t, err.Error(), "subMerId appears twice")

	or, err := NewOrdersCSVReader(strings.NewReader(head))
	require.NoError(t, err)
	assert.Equal(t, 6, or.Column("subMerId"))
	or, err = NewOrdersCSVReader(strings.NewReader(ordersHead))
	require.NoError(t, err)
	assert.Equal(t, 0, or.Column("subMerId"), "absent")
}

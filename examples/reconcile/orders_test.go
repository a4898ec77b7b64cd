package main

import (
	"strings"
	"testing"
)

// An orders CSV saved by Excel ("CSV UTF-8") starts with a byte-order mark: it reads as any
// other; an empty one says what it wants.
func TestOrdersByteOrderMarkAndEmpty(t *testing.T) {
	t.Parallel()
	csv := "\ufefforderId,txnTime,amount,txnType,state\r\nSHOP20261125000001,20261125100512,12800,01,succeeded\r\n"
	var n int
	for o, err := range readOrders(strings.NewReader(csv)) {
		if err != nil {
			t.Fatal(err)
		}
		n++
		if o.OrderID != "SHOP20261125000001" || o.Amount != 12800 {
			t.Errorf("order %+v", o)
		}
	}
	if n != 1 {
		t.Errorf("%d orders, want 1", n)
	}
	for _, err := range readOrders(strings.NewReader("")) {
		if err == nil || !strings.Contains(err.Error(), "header row") {
			t.Errorf("empty orders: %v", err)
		}
	}
}

package main

import (
	"encoding/json"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestReconcileOrdersSubMerID: a platform's ORDERS.csv with a subMerId column has each order
// checked against the shop its record was filed under: the refund UnionPay filed under another
// sub-merchant is a state_mismatch naming both (status 4), the consume under its own matches, and
// a missing order's report row carries its shop.
func TestReconcileOrdersSubMerID(t *testing.T) {
	const shopA, shopB = "898111148990268", "898111148990269"
	recs := testRecords(ordersDay)
	recs[0].SubMerID, recs[1].SubMerID = shopA, shopB
	dir := t.TempDir()
	zipPath := dayFile{records: recs}.write(t, dir)
	orders := writeTestFile(t, dir, "orders.csv", []byte("orderId,txnTime,amount,txnType,state,subMerId\n"+
		"SHOP0001,20261125100000,10000,01,succeeded,"+shopA+"\n"+
		"SHOP0002,20261125110000,4000,04,succeeded,"+shopA+"\n"+
		"SHOP0003,20261125120000,500,01,succeeded,"+shopB+"\n"))

	r := runCLI(t, "", "reconcile", "-orders", orders, zipPath)
	require.Equal(t, exitDiscrepancies, r.code, r.stderr)
	var rep struct {
		Results []struct {
			Class    string `json:"class"`
			OrderID  string `json:"order_id"`
			Detail   string `json:"detail"`
			SubMerID string `json:"sub_mer_id"`
		} `json:"results"`
	}
	require.NoError(t, json.Unmarshal([]byte(r.stdout), &rep), r.stdout)
	require.Len(t, rep.Results, 3, r.stdout)
	assert.Equal(t, "matched", rep.Results[0].Class)
	assert.Equal(t, "state_mismatch", rep.Results[1].Class)
	assert.Equal(t, "SHOP0002", rep.Results[1].OrderID)
	assert.Contains(t, rep.Results[1].Detail, "subMerId "+shopB+" at UnionPay, "+shopA+" at the merchant")
	assert.Equal(t, shopB, rep.Results[1].SubMerID, "the shop UnionPay filed it under")
	assert.Equal(t, "missing_at_unionpay", rep.Results[2].Class)
	assert.Equal(t, shopB, rep.Results[2].SubMerID, "the order's shop")
}

package main

import (
	"encoding/csv"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestReconcileSummaryBySubMer: -summary -by submer adds a platform's totals per sub-merchant
// (merId, subMerId and its abbreviation; "" for records of none) to the file's, which stay as
// they were; -by alone, or another value, is a usage error.
func TestReconcileSummaryBySubMer(t *testing.T) {
	const shopA, shopB = "898111148990268", "898111148990269"
	recs := testRecords(ordersDay)
	third := recs[0]
	third.OrderID, third.TraceNo, third.QueryID = "SHOP0003", "100004", "261125100000000000004"
	third.TxnAmt, third.MerchantFee, third.SettleAmt, third.NetSettleAmt = 2000, -12, 1988, 1988
	direct := recs[0]
	direct.OrderID, direct.TraceNo, direct.QueryID = "SHOP0004", "100005", "261125100000000000005"
	direct.TxnAmt, direct.MerchantFee, direct.SettleAmt, direct.NetSettleAmt = 100, 0, 100, 100
	recs[0].SubMerID, recs[0].SubMerAbbr = shopA, "龙井茶叶"
	recs[1].SubMerID, recs[1].SubMerAbbr = shopA, "龙井" // another abbreviation: the first one given is shown
	third.SubMerID, third.SubMerAbbr = shopB, "=cmd"
	recs = append(recs, third, direct) // direct: subMerId zeros, the platform's own
	path := dayFile{records: recs}.write(t, t.TempDir())

	plain := runCLI(t, "", "reconcile", "-summary", path)
	require.Equal(t, exitOK, plain.code, plain.stderr)
	r := runCLI(t, "", "reconcile", "-summary", "-by", "submer", path)
	require.Equal(t, exitOK, r.code, r.stderr)
	assert.Equal(t, strings.TrimSuffix(plain.stdout, "}\n")+`,"subMerchants":[`+
		`{"merId":"777290058110048","subMerId":"","subMerAbbr":"","records":1,"txnAmtCredit":100,"txnAmtDebit":0,"txnAmtNet":100,"merchantFee":0,"settleAmt":100},`+
		`{"merId":"777290058110048","subMerId":"`+shopA+`","subMerAbbr":"龙井茶叶","records":2,"txnAmtCredit":10000,"txnAmtDebit":4000,"txnAmtNet":6000,"merchantFee":-36,"settleAmt":5964},`+
		`{"merId":"777290058110048","subMerId":"`+shopB+`","subMerAbbr":"=cmd","records":1,"txnAmtCredit":2000,"txnAmtDebit":0,"txnAmtNet":2000,"merchantFee":-12,"settleAmt":1988}]}`+"\n",
		r.stdout)

	r = runCLI(t, "", "reconcile", "-summary", "-by", "submer", "-format", "csv", path)
	require.Equal(t, exitOK, r.code, r.stderr)
	rows, err := csv.NewReader(strings.NewReader(r.stdout)).ReadAll()
	require.NoError(t, err)
	require.Len(t, rows, 5, r.stdout)
	assert.Equal(t, []string{"row", "merId", "subMerId", "subMerAbbr", "records", "txnAmtCredit", "txnAmtDebit",
		"txnAmtNet", "merchantFee", "settleAmt", "zmeRecords", "zmeSettleAmt"}, rows[0])
	assert.Equal(t, []string{"subMer", "777290058110048", "", "", "1", "100", "0", "100", "0", "100", "", ""}, rows[1])
	assert.Equal(t, []string{"subMer", "777290058110048", shopB, "'=cmd", "1", "2000", "0", "2000", "-12", "1988", "", ""}, rows[3])
	assert.Equal(t, []string{"total", "", "", "", "4", "12100", "4000", "8100", "-48", "8052", "0", "0"}, rows[4])

	for _, args := range [][]string{{"-by", "submer", path}, {"-summary", "-by", "merid", path}} {
		requireFailure(t, runCLI(t, "", append([]string{"reconcile"}, args...)...), exitUsage, "-by")
	}
}

// TestReconcileSummaryBySubMerOrder: sub-merchants whose subMerIds show alike once escaped (a
// control byte, "\x01", and those four characters; a ZM text field makes no error) come in one
// order, that of the subMerIds as read, every time: not in the order of a map.
func TestReconcileSummaryBySubMerOrder(t *testing.T) {
	recs := testRecords(ordersDay)
	recs[0].SubMerID, recs[1].SubMerID = "\x01", `\x01`
	path := dayFile{records: recs}.write(t, t.TempDir())
	first := runCLI(t, "", "reconcile", "-summary", "-by", "submer", path)
	require.Equal(t, exitOK, first.code, first.stderr)
	require.Equal(t, 2, strings.Count(first.stdout, `"subMerId":"\\x01"`), first.stdout)
	for range 200 { // a map of two gives the same order often: 200 runs, so that a map order is seen
		r := runCLI(t, "", "reconcile", "-summary", "-by", "submer", path)
		require.Equal(t, first.stdout, r.stdout)
	}
}

// TestReconcileSummaryBySubMerTwoMerchants: a zip of two merIds' records (an acquirer's, or two
// platforms' files joined) lists the sub-merchants by merId first, then subMerId: here the
// merId order and the subMerId order disagree.
func TestReconcileSummaryBySubMerTwoMerchants(t *testing.T) {
	const merLow, merHigh = "777290058110047", "777290058110048"
	const subLow, subHigh = "898111148990268", "898111148990269"
	recs := testRecords(ordersDay)
	recs[0].MerID, recs[0].SubMerID = merHigh, subLow
	recs[1].MerID, recs[1].SubMerID = merLow, subHigh
	path := dayFile{records: recs, noRD: true}.write(t, t.TempDir()) // the RD report is one merId's
	r := runCLI(t, "", "reconcile", "-summary", "-by", "submer", "-format", "csv", path)
	require.Equal(t, exitOK, r.code, r.stderr)
	rows, err := csv.NewReader(strings.NewReader(r.stdout)).ReadAll()
	require.NoError(t, err)
	require.Len(t, rows, 4, r.stdout)
	assert.Equal(t, []string{merLow, subHigh}, rows[1][1:3])
	assert.Equal(t, []string{merHigh, subLow}, rows[2][1:3])
}

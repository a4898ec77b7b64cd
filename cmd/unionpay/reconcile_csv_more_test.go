package main

import (
	"encoding/csv"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/goacp/unionpay/reconcile"
)

// TestReconcileCSVEveryTextColumn: every text column, not only the ids, goes through
// CSVText: a settlement file's txnSubType, bizType and traceNo are free text to the parser too
// (escaping only the first five columns went unnoticed: the existing test planted formulas in
// orderId and origOrderId alone).
func TestReconcileCSVEveryTextColumn(t *testing.T) {
	day := time.Date(2026, 11, 25, 0, 0, 0, 0, reconcile.Beijing())
	recs := testRecords(day)
	recs[0].TxnSubType, recs[0].BizType, recs[0].TraceNo = "=1", "=1+1+1", "@SUM(1"
	s := reconcile.Settlement{MerID: "777290058110048", MerName: "测试商户", AcqInsCode: "88022900", SettleDate: day,
		Records: recs}
	zipBytes, err := s.Zip()
	require.NoError(t, err)
	path := writeTestFile(t, t.TempDir(), reconcile.ArchiveName(s.MerID, day), zipBytes)
	r := runCLI(t, "", "reconcile", "-format", "csv", path)
	require.Equal(t, exitOK, r.code, r.stderr)
	rows, err := csv.NewReader(strings.NewReader(r.stdout)).ReadAll()
	require.NoError(t, err)
	require.Len(t, rows, 3)
	col := func(name string) int {
		for i, h := range rows[0] {
			if h == name {
				return i
			}
		}
		t.Fatalf("no column %s", name)
		return -1
	}
	assert.Equal(t, "'=1", rows[1][col("txnSubType")])
	assert.Equal(t, "'=1+1+1", rows[1][col("bizType")])
	assert.Equal(t, "'@SUM(1", rows[1][col("traceNo")])
}

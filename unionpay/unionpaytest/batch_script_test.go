package unionpaytest_test

import (
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/goacp/unionpay/unionpay/unionpaytest"
)

// TestBatchRowsFollowTheirScript: a Script of a batch row's orderId applies to the row, as to
// any back transaction: a failure is the row's result, a pending row is pending in the batch
// query's file until a query (a batch query included) moves it on, and the file's success
// totals count only rows that succeeded (a payout merchant's trial could not make a batch row
// fail or stay pending).
func TestBatchRowsFollowTheirScript(t *testing.T) {
	t.Parallel()
	m := newMerchant(t)
	file := "5.0.0|350|3||\norderId|currencyCode|txnAmt|accType|accNo|customerNm|bizType|certifTp|certifId|phoneNo|postscript\n" +
		"SCRIPTROW1|156|100|01|6216261000000000018|张三|000401|01|341126197709218366|13552535506|\n" +
		"SCRIPTROW2|156|200|01|6216261000000000018|李四|000401|01|341126197709218366|13552535506|\n" +
		"SCRIPTROW3|156|50|01|6216261000000000018|王五|000401|01|341126197709218366|13552535506|"
	content, err := unionpaytest.FileContent([]byte(file))
	require.NoError(t, err)
	m.srv.Script("SCRIPTROW1", unionpaytest.NoBalance)
	m.srv.Script("SCRIPTROW2", unionpaytest.Pending, unionpaytest.Pending, unionpaytest.Succeed)
	resp := m.call(unionpaytest.EndpointBatch, m.fields("21", "03", "000401", "batchNo", "0007",
		"totalQty", "3", "totalAmt", "350", "fileContent", content))
	require.Equal(t, "00", resp["respCode"], resp["respMsg"])

	query := func() []string {
		resp := m.call(unionpaytest.EndpointBatch, m.fields("22", "03", "000401", "batchNo", "0007"))
		require.Equal(t, "00", resp["respCode"], resp["respMsg"])
		return strings.Split(string(decodeFileContent(t, resp["fileContent"])), "\n")
	}
	lines := query()
	require.Len(t, lines, 5)
	assert.Equal(t, "0007|3|350|1|50", lines[0], "only the third row succeeded")
	assert.Contains(t, lines[2], "|"+string(unionpaytest.NoBalance)+"|")
	assert.Contains(t, lines[3], "|05|", "pending: its script's second step")
	lines = query()
	assert.Equal(t, "0007|3|350|2|250", lines[0], "the pending row succeeded at the next query")
	assert.Contains(t, lines[3], "|00|")
	q := m.query("SCRIPTROW1", m.clock.Now().Format("20060102150405"))
	assert.Equal(t, string(unionpaytest.NoBalance), q["origRespCode"], "the failed row is a transaction that failed")
}

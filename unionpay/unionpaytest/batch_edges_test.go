package unionpaytest_test

import (
	"fmt"
	"strings"
	"sync"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/goacp/unionpay/unionpay/unionpaytest"
)

// submitRows submits a batch of the given sub type (03 payout, 02 collection) whose rows are
// orderId:amount (or orderId:amount:accNo, the card number otherwise the test card), and returns
// a function that runs a batch query and returns the file's lines.
func submitRows(t *testing.T, m *merchant, subType, batchNo string, rows ...string) (respCode string, query func() []string) {
	t.Helper()
	biz := map[string]string{"03": "000401", "02": "000501"}[subType]
	var sum int64
	var b strings.Builder
	for _, r := range rows {
		id, amt, _ := strings.Cut(r, ":")
		accNo := "6216261000000000018"
		if a, card, ok := strings.Cut(amt, ":"); ok {
			amt, accNo = a, card
		}
		var n int64
		_, err := fmt.Sscan(amt, &n)
		require.NoError(t, err)
		sum += n
		fmt.Fprintf(&b, "\n%s|156|%s|01|%s|张三|%s|01|341126197709218366|13552535506|", id, amt, accNo, biz)
	}
	file := fmt.Sprintf("5.0.0|%d|%d||\norderId|currencyCode|txnAmt|accType|accNo|customerNm|bizType|certifTp|certifId|phoneNo|postscript", sum, len(rows)) + b.String()
	content, err := unionpaytest.FileContent([]byte(file))
	require.NoError(t, err)
	resp := m.call(unionpaytest.EndpointBatch, m.fields("21", subType, biz, "batchNo", batchNo,
		"totalQty", fmt.Sprint(len(rows)), "totalAmt", fmt.Sprint(sum), "fileContent", content))
	query = func() []string {
		t.Helper()
		resp := m.call(unionpaytest.EndpointBatch, m.fields("22", subType, biz, "batchNo", batchNo))
		require.Equal(t, "00", resp["respCode"], resp["respMsg"])
		return strings.Split(string(decodeFileContent(t, resp["fileContent"])), "\n")
	}
	return resp["respCode"], query
}

// rowCode returns the respCode column of a result file row.
func rowCode(t *testing.T, line string) string {
	t.Helper()
	cols := strings.Split(line, "|")
	require.Len(t, cols, 5, line)
	return cols[3]
}

// TestBatchPayoutRowQueryAgainCodeMovesOn: a payout row scripted 12 (or 01, 34, 60) then
// Succeed is, as a single payout so scripted, not final: a query of the row moves it on to 00.
// The batch query must show the row as a query of it would (the CHANGELOG's promise), count it
// in the success totals once it succeeded, and move it on itself.
func TestBatchPayoutRowQueryAgainCodeMovesOn(t *testing.T) {
	t.Parallel()
	for _, first := range []unionpaytest.Outcome{"12", unionpaytest.Failed, "34", "60"} {
		t.Run(string(first), func(t *testing.T) {
			t.Parallel()
			m := newMerchant(t)
			m.srv.Script("REVQAGAIN1", first, unionpaytest.Succeed)
			code, query := submitRows(t, m, "03", "0101", "REVQAGAIN1:100", "REVQAGAIN2:50")
			require.Equal(t, "00", code)
			x, ok := m.srv.Transaction("REVQAGAIN1")
			require.True(t, ok)
			require.False(t, x.Final, "as a single payout: %s with steps left is not final", first)

			lines := query()
			// The batch query moves the row on, as a query of it would: it is now 00.
			assert.Equal(t, "00", rowCode(t, lines[2]), "a batch query moves a non-final payout row on")
			assert.Equal(t, "0101|2|150|2|150", lines[0], "the row that succeeded counts")
			x, _ = m.srv.Transaction("REVQAGAIN1")
			assert.Equal(t, "00", x.RespCode)
		})
	}
}

// TestBatchRowFileAgreesWithLedger: whatever moved the row (a query of it), the batch
// file must never contradict the ledger and the settlement file.
func TestBatchRowFileAgreesWithLedger(t *testing.T) {
	t.Parallel()
	m := newMerchant(t)
	m.srv.Script("REVLEDGER1", "12", unionpaytest.Succeed)
	_, query := submitRows(t, m, "03", "0102", "REVLEDGER1:100")
	q := m.query("REVLEDGER1", m.clock.Now().Format("20060102150405"))
	require.Equal(t, "00", q["origRespCode"], "a query of the row moves it on to success")
	recs := m.srv.Records(m.clock.Now())
	require.Len(t, recs, 1, "the row settled: it is in the day's file")
	lines := query()
	assert.Equal(t, "00", rowCode(t, lines[2]), "the batch file agrees with the ledger and settlement file")
	assert.Equal(t, "0102|1|100|1|100", lines[0])
}

// TestBatchRowSucceedThenMore: Succeed then more steps is "accepted, result later": the
// first batch query (like the first query) sees the next step, here a failure, final, not settled.
func TestBatchRowSucceedThenMore(t *testing.T) {
	t.Parallel()
	m := newMerchant(t)
	m.srv.Script("REVSTHEN01", unionpaytest.Succeed, unionpaytest.Pending, unionpaytest.NoBalance, unionpaytest.Succeed)
	code, query := submitRows(t, m, "02", "0103", "REVSTHEN01:300", "REVSTHEN02:20")
	require.Equal(t, "00", code)
	x, _ := m.srv.Transaction("REVSTHEN01")
	assert.Equal(t, "05", x.RespCode, "accepted")
	assert.False(t, x.Final)
	assert.Equal(t, "05", rowCode(t, query()[2]))
	lines := query()
	assert.Equal(t, "64", rowCode(t, lines[2]))
	assert.Equal(t, "0103|2|320|1|20", lines[0])
	lines = query()
	assert.Equal(t, "64", rowCode(t, lines[2]), "a final failure stays; later steps are ignored")
	x, _ = m.srv.Transaction("REVSTHEN01")
	assert.True(t, x.Final)
	for _, r := range m.srv.Records(m.clock.Now()) {
		assert.NotEqual(t, "REVSTHEN01", r.OrderID, "a failed row is not settled")
	}
}

// TestBatchEveryRowFails: a batch whose every row fails is still accepted (00): the rows'
// results are the batch query's; success totals 0|0; nothing settles; each row is registered as
// a failed transaction (its orderId used).
func TestBatchEveryRowFails(t *testing.T) {
	t.Parallel()
	m := newMerchant(t)
	m.srv.Script("REVALLF001", unionpaytest.NoBalance)
	m.srv.Script("REVALLF002", unionpaytest.Rejected)
	code, query := submitRows(t, m, "03", "0104", "REVALLF001:100", "REVALLF002:200")
	require.Equal(t, "00", code)
	lines := query()
	assert.Equal(t, "0104|2|300|0|0", lines[0])
	assert.Equal(t, "64", rowCode(t, lines[2]))
	assert.Equal(t, "30", rowCode(t, lines[3]))
	assert.Empty(t, m.srv.Records(m.clock.Now()))
	for _, id := range []string{"REVALLF001", "REVALLF002"} {
		x, ok := m.srv.Transaction(id)
		require.True(t, ok, id)
		assert.True(t, x.Final, id)
	}
}

// TestBatchA6Row: a row scripted A6 (success with defect) is a success: counted in the
// success totals, settled, and a query finds it succeeded.
func TestBatchA6Row(t *testing.T) {
	t.Parallel()
	m := newMerchant(t)
	m.srv.Script("REVA6ROW01", "A6")
	_, query := submitRows(t, m, "03", "0105", "REVA6ROW01:70", "REVA6ROW02:30")
	lines := query()
	assert.Equal(t, "0105|2|100|2|100", lines[0])
	assert.Equal(t, "A6", rowCode(t, lines[2]))
	assert.Len(t, m.srv.Records(m.clock.Now()), 2, "both rows settle")
	q := m.query("REVA6ROW01", m.clock.Now().Format("20060102150405"))
	assert.Equal(t, "A6", q["origRespCode"])
}

// TestBatchPendingRowSettles: a pending row settles (is in the day's file) once a batch
// query moves it to success, and not before.
func TestBatchPendingRowSettles(t *testing.T) {
	t.Parallel()
	m := newMerchant(t)
	m.srv.Script("REVPEND001", unionpaytest.Pending, unionpaytest.Succeed)
	_, query := submitRows(t, m, "03", "0106", "REVPEND001:100")
	assert.Empty(t, m.srv.Records(m.clock.Now()), "pending: not settled")
	lines := query()
	assert.Equal(t, "00", rowCode(t, lines[2]))
	recs := m.srv.Records(m.clock.Now())
	require.Len(t, recs, 1)
	assert.Equal(t, "REVPEND001", recs[0].OrderID)
	assert.Equal(t, "12", recs[0].TxnType)
	assert.Equal(t, int64(-100-1), recs[0].SettleAmt, "a payout debits the amount and its fee")
}

// TestBatchQueryConcurrent: batch queries, queries of rows and Advance on rows run together
// (go test -race): no race, no deadlock, and every row ends where its script ends.
func TestBatchQueryConcurrent(t *testing.T) {
	t.Parallel()
	m := newMerchant(t)
	var rows []string
	for i := range 6 {
		id := fmt.Sprintf("REVCONC%03d", i)
		m.srv.Script(id, unionpaytest.Pending, unionpaytest.Pending, unionpaytest.Pending, unionpaytest.Succeed)
		rows = append(rows, id+":10")
	}
	_, query := submitRows(t, m, "03", "0107", rows...)
	txnTime := m.clock.Now().Format("20060102150405")
	var wg sync.WaitGroup
	for i := range 4 {
		wg.Go(func() {
			for j := range 3 {
				switch (i + j) % 3 {
				case 0:
					query()
				case 1:
					m.query(fmt.Sprintf("REVCONC%03d", i), txnTime)
				default:
					_, err := m.srv.Advance(fmt.Sprintf("REVCONC%03d", i+1))
					assert.NoError(t, err)
				}
			}
		})
	}
	wg.Wait()
	for range 3 {
		query()
	}
	assert.Equal(t, "0107|6|60|6|60", query()[0])
}

// TestBatchRowRespMsg: a row's respMsg is that of its current code (a pending row that
// succeeded reads 成功, a failed one its failure), as a query's origRespMsg does.
func TestBatchRowRespMsg(t *testing.T) {
	t.Parallel()
	m := newMerchant(t)
	m.srv.Script("REVMSG0001", unionpaytest.Pending, unionpaytest.Succeed)
	m.srv.Script("REVMSG0002", unionpaytest.Pending, unionpaytest.Pending)
	_, query := submitRows(t, m, "03", "0108", "REVMSG0001:10", "REVMSG0002:20")
	lines := query()
	assert.True(t, strings.HasSuffix(lines[2], "|00|成功[0000000]"), lines[2])
	assert.True(t, strings.HasSuffix(lines[3], "|05|交易已受理，请稍后查询交易结果[0000005]"), lines[3])
	q := m.query("REVMSG0001", m.clock.Now().Format("20060102150405"))
	assert.True(t, strings.HasSuffix(lines[2], "|"+q["origRespCode"]+"|"+q["origRespMsg"]), "as a query reads it")
}

// TestBatchRowEveryPendingCode: every pending code (03, 04, 05, 83) as a row's first step
// leaves the row pending and live, as for a single back transaction: the batch query moves it on.
func TestBatchRowEveryPendingCode(t *testing.T) {
	t.Parallel()
	m := newMerchant(t)
	firsts := []unionpaytest.Outcome{unionpaytest.TimedOut, unionpaytest.Unknown, unionpaytest.Pending, unionpaytest.IssuerBusy}
	var rows []string
	for i, first := range firsts {
		id := fmt.Sprintf("REVPCODE%02d", i)
		m.srv.Script(id, first, unionpaytest.Succeed)
		rows = append(rows, id+":10")
	}
	code, query := submitRows(t, m, "02", "0109", rows...)
	require.Equal(t, "00", code)
	for i, first := range firsts {
		x, ok := m.srv.Transaction(fmt.Sprintf("REVPCODE%02d", i))
		require.True(t, ok)
		assert.Equal(t, string(first), x.RespCode)
		assert.False(t, x.Final, first)
	}
	assert.Equal(t, "0109|4|40|4|40", query()[0], "every pending row moved on to success")
}

// TestBatchRowWithoutCard: a collection's or payout's row without a card number, or with one that
// is not 12 to 19 digits, is refused, never paid (the fake paid it; an insurer's trial).
func TestBatchRowWithoutCard(t *testing.T) {
	t.Parallel()
	for _, sub := range []string{"03", "02"} {
		t.Run(sub, func(t *testing.T) {
			t.Parallel()
			m := newMerchant(t)
			code, query := submitRows(t, m, sub, "0102", "NOCARD0001:100:", "NOCARD0002:100:6216-2612",
				"NOCARD0003:100:62162610000000000018", "NOCARD0004:100", "NOCARD0005:100:62162610000")
			require.Equal(t, "00", code)
			lines := query()
			require.Len(t, lines, 7) // totals, columns, the rows
			assert.Equal(t, "0102|5|500|1|100", lines[0], "one row succeeded")
			assert.Equal(t, "13", rowCode(t, lines[2]))
			assert.Equal(t, "10", rowCode(t, lines[3]))
			assert.Equal(t, "10", rowCode(t, lines[4]))
			assert.Equal(t, "00", rowCode(t, lines[5]))
			assert.Equal(t, "10", rowCode(t, lines[6]), "11 digits")
			for _, id := range []string{"NOCARD0001", "NOCARD0002", "NOCARD0003", "NOCARD0005"} {
				_, ok := m.srv.Transaction(id)
				assert.False(t, ok, "%s: no transaction for a row refused", id)
			}
		})
	}
}

// batchFile returns a payout batch file of rows id:currency:amount and its totals.
func batchFile(t *testing.T, rows ...string) (content string, qty int, amt int64) {
	t.Helper()
	var b strings.Builder
	for _, r := range rows {
		p := strings.Split(r, ":")
		var n int64
		_, err := fmt.Sscan(p[2], &n)
		require.NoError(t, err)
		amt += n
		fmt.Fprintf(&b, "\n%s|%s|%s|01|6216261000000000018|张三|000401|01|341126197709218366|13552535506|", p[0], p[1], p[2])
	}
	file := fmt.Sprintf("5.0.0|%d|%d||\n%s", amt, len(rows), "orderId|currencyCode|txnAmt|accType|accNo|customerNm|bizType|certifTp|certifId|phoneNo|postscript") + b.String()
	content, err := unionpaytest.FileContent([]byte(file))
	require.NoError(t, err)
	return content, len(rows), amt
}

// TestFidelity2BatchRowCurrency: a batch row in another currency than 156 must not become a
// CNY transaction of the same number: the gateway refuses currencyCode 840 on a single
// transaction (10), so the row is refused too, and never settles.
func TestFidelity2BatchRowCurrency(t *testing.T) {
	m := newMerchant(t, unionpaytest.WithReporter(&recorder{}))
	content, qty, amt := batchFile(t, "FID2USD001:840:100", "FID2CNY001:156:200")
	r := m.call(unionpaytest.EndpointBatch, m.fields("21", "03", "000401", "batchNo", "0001", "channelType", "07",
		"totalQty", fmt.Sprint(qty), "totalAmt", fmt.Sprint(amt), "fileContent", content))
	require.Equal(t, "00", r["respCode"], r["respMsg"])
	q := m.call(unionpaytest.EndpointBatch, m.fields("22", "03", "000401", "batchNo", "0001", "channelType", "07"))
	require.Equal(t, "00", q["respCode"], q["respMsg"])
	lines := strings.Split(string(decodeFileContent(t, q["fileContent"])), "\n")
	require.Len(t, lines, 4)
	assert.Equal(t, "10", rowCode(t, lines[2]), "the USD row: %s", lines[2])
	assert.Equal(t, "00", rowCode(t, lines[3]), lines[3])
	_, ok := m.srv.Transaction("FID2USD001")
	assert.False(t, ok, "the USD row is no transaction")
}

// TestFidelity2BatchTotalsFormat: totalQty and totalAmt are plain decimal counts and fen,
// written as the header of the file writes them; "+3" or "0350" is refused, as the gateway
// refuses a txnAmt with a sign or a leading zero.
func TestFidelity2BatchTotalsFormat(t *testing.T) {
	m := newMerchant(t, unionpaytest.WithReporter(&recorder{}))
	content, _, _ := batchFile(t, "FID2TOT001:156:100", "FID2TOT002:156:250")
	for i, c := range []struct{ qty, amt string }{{"+2", "350"}, {"02", "350"}, {"2", "+350"}, {"2", "0350"}} {
		r := m.call(unionpaytest.EndpointBatch, m.fields("21", "03", "000401", "batchNo", fmt.Sprintf("%04d", i+1),
			"channelType", "07", "totalQty", c.qty, "totalAmt", c.amt, "fileContent", content))
		assert.Equal(t, "10", r["respCode"], "totalQty %q totalAmt %q: %s", c.qty, c.amt, r["respMsg"])
	}
	r := m.call(unionpaytest.EndpointBatch, m.fields("21", "03", "000401", "batchNo", "0009",
		"channelType", "07", "totalQty", "2", "totalAmt", "350", "fileContent", content))
	assert.Equal(t, "00", r["respCode"], r["respMsg"])
}

package unionpaytest_test

import (
	"fmt"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/goacp/unionpay/unionpay/unionpaytest"
)

// TestBatchQueryOfAnotherType: batchNo is unique per day whatever the type, so a collection
// batch sent under a payout batch's number is refused 12; its query (22 with txnSubType 02) must
// not then be answered with the payout batch's result file, whose successes a merchant would
// book as collected. It is answered 34, as for no batch; the payout batch's own query still
// finds it.
func TestBatchQueryOfAnotherType(t *testing.T) {
	t.Parallel()
	m := newMerchant(t)
	code, payoutQuery := submitRows(t, m, "03", "0201", "TYPEROW001:100")
	require.Equal(t, "00", code)
	code, _ = submitRows(t, m, "02", "0201", "TYPEROW002:300")
	require.Equal(t, "12", code, "the batchNo is taken today")
	resp := m.call(unionpaytest.EndpointBatch, m.fields("22", "02", "000501", "batchNo", "0201"))
	assert.Equal(t, "34", resp["respCode"], "no collection batch 0201: %s", resp["respMsg"])
	assert.Empty(t, resp["fileContent"])
	lines := payoutQuery()
	require.Len(t, lines, 3)
	assert.Equal(t, "0201|1|100|1|100", lines[0])
}

// TestBatchRowOfAnotherProduct: a row whose bizType is not the batch's (a collection, 000501,
// in a payout batch) is refused on its own (36) and makes no transaction: the fake ran it as
// the batch's product before, paying out what the row asked to collect.
func TestBatchRowOfAnotherProduct(t *testing.T) {
	t.Parallel()
	for _, tt := range []struct{ sub, batchBiz, rowBiz string }{
		{"03", "000401", "000501"},
		{"02", "000501", "000401"},
	} {
		t.Run(tt.sub, func(t *testing.T) {
			t.Parallel()
			m := newMerchant(t)
			file := "5.0.0|300|2||\norderId|currencyCode|txnAmt|accType|accNo|customerNm|bizType|certifTp|certifId|phoneNo|postscript\n" +
				fmt.Sprintf("BIZROW0001|156|100|01|6216261000000000018|张三|%s|01|341126197709218366||\n", tt.batchBiz) +
				fmt.Sprintf("BIZROW0002|156|200|01|6216261000000000018|李四|%s|01|341126197709218366||", tt.rowBiz)
			content, err := unionpaytest.FileContent([]byte(file))
			require.NoError(t, err)
			resp := m.call(unionpaytest.EndpointBatch, m.fields("21", tt.sub, tt.batchBiz, "batchNo", "0202",
				"totalQty", "2", "totalAmt", "300", "fileContent", content))
			require.Equal(t, "00", resp["respCode"], resp["respMsg"])
			resp = m.call(unionpaytest.EndpointBatch, m.fields("22", tt.sub, tt.batchBiz, "batchNo", "0202"))
			require.Equal(t, "00", resp["respCode"], resp["respMsg"])
			lines := strings.Split(string(decodeFileContent(t, resp["fileContent"])), "\n")
			require.Len(t, lines, 4)
			assert.Equal(t, "0202|2|300|1|100", lines[0])
			assert.Equal(t, "00", rowCode(t, lines[2]))
			assert.Equal(t, "36", rowCode(t, lines[3]))
			_, ok := m.srv.Transaction("BIZROW0002")
			assert.False(t, ok, "no transaction for the row of another product")
		})
	}
}

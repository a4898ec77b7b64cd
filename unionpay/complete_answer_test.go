package unionpay_test

import (
	"context"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/goacp/unionpay/sign"
	"github.com/goacp/unionpay/unionpay"
)

// TestQueryAnswerFieldsTyped: the fields PROTOCOL.md says a query answer returns reach the
// merchant as fields of the Transaction, not only in Raw (a completeness audit): reqReserved
// ("echoed in notification, query and reconciliation file"), the settlement data traceTime,
// settleCurrencyCode and exchangeRate, origQryId, txnSubType (03 is a consume in
// instalments), currencyCode (the unit of Amount) and payCardType / payType.
func TestQueryAnswerFieldsTyped(t *testing.T) {
	ans := sign.Fields{
		"origRespCode": "00", "origRespMsg": "成功[0000000]", "txnType": "01", "txnSubType": "03",
		"bizType": "000201", "txnAmt": "1000", "currencyCode": "392", "settleAmt": "4830",
		"settleCurrencyCode": "156", "exchangeRate": "30048300", "settleDate": "0105",
		"traceNo": "123456", "traceTime": "0105103000", "reqReserved": "cart=42",
		"origQryId": "782401051030000000010", "payCardType": "02", "payType": "0001",
	}
	g := newGateway(t, accept(ans))
	c := newTestClient(t, g)
	tx, err := c.Query(context.Background(), &unionpay.QueryRequest{OrderID: testOrder, TxnTime: testNow})
	require.NoError(t, err)
	require.Equal(t, unionpay.Succeeded, tx.State)
	for _, f := range []struct{ got, wire string }{
		{tx.ReqReserved, "reqReserved"},
		{tx.Currency, "currencyCode"},
		{tx.SettleCurrency, "settleCurrencyCode"},
		{tx.ExchangeRate, "exchangeRate"},
		{tx.TraceTime, "traceTime"},
		{tx.OrigQueryID, "origQryId"},
		{tx.TxnSubType, "txnSubType"},
		{tx.PayCardType, "payCardType"},
		{tx.PayType, "payType"},
	} {
		assert.Equal(t, ans[f.wire], f.got, f.wire)
	}
	assert.Equal(t, int64(1000), tx.Amount)
	assert.Equal(t, int64(4830), tx.SettleAmount)
}

// TestQueryAnswerAboutNoTransaction: an answer about no transaction (34, or the query's own
// 03/04/05/83) echoes the query's own txnType and txnSubType; they must not be read as
// the transaction's.
func TestQueryAnswerAboutNoTransaction(t *testing.T) {
	for _, code := range []string{"34", "05"} {
		g := newGateway(t, func(req sign.Fields) reply {
			f := answerTo(req, code, nil)
			delete(f, "txnType") // an answer that does not echo it still echoes the others
			return reply{fields: f}
		})
		c := newTestClient(t, g)
		tx, err := c.Query(context.Background(), &unionpay.QueryRequest{OrderID: testOrder, TxnTime: testNow})
		require.NoError(t, err)
		require.NotEqual(t, unionpay.Succeeded, tx.State, code)
		assert.Empty(t, tx.TxnType, code)
		assert.Empty(t, tx.TxnSubType, code)
	}
}

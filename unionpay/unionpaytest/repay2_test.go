package unionpaytest_test

import (
	"context"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/goacp/unionpay/unionpay"
	"github.com/goacp/unionpay/unionpay/unionpaytest"
)

// declinedThenPaid pays orderID's front form with DeclinedCard, then Complete with TestCard; it
// returns the declined attempt's queryId (from the frontUrl result) and the txnTime.
func declinedThenPaid(t *testing.T, m *merchant, orderID, backURL string) (oldQID, txnTime string) {
	t.Helper()
	txnTime = m.clock.Now().Format("20060102150405")
	res, err := m.srv.Pay(context.Background(), m.frontForm(orderID, "1500", backURL), unionpaytest.DeclinedCard)
	require.NoError(t, err)
	require.Equal(t, unionpaytest.CodeDeclined, res["respCode"])
	oldQID = res["queryId"]
	require.NotEmpty(t, oldQID)
	m.clock.Advance(time.Minute)
	code, err := m.srv.Complete(orderID, unionpaytest.TestCard)
	require.NoError(t, err)
	require.Equal(t, unionpaytest.CodeSuccess, code)
	return oldQID, txnTime
}

// TestRepaySettlesOnce: an order declined then paid settles once (Records, the ZM file).
func TestRepaySettlesOnce(t *testing.T) {
	t.Parallel()
	m := newMerchant(t)
	in := newInbox(t, m.verifier)
	declinedThenPaid(t, m, "REVREPAY1", in.URL())
	recs := m.srv.Records(m.clock.Now())
	assert.Len(t, recs, 1, "one payment, one settlement line")
}

// TestRepayOldQueryID: the declined attempt's queryId still names the declined attempt:
// a query by it is answered with that queryId (the client refuses an answer for another), and a
// refund of it is refused.
func TestRepayOldQueryID(t *testing.T) {
	t.Parallel()
	m := newMerchant(t)
	in := newInbox(t, m.verifier)
	oldQID, _ := declinedThenPaid(t, m, "REVREPAY2", in.URL())
	f := m.fields("00", "00", "000000", "queryId", oldQID)
	resp := m.call(unionpaytest.EndpointQuery, f)
	if resp["respCode"] == "00" {
		assert.Equal(t, oldQID, resp["queryId"], "a query by queryId answers about that queryId")
		assert.NotEqual(t, "00", resp["origRespCode"], "the declined attempt did not succeed")
	}
	refund := m.back("04", "REVREFND2", oldQID, "100", in.URL())
	assert.NotEqual(t, "00", refund["respCode"], "a refund of the declined attempt's queryId is refused")
}

// TestRepayOldQueryIDClient: the same through the unionpay client.
func TestRepayOldQueryIDClient(t *testing.T) {
	t.Parallel()
	m := newMerchant(t)
	in := newInbox(t, m.verifier)
	oldQID, _ := declinedThenPaid(t, m, "REVREPAY3", in.URL())
	cfg := m.srv.Config()
	cfg.Now = m.clock.Now
	c, err := unionpay.NewClient(cfg)
	require.NoError(t, err)
	tx, err := c.Query(context.Background(), &unionpay.QueryRequest{QueryID: oldQID})
	require.NoError(t, err, "a query by the declined attempt's queryId gets an answer about it")
	assert.Equal(t, unionpay.Failed, tx.State)
}

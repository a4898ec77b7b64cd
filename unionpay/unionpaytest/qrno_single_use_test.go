package unionpaytest_test

import (
	"context"
	"errors"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/goacp/unionpay/unionpay"
	"github.com/goacp/unionpay/unionpay/unionpaytest"
)

// TestQRNoSingleUse: a payer's payment code (qrNo, 被扫 01/06) pays once. A second consume with a
// code whose consume succeeded, or is still pending (a blind retry under a new orderId), is
// refused 10 and reported, the payer's code not quoted; one whose consume ended failed (declined,
// or pending then failed at the query) may be consumed again, as may another code. The same
// orderId sent again is refused 12, as any duplicate.
func TestQRNoSingleUse(t *testing.T) {
	t.Parallel()
	const qrNo, other = "6220000000000000001", "6220000000000000002"
	tests := []struct {
		name     string
		first    []unionpaytest.Outcome // Script of the first consume
		queried  bool                   // the first consume queried once before the second
		second   string                 // the second consume's qrNo
		sameID   bool                   // the second under the first's orderId
		wantCode string                 // the second's respCode
	}{
		{name: "succeeded", second: qrNo, wantCode: unionpaytest.CodeMalformed},
		{name: "accepted, succeeded at the query", first: []unionpaytest.Outcome{unionpaytest.Succeed, unionpaytest.Succeed},
			queried: true, second: qrNo, wantCode: unionpaytest.CodeMalformed},
		{name: "pending 05", first: []unionpaytest.Outcome{unionpaytest.Pending, unionpaytest.Succeed},
			second: qrNo, wantCode: unionpaytest.CodeMalformed},
		{name: "timed out 03", first: []unionpaytest.Outcome{unionpaytest.TimedOut, unionpaytest.Succeed},
			second: qrNo, wantCode: unionpaytest.CodeMalformed},
		{name: "declined 64", first: []unionpaytest.Outcome{unionpaytest.NoBalance}, second: qrNo, wantCode: "00"},
		{name: "pending, failed at the query", first: []unionpaytest.Outcome{unionpaytest.Pending, unionpaytest.Failed},
			queried: true, second: qrNo, wantCode: "00"},
		{name: "another code", second: other, wantCode: "00"},
		{name: "the same orderId", second: qrNo, sameID: true, wantCode: unionpaytest.CodeDuplicate},
	}
	for i, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			rec := &recorder{}
			m := newMerchant(t, unionpaytest.WithReporter(rec))
			consume := func(orderID, code string) map[string]string {
				return m.call(unionpaytest.EndpointBack, m.fields("01", "06", "000000", "orderId", orderID, "qrNo", code,
					"termId", "T0000001", "txnAmt", "1234", "currencyCode", "156", "channelType", "07",
					"backUrl", "http://127.0.0.1:1/n"))
			}
			first, second := "QRONCE"+string(rune('A'+i))+"01", "QRONCE"+string(rune('A'+i))+"02"
			if tt.sameID {
				second = first
			}
			if tt.first != nil {
				m.srv.Script(first, tt.first...)
			}
			req := consume(first, qrNo)
			if tt.queried {
				q := m.query(first, req["txnTime"])
				require.Equal(t, "00", q["respCode"], q["respMsg"])
			}
			resp := consume(second, tt.second)
			assert.Equal(t, tt.wantCode, resp["respCode"], resp["respMsg"])
			assert.NotContains(t, resp["respMsg"], qrNo, "the payer's code is not quoted")
			reports := rec.all()
			assert.Equal(t, tt.wantCode == unionpaytest.CodeMalformed, len(reports) > 0, "reported: %q", reports)
			for _, r := range reports {
				assert.NotContains(t, r, qrNo, "the payer's code is not quoted")
			}
		})
	}
}

// TestQRNoBlindRetry: a shop that consumes again under a new orderId after a pending 被扫 answer,
// instead of querying, does not pay twice on the fake gateway: the retry is an *unionpay.Error
// 10 and the Reporter is told, while the first consume's query still finds it succeeded.
func TestQRNoBlindRetry(t *testing.T) {
	t.Parallel()
	rec := &recorder{}
	srv, c, clk := clientGateway(t, unionpaytest.WithReporter(rec))
	ctx := context.Background()
	r := &unionpay.QRConsumeRequest{OrderID: "QRRETRY0001", QRNo: "6220123456789012345", TermID: "T0000001",
		Amount: 2500, TxnTime: clk.Now(), BackURL: "http://127.0.0.1:1/n"}
	srv.Script(r.OrderID, unionpaytest.Pending, unionpaytest.Succeed)
	_, err := c.QRConsume(ctx, r)
	var pending *unionpay.PendingError
	require.ErrorAs(t, err, &pending)

	retry := *r
	retry.OrderID = "QRRETRY0002"
	_, err = c.QRConsume(ctx, &retry)
	var refused *unionpay.Error
	require.ErrorAs(t, err, &refused, "a blind retry with the same code")
	assert.Equal(t, unionpaytest.CodeMalformed, refused.RespCode)
	assert.False(t, errors.Is(err, unionpay.ErrPending))
	assert.NotEmpty(t, rec.all(), "reported")

	tx, err := c.Query(ctx, pending.QueryRequest())
	require.NoError(t, err)
	assert.Equal(t, unionpay.Succeeded, tx.State)
}

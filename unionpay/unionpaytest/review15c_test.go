package unionpaytest_test

import (
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/goacp/unionpay/unionpay/unionpaytest"
)

// review15c: a business refusal (a refund over the amount left) says no reason in respMsg: only a
// protocol violation does, before the detail code.
func TestReview15cBusinessRefusalHasNoReason(t *testing.T) {
	m := newMerchant(t, unionpaytest.WithReporter(&recorder{}))
	in := newInbox(t, m.verifier)
	qid := m.appConsume("REV15C0001", "1000", in.URL())
	over := m.back("04", "REV15C0002", qid, "1001", in.URL())
	require.Equal(t, "33", over["respCode"], over["respMsg"])
	require.NotContains(t, over["respMsg"], "：")
	require.Regexp(t, respMsgShape, over["respMsg"])
	bad := m.call(unionpaytest.EndpointApp, m.fields("01", "01", "000201", "orderId", "FID-BAD-01", "txnAmt", "100",
		"currencyCode", "156", "channelType", "08", "backUrl", in.URL()))
	require.Equal(t, "10", bad["respCode"])
	require.Contains(t, bad["respMsg"], "：", "a protocol refusal says why")
}

package unionpaytest_test

import (
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/goacp/unionpay/unionpay/unionpaytest"
)

// TestPreAuthCancelWindows: a completion cancel (33) only on the completion's day, a
// pre-authorisation cancel (32) within 30 days of the pre-authorisation, as UnionPay's demos say.
func TestPreAuthCancelWindows(t *testing.T) {
	t.Parallel()
	m := newMerchant(t)
	in := newInbox(t, m.verifier)
	preAuth := func(id string) string {
		resp := m.call(unionpaytest.EndpointApp, m.fields("02", "01", "000201", "orderId", id, "txnAmt", "1000",
			"currencyCode", "156", "channelType", "08", "backUrl", in.URL()))
		require.Equal(t, "00", resp["respCode"], resp["respMsg"])
		_, err := m.srv.Complete(id, "")
		require.NoError(t, err)
		return m.query(id, resp["txnTime"])["queryId"]
	}
	auth1, auth2 := preAuth("WINDOW0001"), preAuth("WINDOW0002")
	done := m.back("03", "WINDOW0003", auth1, "1000", in.URL())
	require.Equal(t, "00", done["respCode"])

	m.clock.Advance(24 * time.Hour)
	assert.Equal(t, "35", m.back("33", "WINDOW0004", done["queryId"], "1000", in.URL())["respCode"], "completion cancel the next day")
	m.clock.Advance(29 * 24 * time.Hour) // day 30
	assert.Equal(t, "00", m.back("32", "WINDOW0005", auth2, "1000", in.URL())["respCode"], "pre-auth cancel on day 30")

	auth3 := preAuth("WINDOW0006")
	m.clock.Advance(31 * 24 * time.Hour)
	assert.Equal(t, "35", m.back("32", "WINDOW0007", auth3, "1000", in.URL())["respCode"], "pre-auth cancel after 30 days")
}

// TestMutationReviewTwoPendingOnOriginal: while a completion or a cancel of an original is
// pending, UnionPay refuses a second completion or cancel of it.
func TestMutationReviewTwoPendingOnOriginal(t *testing.T) {
	t.Parallel()
	m := newMerchant(t)
	in := newInbox(t, m.verifier)
	preAuth := m.call(unionpaytest.EndpointApp, m.fields("02", "01", "000201", "orderId", "MUT2PENP01",
		"txnAmt", "10000", "currencyCode", "156", "channelType", "08", "backUrl", in.URL()))
	require.Equal(t, "00", preAuth["respCode"])
	_, err := m.srv.Complete("MUT2PENP01", "")
	require.NoError(t, err)
	preAuthQID := m.query("MUT2PENP01", preAuth["txnTime"])["queryId"]
	consumeQID := m.appConsume("MUT2PENC01", "1000", in.URL())

	tests := []struct {
		name            string
		kind, origQID   string
		amount          string
		firstID, nextID string
		nextKind        string
	}{
		{"second completion", "03", preAuthQID, "5000", "MUT2PEND01", "MUT2PEND02", "03"},
		{"second cancel", "31", consumeQID, "1000", "MUT2PENU01", "MUT2PENU02", "31"},
		{"refund during a cancel", "31", "", "1000", "", "MUT2PENR01", "04"},
	}
	for _, tt := range tests {
		if tt.firstID != "" {
			m.srv.Script(tt.firstID, unionpaytest.Succeed, unionpaytest.Pending, unionpaytest.Succeed)
			require.Equal(t, "00", m.back(tt.kind, tt.firstID, tt.origQID, tt.amount, in.URL())["respCode"], tt.name)
		}
		orig := tt.origQID
		if orig == "" {
			orig = consumeQID
		}
		amount := tt.amount
		if tt.nextKind == "04" {
			amount = "100"
		}
		t.Run(tt.name, func(t *testing.T) {
			require.NotEqual(t, "00", m.back(tt.nextKind, tt.nextID, orig, amount, in.URL())["respCode"])
		})
	}
}

// TestReview14CancelOnTheDayAPendingConsumeSettles: a consume paid at 22:30 but pending until
// 23:30 settles on the next day (txn.day), so a cancel at 23:40 is on its settle day and is
// accepted, and a cancel the day after that is refused.
func TestReview14CancelOnTheDayAPendingConsumeSettles(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		name  string
		later time.Duration // from the payment's becoming final to the cancel
		want  string
	}{{"same settle day", 10 * time.Minute, "00"}, {"next settle day", 24 * time.Hour, unionpaytest.CodeBadOriginal}} {
		t.Run(tc.name, func(t *testing.T) {
			m := newMerchant(t)
			m.clock.Advance(12*time.Hour + 30*time.Minute) // 2026-11-25 22:30
			txnTime := m.clock.Now().Format("20060102150405")
			m.srv.Script("PENDPAY001", unionpaytest.Pending, unionpaytest.Succeed)
			resp := m.call(unionpaytest.EndpointApp, m.fields("01", "01", "000201", "orderId", "PENDPAY001", "txnAmt", "1000",
				"currencyCode", "156", "channelType", "08", "backUrl", "http://127.0.0.1:1/n"))
			require.Equal(t, "00", resp["respCode"], resp["respMsg"])
			code, err := m.srv.Complete("PENDPAY001", "")
			require.NoError(t, err)
			require.NotEqual(t, "00", code, "the payment is pending")
			m.clock.Advance(time.Hour) // 23:30: the 25th has ended
			q := m.query("PENDPAY001", txnTime)
			require.Equal(t, "00", q["origRespCode"], q["respMsg"])
			require.Equal(t, "1126", q["settleDate"])
			m.clock.Advance(tc.later)
			got := m.back("31", "CANCEL0001", q["queryId"], "1000", "http://127.0.0.1:1/n")
			assert.Equal(t, tc.want, got["respCode"], got["respMsg"])
		})
	}
}

package unionpaytest_test

import (
	"context"
	"io"
	"net/http"
	"net/http/httptest"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/goacp/unionpay/unionpay/unionpaytest"
)

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
			m.clock.Add(12*time.Hour + 30*time.Minute) // 2026-11-25 22:30
			txnTime := m.clock.Now().Format("20060102150405")
			m.srv.Script("PENDPAY001", unionpaytest.Pending, unionpaytest.Succeed)
			resp := m.call(unionpaytest.EndpointApp, m.fields("01", "01", "000201", "orderId", "PENDPAY001", "txnAmt", "1000",
				"currencyCode", "156", "channelType", "08", "backUrl", "http://127.0.0.1:1/n"))
			require.Equal(t, "00", resp["respCode"], resp["respMsg"])
			code, err := m.srv.Complete("PENDPAY001", "")
			require.NoError(t, err)
			require.NotEqual(t, "00", code, "the payment is pending")
			m.clock.Add(time.Hour) // 23:30: the 25th has ended
			q := m.query("PENDPAY001", txnTime)
			require.Equal(t, "00", q["origRespCode"], q["respMsg"])
			require.Equal(t, "1126", q["settleDate"])
			m.clock.Add(tc.later)
			got := m.back("31", "CANCEL0001", q["queryId"], "1000", "http://127.0.0.1:1/n")
			assert.Equal(t, tc.want, got["respCode"], got["respMsg"])
		})
	}
}

// TestReview14NotifyUnpaidOrder: an app order nobody has paid has no notification to send: Notify
// is an error and sends nothing, though its backUrl answers 200.
func TestReview14NotifyUnpaidOrder(t *testing.T) {
	t.Parallel()
	var hits atomic.Int64
	inbox := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		hits.Add(1)
		_, _ = io.Copy(io.Discard, r.Body)
	}))
	defer inbox.Close()
	m := newMerchant(t)
	resp := m.call(unionpaytest.EndpointApp, m.fields("01", "01", "000201", "orderId", "UNPAID0001", "txnAmt", "1000",
		"currencyCode", "156", "channelType", "08", "backUrl", inbox.URL))
	require.Equal(t, "00", resp["respCode"], resp["respMsg"])
	err := m.srv.Notify(context.Background(), "UNPAID0001")
	require.Error(t, err)
	assert.Contains(t, err.Error(), "no transaction")
	assert.Zero(t, hits.Load(), "a notification of an unpaid order was sent")
}

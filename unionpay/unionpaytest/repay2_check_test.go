package unionpaytest_test

import (
	"testing"
	"time"

	"github.com/stretchr/testify/assert"

	"github.com/goacp/unionpay/unionpay/unionpaytest"
)

// TestPastPayTimeoutStillReportsMistakes: a past payTimeout does not hide the
// merchant's own mistakes from the Reporter: an app order (server to server, sent at once)
// whose txnTime and payTimeout were written in UTC (8 hours behind Beijing), a request with a
// bad channelType, and a refund that carries a payTimeout it has no use for.
func TestPastPayTimeoutStillReportsMistakes(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		name string
		ep   unionpaytest.Endpoint
		kv   []string
		utc  bool
	}{
		{"app order in UTC", unionpaytest.EndpointApp, []string{"txnType", "01", "channelType", "08"}, true},
		{"bad channelType", unionpaytest.EndpointApp, []string{"txnType", "01", "channelType", "99"}, false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			rec := &recorder{}
			m := newMerchant(t, unionpaytest.WithReporter(rec))
			now := m.clock.Now()
			txnTime := now
			if tc.utc {
				txnTime = now.Add(-8 * time.Hour)
			}
			f := m.fields("01", "01", "000201", "orderId", "REVLATE01", "txnAmt", "100", "currencyCode", "156",
				"backUrl", "http://127.0.0.1:1/n", "payTimeout", txnTime.Add(-time.Second).Format("20060102150405"))
			f["txnTime"] = txnTime.Format("20060102150405")
			for i := 0; i+1 < len(tc.kv); i += 2 {
				f[tc.kv[i]] = tc.kv[i+1]
			}
			resp := m.call(tc.ep, f)
			assert.NotEqual(t, "00", resp["respCode"])
			assert.NotZero(t, rec.count(), "the merchant's mistake is reported (got %s %s)", resp["respCode"], resp["respMsg"])
		})
	}
}

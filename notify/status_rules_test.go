package notify_test

import (
	"testing"

	"github.com/stretchr/testify/assert"

	"github.com/goacp/unionpay/notify"
)

// TestMoneyMovingWithoutQueryID: every money-moving txnType without a queryId (an app
// order's tn answer, or any answer naming no transaction) is Pending, even with a settleDate
// and respCode 00: the rule table tested only 01 and 04, so dropping 02, 03, 11, 32 or 33 from
// movesMoney went unnoticed (an app pre-authorisation's tn answer read Succeeded).
func TestMoneyMovingWithoutQueryID(t *testing.T) {
	t.Parallel()
	for _, txnType := range []string{"01", "02", "03", "04", "11", "12", "31", "32", "33"} {
		n := notify.Notification{TxnType: txnType, RespCode: "00", SettleDate: "1125"}
		assert.Equal(t, notify.Pending, n.Status(), "txnType %s without queryId", txnType)
		n.QueryID = "772611251000000000001"
		assert.Equal(t, notify.Succeeded, n.Status(), "txnType %s with queryId and settleDate", txnType)
	}
}

// TestPayoutNeedsItsBizType: a query's answer (origRespCode) with no payout txnType is a
// payout only with bizType 000401: 01, 34 and 60 of another product are failures.
func TestPayoutNeedsItsBizType(t *testing.T) {
	t.Parallel()
	for _, code := range []string{"01", "34", "60"} {
		n := notify.Notification{TxnType: "00", BizType: "000000", RespCode: "00", OrigRespCode: code,
			QueryID: "772611251000000000001"}
		assert.Equal(t, notify.Failed, n.Status(), "origRespCode %s, bizType 000000", code)
		n.BizType = "000401"
		assert.Equal(t, notify.Pending, n.Status(), "origRespCode %s, payout", code)
	}
}

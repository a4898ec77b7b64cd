package main

import (
	"testing"
	"time"

	"github.com/stretchr/testify/assert"

	"github.com/goacp/unionpay/unionpay/unionpaytest"
)

// TestBackURLNotice: the sandbox's line for a failed notification names the order, the backUrl
// and why, and the retries left, scaled as the sandbox runs them; after the last attempt (Left
// empty) it says no retry is left, not "retried after , ...".
func TestBackURLNotice(t *testing.T) {
	t.Parallel()
	const url = "http://127.0.0.1:1/notify"
	tests := []struct {
		name string
		left []time.Duration
		want string
	}{
		{"retries left", []time.Duration{4 * time.Minute, 5 * time.Minute},
			"unionpay sandbox: notification for ORDER0001 to backUrl " + url + " failed: answered 500; " +
				"retried after 4m0s, 5m0s, as UnionPay retries, later failures to this backUrl not shown: " +
				"it must be reachable from the sandbox and answer 200; \"unionpay query -config\" tells the order's status meanwhile\n"},
		{"the last attempt", nil,
			"unionpay sandbox: notification for ORDER0001 to backUrl " + url + " failed: answered 500; " +
				"no retry is left, later failures to this backUrl not shown: " +
				"it must be reachable from the sandbox and answer 200; \"unionpay query -config\" tells the order's status meanwhile\n"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			var stderr syncBuilder
			backURLNotice(&lockedReporter{w: &stderr})(unionpaytest.BackURLFailure{
				Delivery: unionpaytest.Delivery{OrderID: "ORDER0001", URL: url, Attempt: 5, Status: 500},
				Reason:   "answered 500", Left: tt.left})
			assert.Equal(t, tt.want, stderr.String())
		})
	}
}

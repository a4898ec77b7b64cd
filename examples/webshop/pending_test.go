package main

import (
	"context"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/goacp/unionpay/unionpay/unionpaytest"
)

// TestPendingIsNeverGivenUp: a payment UnionPay still reports as processing (05) after payTimeout
// stays pending and is asked again, and the order is paid when UnionPay says so, even if the
// success notification never arrives. Found in the fourth session's review: the order was marked
// failed and never asked again.
func TestPendingIsNeverGivenUp(t *testing.T) {
	s := newSite(t)
	fields := s.checkout(t, "pc")
	id := fields["orderId"]
	// The cashier's result is 05 (an online-banking payment, say); queries see 05, then 00.
	s.srv.Script(id, unionpaytest.Pending, unionpaytest.Pending, unionpaytest.Succeed)
	s.pay(t, fields, "")
	s.web.Close() // the success notification will not get through

	s.later(30 * time.Minute) // past payTimeout and the clock skew
	assert.Equal(t, 1, s.shop.CheckPending(context.Background()))
	assert.Equal(t, Pending, s.status(id), "processing is not failed")
	_, err := s.srv.Advance(id)
	require.NoError(t, err)
	s.later(60 * time.Minute)
	assert.Equal(t, 1, s.shop.CheckPending(context.Background()))
	assert.Equal(t, Paid, s.status(id))
}

// TestScheduleSurvivesFailuresAndClicks: queries that fail (the gateway down, or the shop's
// certificates out of date) and the shopper's own clicks do not use up the schedule: once UnionPay
// answers, the scheduled query finds the payment. Found in the fourth session's review: five
// failures or clicks left a paid order pending for good.
func TestScheduleSurvivesFailuresAndClicks(t *testing.T) {
	s := newSite(t)
	fields := s.checkout(t, "pc")
	id := fields["orderId"]
	for range 5 {
		s.post(t, "/orders/"+id+"/query", nil) // before paying: not found, still pending
	}
	s.srv.FailOrder(id, unionpaytest.FaultLateNotify) // the notification comes long after the test
	s.pay(t, fields, "")
	faults := make([]unionpaytest.Fault, 5)
	for i := range faults {
		faults[i] = unionpaytest.Fault5xx
	}
	s.srv.FailEndpoint(unionpaytest.EndpointQuery, faults...)
	s.later(5 * time.Minute)
	for range 5 { // five runs a minute apart, each failing
		assert.Equal(t, 1, s.shop.CheckPending(context.Background()))
	}
	assert.Equal(t, Pending, s.status(id))
	assert.Equal(t, 1, s.shop.CheckPending(context.Background()), "the 5-minute query is still due")
	assert.Equal(t, Paid, s.status(id))
	o, _ := s.shop.Order(id)
	assert.Equal(t, 11, o.Queries)
	assert.Equal(t, 1, o.Answered)
}

// TestHourlyAfterTheSchedule: an order UnionPay keeps reporting as processing is queried hourly
// after the last query of UnionPay's schedule, not dropped.
func TestHourlyAfterTheSchedule(t *testing.T) {
	s := newSite(t)
	fields := s.checkout(t, "pc")
	id := fields["orderId"]
	s.srv.Script(id, unionpaytest.Pending) // processing, and it stays so
	s.pay(t, fields, "")
	for _, d := range []time.Duration{5, 10, 30, 60, 120} {
		s.later(d * time.Minute)
		assert.Equal(t, 1, s.shop.CheckPending(context.Background()), "at %v", d*time.Minute)
	}
	s.later(150 * time.Minute)
	assert.Equal(t, 0, s.shop.CheckPending(context.Background()), "not yet")
	s.later(180 * time.Minute)
	assert.Equal(t, 1, s.shop.CheckPending(context.Background()), "an hour after the last")
	assert.Equal(t, Pending, s.status(id))
}

package main

import (
	"log/slog"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/goacp/unionpay/internal/logtest"
	"github.com/goacp/unionpay/unionpay/unionpaytest"
)

// The shop's records name the order under UnionPay's key, orderId, as the SDK's records do (the
// README's "Log keys"): one query finds the order's checkout, its payment and the SDK's records.
func TestLogKeysOrderID(t *testing.T) {
	s := newSite(t)
	var logged logtest.Buffer
	s.shop.Logger = slog.New(slog.NewTextHandler(&logged, nil))

	fields := s.checkout(t, "pc")
	id := fields["orderId"]
	s.pay(t, fields, unionpaytest.TestCard)
	require.Eventually(t, func() bool { return s.status(id) == Paid }, 10*time.Second, 10*time.Millisecond)

	out := logged.String()
	assert.Contains(t, out, `msg=checkout orderId=`+id+` `)
	assert.Contains(t, out, `msg="paid (notification)" orderId=`+id+` queryId=`)
	assert.NotContains(t, out, " order=")
}

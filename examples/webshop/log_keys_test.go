package main

import (
	"bytes"
	"log/slog"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/goacp/unionpay/unionpay/unionpaytest"
)

// lockedBuffer is a bytes.Buffer safe for the shop's handlers and the test at once.
type lockedBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (l *lockedBuffer) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.Write(p)
}

func (l *lockedBuffer) String() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.String()
}

// The shop's records name the order under UnionPay's key, orderId, as the SDK's records do (the
// README's "Log keys"): one query finds the order's checkout, its payment and the SDK's records.
func TestLogKeysOrderID(t *testing.T) {
	s := newSite(t)
	var logged lockedBuffer
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

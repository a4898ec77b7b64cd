package main

import (
	"os"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/goacp/unionpay/reconcile"
	"github.com/goacp/unionpay/unionpay/unionpaytest"
)

// TestDownloadAgainFromSandbox: the morning job run again minutes later (a retry after a failed
// step) downloads the same settle day's file from the fake gateway; nothing was paid meanwhile,
// so the file is the same and download leaves it as it is, status 0. The fake stamped its zip's
// members with the time of each download, so the second run found "other bytes" under
// UnionPay's name and failed, status 1, as for a file corrected at UnionPay.
func TestDownloadAgainFromSandbox(t *testing.T) {
	var mu sync.Mutex
	now := unionpaytest.BusinessDayClock()()
	clock := func() time.Time {
		mu.Lock()
		defer mu.Unlock()
		return now
	}
	c := newServiceCreds(t, unionpaytest.WithClock(clock))
	frontPay(t, c.g, 2345, unionpaytest.TestCard)
	day := c.g.srv.Now().In(reconcile.Beijing()).Format("20060102")
	name := c.g.srv.MerchantID() + "_" + day + ".zip"
	t.Chdir(t.TempDir())
	args := append([]string{"download", "-settle-date", day}, c.configFlags...)

	r := c.run(t, c.transport(), args...)
	require.Equal(t, exitOK, r.code, "stdout %q stderr %q", r.stdout, r.stderr)
	first, err := os.ReadFile(name)
	require.NoError(t, err)

	mu.Lock()
	now = now.Add(3 * time.Minute) // the same settle day, a few minutes later
	mu.Unlock()
	r = c.run(t, c.transport(), args...)
	require.Equal(t, exitOK, r.code, "stdout %q stderr %q", r.stdout, r.stderr)
	assert.Contains(t, r.stderr, name+" already holds this file")
	again, err := os.ReadFile(name)
	require.NoError(t, err)
	assert.Equal(t, first, again)
}

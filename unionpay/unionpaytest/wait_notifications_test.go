package unionpaytest_test

import (
	"context"
	"net/http"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/goacp/unionpay/cert"
	"github.com/goacp/unionpay/unionpay"
	"github.com/goacp/unionpay/unionpay/unionpaytest"
)

// TestWaitNotifications: WaitNotifications returns once every delivery the gateway started is
// over (answered 200, or its schedule used up), retries and duplicates included, instead of a
// test sleeping until the deliveries look settled; it returns ctx's error when ctx ends first.
func TestWaitNotifications(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	t.Run("idle", func(t *testing.T) {
		t.Parallel()
		srv, _, _ := clientGateway(t)
		require.NoError(t, srv.WaitNotifications(ctx))
	})
	t.Run("retries and a duplicate", func(t *testing.T) {
		t.Parallel()
		srv, c, _ := clientGateway(t, unionpaytest.WithNotifySchedule(0, 30*time.Millisecond, 30*time.Millisecond))
		in := newInbox(t, mustVerifier(t, srv), http.StatusInternalServerError, http.StatusInternalServerError)
		srv.FailOrder("WAIT0001", unionpaytest.FaultDuplicateNotify)
		_, err := c.BackConsume(ctx, rotationCard("WAIT0001", in.URL()))
		require.NoError(t, err)
		require.NoError(t, srv.WaitNotifications(ctx))
		// Two deliveries: one answered 500, 500, 200; the other 200 at once (the answers are
		// taken in arrival order, so which gets which varies): four attempts, two of them 200.
		got := statuses(srv, "WAIT0001")
		assert.Len(t, got, 4, "%v", got)
		ok := 0
		for _, s := range got {
			if s == http.StatusOK {
				ok++
			}
		}
		assert.Equal(t, 2, ok, "%v", got)
	})
	t.Run("ctx ends first", func(t *testing.T) {
		t.Parallel()
		srv, c, _ := clientGateway(t, unionpaytest.WithNotifySchedule(0, time.Hour))
		in := newInbox(t, mustVerifier(t, srv), http.StatusInternalServerError)
		_, err := c.BackConsume(ctx, rotationCard("WAIT0002", in.URL()))
		require.NoError(t, err)
		short, cancel := context.WithTimeout(ctx, 50*time.Millisecond)
		defer cancel()
		require.ErrorIs(t, srv.WaitNotifications(short), context.DeadlineExceeded, "the second attempt is an hour away")
	})
}

func mustVerifier(t *testing.T, srv *unionpaytest.Server) *cert.Verifier {
	t.Helper()
	v, err := srv.NotifyVerifier()
	require.NoError(t, err)
	return v
}

// TestClaimsWaitNotifications pins the parts of WaitNotifications' doc (and its CHANGELOG entry)
// that TestWaitNotifications does not: forged copies are waited for; with FaultNotifyFirst, the
// synchronous first attempt is done when the call returns and the rest of its schedule is waited
// for; a payment at the cashier (Pay) is counted before Pay returns.
func TestClaimsWaitNotifications(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	t.Run("forged copy", func(t *testing.T) {
		t.Parallel()
		srv, c, _ := clientGateway(t, unionpaytest.WithNotifySchedule(0))
		in := newInbox(t, mustVerifier(t, srv))
		srv.FailOrder("CLAIMWAIT1", unionpaytest.FaultForgedNotify)
		_, err := c.BackConsume(ctx, rotationCard("CLAIMWAIT1", in.URL()))
		require.NoError(t, err)
		require.NoError(t, srv.WaitNotifications(ctx))
		var forged, genuine int
		for _, d := range srv.Deliveries() {
			if d.Forged {
				forged++
			} else {
				genuine++
			}
		}
		assert.Equal(t, 1, forged, "the forged copy is waited for")
		assert.Equal(t, 1, genuine)
	})
	t.Run("notify first, refused, then retried", func(t *testing.T) {
		t.Parallel()
		srv, c, _ := clientGateway(t, unionpaytest.WithNotifySchedule(0, 300*time.Millisecond)) // the retry long after the call returns
		in := newInbox(t, mustVerifier(t, srv), http.StatusInternalServerError)
		srv.FailOrder("CLAIMWAIT2", unionpaytest.FaultNotifyFirst)
		_, err := c.BackConsume(ctx, rotationCard("CLAIMWAIT2", in.URL()))
		require.NoError(t, err)
		assert.Equal(t, []int{http.StatusInternalServerError}, statuses(srv, "CLAIMWAIT2"),
			"the synchronous first attempt is done when the call returns")
		require.NoError(t, srv.WaitNotifications(ctx))
		assert.Equal(t, []int{http.StatusInternalServerError, http.StatusOK}, statuses(srv, "CLAIMWAIT2"),
			"the rest of the schedule is waited for")
	})
	t.Run("cashier", func(t *testing.T) {
		t.Parallel()
		srv, c, _ := clientGateway(t, unionpaytest.WithNotifySchedule(0))
		in := newInbox(t, mustVerifier(t, srv))
		form, err := c.FrontConsume(&unionpay.ConsumeRequest{OrderID: "CLAIMWAIT3", Amount: 100, FrontURL: in.URL(), BackURL: in.URL()})
		require.NoError(t, err)
		_, err = srv.Pay(ctx, form.Fields, unionpaytest.TestCard)
		require.NoError(t, err)
		require.NoError(t, srv.WaitNotifications(ctx))
		assert.Equal(t, []int{http.StatusOK}, statuses(srv, "CLAIMWAIT3"))
	})
}

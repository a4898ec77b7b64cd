package unionpaytest_test

import (
	"context"
	"net/http"
	"net/http/httptest"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/goacp/unionpay/sign"
	"github.com/goacp/unionpay/unionpay"
	"github.com/goacp/unionpay/unionpay/unionpaytest"
)

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

// TestClaimsRotatedNotificationSentAgainAsItWas pins "a notification already sent is sent again
// as it was" (RotateSigningCert, RotateRoot): a retry after a rotation carries the signature and
// certificate of its first attempt. The merchant holds the first attempt until the rotation is
// over, so the retry (200 ms after the first attempt ends) is made after it: with the retry on a
// plain timer, a rotation under -race (new RSA keys) often outlasted it and the test compared the
// first attempt with a retry made before the rotation.
func TestClaimsRotatedNotificationSentAgainAsItWas(t *testing.T) {
	t.Parallel()
	for name, rotate := range map[string]func(*unionpaytest.Server) error{
		"signing": (*unionpaytest.Server).RotateSigningCert, "root": (*unionpaytest.Server).RotateRoot,
	} {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			srv, c, _ := clientGateway(t, unionpaytest.WithNotifySchedule(0, 200*time.Millisecond))
			in := newInbox(t, mustVerifier(t, srv), http.StatusInternalServerError)
			rotated := make(chan struct{})
			var attempts atomic.Int32
			held := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				if attempts.Add(1) == 1 {
					<-rotated // the gateway waits up to 10 s for an answer
				}
				in.serve(w, r)
			}))
			t.Cleanup(held.Close)
			release := sync.OnceFunc(func() { close(rotated) })
			t.Cleanup(release) // before held.Close, should the test stop early
			_, err := c.BackConsume(context.Background(), rotationCard("CLAIMROT1", held.URL))
			require.NoError(t, err)
			require.Eventually(t, func() bool { return attempts.Load() == 1 }, 5*time.Second, 5*time.Millisecond)
			err = rotate(srv)
			release()
			require.NoError(t, err)
			require.NoError(t, srv.WaitNotifications(context.Background()))
			got := in.wait(t, 2, 5*time.Second)
			first := got[0]
			for _, k := range []string{sign.FieldSignature, "signPubKeyCert"} {
				assert.Equal(t, first[k], got[1][k], k)
			}
			now, err := srv.Sign(sign.Fields{"orderId": "CLAIMROT2"})
			require.NoError(t, err)
			assert.NotEqual(t, now["signPubKeyCert"], first["signPubKeyCert"], "the gateway now signs with another certificate")
		})
	}
}

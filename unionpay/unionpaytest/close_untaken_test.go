package unionpaytest_test

import (
	"context"
	"fmt"
	"sync"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/goacp/unionpay/unionpay"
	"github.com/goacp/unionpay/unionpay/unionpaytest"
)

// lines is a Reporter that keeps each report as formatted.
type lines struct {
	mu  sync.Mutex
	got []string
}

func (l *lines) Errorf(format string, args ...any) {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.got = append(l.got, fmt.Sprintf(format, args...))
}

func (l *lines) all() []string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return append([]string(nil), l.got...)
}

// Close reports to the Reporter what a test queued and the gateway never used: a Script of an
// orderId no request came with, FailOrder and FailEndpoint faults no request or notification
// took (a second notification fault when one notification came, say); FaultNone left over, queues
// used up and the Script of a request refused (kept for the next request) are not reported, nor
// anything on a second Close.
func TestCloseReportsUntaken(t *testing.T) {
	t.Parallel()
	refused := func(t *testing.T, c *unionpay.Client) { // a refund of a payment the gateway does not know
		_, err := c.Refund(context.Background(), &unionpay.FollowUpRequest{OrderID: "CLOSEREF01",
			OrigQueryID: "261125100000999999999", Amount: 100, BackURL: "http://127.0.0.1:1/n"})
		var rejected *unionpay.Error
		require.ErrorAs(t, err, &rejected)
	}
	for _, tt := range []struct {
		name  string
		queue func(srv *unionpaytest.Server)
		then  func(t *testing.T, c *unionpay.Client) // after the payment; nil: nothing
		want  []string
	}{
		{"nothing queued", func(*unionpaytest.Server) {}, nil, nil},
		{"all taken", func(srv *unionpaytest.Server) {
			srv.Script("CLOSEPAY01", unionpaytest.Succeed)
			srv.FailOrder("CLOSEPAY01", unionpaytest.FaultForgedNotify)
		}, nil, nil},
		{"script of a request refused", func(srv *unionpaytest.Server) {
			srv.Script("CLOSEREF01", unionpaytest.Pending, unionpaytest.Succeed)
		}, refused, nil},
		{"FaultNone left", func(srv *unionpaytest.Server) {
			srv.FailOrder("CLOSEPAY01", unionpaytest.FaultNone)
			srv.FailEndpoint(unionpaytest.EndpointFile, unionpaytest.FaultNone)
		}, nil, nil},
		{"script of another orderId", func(srv *unionpaytest.Server) {
			srv.Script("CLOSEPAY99", unionpaytest.Pending, unionpaytest.Succeed)
		}, nil, []string{`unionpaytest: Close: Script("CLOSEPAY99") never taken: no request came with this orderId`}},
		{"second notification fault", func(srv *unionpaytest.Server) {
			srv.FailOrder("CLOSEPAY01", unionpaytest.FaultForgedNotify, unionpaytest.FaultDuplicateNotify)
		}, nil, []string{`unionpaytest: Close: FailOrder("CLOSEPAY01"): duplicate-notify never taken: no request or notification of this order came for it`}},
		{"order and endpoint faults", func(srv *unionpaytest.Server) {
			srv.FailOrder("CLOSEPAY02", unionpaytest.FaultDrop, unionpaytest.FaultNone, unionpaytest.FaultLateNotify)
			srv.FailEndpoint(unionpaytest.EndpointQuery, unionpaytest.Fault5xx)
			srv.FailEndpoint(unionpaytest.EndpointBack, unionpaytest.FaultTruncate)
			srv.FailEndpoint(unionpaytest.EndpointBatch, unionpaytest.FaultLateNotify) // a notification fault only
		}, nil, []string{
			`unionpaytest: Close: FailOrder("CLOSEPAY02"): drop, late-notify never taken: no request or notification of this order came for it`,
			`unionpaytest: Close: FailEndpoint(/gateway/api/backTransReq.do): truncate never taken: no request or notification of this endpoint came for it`,
			`unionpaytest: Close: FailEndpoint(/gateway/api/batchTrans.do): late-notify never taken: no request or notification of this endpoint came for it`,
			`unionpaytest: Close: FailEndpoint(/gateway/api/queryTrans.do): 5xx never taken: no request or notification of this endpoint came for it`,
		}},
	} {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			rep := &lines{}
			c0 := newClock()
			srv := unionpaytest.NewServer(keys(t), unionpaytest.WithClock(c0.Now), unionpaytest.WithReporter(rep))
			t.Cleanup(srv.Close)
			c, err := unionpay.NewClient(srv.Config())
			require.NoError(t, err)
			tt.queue(srv)
			// One payment, one notification (to nowhere): CLOSEPAY01's script and first
			// notification fault are taken.
			_, err = c.AppConsume(context.Background(), &unionpay.ConsumeRequest{OrderID: "CLOSEPAY01", Amount: 1000,
				BackURL: "http://127.0.0.1:1/n"})
			require.NoError(t, err)
			_, err = srv.Complete("CLOSEPAY01", "")
			require.NoError(t, err)
			if tt.then != nil {
				tt.then(t, c)
			}
			require.Empty(t, rep.all(), "nothing reported before Close")

			srv.Close()
			assert.Equal(t, tt.want, rep.all())
			srv.Close()
			assert.Equal(t, tt.want, rep.all(), "reported once")
		})
	}
}

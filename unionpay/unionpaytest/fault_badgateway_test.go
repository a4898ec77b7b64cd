package unionpaytest_test

import (
	"context"
	"net/http"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/goacp/unionpay/unionpay"
	"github.com/goacp/unionpay/unionpay/unionpaytest"
)

// TestFaultBadGatewayTookEffect: FaultBadGateway answers 502 with a proxy's HTML page after the
// request took effect, as a load balancer in front of UnionPay that gave up waiting does: the
// client reports it pending (a *PendingError wrapping a *StatusError that quotes the page's
// title), and a query finds the payment succeeded, where after Fault5xx (no effect) it finds
// nothing. Code that took a 5xx as "not sent" and paid again under a new orderId would charge
// twice here. Requests lists the fault with the respCode processed, and the fault's name reads
// back through its text.
func TestFaultBadGatewayTookEffect(t *testing.T) {
	t.Parallel()
	srv := unionpaytest.NewServer(keys(t), unionpaytest.WithReporter(t))
	t.Cleanup(srv.Close)
	c, err := unionpay.NewClient(srv.Config())
	require.NoError(t, err)
	ctx := context.Background()
	tests := []struct {
		fault unionpaytest.Fault
		order string
		want  unionpay.State
	}{
		{unionpaytest.FaultBadGateway, "BADGATEWAY01", unionpay.Succeeded},
		{unionpaytest.Fault5xx, "NOEFFECT5XX1", unionpay.NotFound},
	}
	for _, tt := range tests {
		srv.FailOrder(tt.order, tt.fault)
		_, err := c.BackConsume(ctx, &unionpay.CardRequest{OrderID: tt.order, Amount: 100,
			TxnTime: srv.Now().Truncate(time.Second), BackURL: "http://127.0.0.1:1/notify", AccNo: unionpaytest.TestCard})
		var pe *unionpay.PendingError
		require.ErrorAs(t, err, &pe, "%s", tt.fault)
		var se *unionpay.StatusError
		require.ErrorAs(t, err, &se, "%s", tt.fault)
		tx, err := c.Query(ctx, pe.QueryRequest())
		require.NoError(t, err)
		assert.Equal(t, tt.want, tx.State, "%s", tt.fault)
		if tt.fault == unionpaytest.FaultBadGateway {
			assert.Equal(t, http.StatusBadGateway, se.StatusCode)
			assert.Equal(t, "502 Bad Gateway", se.Page)
			reqs := srv.Requests()
			var found bool
			for _, r := range reqs {
				if r.OrderID == tt.order && r.TxnType == "01" {
					found = true
					assert.Equal(t, unionpaytest.FaultBadGateway, r.Fault)
					assert.Equal(t, "00", r.RespCode, "processed: only its answer was lost")
				}
			}
			assert.True(t, found)
		}
	}
	var f unionpaytest.Fault
	require.NoError(t, f.UnmarshalText([]byte("bad-gateway")))
	assert.Equal(t, unionpaytest.FaultBadGateway, f)
}

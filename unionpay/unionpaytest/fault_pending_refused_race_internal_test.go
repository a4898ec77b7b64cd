package unionpaytest

import (
	"context"
	"fmt"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/goacp/unionpay/sign"
	"github.com/goacp/unionpay/unionpay"
)

// reports collects what the gateway reports (Close's untaken Scripts).
type reports struct {
	mu   sync.Mutex
	msgs []string
}

func (r *reports) Errorf(format string, args ...any) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.msgs = append(r.msgs, fmt.Sprintf(format, args...))
}

// TestFaultPendingRefusedCopiesLeaveNothing: an order's FaultPending taken by one of two copies
// of a request both refused (a refund of an unknown original, resent at once) installs a script
// the other copy comes for, and that the refusal drops: the mark that a request came for it goes
// too, so nothing is left per orderId, and a Script of that orderId made later, which no request
// takes, is reported by Close (the stale mark hid it).
func TestFaultPendingRefusedCopiesLeaveNothing(t *testing.T) {
	t.Parallel()
	const order = "FPREFUSED1"
	rep := &reports{}
	srv := NewServer(WithNotifySchedule(0), WithReporter(rep))
	t.Cleanup(srv.Close)
	c, err := unionpay.NewClient(srv.Config())
	require.NoError(t, err)
	srv.FailOrder(order, FaultPending)
	held, release := make(chan struct{}), make(chan struct{})
	var calls atomic.Int32
	srv.afterFault = func(req sign.Fields) {
		if req["orderId"] == order && calls.Add(1) == 1 {
			close(held) // the copy that took the fault, its script installed, waits for the other
			<-release
		}
	}
	ctx, at := context.Background(), time.Now()
	refund := func() error {
		_, err := c.Refund(ctx, &unionpay.FollowUpRequest{OrderID: order, OrigQueryID: "000000000000000000001",
			Amount: 100, TxnTime: at, BackURL: "http://127.0.0.1:1/notify"})
		return err
	}
	var wg sync.WaitGroup
	var first error
	wg.Go(func() { first = refund() })
	<-held
	second := refund() // comes for the installed script, refused
	close(release)
	wg.Wait()
	require.Error(t, first, "a refund of an unknown original is refused")
	require.Error(t, second, "a refund of an unknown original is refused")
	_, found := srv.Transaction(order)
	require.False(t, found)

	srv.mu.Lock()
	scripts, sent := len(srv.scripts), len(srv.scriptSent)
	srv.mu.Unlock()
	assert.Equal(t, []int{0, 0}, []int{scripts, sent}, "scripts, marks that a request came for one")

	srv.Script(order, Succeed)
	srv.Close()
	rep.mu.Lock()
	defer rep.mu.Unlock()
	assert.Equal(t, []string{fmt.Sprintf("unionpaytest: Close: Script(%q) never taken: no request came with this orderId", order)}, rep.msgs)
}

package unionpaytest_test

import (
	"fmt"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/goacp/unionpay/unionpay/unionpaytest"
)

// TestQueuedTakenLeavesNothing: a Script or a FailOrder queue taken by its order's request left
// an entry behind (the mark that a request came for the Script, the FailOrder queue emptied) for
// every orderId, for ever, so a gateway left running that scripts or fails each order grew with
// them. Now a taken one leaves nothing; one not taken is still there for Close to report.
func TestQueuedTakenLeavesNothing(t *testing.T) {
	t.Parallel()
	const orders = 10
	for _, limit := range []int{0, 2} {
		t.Run(fmt.Sprintf("ledger limit %d", limit), func(t *testing.T) {
			t.Parallel()
			m := newMerchant(t, unionpaytest.WithLedgerLimit(limit))
			for i := range orders {
				id := fmt.Sprintf("QUEUED%03d", i)
				m.srv.Script(id, unionpaytest.Succeed)
				m.srv.FailOrder(id, unionpaytest.FaultNone)
				resp := m.call(unionpaytest.EndpointBack, m.consumeByCard(id, "100"))
				require.Equal(t, "00", resp["respCode"], resp["respMsg"])
			}
			m.srv.Script("QUEUEDNOTSENT", unionpaytest.Succeed)
			m.srv.FailOrder("QUEUEDNOTSENT", unionpaytest.FaultDrop)
			scripts, sent, queues := unionpaytest.QueuedSizes(m.srv)
			assert.Equal(t, []int{1, 0, 1}, []int{scripts, sent, queues}, "scripts, their marks, FailOrder queues")
		})
	}
}

// TestScriptAgainAfterForgottenReported: a Script of an orderId WithLedgerLimit forgot, made
// again, was not reported by Close when no request took it: the mark that a request came for
// the first one stood for it.
func TestScriptAgainAfterForgottenReported(t *testing.T) {
	t.Parallel()
	rec := &recorder{}
	m := newMerchant(t, unionpaytest.WithLedgerLimit(1), unionpaytest.WithReporter(rec))
	m.srv.Script("AGAIN001", unionpaytest.Succeed)
	require.Equal(t, "00", m.call(unionpaytest.EndpointBack, m.consumeByCard("AGAIN001", "100"))["respCode"])
	require.Equal(t, "00", m.call(unionpaytest.EndpointBack, m.consumeByCard("AGAIN002", "100"))["respCode"]) // forgets AGAIN001
	m.srv.Script("AGAIN001", unionpaytest.Succeed)
	m.srv.Close()
	assert.Equal(t, []string{`unionpaytest: Close: Script("AGAIN001") never taken: no request came with this orderId`}, rec.all())
}

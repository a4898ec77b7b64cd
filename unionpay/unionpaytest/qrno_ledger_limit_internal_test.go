package unionpaytest

import (
	"context"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/goacp/unionpay/unionpay"
)

// TestQRNoLedgerLimit: under WithLedgerLimit, the payment codes the gateway remembers (usedQRNo)
// are those of the consumes it keeps, so that a gateway left running holds bounded memory: a
// consume the limit forgets takes its code with it, and that code may pay again.
func TestQRNoLedgerLimit(t *testing.T) {
	t.Parallel()
	srv := NewServer(WithLedgerLimit(1), WithNotifySchedule(0))
	t.Cleanup(srv.Close)
	c, err := unionpay.NewClient(srv.Config())
	require.NoError(t, err)
	ctx := context.Background()
	consume := func(orderID, qrNo string) error {
		_, err := c.QRConsume(ctx, &unionpay.QRConsumeRequest{OrderID: orderID, QRNo: qrNo, TermID: "T0000001",
			Amount: 100, BackURL: "http://127.0.0.1:1/n"})
		return err
	}
	const first, second = "6220000000000000011", "6220000000000000012"
	require.NoError(t, consume("QRLIMIT01", first))
	require.NoError(t, consume("QRLIMIT02", second)) // the ledger keeps 1: QRLIMIT01 is forgotten
	srv.mu.Lock()
	assert.Len(t, srv.qrNos, 1, "the forgotten consume's code is let go of")
	_, kept := srv.qrNos[second]
	srv.mu.Unlock()
	assert.True(t, kept, "the kept consume's code is remembered")
	assert.NoError(t, consume("QRLIMIT03", first), "a forgotten consume's code pays again")
	assert.Error(t, consume("QRLIMIT04", first), "and then once only")
}

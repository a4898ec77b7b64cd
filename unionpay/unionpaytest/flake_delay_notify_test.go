package unionpaytest_test

import (
	"context"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/goacp/unionpay/sign"
	"github.com/goacp/unionpay/unionpay/unionpaytest"
)

// TestFaultDelayGivenUpStillNotifies: a refund whose answer FaultDelay holds until the merchant
// gives up was processed (FaultDelay's doc), so its notification is still delivered, as UnionPay
// notifies a transaction whatever became of the synchronous answer. Since the fix that sends
// nothing to a client that gave up (panic(http.ErrAbortHandler) in writeRaw), the handler
// stopped before delivering it: the refund succeeded and no notification ever came.
func TestFaultDelayGivenUpStillNotifies(t *testing.T) {
	t.Parallel()
	m := newMerchant(t, unionpaytest.WithTimeScale(scale), unionpaytest.WithFaultDelay(20*time.Second))
	in := newInbox(t, m.verifier)
	qid := m.appConsume("DLYNOTE01", "100", in.URL())
	in.wait(t, 1, 10*time.Second)

	m.srv.FailOrder("DLYNOTE02", unionpaytest.FaultDelay)
	body, err := sign.Encode(m.sign(m.fields("04", "00", "000201", "orderId", "DLYNOTE02", "origQryId", qid,
		"txnAmt", "50", "channelType", "07", "backUrl", in.URL())))
	require.NoError(t, err)
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	go func() { // the merchant gives up once the gateway holds the answer
		for len(m.srv.FaultLog()) == 0 {
			select {
			case <-ctx.Done(): // the test ended first: stop polling
				return
			case <-time.After(time.Millisecond):
			}
		}
		cancel()
	}()
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, m.srv.URLFor(unionpaytest.EndpointBack), strings.NewReader(body))
	require.NoError(t, err)
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded;charset=UTF-8")
	resp, err := m.hc.Do(req)
	if err == nil {
		resp.Body.Close()
	}
	require.ErrorIs(t, err, context.Canceled, "no answer while held")

	got := in.wait(t, 2, 10*time.Second)
	assert.Equal(t, "DLYNOTE02", got[1]["orderId"], "the processed refund's notification")
	assert.Equal(t, "00", got[1]["respCode"])
	_, ok := m.srv.Transaction("DLYNOTE02")
	assert.True(t, ok)
}

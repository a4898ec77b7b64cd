package unionpaytest_test

import (
	"io"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/goacp/unionpay/unionpay/unionpaytest"
)

// TestReview15CloseWhileDelayedSendsNothing: a FaultDelay answer held when the test closes the
// gateway is not sent either (writeRaw: "or the server is closing"): an empty 200 then would be
// the very answer the FaultDelay fix removed, read by the SDK as "empty answer".
func TestReview15CloseWhileDelayedSendsNothing(t *testing.T) {
	t.Parallel()
	srv := unionpaytest.NewServer(keys(t), unionpaytest.WithPlainHTTP(), unionpaytest.WithFaultDelay(20*time.Second))
	defer srv.Close()
	srv.FailEndpoint(unionpaytest.EndpointQuery, unionpaytest.FaultDelay)
	type answer struct {
		status int
		body   string
		err    error
	}
	got := make(chan answer, 1)
	go func() {
		resp, err := http.Post(srv.URLFor(unionpaytest.EndpointQuery), "application/x-www-form-urlencoded",
			strings.NewReader("orderId=X"))
		if err != nil {
			got <- answer{err: err}
			return
		}
		defer resp.Body.Close()
		b, err := io.ReadAll(resp.Body)
		got <- answer{status: resp.StatusCode, body: string(b), err: err}
	}()
	require.Eventually(t, func() bool { return len(srv.FaultLog()) > 0 }, 10*time.Second, time.Millisecond, "the answer is held")
	time.Sleep(50 * time.Millisecond) // let the handler reach the hold (it takes the fault first); either way nothing may be sent
	srv.Close()
	select {
	case a := <-got:
		assert.Error(t, a.err, "the held answer was sent on Close: %d %q", a.status, a.body)
	case <-time.After(10 * time.Second):
		t.Fatal("the held request outlived Close")
	}
}

package main

import (
	"context"
	"net"
	"net/http"
	"net/http/httptest"
	"regexp"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/goacp/unionpay/unionpay"
	"github.com/goacp/unionpay/unionpay/unionpaytest"
)

// acceptingBackURL returns the URL of a notify route that answers every notification 200, as a
// merchant's working one does (the sandbox has nothing to say about it), and the number of
// notifications it was sent so far.
func acceptingBackURL(t *testing.T) (string, func() int64) {
	t.Helper()
	var got atomic.Int64
	shop := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
		got.Add(1)
		_, _ = w.Write([]byte("ok"))
	}))
	t.Cleanup(shop.Close)
	return shop.URL + "/notify", got.Load
}

// refusingBackURL returns the URL of a listener that is closed: connecting to it is refused.
func refusingBackURL(t *testing.T) (string, func() int64) {
	t.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	require.NoError(t, err)
	u := "http://" + l.Addr().String() + "/notify"
	require.NoError(t, l.Close())
	return u, nil
}

// TestSandboxBackURLFailure: the sandbox used to retry a notification to a backUrl nothing
// listens at in silence (its reporter had no Logf), so a merchant whose notify route was wrong
// saw nothing. Now the first failure to each backUrl is one line on standard error, with the
// sandbox's prefix, naming the order, the URL and why, the retries left and what to do, in a CLI
// user's words (not unionpaytest's WithNotifySchedule or WaitNotifications); a second order to
// the same backUrl adds no line, and a working backUrl none.
func TestSandboxBackURLFailure(t *testing.T) {
	tests := []struct {
		name string
		url  func(t *testing.T) (string, func() int64)
		want []string // in the one line; nil: no line
	}{
		{"refused", refusingBackURL, []string{
			"/notify failed: ", "connection refused",
			"; retried after 1m0s, 2m0s, 4m0s, 5m0s, as UnionPay retries, later failures to this backUrl not shown",
			"must be reachable from the sandbox and answer 200", `"unionpay query -config" tells the order's status`,
		}},
		{"working", acceptingBackURL, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ctx, cancel := context.WithCancel(context.Background())
			defer cancel()
			var stderr syncBuilder
			info, done := startSandbox(t, ctx, &stderr, "-dir", t.TempDir())
			defer func() {
				cancel()
				<-done
			}()
			client := sandboxClient(t, info)
			backURL, delivered := tt.url(t)
			for _, order := range []string{"BACKURL0001", "BACKURL0002"} {
				_, err := client.BackConsume(ctx, &unionpay.CardRequest{OrderID: order, Amount: 1000, TxnTime: time.Now(),
					BackURL: backURL, AccNo: unionpaytest.TestCard})
				require.NoError(t, err)
			}
			if tt.want == nil {
				require.Eventually(t, func() bool { return delivered() == 2 }, 10*time.Second, 5*time.Millisecond)
				assert.Empty(t, stderr.String())
				return
			}
			require.Eventually(t, func() bool { return stderr.String() != "" }, 10*time.Second, 5*time.Millisecond)
			time.Sleep(300 * time.Millisecond) // for the other order's failure, refused as fast, to be told, were it told
			lines := strings.Split(strings.TrimSuffix(stderr.String(), "\n"), "\n")
			require.Len(t, lines, 1, "once per backUrl: %q", lines)
			assert.Regexp(t, "^unionpay sandbox: notification for BACKURL000[12] to backUrl "+regexp.QuoteMeta(backURL)+" failed: ", lines[0])
			for _, w := range tt.want {
				assert.Contains(t, lines[0], w)
			}
			assert.NotContains(t, lines[0], "WithNotifySchedule", "unionpaytest's words for a Go test")
			assert.NotContains(t, lines[0], "WaitNotifications")
		})
	}
}

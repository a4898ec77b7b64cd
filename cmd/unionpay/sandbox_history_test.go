package main

import (
	"context"
	"fmt"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/goacp/unionpay/unionpay"
	"github.com/goacp/unionpay/unionpay/unionpaytest"
)

// TestSandboxHistory: "unionpay sandbox" keeps the latest -history transactions, 10000 unless
// told, all of them with -history 0: of consumes sent by concurrent clients, a query finds only
// as many as it keeps (run with -race). When it forgets the first, it says so on standard error,
// once, naming -history (it used to say nothing: a query answering 34 was a mystery).
func TestSandboxHistory(t *testing.T) {
	const clients, each = 4, 3
	tests := []struct {
		name  string
		args  []string
		found int
		said  string // on standard error, once; "": nothing
	}{
		{"a limit", []string{"-history", "3"}, 3, "unionpay sandbox: -history 3 reached: the oldest transactions are now " +
			"forgotten (a query of one answers 34, a refund or cancel of it is refused, its orderId may be used again, " +
			"its notifications are no longer retried); raise -history, or give -history 0 to keep everything\n"},
		{"no limit", []string{"-history", "0"}, clients * each, ""},
		{"the default", nil, clients * each, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ctx, cancel := context.WithCancel(context.Background())
			defer cancel()
			var stderr syncBuilder
			backURL, _ := acceptingBackURL(t) // a notify route that works: the sandbox says nothing of it
			info, done := startSandbox(t, ctx, &stderr, append([]string{"-dir", t.TempDir()}, tt.args...)...)
			defer func() {
				cancel()
				<-done
			}()
			client := sandboxClient(t, info)

			txnTime := time.Now()
			var wg sync.WaitGroup
			for c := range clients {
				wg.Go(func() {
					for i := range each {
						_, err := client.BackConsume(ctx, &unionpay.CardRequest{OrderID: fmt.Sprintf("HISTORY%02d%02d", c, i),
							Amount: 1000, TxnTime: txnTime, BackURL: backURL, AccNo: unionpaytest.TestCard})
						assert.NoError(t, err)
					}
				})
			}
			wg.Wait()
			found := 0
			for c := range clients {
				for i := range each {
					tx, err := client.Query(ctx, &unionpay.QueryRequest{OrderID: fmt.Sprintf("HISTORY%02d%02d", c, i), TxnTime: txnTime})
					require.NoError(t, err)
					if tx.State == unionpay.Succeeded {
						found++
					} else {
						assert.Equal(t, unionpay.NotFound, tx.State, "forgotten")
					}
				}
			}
			assert.Equal(t, tt.found, found)
			if tt.said != "" { // after the answer to the request that made it forget
				assert.Eventually(t, func() bool { return stderr.String() != "" }, 5*time.Second, 5*time.Millisecond)
			}
			assert.Equal(t, tt.said, stderr.String(), "no protocol violations")
		})
	}
}

// TestSandboxHistoryFlag: -history is 10000 unless told, and one that is not a count is a usage
// error before the sandbox starts.
func TestSandboxHistoryFlag(t *testing.T) {
	r := runCLI(t, "", "sandbox", "-h")
	require.Equal(t, exitOK, r.code, r.stderr)
	_, help, ok := strings.Cut(r.stdout, "\n  -history N\n")
	require.True(t, ok, r.stdout)
	help, _, _ = strings.Cut(help, "\n  -")
	assert.Contains(t, help, "(default "+strconv.Itoa(sandboxHistory)+")")
	assert.Equal(t, 10000, sandboxHistory, "as README.md and sandbox -h say")

	tests := []struct {
		value, want string
	}{
		{"-1", "-history -1: want a number of transactions, or 0 to keep everything"},
		{"many", `invalid value "many" for flag -history`},
	}
	for _, tt := range tests {
		t.Run(tt.value, func(t *testing.T) {
			requireFailure(t, runCLI(t, "", "sandbox", "-addr", "127.0.0.1:0", "-history", tt.value), exitUsage, tt.want)
		})
	}
}

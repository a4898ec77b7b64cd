package main

import (
	"bytes"
	"context"
	"os"
	"os/exec"
	"strings"
	"sync"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/goacp/unionpay/unionpay/unionpaytest"
)

// runMainEnv makes the test binary run main instead of the tests (TestExitStatus).
const runMainEnv = "COLLECT_EXAMPLE_RUN_MAIN"

func TestMain(m *testing.M) {
	if os.Getenv(runMainEnv) == "1" {
		main() // exits 1 itself on a failed step
		os.Exit(0)
	}
	os.Exit(m.Run())
}

// keys are generated once for the gateways of these tests.
var keys = sync.OnceValues(unionpaytest.NewKeys)

func newTestGateway(t *testing.T) *unionpaytest.Server {
	t.Helper()
	k, err := keys()
	require.NoError(t, err)
	gw := newGateway(unionpaytest.WithKeys(k), unionpaytest.WithReporter(t))
	t.Cleanup(gw.Close)
	return gw
}

// The README's command: every step checks out, and says so in plain words, the card masked.
func TestEveryStepChecksOut(t *testing.T) {
	gw := newTestGateway(t)
	var out bytes.Buffer
	require.NoError(t, run(context.Background(), &out, gw, gw.Config()), out.String())
	text := out.String()
	for _, step := range []string{
		"1. The insurer checks that the card is the customer's (real-name authentication)\n",
		"2. UnionPay sends the customer a verification code\n",
		"3. The insurer collects the month's instalment\n",
		"4. UnionPay's notification of the collection arrives and is checked\n",
		"5. A collection left pending is queried until final, never sent again\n",
		"6. The insurer pays an overpayment back to the card (payout)\n",
	} {
		assert.Contains(t, text, step)
	}
	assert.Equal(t, 6, strings.Count(text, "\n   ok: "), text)
	assert.Contains(t, text, "   Answered 05: the outcome is not known.")
	assert.Contains(t, text, "   query 2, 3s later: succeeded (origRespCode 00)\n")
	assert.Contains(t, text, "   query 1, 3m0s later: succeeded (origRespCode 00)\n", "the payout's schedule")
	assert.Contains(t, text, "621626******0018")
	assert.NotContains(t, text, unionpaytest.TestCard, "the card number is only shown masked")
	assert.NotContains(t, text, "FAILED")
	assert.True(t, strings.HasSuffix(text, "\n\nEvery step checked out.\n"), text)
}

// The program's exit status and output, as `go run ./examples/collect` gives them.
func TestExitStatus(t *testing.T) {
	if testing.Short() {
		t.Skip("runs the program")
	}
	cmd := exec.Command(os.Args[0], "-test.run=^$")
	cmd.Env = append(os.Environ(), runMainEnv+"=1")
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	require.NoError(t, cmd.Run(), "exit status 0; stderr: %s", stderr.String())
	assert.True(t, strings.HasSuffix(stdout.String(), "\nEvery step checked out.\n"), stdout.String())
	assert.Empty(t, stderr.String())
}

// A notification that does not verify is refused by the Handler, so it is never applied, and the
// run fails (main exits 1) instead of saying that every step checked out.
func TestForgedNotificationFails(t *testing.T) {
	gw := newTestGateway(t)
	gw.FailEndpoint(unionpaytest.EndpointBack, unionpaytest.FaultNotifyWrongKey) // the first notification: the month's
	var out bytes.Buffer
	err := run(context.Background(), &out, gw, gw.Config())
	require.Error(t, err)
	assert.Contains(t, err.Error(), "step 4 (UnionPay's notification of the collection arrives and is checked)")
	assert.Contains(t, out.String(), "   FAILED: ")
	assert.NotContains(t, out.String(), "Every step checked out")
}

// A cancelled context stops the run with an error instead of hanging or reporting success.
func TestStopsWithContext(t *testing.T) {
	gw := newTestGateway(t)
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	var out bytes.Buffer
	require.Error(t, run(ctx, &out, gw, gw.Config()))
	assert.NotContains(t, out.String(), "Every step checked out")
}

// The pending collection and the payout answered 01 are queried, never sent again: at the
// gateway, each collection and payout arrives once, under its own orderId, and the queries ask
// for them; the gateway's ledger holds no other collection or payout.
func TestPendingIsQueriedNotResent(t *testing.T) {
	gw := newTestGateway(t)
	var out bytes.Buffer
	require.NoError(t, run(context.Background(), &out, gw, gw.Config()), out.String())

	sent := map[string]int{} // orderId of each collection (11) and payout (12) → times sent
	for _, tx := range gw.Transactions() {
		if tx.TxnType == "11" || tx.TxnType == "12" {
			sent[tx.OrderID] = gw.Received(tx.OrderID, tx.TxnType)
		}
	}
	queried := func(txnType string) map[int]int { // queries asked → how many transactions of txnType
		out := map[int]int{}
		for _, tx := range gw.Transactions() {
			if tx.TxnType == txnType {
				out[gw.Received(tx.OrderID, "00")]++
			}
		}
		return out
	}
	assert.Len(t, sent, 3, "two collections and one payout at the gateway, no more")
	for id, n := range sent {
		assert.Equal(t, 1, n, "%s sent once", id)
	}
	assert.Equal(t, map[int]int{0: 1, 2: 1}, queried("11"),
		"the accepted collection is left to its notification; the pending one is queried twice")
	assert.Equal(t, map[int]int{1: 1}, queried("12"), "the payout is queried once")
	payouts := map[string]bool{}
	for _, tx := range gw.Transactions() {
		payouts[tx.OrderID] = tx.TxnType == "12"
	}
	requests := gw.Requests()
	for _, r := range requests {
		if r.TxnType == "00" && payouts[r.OrderID] {
			assert.Equal(t, "000401", r.BizType, "a payout is queried as a payout")
		}
	}
	assert.Len(t, requests, 2+3+3, "the requests: 72, 77, three 11 or 12, three queries")
}

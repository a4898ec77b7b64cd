package main

import (
	"bytes"
	"context"
	"io"
	"net/http"
	"net/url"
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
	cfg := gw.Config()
	require.NotNil(t, cfg.HTTPClient.Transport)
	counter := &requestCounter{next: cfg.HTTPClient.Transport}
	cfg.HTTPClient.Transport = counter
	var out bytes.Buffer
	require.NoError(t, run(context.Background(), &out, gw, cfg), out.String())

	sent := map[string]int{} // orderId of each collection (11) and payout (12) → times sent
	for _, tx := range gw.Transactions() {
		if tx.TxnType == "11" || tx.TxnType == "12" {
			sent[tx.OrderID] = counter.count(string(unionpaytest.EndpointBack), tx.TxnType, tx.OrderID)
		}
	}
	queried := func(txnType string) map[int]int { // queries asked → how many transactions of txnType
		out := map[int]int{}
		for _, tx := range gw.Transactions() {
			if tx.TxnType == txnType {
				out[counter.count(string(unionpaytest.EndpointQuery), "00", tx.OrderID)]++
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
	for _, tx := range gw.Transactions() {
		if tx.TxnType == "12" {
			assert.Equal(t, "000401", counter.bizType(tx.OrderID), "a payout is queried as a payout")
		}
	}
	assert.Equal(t, 2+3+3, counter.total(), "the requests: 72, 77, three 11 or 12, three queries")
}

// requestCounter counts the requests that reach the gateway by path, txnType and orderId.
type requestCounter struct {
	next http.RoundTripper

	mu  sync.Mutex
	n   map[string]int
	biz map[string]string // orderId → the bizType of its last query
}

func (c *requestCounter) RoundTrip(r *http.Request) (*http.Response, error) {
	body, err := io.ReadAll(r.Body)
	_ = r.Body.Close()
	if err != nil {
		return nil, err
	}
	form, err := url.ParseQuery(string(body))
	if err != nil {
		return nil, err
	}
	c.mu.Lock()
	if c.n == nil {
		c.n, c.biz = map[string]int{}, map[string]string{}
	}
	c.n[r.URL.Path+" "+form.Get("txnType")+" "+form.Get("orderId")]++
	if r.URL.Path == string(unionpaytest.EndpointQuery) {
		c.biz[form.Get("orderId")] = form.Get("bizType")
	}
	c.mu.Unlock()
	r = r.Clone(r.Context())
	r.Body = io.NopCloser(bytes.NewReader(body))
	return c.next.RoundTrip(r)
}

func (c *requestCounter) count(path, txnType, orderID string) int {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.n[path+" "+txnType+" "+orderID]
}

func (c *requestCounter) bizType(orderID string) string {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.biz[orderID]
}

func (c *requestCounter) total() int {
	c.mu.Lock()
	defer c.mu.Unlock()
	sum := 0
	for _, n := range c.n {
		sum += n
	}
	return sum
}

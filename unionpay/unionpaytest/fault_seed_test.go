package unionpaytest_test

import (
	"context"
	"errors"
	"fmt"
	"io"
	"math/rand/v2"
	"net/http"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/goacp/unionpay/cert"
	"github.com/goacp/unionpay/sign"
	"github.com/goacp/unionpay/unionpay/unionpaytest"
)

// seededRates are the random faults of the per-order determinism tests: response faults a raw
// client can tell apart, and notification faults Server.Deliveries shows.
var seededRates = unionpaytest.FaultRates{
	unionpaytest.Fault5xx: 0.1, unionpaytest.FaultDrop: 0.1, unionpaytest.FaultWrongKey: 0.1,
	unionpaytest.FaultDuplicateNotify: 0.25, unionpaytest.FaultForgedNotify: 0.25,
}

// TestRandomFaultsFollowTheOrder: with WithFaults, the faults an order's requests and
// notifications get depend on the seed and on that order's own requests, not on the orders
// around it: the same orders sent forwards, backwards or shuffled over eight concurrent clients
// see the same faults, order by order; another seed deals them differently. (With one generator
// for the whole server, the draws followed the order of arrival: sending the orders backwards
// gave each order other faults, and a failing concurrent run could not be replayed.)
func TestRandomFaultsFollowTheOrder(t *testing.T) {
	t.Parallel()
	orders := make([]string, 32)
	for i := range orders {
		orders[i] = fmt.Sprintf("SEEDED%04d", i)
	}
	backwards := slices.Clone(orders)
	slices.Reverse(backwards)
	shuffled := slices.Clone(orders)
	rand.New(rand.NewPCG(1, 2)).Shuffle(len(shuffled), func(i, j int) {
		shuffled[i], shuffled[j] = shuffled[j], shuffled[i]
	})
	want := seededLives(t, 42, orders, 1)
	var all []string
	for _, life := range want {
		all = append(all, life...)
	}
	for _, kind := range []string{"5xx", "drop", "wrong-key", "00", "notified 2 genuine 0 forged", "notified 1 genuine 1 forged"} {
		require.Contains(t, all, kind, "seed 42 must deal every fault for the comparison to mean something")
	}

	tests := []struct {
		name    string
		seed    uint64
		orders  []string
		workers int
		same    bool
	}{
		{"same seed, backwards", 42, backwards, 1, true},
		{"same seed, shuffled over 8 clients", 42, shuffled, 8, true},
		{"same seed, forwards over 8 clients", 42, orders, 8, true},
		{"another seed", 7, orders, 1, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			got := seededLives(t, tt.seed, tt.orders, tt.workers)
			if tt.same {
				assert.Equal(t, want, got, "each order sees the same faults")
				return
			}
			differ := 0
			for _, id := range orders {
				if !slices.Equal(want[id], got[id]) {
					differ++
				}
			}
			assert.Greater(t, differ, len(orders)/4, "another seed deals the faults to other orders")
		})
	}
}

// seededLives runs each order through a gateway with seededRates and seed, workers orders at a
// time, in the order given, and returns what each order saw: the outcome of its app consume, of
// its payment and of three queries, then how many genuine and forged notifications it got.
func seededLives(t *testing.T, seed uint64, orders []string, workers int) map[string][]string {
	t.Helper()
	m := newMerchant(t, unionpaytest.WithFaults(seed, seededRates))
	in := newInbox(t, m.verifier)
	lives := make(map[string][]string, len(orders))
	var mu sync.Mutex
	next := make(chan string)
	var wg sync.WaitGroup
	for range workers {
		wg.Go(func() {
			for id := range next {
				life := orderLife(t, m, id, in.URL())
				mu.Lock()
				lives[id] = life
				mu.Unlock()
			}
		})
	}
	for _, id := range orders {
		next <- id
	}
	close(next)
	wg.Wait()
	paid := 0
	for _, life := range lives {
		if len(life) > 1 && life[1] == "paid" {
			paid++
		}
	}
	genuine, forged := map[string]int{}, map[string]int{}
	for _, d := range settledDeliveries(t, m.srv, paid) {
		require.Equal(t, 1, d.Attempt, "the inbox answers 200 at once: %+v", d)
		if d.Forged {
			forged[d.OrderID]++
		} else {
			genuine[d.OrderID]++
		}
	}
	for id := range lives {
		if genuine[id]+forged[id] > 0 {
			lives[id] = append(lives[id], fmt.Sprintf("notified %d genuine %d forged", genuine[id], forged[id]))
		}
	}
	return lives
}

// orderLife places an app consume for id, pays it and queries it three times; it returns each
// step's outcome. It runs on a worker goroutine: failures are reported, not fatal.
func orderLife(t *testing.T, m *merchant, id, backURL string) []string {
	app := m.fields("01", "01", "000201", "orderId", id, "txnAmt", "100", "currencyCode", "156",
		"channelType", "08", "backUrl", backURL)
	txnTime := app["txnTime"]
	life := []string{seededPost(t, m, unionpaytest.EndpointApp, app)}
	if code, err := m.srv.Complete(id, ""); err != nil {
		life = append(life, "unpaid") // the consume never reached the gateway (5xx)
	} else {
		assert.Equal(t, "00", code)
		life = append(life, "paid")
	}
	for range 3 {
		life = append(life, seededPost(t, m, unionpaytest.EndpointQuery,
			m.fields("00", "00", "000000", "orderId", id, "txnTime", txnTime)))
	}
	return life
}

// seededPost signs and posts f to ep and classifies the answer: "5xx", "drop", "wrong-key", or
// the respCode (with origRespCode for a query).
func seededPost(t *testing.T, m *merchant, ep unionpaytest.Endpoint, f sign.Fields) string {
	f = sign.Prepare(f)
	if !assert.NoError(t, sign.Sign(m.signer, f)) {
		return "unsigned"
	}
	body, err := sign.Encode(f)
	if !assert.NoError(t, err) {
		return "unencoded"
	}
	req, err := http.NewRequestWithContext(context.Background(), http.MethodPost, m.srv.URLFor(ep), strings.NewReader(body))
	if !assert.NoError(t, err) {
		return "no request"
	}
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded;charset=UTF-8")
	resp, err := m.hc.Do(req)
	if err != nil {
		return "drop"
	}
	defer resp.Body.Close()
	raw, err := io.ReadAll(resp.Body)
	switch {
	case err != nil:
		return "drop"
	case resp.StatusCode == http.StatusServiceUnavailable:
		return "5xx"
	}
	answer, err := sign.ParseRaw(string(raw))
	if !assert.NoError(t, err) {
		return "unparsed"
	}
	var ie *cert.InvalidError
	switch _, err := m.verifier.Verify(answer); {
	case errors.Is(err, sign.ErrSignature):
		return "wrong-key"
	case errors.As(err, &ie):
		return "invalid certificate"
	case err != nil:
		return "unverified"
	}
	return strings.TrimSpace(answer["respCode"] + " " + answer["origRespCode"])
}

// settledDeliveries waits until no notification is in flight (WaitNotifications: retries,
// duplicates and forged copies included) and returns the deliveries, checking that each of the
// paid orders had a genuine one.
func settledDeliveries(t *testing.T, srv *unionpaytest.Server, paid int) []unionpaytest.Delivery {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	require.NoError(t, srv.WaitNotifications(ctx), "notifications still in flight")
	ds := srv.Deliveries()
	notified := map[string]bool{}
	for _, d := range ds {
		if !d.Forged {
			notified[d.OrderID] = true
		}
	}
	require.Len(t, notified, paid, "orders with a genuine notification")
	return ds
}

package unionpay_test

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"sync"
	"time"

	"github.com/goacp/unionpay/unionpay"
	"github.com/goacp/unionpay/unionpay/unionpaytest"
)

// callMetrics counts calls by operation and outcome and sums their durations, as a Prometheus
// CounterVec and HistogramVec labelled op and outcome would (WithLabelValues(e.Op,
// e.Outcome.String()).Inc(), and .Observe(e.Duration.Seconds())).
type callMetrics struct {
	mu    sync.Mutex
	count map[string]int
	total map[string]time.Duration
}

// observe is the Config.OnCall: safe for concurrent use, quick, and never given card data.
func (m *callMetrics) observe(_ context.Context, e unionpay.CallEnd) {
	key := fmt.Sprintf("op=%q,outcome=%q", e.Op, e.Outcome)
	m.mu.Lock()
	defer m.mu.Unlock()
	m.count[key]++
	m.total[key] += e.Duration
}

// Config.OnCall counts every call by operation and outcome, with no wrapper around each
// method: an accepted payment, a pending one, the queries that settle it, a request refused
// before sending and one that never left.
func ExampleConfig_onCall() {
	srv := unionpaytest.NewServer(unionpaytest.WithClock(exampleNow))
	defer srv.Close()
	m := &callMetrics{count: map[string]int{}, total: map[string]time.Duration{}}
	cfg := srv.Config()
	cfg.Sleep = func(ctx context.Context, _ time.Duration) error { return ctx.Err() } // no waiting here
	cfg.OnCall = m.observe
	c, err := unionpay.NewClient(cfg)
	if err != nil {
		fmt.Println(err)
		return
	}
	ctx := context.Background()
	pay := func(orderID string, amount int64) (*unionpay.Result, error) {
		return c.BackConsume(ctx, &unionpay.CardRequest{OrderID: orderID, TxnTime: exampleNow(), Amount: amount,
			AccNo: "6216261000000000018", BackURL: "https://shop.example/notify",
			Customer: &unionpay.Customer{SMSCode: "111111"}})
	}

	_, _ = pay("METRICS20240105001", 1000) // accepted
	srv.Script("METRICS20240105002", unionpaytest.Pending, unionpaytest.Pending, unionpaytest.Succeed)
	if _, err := pay("METRICS20240105002", 1000); err != nil { // pending: query it
		var pe *unionpay.PendingError
		if errors.As(err, &pe) {
			_, _ = c.QueryUntilFinal(ctx, pe.QueryRequest(), unionpay.Backoff{Delays: []time.Duration{0, 0, 0}})
		}
	}
	_, _ = pay("METRICS20240105003", 0) // refused: no amount
	cancelled, cancel := context.WithCancel(ctx)
	cancel()
	_, _ = c.Query(cancelled, &unionpay.QueryRequest{OrderID: "METRICS20240105001", TxnTime: exampleNow()}) // not sent

	m.mu.Lock()
	defer m.mu.Unlock()
	keys := make([]string, 0, len(m.count))
	for k := range m.count {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	for _, k := range keys {
		fmt.Printf("unionpay_calls_total{%s} %d\n", k, m.count[k])
	}
	// Output:
	// unionpay_calls_total{op="back consume",outcome="accepted"} 1
	// unionpay_calls_total{op="back consume",outcome="pending"} 1
	// unionpay_calls_total{op="back consume",outcome="refused"} 1
	// unionpay_calls_total{op="query",outcome="accepted"} 2
	// unionpay_calls_total{op="query",outcome="not_sent"} 1
}

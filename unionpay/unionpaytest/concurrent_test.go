package unionpaytest_test

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/goacp/unionpay/unionpay"
	"github.com/goacp/unionpay/unionpay/unionpaytest"
)

// TestConcurrentLedger runs many orders at once through the real client while the gateway
// injects random faults, then checks the gateway's own books: refunds never exceed their
// consume, every refund the ledger holds is counted once, and the settlement records agree with
// the ledger fen by fen.
func TestConcurrentLedger(t *testing.T) {
	t.Parallel()
	const orders = 40
	c := newClock()
	srv := unionpaytest.NewServer(keys(t), unionpaytest.WithClock(c.Now), unionpaytest.WithTimeScale(scale),
		unionpaytest.WithFaultDelay(3*time.Second), unionpaytest.WithFaults(1, unionpaytest.FaultRates{
			unionpaytest.FaultPending: 0.1, unionpaytest.FaultDrop: 0.05, unionpaytest.Fault5xx: 0.05,
			unionpaytest.FaultTruncate: 0.05, unionpaytest.FaultWrongKey: 0.05, unionpaytest.FaultDelay: 0.02,
			unionpaytest.FaultDuplicateNotify: 0.1, unionpaytest.FaultNotifyFirst: 0.1, unionpaytest.FaultForgedNotify: 0.1,
		}))
	t.Cleanup(srv.Close)
	cfg := srv.Config()
	cfg.HTTPClient.Timeout = time.Second
	client, err := unionpay.NewClient(cfg)
	require.NoError(t, err)
	in := newInbox(t, cfg.Verifier)
	ctx := context.Background()

	var wg sync.WaitGroup
	for i := range orders {
		wg.Go(func() {
			order := fmt.Sprintf("CONC%06d", i)
			form, err := client.FrontConsume(&unionpay.ConsumeRequest{OrderID: order, Amount: 1000,
				FrontURL: in.URL(), BackURL: in.URL()})
			if !assert.NoError(t, err) {
				return
			}
			if _, err := srv.Pay(ctx, form.Fields, ""); err != nil {
				return // a fault on the cashier page: the order stays unpaid
			}
			paid, ok := srv.Transaction(order)
			if !ok || paid.QueryID == "" {
				return
			}
			for j := range 3 { // three refunds of 400: the third must never succeed
				_, err := client.Refund(ctx, &unionpay.FollowUpRequest{OrderID: fmt.Sprintf("%sR%d", order, j),
					OrigQueryID: paid.QueryID, Amount: 400, BackURL: in.URL()})
				if ue, ok := errors.AsType[*unionpay.Error](err); ok {
					assert.Contains(t, []string{"33", "35"}, ue.RespCode, "only the limit refuses a refund")
				}
			}
		})
	}
	wg.Wait()

	ledger := srv.Transactions()
	byQuery := map[string]unionpaytest.Transaction{}
	refunded := map[string]int64{}
	for _, x := range ledger {
		byQuery[x.QueryID] = x
	}
	for _, x := range ledger {
		if x.TxnType == "04" {
			assert.Contains(t, byQuery, x.OrigQueryID)
			if x.RespCode == "00" || !x.Final {
				refunded[x.OrigQueryID] += x.Amount
			}
		}
	}
	var paid int
	for _, x := range ledger {
		if x.TxnType != "01" || x.RespCode != "00" {
			continue
		}
		paid++
		assert.LessOrEqual(t, refunded[x.QueryID], x.Amount, "refunds (done or pending) within the consume")
		assert.LessOrEqual(t, x.Refunded, refunded[x.QueryID])
	}
	assert.Positive(t, paid)

	var sum int64
	for _, r := range srv.Records(c.Now()) {
		x := byQuery[r.QueryID]
		assert.Equal(t, "00", x.RespCode)
		assert.Equal(t, x.Amount, r.TxnAmt)
		if r.TxnType == "04" {
			sum -= r.TxnAmt
		} else {
			sum += r.TxnAmt
		}
	}
	var want int64
	for _, x := range ledger {
		switch {
		case x.RespCode != "00":
		case x.TxnType == "01":
			want += x.Amount
		case x.TxnType == "04":
			want -= x.Amount
		}
	}
	assert.Equal(t, want, sum, "the settlement file nets to the ledger")
	// Every notification the merchant could not verify was a forged one, and every forged one it
	// answered failed verification. (The seed fixes which of an order's notifications are forged,
	// however the orders interleave, but not how many notifications there are: a client timing
	// out on a loaded machine changes what an order sends.) Close waits for the deliveries in flight.
	srv.Close()
	var forged, forgedAnswered int
	for _, d := range srv.Deliveries() {
		if d.Forged {
			forged++
			if d.Status != 0 {
				forgedAnswered++
			}
		}
	}
	in.mu.Lock()
	defer in.mu.Unlock()
	assert.GreaterOrEqual(t, in.bad, forgedAnswered, "every forged notification answered failed verification")
	assert.LessOrEqual(t, in.bad, forged, "only forged notifications fail verification")
}

package unionpay_test

// Regressions found by a review of the request-validation, masking and settle-day changes.

import (
	"context"
	"errors"
	"sync/atomic"
	"testing"
	"time"

	"github.com/goacp/unionpay/sign"
	"github.com/goacp/unionpay/unionpay"
)

// ParseSettleDate read the nearest year: a consume of 1 March queried on 27 November (refunds are
// allowed for 11 months) read as 1 March of next year, a settle day in the future.
func TestParseSettleDateOfOldTransactionReadNow(t *testing.T) {
	bj := time.FixedZone("CST", 8*3600)
	now := time.Date(2026, 11, 27, 12, 0, 0, 0, bj)
	got, err := unionpay.ParseSettleDate("0301", now)
	if err != nil {
		t.Fatal(err)
	}
	if got.After(unionpay.SettleDay(now)) {
		t.Errorf("settleDate 0301 read on %s is %s: a settle day in the future", now.Format(time.DateOnly), got.Format(time.DateOnly))
	}
}

// QueryUntilFinal checks the whole request before its first wait: a QueryID of invalid UTF-8 and a
// bad Extra were refused only by the first Query, after the schedule's first wait.
func TestQueryUntilFinalChecksBeforeWaiting(t *testing.T) {
	var waits atomic.Int64
	p := newAVProbe(t, func(c *unionpay.Config) {
		c.Sleep = func(ctx context.Context, d time.Duration) error { waits.Add(1); return nil }
	})
	for _, tc := range []struct {
		name string
		r    func() *unionpay.QueryRequest
	}{
		{"QueryID invalid UTF-8", func() *unionpay.QueryRequest {
			return &unionpay.QueryRequest{QueryID: "78240105103000000001\xff", TxnTime: p.srv.Now()}
		}},
		{"Extra collides with orderId", func() *unionpay.QueryRequest {
			return &unionpay.QueryRequest{OrderID: p.oid(), TxnTime: p.srv.Now(), Extra: sign.Fields{"orderId": "X"}}
		}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			before := waits.Load()
			_, err := p.c.QueryUntilFinal(avCtx, tc.r(), unionpay.PayoutBackoff())
			if _, ok := errors.AsType[*unionpay.RequestError](err); !ok {
				t.Fatalf("want a RequestError, got %v", err)
			}
			if n := waits.Load() - before; n != 0 {
				t.Errorf("refused (%v) only after %d wait(s) of the schedule", err, n)
			}
		})
	}
}

// An empty and a blank Reserved/RiskRateInfo value are treated alike (both left out).
func TestBracedEmptyAndBlankAlike(t *testing.T) {
	p := newAVProbe(t, func(c *unionpay.Config) { c.PlainCardData = true })
	mk := func(v string) error {
		_, err := p.c.FrontConsume(&unionpay.ConsumeRequest{OrderID: p.oid(), Amount: 100,
			FrontURL: "https://merchant.example/return", BackURL: avBack,
			RiskRateInfo: sign.Fields{"commodityName": v}})
		return err
	}
	empty, blank := mk(""), mk(" ")
	if (empty == nil) != (blank == nil) {
		t.Errorf("RiskRateInfo commodityName \"\": %v; \" \": %v (one refused, the other sent)", empty, blank)
	}
}

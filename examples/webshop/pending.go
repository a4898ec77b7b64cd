package main

import (
	"context"
	"time"

	"github.com/goacp/unionpay/unionpay"
)

// CheckPending queries the orders still pending whose next query is due on UnionPay's schedule
// for front transactions (5, 10, 30, 60 and 120 minutes after txnTime; unionpay.FrontBackoff),
// then hourly for as long as one stays pending, and returns how many it queried. Run it every
// minute or so: it is the fallback for notifications that never arrive. A query that fails (the
// gateway unreachable, an answer that does not verify while the shop's certificates are out of
// date) is asked again at the next run; only answered ones move an order along the schedule.
func (s *Shop) CheckPending(ctx context.Context) int {
	now := s.Now()
	var due []string
	s.mu.Lock()
	for id, o := range s.orders {
		if o.Status == Pending && !now.Before(nextQuery(o)) {
			due = append(due, id)
		}
	}
	s.mu.Unlock()
	for _, id := range due {
		if err := s.check(ctx, id, true); err != nil {
			s.Logger.Warn("scheduled query", "orderId", id, "err", err)
		}
	}
	return len(due)
}

// nextQuery is when o's next scheduled query is due: UnionPay's front schedule, then every hour.
func nextQuery(o *Order) time.Time {
	delays := unionpay.FrontBackoff().Delays
	if o.Answered < len(delays) {
		return o.TxnTime.Add(delays[o.Answered])
	}
	return o.TxnTime.Add(delays[len(delays)-1] + time.Duration(o.Answered-len(delays)+1)*time.Hour)
}

// watchPending runs CheckPending every interval until ctx ends.
func (s *Shop) watchPending(ctx context.Context, interval time.Duration) {
	t := time.NewTicker(interval)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-t.C:
			s.CheckPending(ctx)
		}
	}
}

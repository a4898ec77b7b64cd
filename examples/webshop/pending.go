package main

import (
	"context"
	"time"

	"github.com/goacp/unionpay/unionpay"
)

// CheckPending queries the orders still pending whose next query is due on UnionPay's schedule
// for front transactions (5, 10, 30, 60 and 120 minutes after txnTime; unionpay.FrontBackoff),
// and returns how many it queried. Run it every minute or so: it is the fallback for
// notifications that never arrive.
func (s *Shop) CheckPending(ctx context.Context) int {
	delays := unionpay.FrontBackoff().Delays
	now := s.Now()
	var due []string
	s.mu.Lock()
	for id, o := range s.orders {
		if o.Status == Pending && o.Queries < len(delays) && !now.Before(o.TxnTime.Add(delays[o.Queries])) {
			due = append(due, id)
		}
	}
	s.mu.Unlock()
	for _, id := range due {
		if err := s.check(ctx, id); err != nil {
			s.Logger.Warn("scheduled query", "order", id, "err", err)
		}
	}
	return len(due)
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

package unionpay_test

import (
	"context"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/goacp/unionpay/unionpay"
	"github.com/goacp/unionpay/unionpay/unionpaytest"
)

// A clock stepped back by an hour (an NTP correction, a naive clock's fall-back switch) while
// QueryUntilFinal waits makes the next query's TxnTime "55m after Config.Now": the schedule
// stops with a *RequestError (a mistake to mend, blaming ParseTxnTime) after queries were
// asked, instead of asking again on schedule or ending with a *PendingError.
func TestTrialClockSteppedBackFront(t *testing.T) {
	t.Parallel()
	r := newClockRig(t, time.Date(2026, 11, 1, 8, 30, 0, 0, time.UTC), la, false)
	form := r.consume(t, "CLKBACKFRONT1", 15*time.Minute)
	r.onSleep = func(k int32) {
		if k == 2 { // after the 5-minute query, during the wait for the 10-minute one
			r.offset.Add(int64(-time.Hour))
		}
	}
	b := unionpay.FrontBackoff()
	b.PayTimeout = form.PayTimeout
	_, err := r.c.QueryUntilFinal(context.Background(), &unionpay.QueryRequest{OrderID: form.OrderID,
		TxnTime: form.TxnTime, TxnType: "01", Amount: 1000}, b)
	var re *unionpay.RequestError
	require.NotErrorAs(t, err, &re, "a valid request, one query asked already")
	if err != nil {
		require.ErrorIs(t, err, unionpay.ErrPending)
	}
	require.False(t, r.stillPayable(form.OrderID) && err == nil)
}

// The same for a payout on PayoutBackoff: the clock steps back during its 3-minute wait and the
// schedule ends with a *RequestError, not ErrPending, for a payout whose outcome is not known.
func TestTrialClockSteppedBackPayout(t *testing.T) {
	t.Parallel()
	r := newClockRig(t, time.Date(2026, 11, 25, 10, 0, 0, 0, time.UTC), time.UTC, false)
	r.srv.Script("CLKBACKPAY01", unionpaytest.Pending, unionpaytest.Pending, unionpaytest.Pending,
		unionpaytest.Pending, unionpaytest.Pending, unionpaytest.Pending, unionpaytest.Pending, unionpaytest.Pending)
	at := time.Unix(0, r.true_.Load())
	_, err := r.c.Payout(context.Background(), &unionpay.CardRequest{OrderID: "CLKBACKPAY01", TxnTime: at, Amount: 500,
		AccNo: unionpaytest.TestCard, BackURL: "https://shop.example/notify", Customer: &unionpay.Customer{Name: "张三"}})
	require.ErrorIs(t, err, unionpay.ErrPending)
	r.onSleep = func(k int32) {
		if k == 1 {
			r.offset.Add(int64(-time.Hour))
		}
	}
	tx, err := r.c.QueryUntilFinal(context.Background(), &unionpay.QueryRequest{OrderID: "CLKBACKPAY01", TxnTime: at,
		BizType: unionpay.BizTypePayout, TxnType: "12", Amount: 500}, unionpay.PayoutBackoff())
	require.ErrorIs(t, err, unionpay.ErrPending, "a payout not known: query later, never pay again")
	if tx != nil {
		require.NotEqual(t, unionpay.Failed, tx.State)
	}
}

package unionpay_test

import (
	"context"
	"errors"
	"fmt"
	"os"
	"slices"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/goacp/unionpay/sign"
	"github.com/goacp/unionpay/unionpay"
	"github.com/goacp/unionpay/unionpay/unionpaytest"
)

// clockRig is a fake gateway on a true clock and a client whose Config.Now is the true clock
// plus an offset that steps (a naive clock crossing DST, an NTP correction), optionally read in
// a zone with DST.
type clockRig struct {
	srv     *unionpaytest.Server
	c       *unionpay.Client
	true_   atomic.Int64 // Unix ns
	offset  atomic.Int64 // ns added to the client's clock
	sleeps  atomic.Int32
	onSleep func(n int32) // called before the clock moves, with the sleep's number (1-based)
	queries *countingTransport
}

func newClockRig(t *testing.T, start time.Time, zone *time.Location, noWait bool) *clockRig {
	t.Helper()
	r := &clockRig{}
	r.true_.Store(start.UnixNano())
	trueNow := func() time.Time { return time.Unix(0, r.true_.Load()) }
	r.srv = unionpaytest.NewServer(unionpaytest.WithReporter(t), unionpaytest.WithClock(trueNow))
	t.Cleanup(r.srv.Close)
	cfg := r.srv.Config()
	r.queries = &countingTransport{RoundTripper: cfg.HTTPClient.Transport}
	hc := *cfg.HTTPClient
	hc.Transport = r.queries
	cfg.HTTPClient = &hc
	cfg.Now = func() time.Time { return time.Unix(0, r.true_.Load()+r.offset.Load()).In(zone) }
	cfg.Sleep = func(ctx context.Context, d time.Duration) error {
		n := r.sleeps.Add(1)
		if n > 1000 {
			return errors.New("never ends")
		}
		if r.onSleep != nil {
			r.onSleep(n)
		}
		if noWait && d > 0 {
			return errors.New("a function does not wait")
		}
		r.true_.Add(int64(d))
		return ctx.Err()
	}
	c, err := unionpay.NewClient(cfg)
	require.NoError(t, err)
	r.c = c
	return r
}

func (r *clockRig) consume(t *testing.T, id string, payTimeout time.Duration) *unionpay.Form {
	t.Helper()
	now := time.Unix(0, r.true_.Load()+r.offset.Load())
	form, err := r.c.FrontConsume(&unionpay.ConsumeRequest{OrderID: id, Amount: 1000, Channel: unionpay.ChannelMobile,
		FrontURL: "https://shop.example/r", BackURL: "https://shop.example/n", PayTimeout: now.Add(payTimeout)})
	require.NoError(t, err)
	// The shopper's browser posts the form: the gateway opens the cashier (the order exists, unpaid).
	body, err := sign.Encode(form.Fields)
	require.NoError(t, err)
	resp, err := r.srv.HTTPClient().Post(form.Action, "application/x-www-form-urlencoded", strings.NewReader(body))
	require.NoError(t, err)
	resp.Body.Close()
	_, ok := r.srv.Transaction(id)
	require.True(t, ok, "cashier opened")
	return form
}

// stillPayable reports whether the fake gateway would still take the customer's payment.
func (r *clockRig) stillPayable(id string) bool {
	code, err := r.srv.Complete(id, "")
	return err == nil && code == "00"
}

var la = func() *time.Location {
	l, err := time.LoadLocation("America/Los_Angeles")
	if err != nil {
		panic(err)
	}
	return l
}()

// FrontBackoff, full and shortened as its doc shows, with the client's clock stepping by an hour
// either way before any of its waits, or read in Los Angeles across both DST switches: it
// always ends (no more queries than the schedule has), and it never declares final an order the
// gateway would still let the customer pay, as long as the client's clock is not ahead of the
// gateway's at the last query (a clock an hour ahead is outside PayTimeoutSkew: logged).
//
// The whole sweep (468 cases, about 75 s) runs with UNIONPAY_CLOCK_SWEEP=1; by default a sample
// of it: the fall-back switch in Los Angeles, the clock stepping either way at the first and
// third wait, the 15-minute payTimeout.
func TestTrialClockFrontBackoff(t *testing.T) {
	t.Parallel()
	starts := map[string]time.Time{
		"plain":             time.Date(2026, 11, 25, 10, 0, 0, 0, time.UTC),
		"LA spring forward": time.Date(2026, 3, 8, 9, 30, 0, 0, time.UTC),  // 01:30 PST, switch at 10:00 UTC
		"LA fall back":      time.Date(2026, 11, 1, 8, 30, 0, 0, time.UTC), // 01:30 PDT, switch at 09:00 UTC
	}
	zones := []*time.Location{time.UTC, la}
	ats := []int32{1, 2, 3, 4, 5, 6}
	pts := []time.Duration{15 * time.Minute, 90 * time.Minute, 3 * time.Hour}
	if os.Getenv("UNIONPAY_CLOCK_SWEEP") == "" {
		starts = map[string]time.Time{"LA fall back": starts["LA fall back"]}
		zones, ats, pts = []*time.Location{la}, []int32{1, 3}, pts[:1]
	}
	n := 0
	for sname, start := range starts {
		for _, zone := range zones {
			for _, step := range []time.Duration{0, time.Hour, -time.Hour} {
				for _, at := range ats {
					for _, pt := range pts {
						for _, short := range []bool{false, true} {
							if step == 0 && at > 1 {
								continue
							}
							n++
							name := fmt.Sprintf("%s/%s/step%v@sleep%d/pt%v/short%v", sname, zone, step, at, pt, short)
							id := fmt.Sprintf("CLK%09d", n)
							t.Run(name, func(t *testing.T) {
								t.Parallel()
								r := newClockRig(t, start, zone, false)
								form := r.consume(t, id, pt)
								r.onSleep = func(k int32) {
									if k == at {
										r.offset.Add(int64(step))
									}
								}
								b := unionpay.FrontBackoff()
								b.PayTimeout = form.PayTimeout
								if short {
									end := form.PayTimeout.Sub(form.TxnTime) + unionpay.PayTimeoutSkew + time.Second
									b.Delays = append(slices.DeleteFunc(b.Delays, func(d time.Duration) bool { return d >= end }), end)
								}
								tx, err := r.c.QueryUntilFinal(context.Background(), &unionpay.QueryRequest{OrderID: id,
									TxnTime: form.TxnTime, TxnType: "01", Amount: 1000}, b)
								require.LessOrEqual(t, r.queries.n.Load(), int32(len(b.Delays)), "no more queries than scheduled")
								require.LessOrEqual(t, r.sleeps.Load(), int32(len(b.Delays)))
								if err != nil {
									require.ErrorIs(t, err, unionpay.ErrPending)
									return
								}
								require.NotEqual(t, unionpay.Succeeded, tx.State)
								clientAhead := r.offset.Load() > 0
								if r.stillPayable(id) {
									if clientAhead {
										t.Logf("final while payable, client clock %v ahead (outside PayTimeoutSkew)", time.Duration(r.offset.Load()))
										return
									}
									t.Fatalf("declared final (%s) but the customer can still pay", tx.State)
								}
							})
						}
					}
				}
			}
		}
	}
}

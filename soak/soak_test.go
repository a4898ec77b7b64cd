package soak

import (
	"context"
	"flag"
	"math/rand/v2"
	"net/http"
	"net/http/httptest"
	"os"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/goacp/unionpay/cert"
	"github.com/goacp/unionpay/notify"
	"github.com/goacp/unionpay/unionpay"
	"github.com/goacp/unionpay/unionpay/unionpaytest"
)

var (
	flagLong    = flag.Duration("soak.long", 0, "run the long soak for this long (or set UNIONPAY_SOAK_LONG)")
	flagOrders  = flag.Int("soak.orders", 0, "business orders to run (0: 320, or as many as fit in -soak.long)")
	flagSeed    = flag.Uint64("soak.seed", 20261125, "seed of the gateway's faults and the merchant's choices")
	flagWorkers = flag.Int("soak.workers", 12, "concurrent merchant workers")
)

const shortOrders = 320

// faultRates are the gateway's random faults: per request for the response faults, per
// notification for the notification faults.
var faultRates = unionpaytest.FaultRates{
	unionpaytest.Fault5xx:             0.03,
	unionpaytest.FaultDrop:            0.02,
	unionpaytest.FaultTruncate:        0.02,
	unionpaytest.FaultDelay:           0.01,
	unionpaytest.FaultWrongKey:        0.01,
	unionpaytest.FaultExpiredCert:     0.005,
	unionpaytest.FaultWrongName:       0.005,
	unionpaytest.FaultDuplicateNotify: 0.10,
	unionpaytest.FaultLateNotify:      0.05,
	unionpaytest.FaultNotifyFirst:     0.10,
}

// budget returns how many orders to run and for how long (0: no time limit).
func budget(t *testing.T) (orders int, d time.Duration) {
	d = *flagLong
	if env := os.Getenv("UNIONPAY_SOAK_LONG"); env != "" && d == 0 {
		var err error
		d, err = time.ParseDuration(env)
		require.NoError(t, err, "UNIONPAY_SOAK_LONG")
	}
	orders = *flagOrders
	if orders == 0 && d == 0 {
		orders = shortOrders
		if testing.Short() {
			orders = 80
		}
	}
	return orders, d
}

// beijing is the gateway's and the merchant's time zone.
var beijing = time.FixedZone("CST", 8*3600)

func TestSoak(t *testing.T) {
	orders, duration := budget(t)
	seed := *flagSeed
	started := time.Now()
	// A fixed business day, running at wall-clock speed from 10:00 Beijing time, so the day never
	// crosses the end of the settle day (23:00) whatever the hour of the run.
	base := time.Date(2026, 11, 25, 10, 0, 0, 0, beijing)
	now := func() time.Time { return base.Add(time.Since(started)) }

	srv := unionpaytest.NewServer(
		unionpaytest.WithClock(now),
		unionpaytest.WithReporter(t),
		unionpaytest.WithSHA1Chain(),
		unionpaytest.WithFaults(seed, faultRates),
		unionpaytest.WithFaultDelay(4*time.Second),
		unionpaytest.WithTimeScale(1.0/600), // the notification schedule 0,1,2,4,5 min becomes 0.1-0.5 s
	)
	defer srv.Close()
	evil := unionpaytest.NewServer(unionpaytest.WithClock(now)) // another CA, same names
	defer evil.Close()

	verifier, err := srv.NotifyVerifier()
	require.NoError(t, err)
	m := newMerchant(srv.MerchantID(), verifier)
	handler := &notify.Handler{Verifier: verifier, OnNotify: m.onNotify}
	shop := httptest.NewServer(m.routes(handler))
	defer shop.Close()

	cfg := srv.Config()
	cfg.HTTPClient = srv.HTTPClient()
	cfg.HTTPClient.Timeout = 1500 * time.Millisecond // FaultDelay holds answers past this
	if tr, ok := cfg.HTTPClient.Transport.(*http.Transport); ok {
		tr.MaxIdleConnsPerHost = 64
	}
	client, err := unionpay.NewClient(cfg)
	require.NoError(t, err)
	cfg.Encoding = "GBK"
	gbk, err := unionpay.NewClient(cfg)
	require.NoError(t, err)
	// The reconciliation job has its own client: building and sending a day's file takes the
	// gateway longer than a transaction (seconds for thousands of records under -race).
	cfg.Encoding = ""
	cfg.HTTPClient = srv.HTTPClient()
	cfg.HTTPClient.Timeout = 2 * time.Minute
	files, err := unionpay.NewClient(cfg)
	require.NoError(t, err)
	browserClient := srv.HTTPClient()
	browserClient.Timeout = 10 * time.Second
	s := &sim{srv: srv, client: client, gbk: gbk, files: files, m: m, shopURL: shop.URL, browser: &browser{client: browserClient}, now: now}

	att, err := newAttacker(shop.URL+"/notify", m, evil, cert.CertID(srv.SigningCertificate()), now())
	require.NoError(t, err)
	attackCtx, stopAttack := context.WithCancel(context.Background())
	var attackDone sync.WaitGroup
	attackDone.Go(func() { ; att.run(attackCtx) })

	ctx := context.Background()
	rotateCtx, stopRotate := context.WithCancel(ctx)
	var rotateDone sync.WaitGroup
	rotateDone.Go(func() { ; s.rotate(rotateCtx, 3*time.Second) })
	ran := s.drive(ctx, orders, duration, *flagWorkers, seed)
	stopRotate()
	rotateDone.Wait()
	trafficDone := time.Since(started)

	quiet := waitQuiet(srv, 30*time.Second)
	stopAttack()
	attackDone.Wait()
	open := s.sweep(ctx)

	t.Logf("soak: seed %d, %d workers, %d business orders, %d merchant transactions; traffic %v, "+
		"notifications quiet after %v more, total %v",
		seed, *flagWorkers, ran, len(m.all()), trafficDone.Round(time.Millisecond), quiet.Round(time.Millisecond),
		time.Since(started).Round(time.Millisecond))
	require.Zero(t, open, "transactions still open after the end-of-day sweep")
	s.checkInvariants(t, ctx, att)
}

// drive runs business orders on workers until orders have run (when > 0) and duration has
// passed (when > 0). It returns the number run.
func (s *sim) drive(ctx context.Context, orders int, duration time.Duration, workers int, seed uint64) int {
	deadline := time.Time{}
	if duration > 0 {
		deadline = time.Now().Add(duration)
	}
	next := make(chan int)
	var wg sync.WaitGroup
	for range workers {
		wg.Go(func() {
			for biz := range next {
				s.business(ctx, biz, rand.New(rand.NewPCG(seed, uint64(biz))))
			}
		})
	}
	n := 0
	for ; (orders == 0 || n < orders) && (deadline.IsZero() || time.Now().Before(deadline)); n++ {
		next <- n + 1
	}
	close(next)
	wg.Wait()
	return n
}

// waitQuiet waits until the gateway has made no notification attempt for a while (late and
// retried notifications included), at most max. It returns how long it waited.
func waitQuiet(srv *unionpaytest.Server, max time.Duration) time.Duration {
	start := time.Now()
	last, lastChange := -1, time.Now()
	for time.Since(start) < max {
		if n := len(srv.Deliveries()); n != last {
			last, lastChange = n, time.Now()
		} else if time.Since(lastChange) > 2500*time.Millisecond {
			break
		}
		time.Sleep(100 * time.Millisecond)
	}
	return time.Since(start)
}

package unionpaytest

import (
	"crypto/x509"
	"errors"
	"fmt"
	"maps"
	"math"
	"slices"
	"strings"
	"time"
)

// Reporter receives protocol violations: requests the real gateway would reject because the
// client built them wrongly (bad signature, missing or malformed field, wrong endpoint). A
// *testing.T fits. Business rejections (duplicate orderId, over-refund, unknown original) are
// answered but not reported. A Reporter that also has a Logf method, as *testing.T does, is told
// there, without failing the test, of the first failed attempt to deliver a notification to each
// backUrl (nothing listening, a DNS failure, a status other than 200) and of the retries left
// (unless [WithBackURLFailures] takes those); one with a Deadline method, as *testing.T has, bounds [Server.WaitNotifications].
type Reporter interface {
	Errorf(format string, args ...any)
}

// Option configures a Server. A nil Option changes nothing.
type Option func(*options)

type options struct {
	now            func() time.Time
	withClock      bool   // WithClock gave now
	clock          *Clock // WithTestClock: now is its Now, and notification waits are on it
	reporter       Reporter
	timeScale      float64
	sha1           bool
	merchantID     string
	plainHTTP      bool
	secureKey      []byte
	faults         bool
	faultSeed      uint64
	faultRates     FaultRates
	faultDelay     time.Duration
	notifySchedule []time.Duration
	notifyTimeout  time.Duration
	backURLFail    func(BackURLFailure) // WithBackURLFailures; nil: the Reporter's Logf
	maxAmount      int64
	freshness      time.Duration
	keys           *Keys
	merchantCerts  []*x509.Certificate
	sm2            bool    // WithSM2
	publication    bool    // WithFilePublication
	historyLimit   int     // WithHistoryLimit; 0 = unbounded
	ledgerLimit    int     // WithLedgerLimit; 0 = unbounded
	errs           []error // unusable options, each named; NewServer panics with them
}

// Clock bounds: the certificates the gateway makes are valid from two years before its clock
// (the expired one) to ten years after it, and every one must fit x509's four-digit years.
const (
	minClockYear = 1950
	maxClockYear = 9989
)

// validate returns the unusable options, each error naming its option: those the options
// recorded, and a clock that does not read a time in minClockYear to maxClockYear.
func (o *options) validate() error {
	errs := o.errs
	if o.withClock && o.clock != nil {
		errs = append(errs, errors.New("unionpaytest: WithClock and WithTestClock both given: "+
			"WithTestClock(c) sets the clock, as WithClock(c.Now) does"))
	}
	if now := o.now(); now.Year() < minClockYear || now.Year() > maxClockYear {
		name := "WithClock"
		if o.clock != nil {
			name = "WithTestClock"
		}
		errs = append(errs, fmt.Errorf("unionpaytest: %s: the clock reads %s; want a time in the years %d to %d",
			name, now.Format(time.RFC3339), minClockYear, maxClockYear))
	}
	return errors.Join(errs...)
}

// refuse records an unusable option; NewServer panics with it.
func (o *options) refuse(format string, args ...any) {
	o.errs = append(o.errs, fmt.Errorf("unionpaytest: "+format, args...))
}

func defaultOptions() options {
	return options{
		now:        time.Now,
		timeScale:  1,
		merchantID: DefaultMerchantID,
		faultDelay: time.Minute,
		// UnionPay sends a notification up to 5 times. The official demos say "总共发送5次，每次的
		// 间隔时间为0,1,2,4分钟" (five sends, four waits given: at once, then after 1, 2 and 4
		// minutes); the fifth wait, 5 minutes here, follows third-party descriptions ("1、2、4、5
		// 分钟") and is not confirmed by UnionPay's own documents.
		notifySchedule: []time.Duration{0, time.Minute, 2 * time.Minute, 4 * time.Minute, 5 * time.Minute},
		notifyTimeout:  10 * time.Second,
		maxAmount:      100_000_000_00, // 100 million yuan, in fen
		freshness:      15 * time.Minute,
	}
}

// DefaultMerchantID is the merId of the test merchant (UnionPay's public demo merchant number).
const DefaultMerchantID = "777290058110048"

// BusinessDayClock returns a clock for [WithClock] that starts at 10:00 Beijing time on the
// current Beijing date and runs at wall speed. On the real clock a test that pays just before
// the settle day ends (23:00 Beijing, 15:00 UTC) and cancels or downloads the day's file just
// after it sees two settle dates: the cancel is refused and the file is empty (98). On this clock
// a run's transactions share one settle date whenever it starts (unless it lasts thirteen hours).
func BusinessDayClock() func() time.Time {
	beijing := time.FixedZone("CST", 8*3600)
	t0 := time.Now()
	y, m, d := t0.In(beijing).Date()
	start := time.Date(y, m, d, 10, 0, 0, 0, beijing)
	return func() time.Time { return start.Add(time.Since(t0)) }
}

// WithClock sets the gateway's clock: txnTime freshness, settle dates, certificate validity and
// the Now of [Server.Config] all follow it. nil means time.Now. NewServer panics, naming
// WithClock, if the clock does not read a time in the years 1950 to 9989 (the zero time, say).
// Notifications still wait on the wall clock: [WithTestClock] puts them on a [Clock].
func WithClock(now func() time.Time) Option {
	return func(o *options) {
		if now != nil {
			o.now, o.withClock = now, true
		}
	}
}

// WithTestClock makes c the gateway's clock, as WithClock(c.Now) does, and the notification
// schedule's: each wait of [WithNotifySchedule] (and FaultLateNotify's) ends when c is moved
// (Advance, Set, Sleep) to or past the time the attempt is due, the previous attempt's time
// plus the wait, however long that is in real time; [WithTimeScale] does not apply to them.
// A notification the merchant refused is sent again only then, so a test asserts on each
// attempt in turn, with [Server.WaitNotifications] after each move of the clock, and one never
// moved far enough is stopped by [Server.Close]. Deliveries woken by one move are sent
// concurrently, as ones due at the same time are: move the clock to each due time in turn to
// order them. The answer deadline of each attempt (10 s) stays on the wall clock. [Server.Config]
// then has Sleep c.Sleep, so that the client's waits (QueryUntilFinal's) move c too. A nil c
// changes nothing. NewServer panics, naming WithTestClock, if c does not read a time in the
// years WithClock accepts, or if WithClock is given too.
func WithTestClock(c *Clock) Option {
	return func(o *options) {
		if c != nil {
			o.now, o.clock = c.Now, c
		}
	}
}

// WithReporter sends protocol violations to r (for example a *testing.T) in addition to answering
// them with the respCode the real gateway would use.
func WithReporter(r Reporter) Option { return func(o *options) { o.reporter = r } }

// WithTimeScale multiplies every wall-clock wait of the gateway: the notification retry schedule
// and its 10-second answer deadline (never below 2 s), so 1.0/600 turns the 12-minute schedule into
// 1.2 s. With [WithTestClock] the schedule is on the test's clock, unscaled, and only the
// deadline is scaled. Values <= 0 are ignored; NewServer panics, naming WithTimeScale, on NaN or
// infinity.
func WithTimeScale(scale float64) Option {
	return func(o *options) {
		switch {
		case math.IsNaN(scale) || math.IsInf(scale, 0):
			o.refuse("WithTimeScale: scale %v is not a finite number", scale)
		case scale > 0:
			o.timeScale = scale
		}
	}
}

// WithSHA1Chain makes the generated root, middle and leaf certificates sha1WithRSA signed, like
// UnionPay's real test and production chains (crypto/x509 refuses to verify those).
func WithSHA1Chain() Option { return func(o *options) { o.sha1 = true } }

// WithMerchantID sets the merId of the test merchant (15 digits). Empty means DefaultMerchantID;
// NewServer panics, naming WithMerchantID, on any other id that is not 15 digits.
func WithMerchantID(id string) Option {
	return func(o *options) {
		switch {
		case id == "":
		case len(id) != 15 || strings.Trim(id, "0123456789") != "":
			o.refuse("WithMerchantID: merId %q is not 15 digits", id)
		default:
			o.merchantID = id
		}
	}
}

// WithPlainHTTP serves over plain HTTP instead of TLS (for browsers and command-line sandboxes).
func WithPlainHTTP() Option { return func(o *options) { o.plainHTTP = true } }

// WithSecureKey enables the secure-key signature methods 11 (SHA-256) and 12 (SM3) for the test
// merchant with key (UnionPay's test environment uses "88888888"). Requests signed with a key
// method are answered signed with the same method. NewServer panics, naming WithSecureKey, on
// an empty key, which would enable nothing.
func WithSecureKey(key []byte) Option {
	return func(o *options) {
		if len(key) == 0 {
			o.refuse("WithSecureKey: empty key")
			return
		}
		o.secureKey = append([]byte(nil), key...)
	}
}

// WithFaults enables random fault injection: each request draws at most one response fault, and
// each notification at most one notification fault, with the probabilities in rates.
// Scripted faults ([Server.FailOrder], [Server.FailEndpoint]) take precedence and use no draw.
//
// A draw depends only on seed, on what it is for and on how many draws that had before, not on
// the other requests the gateway serves. A request is named by its endpoint, txnType and orderId
// (a query by queryId alone, by the orderId of the transaction it names; a batch by batchNo and
// day; a file download by settleDate and fileType); a notification by its orderId, whichever
// request triggered it. So with a given seed an order's requests and notifications get the same
// faults in every run, however concurrent clients interleave, as long as the order sends the
// same sequence of requests (its second query gets the second query draw, a retry the next
// draw of its request) and the same orderIds are used. The draws are a fixed hash (FNV-1a), the
// same in every process and on every machine. With [WithLedgerLimit](n) the counts of draws are
// forgotten with the transaction or batch they are about, and those no kept transaction or
// batch is about once n newer subjects have made a first draw: a key whose count was forgotten
// draws its first draw again.
// NewServer panics, naming WithFaults, on a key that is not one of the faults from Fault5xx on, or
// a rate that is not a number from 0 to 1.
func WithFaults(seed uint64, rates FaultRates) Option {
	return func(o *options) {
		o.faults, o.faultSeed = true, seed
		o.faultRates = make(FaultRates, len(rates))
		for _, f := range slices.Sorted(maps.Keys(rates)) { // refusals in Fault order
			switch r := rates[f]; {
			case f < Fault5xx || f >= faultEnd:
				o.refuse("WithFaults: %v is not a fault to draw", f)
			case !(r >= 0 && r <= 1): // NaN too
				o.refuse("WithFaults: rate %v of %v is not from 0 to 1", r, f)
			default:
				o.faultRates[f] = r
			}
		}
	}
}

// WithFaultDelay sets how long [FaultDelay] holds a response when the client does not give up
// first. Zero or less means one minute.
func WithFaultDelay(d time.Duration) Option {
	return func(o *options) {
		if d > 0 {
			o.faultDelay = d
		}
	}
}

// WithNotifySchedule replaces UnionPay's notification schedule: one send per entry, each after
// waiting that long (scaled by WithTimeScale; on the test's clock with [WithTestClock]) since the
// previous attempt. Empty means the default
// 0, 1, 2, 4, 5 minutes: five sends, as UnionPay's demos say, with the waits they give (0, 1, 2, 4
// minutes) and a fifth of 5 minutes, which they do not give.
func WithNotifySchedule(waits ...time.Duration) Option {
	return func(o *options) {
		if len(waits) > 0 {
			o.notifySchedule = append([]time.Duration(nil), waits...)
		}
	}
}

// WithBackURLFailures hands f, instead of the Reporter's Logf, the first failed attempt to
// deliver a genuine notification to each backUrl (nothing listening, a DNS failure, a status
// other than 200 or 302, no answer within the deadline) and the retries left: for a program that
// tells its own users in its own words, as the unionpay sandbox does on standard error. Later
// failures to the same backUrl are not handed over (past the latest 1000 backUrls told of, the
// oldest is forgotten, and told of again if it fails again). f is called from the delivery's
// goroutine, outside the server's lock, perhaps from several at once; it should return quickly.
// A nil f changes nothing.
func WithBackURLFailures(f func(BackURLFailure)) Option {
	return func(o *options) {
		if f != nil {
			o.backURLFail = f
		}
	}
}

// WithTxnTimeWindow sets how far txnTime may be from the gateway's clock (either way) for a new
// transaction. Zero or less means 15 minutes.
func WithTxnTimeWindow(d time.Duration) Option {
	return func(o *options) {
		if d > 0 {
			o.freshness = d
		}
	}
}

// WithMaxAmount sets the largest txnAmt (fen) the gateway accepts; larger ones get 33.
// Zero or less means 10,000,000,000 fen.
func WithMaxAmount(fen int64) Option {
	return func(o *options) {
		if fen > 0 {
			o.maxAmount = fen
		}
	}
}

func (o *options) scaled(d time.Duration) time.Duration {
	return time.Duration(float64(d) * o.timeScale)
}

// WithFilePublication makes the file download (txnType 76) answer 98 ([CodeNoFile]) for the
// settle day still under way, as UnionPay does until it publishes the day's file, some time
// after the day ends at 23:00 Beijing time: a daily job that downloads and reconciles before
// then meets the 98 it must retry on, not a file that later payments of the day would change.
// Without it the gateway serves a day's file at once, today's included, so that a test can
// reconcile the day it paid; [Server.Settlement] always does.
func WithFilePublication() Option { return func(o *options) { o.publication = true } }

// WithKeys makes the server use keys instead of generating its own (see [Keys]).
func WithKeys(k *Keys) Option { return func(o *options) { o.keys = k } }

// WithMerchantCertificates makes the gateway also accept requests signed (signMethod 01) with
// these merchant certificates, looked up by certId: for interop runs with a client configured
// with UnionPay's public test PFX (testdata/acp-test-certs), or a merchant's renewed PFX next to
// the generated one (a rotation: both certIds accepted). Certificates must be valid at the
// gateway clock and hold RSA keys. The accNo of a front or app order signed with one of them is
// encrypted to that certificate (UnionPay encrypts accNo to the merchant's signing certificate;
// which one during a renewal is not established: this is the fake's choice).
func WithMerchantCertificates(certs ...*x509.Certificate) Option {
	return func(o *options) { o.merchantCerts = append(o.merchantCerts, certs...) }
}

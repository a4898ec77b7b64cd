package unionpay_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/goacp/unionpay/unionpay"
)

// TestTimesRefused: txnTime and payTimeout are yyyyMMddHHmmss. A zero clock (which would send no
// txnTime at all) or a clock whose year has not four digits is a *ConfigError naming Config.Now;
// a request time whose Beijing year has not four digits is a *RequestError naming its field.
// Nothing is signed or sent.
func TestTimesRefused(t *testing.T) {
	t.Parallel()
	zero := func() time.Time { return time.Time{} }
	y10000 := func() time.Time { return time.Date(10000, 1, 1, 0, 0, 0, 0, time.UTC) }
	year1 := func() time.Time { return time.Date(1, 1, 2, 0, 0, 0, 0, time.UTC) }
	far := time.Date(10000, 1, 1, 0, 0, 0, 0, time.UTC)
	early := time.Date(1, 1, 2, 0, 0, 0, 0, time.UTC)
	front := func(edit func(*unionpay.ConsumeRequest)) func(context.Context, *unionpay.Client) error {
		return func(_ context.Context, c *unionpay.Client) error {
			r := consumeReq()
			r.PayTimeout = time.Time{}
			edit(r)
			_, err := c.FrontConsume(r)
			return err
		}
	}
	refund := func(ctx context.Context, c *unionpay.Client) error { _, err := c.Refund(ctx, followUp()); return err }
	tests := []struct {
		name   string
		clock  func() time.Time // nil: testNow
		do     func(context.Context, *unionpay.Client) error
		config bool   // a *ConfigError naming Config.Now; otherwise a *RequestError
		field  string // the RequestError's field
	}{
		{"zero clock, front consume", zero, front(func(*unionpay.ConsumeRequest) {}), true, ""},
		{"zero clock, refund", zero, refund, true, ""},
		{"zero clock, collection", zero, func(ctx context.Context, c *unionpay.Client) error {
			_, err := c.Collect(ctx, cardReq())
			return err
		}, true, ""},
		{"zero clock, real-name auth", zero, func(ctx context.Context, c *unionpay.Client) error {
			_, err := c.RealNameAuth(ctx, accountReq())
			return err
		}, true, ""},
		{"zero clock, app consume", zero, func(ctx context.Context, c *unionpay.Client) error {
			_, err := c.AppConsume(ctx, consumeReq())
			return err
		}, true, ""},
		{"zero clock, query by queryId", zero, func(ctx context.Context, c *unionpay.Client) error {
			_, err := c.Query(ctx, &unionpay.QueryRequest{QueryID: "782401051030000000011"})
			return err
		}, true, ""},
		{"zero clock, front schedule", zero, func(ctx context.Context, c *unionpay.Client) error {
			_, err := c.QueryUntilFinal(ctx, &unionpay.QueryRequest{OrderID: testOrder, TxnTime: testNow}, unionpay.FrontBackoff())
			return err
		}, true, ""},
		{"zero clock, file download", zero, func(ctx context.Context, c *unionpay.Client) error {
			_, err := c.DownloadFile(ctx, &unionpay.FileRequest{SettleDate: time.Date(2024, 1, 4, 0, 0, 0, 0, time.UTC)})
			return err
		}, true, ""},
		{"zero clock, batch", zero, func(ctx context.Context, c *unionpay.Client) error {
			_, err := c.SubmitBatch(ctx, &unionpay.BatchRequest{Type: unionpay.BatchPayout, BatchNo: "0001", Records: batchRecords()})
			return err
		}, true, ""},
		{"zero clock, encryption certificate update", zero, func(ctx context.Context, c *unionpay.Client) error {
			_, err := c.UpdateEncryptionCertificate(ctx)
			return err
		}, true, ""},
		{"clock in year 10000", y10000, refund, true, ""},
		{"clock in year 1", year1, front(func(*unionpay.ConsumeRequest) {}), true, ""},
		{"TxnTime in year 10000, front", nil, front(func(r *unionpay.ConsumeRequest) { r.TxnTime = far }), false, "TxnTime"},
		{"TxnTime in year 1, front", nil, front(func(r *unionpay.ConsumeRequest) { r.TxnTime = early }), false, "TxnTime"},
		{"PayTimeout in year 10000", nil, front(func(r *unionpay.ConsumeRequest) { r.PayTimeout = far }), false, "PayTimeout"},
		{"PayTimeout in year 99999", nil, front(func(r *unionpay.ConsumeRequest) {
			r.PayTimeout = time.Date(99999, 1, 1, 0, 0, 0, 0, time.UTC)
		}), false, "PayTimeout"},
		{"TxnTime in year 10000, refund", nil, func(ctx context.Context, c *unionpay.Client) error {
			r := followUp()
			r.TxnTime = far
			_, err := c.Refund(ctx, r)
			return err
		}, false, "TxnTime"},
		{"TxnTime in year 1, payout", nil, func(ctx context.Context, c *unionpay.Client) error {
			r := cardReq()
			r.TxnTime = early
			_, err := c.Payout(ctx, r)
			return err
		}, false, "TxnTime"},
		{"TxnTime in year 10000, query", nil, func(ctx context.Context, c *unionpay.Client) error {
			_, err := c.Query(ctx, &unionpay.QueryRequest{OrderID: testOrder, TxnTime: far})
			return err
		}, false, "TxnTime"},
		{"TxnTime in year 10000, batch query", nil, func(ctx context.Context, c *unionpay.Client) error {
			_, err := c.QueryBatch(ctx, &unionpay.BatchQueryRequest{Type: unionpay.BatchPayout, BatchNo: "0001", TxnTime: far})
			return err
		}, false, "TxnTime"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			g := newGateway(t, accept(nil))
			c := newTestClient(t, g, func(cfg *unionpay.Config) {
				if tt.clock != nil {
					cfg.Now = tt.clock
				}
			})
			ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
			defer cancel()
			err := tt.do(ctx, c)
			if tt.config {
				var ce *unionpay.ConfigError
				require.ErrorAs(t, err, &ce)
				assert.Equal(t, "Config.Now", ce.Field)
			} else {
				var re *unionpay.RequestError
				require.ErrorAs(t, err, &re)
				assert.Equal(t, tt.field, re.Field)
				assert.Contains(t, re.Reason, "four digits")
			}
			assert.Zero(t, g.count(), "nothing is sent")
		})
	}
}

// TestTimesAccepted: the first and last four-digit years are signed as they are.
func TestTimesAccepted(t *testing.T) {
	t.Parallel()
	g := newGateway(t, accept(nil))
	tests := []struct {
		name string
		at   time.Time
		want string
	}{
		{"year 1000", time.Date(1000, 1, 1, 0, 0, 0, 0, time.UTC), "10000101"},
		{"year 9999", time.Date(9999, 12, 30, 12, 0, 0, 0, time.UTC), "99991230"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			// A form's TxnTime is bounded ahead of the clock: the clock is set there too.
			c := newTestClient(t, g, func(cfg *unionpay.Config) { cfg.Now = func() time.Time { return tt.at } })
			r := consumeReq()
			r.TxnTime, r.PayTimeout = tt.at, time.Time{}
			f, err := c.FrontConsume(r)
			require.NoError(t, err)
			assert.Len(t, f.Fields["txnTime"], 14)
			assert.Equal(t, tt.want, f.Fields["txnTime"][:8])
		})
	}
}

// FuzzParseTimes: ParseTxnTime and ParseSettleDate accept only what they write back: a
// txnTime read (of 1992 or later) is the same 14 digits when formatted in Beijing time, and a settleDate read is
// that MMDD, a Beijing midnight, within a year of near.
func FuzzParseTimes(f *testing.F) {
	f.Add("20240105103000", "0105", int64(0))
	f.Add("20241231235959", "0229", int64(86400*365))
	f.Add("2024010510300+", "+105", int64(-1))
	f.Add("20240230000000", "1301", int64(1<<40))
	f.Fuzz(func(t *testing.T, txnTime, mmdd string, nearSec int64) {
		beijing := time.FixedZone("CST", 8*3600)
		// Before 1992 Beijing time is not UTC+8 in the zone database (Asia/Shanghai, which
		// ParseTxnTime reads in, as the Java SDK's default zone does): LMT +08:05:43 before 1901
		// (seed c681aa9ff7fc380f), summer time in 1986-1991. No txnTime is that old.
		if tm, err := unionpay.ParseTxnTime(txnTime); err == nil && txnTime >= "1992" {
			if got := tm.In(beijing).Format("20060102150405"); got != txnTime {
				t.Fatalf("ParseTxnTime(%q) = %v, which is %s", txnTime, tm, got)
			}
		}
		near := time.Date(2024, 1, 5, 10, 30, 0, 0, beijing).Add(time.Duration(nearSec%(1<<33)) * time.Second)
		d, err := unionpay.ParseSettleDate(mmdd, near)
		if err != nil {
			if !strings.HasPrefix(err.Error(), "unionpay: settleDate") {
				t.Fatalf("ParseSettleDate(%q): %v", mmdd, err)
			}
			return
		}
		b := d.In(beijing)
		if b.Format("0102") != mmdd || b.Hour() != 0 || b.Minute() != 0 || b.Second() != 0 || b.Nanosecond() != 0 {
			t.Fatalf("ParseSettleDate(%q, %v) = %v", mmdd, near, d)
		}
		if gap := d.Sub(near).Abs(); gap > 366*24*time.Hour {
			t.Fatalf("ParseSettleDate(%q, %v) = %v, %v away", mmdd, near, d, gap)
		}
	})
}

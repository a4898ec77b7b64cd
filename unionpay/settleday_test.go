package unionpay_test

import (
	"fmt"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/goacp/unionpay/unionpay"
)

func TestSettleDay(t *testing.T) {
	t.Parallel()
	bj := time.FixedZone("CST", 8*3600)
	day := func(y int, m time.Month, d int) string {
		return time.Date(y, m, d, 0, 0, 0, 0, bj).Format(time.DateOnly)
	}
	tests := []struct {
		name string
		at   time.Time
		want string
	}{
		{"morning", time.Date(2026, 11, 27, 9, 30, 0, 0, bj), day(2026, 11, 27)},
		{"midnight", time.Date(2026, 11, 27, 0, 0, 0, 0, bj), day(2026, 11, 27)},
		{"last second of the day", time.Date(2026, 11, 27, 22, 59, 59, 999999999, bj), day(2026, 11, 27)},
		{"23:00 is the next day", time.Date(2026, 11, 27, 23, 0, 0, 0, bj), day(2026, 11, 28)},
		{"23:59", time.Date(2026, 11, 27, 23, 59, 59, 0, bj), day(2026, 11, 28)},
		{"new year's eve 23:30", time.Date(2026, 12, 31, 23, 30, 0, 0, bj), day(2027, 1, 1)},
		{"UTC 15:00 is Beijing 23:00", time.Date(2026, 11, 27, 15, 0, 0, 0, time.UTC), day(2026, 11, 28)},
		{"UTC midnight is Beijing 08:00", time.Date(2026, 11, 27, 0, 0, 0, 0, time.UTC), day(2026, 11, 27)},
		{"UTC 14:59 is Beijing 22:59", time.Date(2026, 11, 27, 14, 59, 0, 0, time.UTC), day(2026, 11, 27)},
	}
	for _, tt := range tests {
		got := unionpay.SettleDay(tt.at)
		assert.Equal(t, tt.want, got.Format(time.DateOnly), tt.name)
		h, m, s := got.Clock()
		assert.Equal(t, [3]int{}, [3]int{h, m, s}, "%s: a midnight", tt.name)
		assert.Equal(t, "Asia/Shanghai", got.Location().String(), tt.name)
	}
}

func TestParseSettleDate(t *testing.T) {
	t.Parallel()
	bj := time.FixedZone("CST", 8*3600)
	near := func(y int, m time.Month, d int) time.Time { return time.Date(y, m, d, 12, 0, 0, 0, bj) }
	tests := []struct {
		mmdd string
		near time.Time
		want string // "" for an error
	}{
		{"1127", near(2026, 11, 27), "2026-11-27"},
		{"1128", near(2026, 11, 27), "2026-11-28"},
		{"0101", near(2026, 12, 31), "2027-01-01"},
		{"1231", near(2027, 1, 2), "2026-12-31"},
		{"0615", near(2026, 6, 15), "2026-06-15"},
		{"0301", near(2026, 2, 28), "2026-03-01"},
		{"0301", near(2026, 11, 27), "2026-03-01"}, // read when refunding months later: not next year's
		{"0615", near(2026, 11, 27), "2026-06-15"},
		{"1129", near(2026, 11, 27), "2025-11-29"}, // two days ahead cannot be: a year before
		{"1128", time.Date(2026, 11, 27, 23, 30, 0, 0, bj), "2026-11-28"},
		{"1128", time.Date(2026, 11, 27, 15, 30, 0, 0, time.UTC), "2026-11-28"}, // 23:30 in Beijing
		{"0229", near(2028, 2, 29), "2028-02-29"},
		{"0229", near(2029, 1, 10), "2028-02-29"},
		{"0229", near(2028, 2, 20), ""}, // nine days ahead, and 2027 has none
		{"0229", near(2026, 6, 1), ""},  // no leap year within a year
		{"0431", near(2026, 4, 1), ""},
		{"1301", near(2026, 4, 1), ""},
		{"0001", near(2026, 4, 1), ""},
		{"0100", near(2026, 4, 1), ""},
		{"0132", near(2026, 4, 1), ""},
		{"", near(2026, 4, 1), ""},
		{"112", near(2026, 4, 1), ""},
		{"11270", near(2026, 4, 1), ""},
		{"11a7", near(2026, 4, 1), ""},
		{"１１２７", near(2026, 4, 1), ""},
		{" 127", near(2026, 4, 1), ""},
	}
	for _, tt := range tests {
		got, err := unionpay.ParseSettleDate(tt.mmdd, tt.near)
		if tt.want == "" {
			require.Error(t, err, "%q", tt.mmdd)
			assert.Contains(t, err.Error(), "settleDate", "the error names the field")
			assert.True(t, got.IsZero())
			continue
		}
		require.NoError(t, err, "%q", tt.mmdd)
		assert.Equal(t, tt.want, got.Format(time.DateOnly), "%q near %s", tt.mmdd, tt.near)
		assert.Equal(t, "Asia/Shanghai", got.Location().String())
		assert.True(t, got.Equal(unionpay.SettleDay(got)), "a settle day is its own settle day")
		assert.False(t, got.After(tt.near.Add(24*time.Hour)), "%q near %s: never after the day after near", tt.mmdd, tt.near)
	}
}

// A late payment: cancel it on its settle day, refund it after; and the day whose file it will be in.
func ExampleSettleDay() {
	bj := time.FixedZone("CST", 8*3600)
	paid := time.Date(2026, 11, 27, 22, 50, 0, 0, bj)
	now := time.Date(2026, 11, 27, 23, 7, 0, 0, bj)
	if unionpay.SettleDay(paid).Equal(unionpay.SettleDay(now)) {
		fmt.Println("cancel it (CancelConsume)")
	} else {
		fmt.Println("refund it (Refund): its settle day has ended")
	}
	fmt.Println("paid on settle day", unionpay.SettleDay(paid).Format(time.DateOnly))
	fmt.Println("now on settle day", unionpay.SettleDay(now).Format(time.DateOnly))
	// Output:
	// refund it (Refund): its settle day has ended
	// paid on settle day 2026-11-27
	// now on settle day 2026-11-28
}

// An answer's or a notification's settleDate carries no year: read it near the transaction's time.
func ExampleParseSettleDate() {
	txnTime := time.Date(2026, 12, 31, 23, 30, 0, 0, time.FixedZone("CST", 8*3600))
	day, err := unionpay.ParseSettleDate("0101", txnTime)
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(day.Format(time.DateOnly))
	// Output: 2027-01-01
}

// SettleDay in a zone east of Beijing: 23:00 Tokyo is 22:00 Beijing, the same settle day.
func TestReviewGapSettleDayEastOfBeijing(t *testing.T) {
	tokyo := time.FixedZone("JST", 9*3600)
	got := unionpay.SettleDay(time.Date(2026, 11, 27, 23, 0, 0, 0, tokyo))
	if got.Format(time.DateOnly) != "2026-11-27" {
		t.Errorf("got %s", got.Format(time.DateOnly))
	}
}

// near at a midnight of a zone east of Beijing is read in Beijing (kills U16).
func TestReviewLateKillParseSettleDateMidnightElsewhere(t *testing.T) {
	// Pacific/Kiritimati is UTC+14 all year: a fixed zone needs no tz database (it skipped without one).
	kiri := time.FixedZone("LINT", 14*3600)
	near := time.Date(2026, 1, 2, 0, 0, 0, 0, kiri) // 1 January 18:00 in Beijing
	got, err := unionpay.ParseSettleDate("0103", near)
	if err != nil {
		t.Fatal(err)
	}
	if got.Format(time.DateOnly) != "2025-01-03" {
		t.Errorf("0103 near %s (%s in Beijing): %s, want 2025-01-03 (the latest settle date possible is 2 January)",
			near, near.In(time.FixedZone("CST", 8*3600)), got)
	}
}

func TestReviewLateParseSettleDateEdges(t *testing.T) {
	bj := time.FixedZone("Beijing", 8*3600)
	ny, _ := time.LoadLocation("America/New_York")
	kiri, _ := time.LoadLocation("Pacific/Kiritimati")
	for _, tc := range []struct {
		mmdd string
		near time.Time
		want string
	}{
		{"0101", time.Date(2025, 12, 31, 23, 30, 0, 0, bj), "2026-01-01"},
		{"0101", time.Date(2025, 12, 31, 22, 59, 59, 0, bj), "2026-01-01"}, // merchant clock a little behind
		{"1231", time.Date(2025, 12, 31, 22, 59, 59, 0, bj), "2025-12-31"},
		{"1231", time.Date(2026, 1, 1, 0, 30, 0, 0, bj), "2025-12-31"},
		{"0102", time.Date(2025, 12, 31, 23, 30, 0, 0, bj), "2025-01-02"},
		{"1127", time.Date(2026, 11, 26, 23, 0, 0, 0, bj), "2026-11-27"},
		{"1126", time.Date(2026, 11, 26, 23, 0, 0, 0, bj), "2026-11-26"},
		{"0315", time.Date(2026, 11, 26, 12, 0, 0, 0, bj), "2026-03-15"},
		{"1128", time.Date(2026, 11, 26, 12, 0, 0, 0, bj), "2025-11-28"},
		// other zones: near is read in Beijing
		{"0101", time.Date(2025, 12, 31, 10, 30, 0, 0, ny), "2026-01-01"}, // 23:30 Beijing
		{"0101", time.Date(2026, 1, 1, 0, 30, 0, 0, kiri), "2026-01-01"},  // 18:30 on 31 Dec Beijing
		{"0101", time.Date(2025, 12, 31, 15, 30, 0, 0, time.UTC), "2026-01-01"},
		{"0229", time.Date(2025, 2, 28, 12, 0, 0, 0, bj), "2024-02-29"},
		{"0229", time.Date(2028, 2, 28, 12, 0, 0, 0, bj), "2028-02-29"}, // the day after
	} {
		got, err := unionpay.ParseSettleDate(tc.mmdd, tc.near)
		if err != nil {
			t.Errorf("%s near %s: %v", tc.mmdd, tc.near, err)
			continue
		}
		if got.Format(time.DateOnly) != tc.want || got.Hour() != 0 {
			t.Errorf("%s near %s: %s, want %s", tc.mmdd, tc.near, got, tc.want)
		}
		if _, off := got.Zone(); off != 8*3600 {
			t.Errorf("%s: not Beijing: %s", tc.mmdd, got)
		}
	}
	for _, bad := range []string{"0229x", "1301", "0431", "0000", "123", "+101", "１２３１"} {
		if _, err := unionpay.ParseSettleDate(bad, time.Date(2026, 11, 26, 12, 0, 0, 0, bj)); err == nil {
			t.Errorf("%q accepted", bad)
		}
	}
	if _, err := unionpay.ParseSettleDate("0229", time.Date(2026, 11, 26, 12, 0, 0, 0, bj)); err == nil {
		t.Errorf("0229 with no leap year in the year up to 2026-11-27 accepted")
	}
}

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

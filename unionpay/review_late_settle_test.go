package unionpay_test

import (
	"testing"
	"time"

	"github.com/goacp/unionpay/unionpay"
)

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

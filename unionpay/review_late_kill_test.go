package unionpay_test

import (
	"testing"
	"time"

	"github.com/goacp/unionpay/unionpay"
)

// near at a midnight of a zone east of Beijing is read in Beijing (kills U16).
func TestReviewLateKillParseSettleDateMidnightElsewhere(t *testing.T) {
	kiri, err := time.LoadLocation("Pacific/Kiritimati") // UTC+14
	if err != nil {
		t.Skip(err)
	}
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

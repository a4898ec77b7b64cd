package main

import (
	"testing"
	"time"

	"github.com/stretchr/testify/assert"

	"github.com/goacp/unionpay/reconcile"
)

// TestSettleDateOf: the -orders report's settle date is the ZM members' day; members of other
// kinds do not count, and ZM members of different days name none.
func TestSettleDateOf(t *testing.T) {
	t.Parallel()
	day := time.Date(2026, 11, 25, 0, 0, 0, 0, reconcile.Beijing())
	next := day.AddDate(0, 0, 1)
	zm := func(d time.Time) *member { return &member{kind: reconcile.KindZM, day: d} }
	zme := func(d time.Time) *member { return &member{kind: reconcile.KindZME, day: d} }
	for _, tt := range []struct {
		name    string
		members []*member
		want    time.Time
	}{
		{"one ZM", []*member{zm(day)}, day},
		{"ZM members of one day", []*member{zm(day), zm(day)}, day},
		{"a ZME member of another day first", []*member{zme(next), zm(day)}, day},
		{"a ZME member of another day last", []*member{zm(day), zme(next)}, day},
		{"ZM members of two days", []*member{zm(day), zm(next)}, time.Time{}},
		{"no ZM member", []*member{zme(day)}, time.Time{}},
	} {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			assert.True(t, tt.want.Equal(settleDateOf(tt.members)), "got %v, want %v", settleDateOf(tt.members), tt.want)
		})
	}
}

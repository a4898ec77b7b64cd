package tz

import (
	"testing"
	"time"
)

func TestBeijing(t *testing.T) {
	loc := Beijing()
	if loc != Beijing() {
		t.Fatal("Beijing loads the zone more than once")
	}
	for _, at := range []time.Time{
		time.Date(1992, 7, 1, 0, 0, 0, 0, time.UTC), // summer: no daylight saving since 1991
		time.Date(2026, 1, 15, 16, 0, 0, 0, time.UTC),
		time.Date(2026, 7, 15, 16, 0, 0, 0, time.UTC),
	} {
		if _, off := at.In(loc).Zone(); off != 8*3600 {
			t.Errorf("offset at %v = %d, want UTC+8", at, off)
		}
	}
	if n := testing.AllocsPerRun(100, func() { _ = Beijing() }); n != 0 {
		t.Errorf("Beijing allocates %v times a call", n)
	}
}

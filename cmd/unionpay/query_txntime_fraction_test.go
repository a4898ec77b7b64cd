package main

import (
	"testing"
	"time"
)

// TestParseTxnTimeFlagFraction: -txn-time in RFC 3339 with any fraction of a second written is a
// usage error, as the help says, a fraction of zeros (".000", ",0") included; the 14 digits and
// RFC 3339 to the second, in any offset, are read as the same instant.
func TestParseTxnTimeFlagFraction(t *testing.T) {
	want := time.Date(2026, 11, 29, 2, 0, 0, 0, time.UTC)
	tests := []struct {
		in string
		ok bool
	}{
		{"20261129100000", true},
		{"2026-11-29T10:00:00+08:00", true},
		{"2026-11-29T02:00:00Z", true},
		{"2026-11-29T10:00:00.000+08:00", false},
		{"2026-11-29T10:00:00.0Z", false},
		{"2026-11-29T10:00:00,000+08:00", false},
		{"2026-11-29T10:00:00.5+08:00", false},
		{"2026-11-29T10:00:00", false},
	}
	for _, tt := range tests {
		got, err := parseTxnTimeFlag(tt.in)
		if !tt.ok {
			if err == nil {
				t.Errorf("parseTxnTimeFlag(%q) = %v, want an error", tt.in, got)
			}
			continue
		}
		if err != nil || !got.Equal(want) {
			t.Errorf("parseTxnTimeFlag(%q) = %v, %v; want %v", tt.in, got, err, want)
		}
	}
}

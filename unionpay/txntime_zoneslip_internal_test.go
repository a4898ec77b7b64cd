package unionpay

import (
	"testing"
	"time"
)

// TestZoneSlip: a TxnTime is an eight-hour slip when it is 8 hours ahead of Config.Now or
// behind it, within TxnTimeWindow either side of that, the bounds included; a second further,
// or a time off by less (0, the window itself) or by twice as much, is not.
func TestZoneSlip(t *testing.T) {
	t.Parallel()
	const eight = 8 * time.Hour
	tests := []struct {
		name  string
		ahead time.Duration
		want  bool
	}{
		{"8h ahead", eight, true},
		{"8h behind", -eight, true},
		{"8h ahead, the window on", eight + TxnTimeWindow, true},
		{"8h ahead, the window short", eight - TxnTimeWindow, true},
		{"8h behind, the window on", -eight - TxnTimeWindow, true},
		{"8h behind, the window short", -eight + TxnTimeWindow, true},
		{"8h ahead, the window and a second on", eight + TxnTimeWindow + time.Second, false},
		{"8h ahead, the window and a second short", eight - TxnTimeWindow - time.Second, false},
		{"8h behind, the window and a second on", -eight - TxnTimeWindow - time.Second, false},
		{"8h behind, the window and a second short", -eight + TxnTimeWindow + time.Second, false},
		{"current", 0, false},
		{"the window ahead", TxnTimeWindow, false},
		{"an hour behind", -time.Hour, false},
		{"16h ahead", 2 * eight, false},
		{"16h behind", -2 * eight, false},
	}
	for _, tt := range tests {
		if got := zoneSlip(tt.ahead); got != tt.want {
			t.Errorf("%s: zoneSlip(%v) = %v, want %v", tt.name, tt.ahead, got, tt.want)
		}
	}
}

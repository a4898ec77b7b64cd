package pan

import "testing"

func TestMaskRuns(t *testing.T) {
	tests := []struct{ in, want string }{
		{"", ""},
		{"card 6216261000000000018 refused", "card 621626******0018 refused"},
		{"6216 2610 0000 0000 018", "621626******0018"},
		{"6216-2610-0000-0000-018.", "621626******0018."},
		{"６２１６２６１０００００００００１８", "621626******0018"},      // full-width
		{"６２１６－２６１０－００００－００００－０１８", "621626******0018"}, // full-width hyphens
		{"62162610000０００００１８", "621626******0018"},      // mixed
		{"order 20261127123456 at 12345678901", "order ******3456 at 12345678901"},
		{"11 digits 12345678901 stay", "11 digits 12345678901 stay"},
		{"two spaces 621626  1000000000018", "two spaces 621626******0018"}, // shown as one space
		{"trailing 621626100000 -", "trailing ******0000 -"},
		{"\xef\xbc", "\xef\xbc"},                       // a full-width digit cut short (not UTF-8)
		{"123456789012\xef\xbc", "******9012\xef\xbc"}, // the same after a run
	}
	for _, tt := range tests {
		if got := MaskRuns(tt.in); got != tt.want {
			t.Errorf("MaskRuns(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

package pan

import "testing"

func TestRules(t *testing.T) {
	tests := []struct {
		s                        string
		isText, plain, plausible bool
	}{
		{"", false, false, false},
		{"6216261000000000018", true, true, true},
		{"621626******0018", true, true, true},
		{"6216***********0018", true, true, true},
		{"621626100000", true, true, true},           // 12 digits, the shortest full card
		{"62162610000", true, true, false},           // 11 digits, no mask: random bytes' odds
		{"*******0018", true, true, true},            // a 13-digit card masked
		{"******0018", true, true, true},             // a 12-digit card masked
		{"*****0018", true, true, false},             // 9: too short for any card
		{"62162610000000000180", true, false, false}, // 20: longer than a card number
		{"bm90IGVuY3J5cHRlZA==", false, false, false},
		{"6216 2610 0000 0000", false, false, false},
		{"６２１６２６１０００００", false, false, false}, // full-width digits
	}
	for _, tt := range tests {
		if got := IsText(tt.s); got != tt.isText {
			t.Errorf("IsText(%q) = %v, want %v", tt.s, got, tt.isText)
		}
		if got := Plain(tt.s); got != tt.plain {
			t.Errorf("Plain(%q) = %v, want %v", tt.s, got, tt.plain)
		}
		if got := Plausible(tt.s); got != tt.plausible {
			t.Errorf("Plausible(%q) = %v, want %v", tt.s, got, tt.plausible)
		}
	}
}

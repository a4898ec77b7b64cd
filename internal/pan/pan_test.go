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

func TestMask(t *testing.T) {
	tests := []struct{ in, mask, accNo string }{
		{"", "", ""},
		{"6216261000000000018", "621626******0018", "621626******0018"},
		{"6216261000000018", "621626******0018", "621626******0018"},
		{"621626100000018", "******0018", "******0018"}, // 15: the last four only
		{"62162610018", "******0018", "******0018"},     // 11
		{"6216260018", "***", "***"},                    // 10: nothing
		{"621626******0018", "621626******0018", "621626******0018"},
		{"6216***********0018", "6216********0018", "6216********0018"}, // as UnionPay masks: six stars, the length not told
		{"621626100000001*", "621626******001*", "621626******001*"},    // one star hides little
		// Six stars, but 13 digits or more in clear: masked again (it was shown as it was).
		{"621626******1000018", "621626******0018", "621626******0018"},
		{"******6216261000000000018", "************0018", "************0018"},
		{"6216261000000000018******", "621626**********", "621626**********"},
		{"bm90IGVuY3J5cHRlZA==", "bm90IG******ZA==", "(encrypted)"},
	}
	for _, tt := range tests {
		if got := Mask(tt.in); got != tt.mask {
			t.Errorf("Mask(%q) = %q, want %q", tt.in, got, tt.mask)
		}
		if got := MaskAccNo(tt.in); got != tt.accNo {
			t.Errorf("MaskAccNo(%q) = %q, want %q", tt.in, got, tt.accNo)
		}
		if got := MaskAccNo(MaskAccNo(tt.in)); got != MaskAccNo(tt.in) {
			t.Errorf("MaskAccNo is not stable on %q: %q", tt.in, got)
		}
	}
}

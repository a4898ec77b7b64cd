package pan

import (
	"strings"
	"testing"
)

// longestRun is the length of the longest run of ASCII digits in s.
func longestRun(s string) int {
	best, run := 0, 0
	for i := 0; i < len(s); i++ {
		if s[i] >= '0' && s[i] <= '9' {
			run++
			best = max(best, run)
		} else {
			run = 0
		}
	}
	return best
}

// FuzzRules checks the card-number rules against their definitions, and the masks for what they
// may show: Plain(s) implies IsText(s) and len(s) <= 19, Plausible implies Plain; masking twice is
// masking once; a card number (digits, '*' where masked) keeps at most 10 digits in clear, and one
// of n digits hides at least min(n, 6) of them.
func FuzzRules(f *testing.F) {
	for _, s := range []string{"", "6216261000000000018", "621626******0018", "6216***********0018", "621626100000",
		"62162610000", "*******0018", "******0018", "*****0018", "62162610000000000180", "bm90IGVuY3J5cHRlZA==",
		"6216 2610 0000 0000", "６２１６２６１０００００", "*", "******", "******6216261000000000018",
		"6216261000000000018******", "621626******1000018",
		"00000***000*0*0*0", "0", "1234567890", "12345678901", "*0*0*0*0*0*0",
		"621626100000001*", "张三丰6216261000000000018"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		isText := IsText(s)
		want := s != "" && strings.Trim(s, "0123456789*") == ""
		if isText != want {
			t.Fatalf("IsText(%q) = %v, want %v", s, isText, want)
		}
		if Plain(s) && (!isText || len(s) > 19) {
			t.Fatalf("Plain(%q) without IsText or over 19 characters", s)
		}
		if Plain(s) != (isText && len(s) <= 19) {
			t.Fatalf("Plain(%q) = %v", s, Plain(s))
		}
		if Plausible(s) && (!Plain(s) || len(s) < 10 || len(s) < 12 && !strings.Contains(s, "*")) {
			t.Fatalf("Plausible(%q) but not a card number", s)
		}
		m := Mask(s)
		if again := Mask(m); again != m {
			t.Fatalf("Mask(%q) = %q, masked again %q", s, m, again)
		}
		a := MaskAccNo(s)
		if again := MaskAccNo(a); again != a {
			t.Fatalf("MaskAccNo(%q) = %q, masked again %q", s, a, again)
		}
		if (m == "") != (s == "") || (a == "") != (s == "") {
			t.Fatalf("Mask(%q) = %q, MaskAccNo = %q: only \"\" masks as \"\"", s, m, a)
		}
		if !isText {
			if s != "" && a != "(encrypted)" {
				t.Fatalf("MaskAccNo(%q) = %q, want (encrypted)", s, a)
			}
			return
		}
		if a != m {
			t.Fatalf("MaskAccNo(%q) = %q, Mask = %q", s, a, m)
		}
		// A card number, in clear or masked: at most 10 digits shown, never a run of 11.
		if d := digits(m); d > 10 || longestRun(m) > 10 {
			t.Fatalf("Mask(%q) = %q shows %d digits (a run of %d)", s, m, d, longestRun(m))
		}
		if n := digits(s); n == len(s) { // all digits: a card number in clear
			if shown := digits(m); n-shown < min(n, 6) {
				t.Fatalf("Mask(%q) = %q hides %d of %d digits", s, m, n-shown, n)
			}
			if !IsText(m) {
				t.Fatalf("Mask(%q) = %q is not card-number text", s, m)
			}
		}
	})
}

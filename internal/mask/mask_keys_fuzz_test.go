package mask

import (
	"maps"
	"regexp"
	"strings"
	"testing"
)

// FuzzKeys holds Keys and IsName to what they promise a log, the keys split from the input at
// '|': IsName reads a field name as its documented rule says (found here by a regular
// expression); every key is shown, distinct keys distinctly (no field lost from a map shown with
// them); a field name whole; any other key as Key cuts it, numbered "#n" when two or more are
// cut alike; what is shown of a key that is not a field name, its number left out, holds no two
// digits in a row (no run of a card number's digits); the same keys show the same way whatever
// the map's order; and the shown texts, shown again, show as themselves.
func FuzzKeys(f *testing.F) {
	for _, s := range []string{"merId|orderId|accNo", "accNo=6216261000000000018|accNo 6228480402564890018|accNo",
		"6216261000000000018|6228480402564890018|", "accNo...|accNo...#1|accNo...#2|accNo=1", "...|...#10|...#9|.",
		"a...|a.|a|a1|a11", "cvn2|cvn2741|cvn27|phoneNo13552535506", "a1b2c3d4e5f6g7h8i9j0k1l2m3n4o5p6q7r8s9",
		"accNo６２１６２６１０００|accNo\u0663\u0664|x\x00y|\xff"} {
		f.Add(s)
	}
	fieldName := regexp.MustCompile(`^[A-Za-z][A-Za-z0-9]*$`)
	twoDigits := regexp.MustCompile(`[0-9]{2}`)
	number := regexp.MustCompile(`#[1-9][0-9]*$`)
	f.Fuzz(func(t *testing.T, s string) {
		m := map[string]bool{}
		for k := range strings.SplitSeq(s, "|") {
			m[k] = true
			if want := fieldName.MatchString(k) && !twoDigits.MatchString(k); IsName(k) != want {
				t.Fatalf("IsName(%q) = %v, want %v", k, !want, want)
			}
		}
		shown := Keys(m)
		if len(shown) != len(m) {
			t.Fatalf("Keys(%q) = %q: %d keys shown of %d", s, shown, len(shown), len(m))
		}
		texts := map[string]bool{}
		for k, sk := range shown {
			if !m[k] {
				t.Fatalf("Keys(%q) shows %q, not a key", s, k)
			}
			if texts[sk] {
				t.Fatalf("Keys(%q) = %q: %q shown twice", s, shown, sk)
			}
			texts[sk] = true
			if IsName(k) {
				if sk != k {
					t.Fatalf("Keys(%q): field name %q shown as %q", s, k, sk)
				}
				continue
			}
			cut := number.ReplaceAllString(sk, "")
			if cut != Key(k, 0) {
				t.Fatalf("Keys(%q): %q shown as %q, not as Key cuts it (%q)", s, k, sk, Key(k, 0))
			}
			if twoDigits.MatchString(cut) {
				t.Fatalf("Keys(%q): %q shown as %q, two digits in a row", s, k, sk)
			}
			if IsName(sk) {
				t.Fatalf("Keys(%q): %q, not a field name, shown as %q, which reads as one", s, k, sk)
			}
		}
		if again := Keys(maps.Clone(m)); !maps.Equal(again, shown) {
			t.Fatalf("Keys(%q) = %q, then %q", s, shown, again)
		}
		for sk, sk2 := range Keys(texts) {
			if sk2 != sk {
				t.Fatalf("Keys(%q) = %q: shown again, %q shows as %q", s, shown, sk, sk2)
			}
		}
	})
}

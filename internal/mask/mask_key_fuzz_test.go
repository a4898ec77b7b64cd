package mask

import (
	"regexp"
	"strings"
	"testing"
)

// FuzzKey holds Key to its documented rule, found here another way (a regular expression for
// where the name ends), and to what it promises a log: the result is "", "...", the key whole,
// or a prefix of it then "..."; what it shows of the key reads as a field name within maxName;
// and it never shows two digits in a row (no field name holds two, every value to hide does).
func FuzzKey(f *testing.F) {
	for _, k := range []string{"", "accNo", "cvn2", "cvn2741", "accNo=6216261000000000018", "phoneNo 13552535506",
		"phoneNo13552535506", "6216261000000000018", "=6216261000000000018", "1a", "a&b", "a1b2", "name\u00e9",
		"expired0912", "abcdefghijklmnopqrstu=12", "a1", "a1=2", "a9\u0663\u0664", "accNo６２１６"} {
		f.Add(k, 0)
		f.Add(k, 20)
	}
	nameEnd := regexp.MustCompile(`[^A-Za-z0-9]|[0-9]{2}`)
	twoDigits := regexp.MustCompile(`[0-9]{2}`)
	fieldName := regexp.MustCompile(`^[A-Za-z][A-Za-z0-9]*$`)
	f.Fuzz(func(t *testing.T, k string, maxName int) {
		got := Key(k, maxName)
		name := k
		if loc := nameEnd.FindStringIndex(k); loc != nil {
			name = k[:loc[0]]
		}
		reads := fieldName.MatchString(name) && (maxName <= 0 || len(name) <= maxName)
		want := "..."
		switch {
		case k == "":
			want = ""
		case reads && name == k:
			want = k
		case reads:
			want = name + "..."
		}
		if got != want {
			t.Fatalf("Key(%q, %d) = %q, want %q", k, maxName, got, want)
		}
		shown := strings.TrimSuffix(got, "...")
		if !strings.HasPrefix(k, shown) || shown != got && shown == k {
			t.Fatalf("Key(%q, %d) = %q: not the key, nor a prefix of it then \"...\"", k, maxName, got)
		}
		if twoDigits.MatchString(got) {
			t.Fatalf("Key(%q, %d) = %q shows two digits in a row", k, maxName, got)
		}
		if shown != "" && (!fieldName.MatchString(shown) || maxName > 0 && len(shown) > maxName) {
			t.Fatalf("Key(%q, %d) = %q shows what is not a field name", k, maxName, got)
		}
	})
}

package pan

import (
	"strings"
	"testing"
	"unicode/utf8"
)

// digits counts the ASCII digits in s: what a masked card number shows.
func digits(s string) int {
	n := 0
	for i := 0; i < len(s); i++ {
		if s[i] >= '0' && s[i] <= '9' {
			n++
		}
	}
	return n
}

// TestMaskNotASCII: a value that is not ASCII is hidden whole, never cut inside a UTF-8 character
// (Mask cut "张三丰6216261000000000018" after 6 bytes and "6216261000000000018张三" 4 bytes from
// the end, splitting 张 and 三); nor does it show more of it than it did.
func TestMaskNotASCII(t *testing.T) {
	t.Parallel()
	for _, in := range []string{
		"张三丰6216261000000000018",
		"6216261000000000018张三",
		"62162é1000000000018",
		"６２１６２６１００００００００００１８", // full-width digits
		"张三李四王五赵六孙七周八吴九郑十",
		"******张三",
		"621626******001张",
		"é",
		"62162\x801000000000018",  // a lone continuation byte, the lowest not ASCII
		"\x806216261000000000018", // the same, first
	} {
		got := Mask(in)
		if !utf8.ValidString(got) {
			t.Errorf("Mask(%q) = %q: not valid UTF-8", in, got)
		}
		if got != "***" {
			t.Errorf("Mask(%q) = %q, want ***", in, got)
		}
	}
}

// TestMaskShort: a value of 10 characters or fewer shows neither its length nor its digits
// ("***", as notify.MaskPAN now writes it too), but for a short card already masked (******0018),
// which stays; a value already masked otherwise shows no more than the first 6 and last 4 (Mask
// left 1234567890****** and 1234******567890 as they were, showing 10 digits).
func TestMaskShort(t *testing.T) {
	t.Parallel()
	tests := []struct{ in, want string }{
		{"1", "***"},
		{"12345", "***"},
		{"1234567890", "***"},
		{"******0018", "******0018"},
		{"*****0018", "***"},
		{"******12", "***"},
		{"*******0018", "******0018"},
		{"1234567890******", "123456**********"},
		{"1234******567890", "1234********7890"},
		{"12345******6789", "******6789"},
	}
	for _, tt := range tests {
		if got := Mask(tt.in); got != tt.want {
			t.Errorf("Mask(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

// FuzzMaskUTF8 checks that Mask keeps valid UTF-8 valid, shows no more than the first 6 and last
// 4 bytes of its input, and is stable.
func FuzzMaskUTF8(f *testing.F) {
	for _, s := range []string{"张三丰6216261000000000018", "6216261000000000018张三", "é", "******张三", "1234567890******"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		m := Mask(s)
		if utf8.ValidString(s) && !utf8.ValidString(m) {
			t.Fatalf("Mask(%q) = %q: not valid UTF-8", s, m)
		}
		if Mask(m) != m {
			t.Fatalf("Mask(%q) = %q, masked again %q", s, m, Mask(m))
		}
		shown := strings.ReplaceAll(m, "*", "")
		if len(shown) > 10 {
			t.Fatalf("Mask(%q) = %q shows %d characters", s, m, len(shown))
		}
		for i := 0; i < len(m) && m != s && m != "***"; i++ {
			first := i < 6 && m[i] == s[i]
			last := i >= len(m)-4 && m[i] == s[len(s)-len(m)+i]
			if m[i] != '*' && !first && !last {
				t.Fatalf("Mask(%q) = %q shows what is not the first 6 and the last 4", s, m)
			}
		}
	})
}

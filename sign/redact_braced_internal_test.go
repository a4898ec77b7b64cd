package sign

import "testing"

// TestMaskBraced: a braced value (reserved, riskRateInfo) keeps its keys, every value "***" (an empty one
// empty); a value not braced, or a part without '=', is hidden whole.
func TestMaskBraced(t *testing.T) {
	t.Parallel()
	for _, tt := range []struct{ in, want string }{
		{"", ""},
		{"{}", "{}"},
		{"{cardNumberLock=1}", "{cardNumberLock=***}"},
		{"{email=a@example.com&ipAddress=203.0.113.7}", "{email=***&ipAddress=***}"},
		{"{a=&b=x}", "{a=&b=***}"},
		{"{a=x=y}", "{a=***}"},
		{"{a=1&stray}", "{a=***&***}"},
		{"{a=1&}", "{a=***&}"},
		{"not braced 13912345678", "***"},
		{"{unterminated=13912345678", "***"},
	} {
		if got := maskBraced(tt.in); got != tt.want {
			t.Errorf("maskBraced(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

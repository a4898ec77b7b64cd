package sign

import (
	"strings"
	"testing"

	"github.com/goacp/unionpay/internal/mask"
)

// FuzzMaskBraced checks maskBraced, which masks reserved and riskRateInfo for logs: on a braced
// value it keeps the {...} segments' keys (the text before the first '=' of each '&'-separated
// segment, as mask.Key shows it: a key holding a value is cut) and nothing else: no value, no '='-less segment; a value not braced is hidden whole
// ("" stays "");
// masking twice is masking once.
func FuzzMaskBraced(f *testing.F) {
	for _, s := range []string{"", "{}", "{a=1}", "{a=1&b=2}", "{a=}", "{a}", "{=1}", "{a=1&&b=2}", "a=1", "{a=1",
		"a=1}", "{a={b=1&c=2}&d=3}", "{a==b&c=d=e}", "{{a=1}}", "}{", "{", "}", "{a=1}&b=2}", "{mobile=13800138000}",
		"{shippingAddr=Room 5&6, Street&userId=u1}", "{a=***}", "{***}", "{a=\r\n}", "{accNo 6216261000000000018=1}", "{6216261000000000018=}"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, v string) {
		m := maskBraced(v)
		if again := maskBraced(m); again != m {
			t.Fatalf("maskBraced(%q) = %q, masked again %q", v, m, again)
		}
		inner, ok := strings.CutPrefix(v, "{")
		inner, ok2 := strings.CutSuffix(inner, "}")
		if !ok || !ok2 {
			if want := map[bool]string{true: "", false: "***"}[v == ""]; m != want {
				t.Fatalf("maskBraced(%q) = %q, want %q", v, m, want)
			}
			return
		}
		got, ok := strings.CutPrefix(m, "{")
		got, ok2 = strings.CutSuffix(got, "}")
		if !ok || !ok2 {
			t.Fatalf("maskBraced(%q) = %q, not braced", v, m)
		}
		in, out := strings.Split(inner, "&"), strings.Split(got, "&")
		if len(in) != len(out) {
			t.Fatalf("maskBraced(%q) = %q: %d segments, want %d", v, m, len(out), len(in))
		}
		for i := range in {
			key, value, found := strings.Cut(in[i], "=")
			want := in[i] // "" stays ""
			switch {
			case !found && in[i] != "":
				want = "***"
			case found && value != "":
				want = mask.Key(key, 0) + "=***"
			case found:
				want = mask.Key(key, 0) + "="
			}
			if out[i] != want {
				t.Fatalf("maskBraced(%q) = %q: segment %d is %q, want %q", v, m, i, out[i], want)
			}
		}
	})
}

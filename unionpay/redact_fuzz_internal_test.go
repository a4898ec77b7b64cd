package unionpay

import (
	"fmt"
	"strings"
	"testing"

	"github.com/goacp/unionpay/sign"
)

// FuzzMaskedBraced checks maskedBraced, which masks a form's reserved and riskRateInfo values for
// logs: on a value braced built (the SDK's own), it gives {k=***&...}, every key kept in order and
// every value hidden; on any other value it keeps the {...} segments' keys (the text before the
// first '=' of each '&'-separated segment) and nothing else: no value, no '='-less segment, no text
// outside the braces; masking twice is masking once; Form.String and LogValue show the same.
func FuzzMaskedBraced(f *testing.F) {
	for _, s := range []string{"", "{}", "{a=1}", "{a=1&b=2}", "{a=}", "{a}", "{=1}", "{a=1&&b=2}", "a=1", "{a=1",
		"a=1}", "{a={b=1&c=2}&d=3}", "{a==b&c=d=e}", "{{a=1}}", "}{", "{", "}", "{a=1}&b=2}", "{mobile=13800138000}",
		"{shippingAddr=Room 5&6, Street&userId=u1}", "{a=***}", "{***}", "{a=\r\n}"} {
		f.Add(s, "k", "v")
	}
	f.Add("", "deviceID", "6216261000000000018")
	f.Add("", "commodityName", "张三")
	f.Fuzz(func(t *testing.T, v, k, val string) {
		m := maskedBraced(v)
		if again := maskedBraced(m); again != m {
			t.Fatalf("maskedBraced(%q) = %q, masked again %q", v, m, again)
		}
		inner, ok := strings.CutPrefix(v, "{")
		inner, ok2 := strings.CutSuffix(inner, "}")
		if !ok || !ok2 {
			if want := secret(v); m != want {
				t.Fatalf("maskedBraced(%q) = %q, want %q", v, m, want)
			}
		} else {
			got, ok := strings.CutPrefix(m, "{")
			got, ok2 := strings.CutSuffix(got, "}")
			if !ok || !ok2 {
				t.Fatalf("maskedBraced(%q) = %q, not braced", v, m)
			}
			in, out := strings.Split(inner, "&"), strings.Split(got, "&")
			if len(in) != len(out) {
				t.Fatalf("maskedBraced(%q) = %q: %d segments, want %d", v, m, len(out), len(in))
			}
			for i := range in {
				key, value, found := strings.Cut(in[i], "=")
				want := secret(in[i])
				if found {
					want = key + "=" + secret(value)
				}
				if out[i] != want {
					t.Fatalf("maskedBraced(%q) = %q: segment %d is %q, want %q", v, m, i, out[i], want)
				}
			}
		}
		// A value the SDK built: braced's keys and values hold none of & = { } [ ].
		fields := sign.Fields{k: val, "z" + k: val + "x"}
		b, err := braced("op", "Reserved", fields)
		if err == nil && b != "" {
			mb := maskedBraced(b)
			var want []string
			for _, kk := range []string{k, "z" + k} { // sorted: k < "z"+k unless k starts past 'z'
				if !sign.Blank(fields[kk]) {
					want = append(want, kk+"=***")
				}
			}
			if k > "z"+k && len(want) == 2 {
				want[0], want[1] = want[1], want[0]
			}
			if w := "{" + strings.Join(want, "&") + "}"; mb != w {
				t.Fatalf("maskedBraced(%q) = %q, want %q", b, mb, w)
			}
			if val != "***" && len(val) >= 3 && strings.Contains(strings.ReplaceAll(mb, k, ""), val) {
				t.Fatalf("maskedBraced(%q) = %q shows the value %q", b, mb, val)
			}
		}
		// Form's log forms show the same.
		form := &Form{Fields: map[string]string{"reserved": v, "riskRateInfo": b}}
		s := form.String()
		if !strings.Contains(s, fmt.Sprint(map[string]string{"reserved": m, "riskRateInfo": maskedBraced(b)})) {
			t.Fatalf("Form.String() = %q, want reserved %q", s, m)
		}
		lv := fmt.Sprint(form.LogValue().Resolve())
		if strings.Contains(m, "***") && !strings.Contains(lv, m) {
			t.Fatalf("Form.LogValue() = %q, want reserved %q", lv, m)
		}
	})
}

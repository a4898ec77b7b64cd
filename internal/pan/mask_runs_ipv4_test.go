package pan

import "testing"

// TestMaskRunsIPv4: an IPv4 address is not a card number: dots join digit groups into one run, and
// one of four three-digit numbers has twelve digits, but a proxy's or a gateway's page naming the
// address it refused ("your IP 203.119.100.200 is not allowed") must show it to the merchant, who
// asks for it to be allowed. Anything else (a fifth group, a digit of another script, a group over
// 255, an address of fewer than 12 digits run on to more) is masked as before.
func TestMaskRunsIPv4(t *testing.T) {
	t.Parallel()
	for _, tt := range []struct{ name, in, want string }{
		{"address", "your IP 203.119.100.200 is not allowed", ""},
		{"address alone", "192.168.100.200", ""},
		{"address and port", "192.168.100.200:8080", ""},
		{"address in brackets", "[192.168.100.200]", ""},
		{"address in a sentence", "来自192.168.100.200的请求被拒绝", ""},
		{"address at a full stop", "refused 255.255.255.255.", ""}, // the dot after it is no separator: nothing follows
		{"an address range", "100.100.100.100 - 200.200.200.200", ""},
		{"an address range, hyphen alone", "100.100.100.100-200.200.200.200", ""},
		{"a group over 255", "621.626.100.000", "******0000"},
		{"five groups", "192.168.100.200.1", "******2001"},
		{"12 digits in groups of 4", "6216.2610.0000", "******0000"},
		{"a card written with dots", "6216.2610.0000.0000.018", "621626******0018"},
		{"a number past a space", "192.168.100.200 8080", ""},
		{"a short address run on to a card", "1.2.3.4 6216 2610 0000 0000 018", "123462******0018"},
		{"a card in dotted pairs", "62.16.26.10 0000 0000 018", "621626******0018"},
		{"a hyphen among the dots", "192.168-100.200", "******0200"},
		{"full-width digits", "\uff11\uff19\uff12.168.100.200", "******0200"},
		{"full-width dots", "192\uff0e168\uff0e100\uff0e200", "******0200"},
		{"an invisible character inside", "192.168\u200b.100.200", "******0200"},
	} {
		want := tt.want
		if want == "" {
			want = tt.in
		}
		if got := MaskRuns(tt.in); got != want {
			t.Errorf("%s: MaskRuns(%q) = %q, want %q", tt.name, tt.in, got, want)
		}
	}
}

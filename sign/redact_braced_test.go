package sign

import (
	"fmt"
	"log/slog"
	"strings"
	"testing"
)

// TestFieldsMaskedBracedPersonalData: reserved and riskRateInfo carry the shopper's personal data
// (IP address, device, shipping address and mobile; a payee's name) as {k=v&...}; every log form
// of Fields (a Form's Fields, a message's Raw) shows their keys with every value as "***", as a
// Form's String does, and masking twice changes nothing.
func TestFieldsMaskedBracedPersonalData(t *testing.T) {
	tests := []struct{ key, in, want string }{
		{"riskRateInfo", "{ipAddress=203.0.113.77&shippingMobile=13912345678&commodityName=}", "{ipAddress=***&shippingMobile=***&commodityName=}"},
		{"reserved", "{comDebitCardAccName=某某科技有限公司}", "{comDebitCardAccName=***}"},
		{"reserved", "not braced 203.0.113.77", "***"},
	}
	for _, tt := range tests {
		f := Fields{tt.key: tt.in, "orderId": "O1"}
		if got := f.Masked()[tt.key]; got != tt.want {
			t.Errorf("Masked %s %q = %q, want %q", tt.key, tt.in, got, tt.want)
		}
		if got := f.Masked().Masked()[tt.key]; got != tt.want {
			t.Errorf("Masked twice %s %q = %q, want %q", tt.key, tt.in, got, tt.want)
		}
		var b strings.Builder
		slog.New(slog.NewJSONHandler(&b, nil)).Info("m", "f", f)
		for how, out := range map[string]string{"%v": fmt.Sprintf("%v", f), "%#v": fmt.Sprintf("%#v", f), "slog": b.String()} {
			for _, secret := range []string{"203.0.113.77", "13912345678", "某某科技有限公司"} {
				if strings.Contains(out, secret) {
					t.Errorf("%s shows %q: %s", how, secret, out)
				}
			}
		}
	}
}

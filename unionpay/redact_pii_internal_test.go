package unionpay

import (
	"testing"

	"github.com/goacp/unionpay/sign"
)

// TestPIIMaskedPairs: nil stays nil, an empty map empty, every value "***" but empty ones, and
// the caller's map is not changed.
func TestPIIMaskedPairs(t *testing.T) {
	t.Parallel()
	if maskedPairs(nil) != nil {
		t.Error("nil became non-nil")
	}
	if m := maskedPairs(sign.Fields{}); m == nil || len(m) != 0 {
		t.Errorf("empty map: %v", m)
	}
	in := sign.Fields{"ipAddress": "203.0.113.7", "commodityName": "", "x": "***"}
	got := maskedPairs(in)
	want := sign.Fields{"ipAddress": "***", "commodityName": "", "x": "***"}
	if len(got) != len(want) {
		t.Fatalf("got %v, want %v", got, want)
	}
	for k, v := range want {
		if got[k] != v {
			t.Errorf("%s: got %q, want %q", k, got[k], v)
		}
	}
	if in["ipAddress"] != "203.0.113.7" {
		t.Error("the caller's map changed")
	}
}

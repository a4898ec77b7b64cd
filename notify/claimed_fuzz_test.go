package notify

import (
	"log/slog"
	"testing"
)

// FuzzClaimed: whatever a rejected body holds, its claim is a group of known keys whose values
// are printable ASCII and bounded.
func FuzzClaimed(f *testing.F) {
	f.Add([]byte("merId=777290058110048&orderId=ORDER1&txnTime=20260601080000&txnType=01&queryId=1"))
	f.Add([]byte("orderId=%E4%BD%A0%0A&orderId=x&&=&txnType"))
	f.Add([]byte("queryId=%zz%"))
	f.Fuzz(func(t *testing.T, body []byte) {
		a := claimed(body)
		if a.Key == "" {
			return
		}
		if a.Key != "claimed" || a.Value.Kind() != slog.KindGroup {
			t.Fatalf("claim %v", a)
		}
		for _, g := range a.Value.Group() {
			v := g.Value.String()
			if v == "" || len(v) > maxClaimed+3 {
				t.Fatalf("%s: %q", g.Key, v)
			}
			for i := range len(v) {
				if v[i] <= ' ' || v[i] >= 0x7f {
					t.Fatalf("%s: %q holds byte %#x", g.Key, v, v[i])
				}
			}
		}
	})
}

package sign_test

import (
	"strings"
	"testing"

	"github.com/goacp/unionpay/sign"
)

// TestParseErrorCutKeyLength: a refused key that is not a field name is quoted cut, and then
// bounded as a field name is: what reads as a name before the value is shown only up to 64 bytes
// ("..." alone past that), and the key's length is added only when it is longer than 64 bytes, so
// that a 64 KiB key holding a value makes neither a log line of its size nor a note on a short one.
func TestParseErrorCutKeyLength(t *testing.T) {
	t.Parallel()
	const card = "6216261000000000018"
	pad := func(prefix string, n int) string { return prefix + strings.Repeat("x", n-len(prefix)) }
	tests := []struct {
		name string
		key  string
		want string // the quoted key, as the message shows it
	}{
		{"64 bytes: no length", pad("accNo "+card+" ", 64), `"accNo...":`},
		{"65 bytes: its length", pad("accNo "+card+" ", 65), `"accNo..." (65 bytes):`},
		{"a name of 64 bytes, then a value", strings.Repeat("a", 64) + " " + card, `"` + strings.Repeat("a", 64) + `..." (84 bytes):`},
		{"a name of 65 bytes, then a value", strings.Repeat("a", 65) + " " + card, `"..." (85 bytes):`},
		{"a name of 64 KiB, then a value", strings.Repeat("a", 64<<10) + " " + card, `"..." (65556 bytes):`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := sign.CheckFieldNames(sign.Fields{tt.key: "1"})
			if err == nil {
				t.Fatal("no error")
			}
			s := err.Error()
			if !strings.Contains(s, tt.want) || strings.Contains(s, card[:12]) || len(s) > 400 {
				t.Errorf("error %.500q: want %s, no card number, at most 400 bytes", s, tt.want)
			}
			if len(tt.key) <= 64 && strings.Contains(s, "bytes)") {
				t.Errorf("error %q: a length note on a key of %d bytes", s, len(tt.key))
			}
		})
	}
}

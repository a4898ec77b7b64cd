package ascii

import "testing"

// TestIs: every byte below 0x80 is ASCII, 0x80 and above is not, wherever it sits, in a string
// and in a []byte alike.
func TestIs(t *testing.T) {
	t.Parallel()
	tests := []struct {
		s    string
		want bool
	}{
		{"", true},
		{"merId=777290058110048&txnAmt=1", true},
		{"\x00\x7f", true},
		{"\x80", false},
		{"abcdefgh\xff", false},
		{"银联", false},
		{"\xb2\xe2abc", false}, // GBK 测's first byte
	}
	for _, tt := range tests {
		if got := Is(tt.s); got != tt.want {
			t.Errorf("Is(%q) = %v, want %v", tt.s, got, tt.want)
		}
		if got := Is([]byte(tt.s)); got != tt.want {
			t.Errorf("Is([]byte(%q)) = %v, want %v", tt.s, got, tt.want)
		}
	}
}

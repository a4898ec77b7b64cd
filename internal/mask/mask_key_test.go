package mask

import "testing"

// TestKey: a key that reads as a field name is shown whole; one holding a value run into it is cut
// before the value, or hidden whole when nothing before it reads as a name.
func TestKey(t *testing.T) {
	tests := []struct {
		k       string
		maxName int
		want    string
	}{
		{"", 0, ""},
		{"accNo", 0, "accNo"},
		{"cvn2", 20, "cvn2"},
		{"cvn2741", 20, "cvn..."},
		{"accNo=6216261000000000018", 0, "accNo..."},
		{"phoneNo 13552535506", 20, "phoneNo..."},
		{"phoneNo13552535506", 20, "phoneNo..."},
		{"6216261000000000018", 0, "..."},
		{"=6216261000000000018", 0, "..."},
		{"1a", 0, "..."},
		{"a&b", 0, "a..."},
		{"a1b2", 0, "a1b2"},
		{"abcdefghijklmnopqrstu", 20, "..."},                      // a name over maxName
		{"abcdefghijklmnopqrstu", 0, "abcdefghijklmnopqrstu"},     // no limit
		{"abcdefghijklmnopqrst=1", 20, "abcdefghijklmnopqrst..."}, // 20: at the limit
		{"abcdefghijklmnopqrstu=12", 20, "..."},                   // its name over the limit
		{"name\u00e9", 0, "name..."},                              // not ASCII
		{"expired0912", 0, "expired..."},
	}
	for _, tt := range tests {
		if got := Key(tt.k, tt.maxName); got != tt.want {
			t.Errorf("Key(%q, %d) = %q, want %q", tt.k, tt.maxName, got, tt.want)
		}
	}
}

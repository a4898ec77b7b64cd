package ascii

import "testing"

func TestIsAlnum(t *testing.T) {
	tests := []struct {
		s    string
		want bool
	}{
		{"", true},
		{"az09AZ", true},
		{"777290058110097", true},
		{"a b", false},
		{"a-b", false},
		{"a/", false}, // '/' is just below '0'
		{"a:", false}, // ':' just above '9'
		{"a@", false}, // '@' just below 'A'
		{"a[", false}, // '[' just above 'Z'
		{"a`", false}, // '`' just below 'a'
		{"a{", false}, // '{' just above 'z'
		{"商户", false}, // not ASCII
		{"ａ", false},  // a full-width letter
	}
	for _, tc := range tests {
		if got := IsAlnum(tc.s); got != tc.want {
			t.Errorf("IsAlnum(%q) = %v, want %v", tc.s, got, tc.want)
		}
	}
}

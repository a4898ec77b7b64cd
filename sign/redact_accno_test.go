package sign

import (
	"strings"
	"testing"
)

// TestFieldsMaskedAccNo: accNo shows as 6+4 when it is a card number in clear (full or as
// UnionPay masked it) and as "(encrypted)" otherwise, never a piece of the ciphertext.
func TestFieldsMaskedAccNo(t *testing.T) {
	ciphertext := strings.Repeat("QUJDREVGR0hJSktMTU5PUA==", 15)
	tests := []struct{ accNo, want string }{
		{"6216261000000000018", "621626******0018"},
		{"621626******0018", "621626******0018"},
		{ciphertext, "(encrypted)"},
		{"not a card", "(encrypted)"},
		{"", ""},
	}
	for _, tt := range tests {
		f := Fields{"accNo": tt.accNo, "orderId": "O1"}
		if got := f.Masked()["accNo"]; got != tt.want {
			t.Errorf("Masked accNo %.30q = %q, want %q", tt.accNo, got, tt.want)
		}
		if tt.accNo == ciphertext && strings.Contains(f.String(), ciphertext[:6]) {
			t.Errorf("String shows part of the ciphertext: %s", f.String())
		}
	}
}

package mask

import "testing"

// TestIsMaskedText: a respMsg or origRespMsg reads as masked only with six stars in a row, as
// pan.MaskRuns writes a card number it masked (621626******0018, ******9012); UnionPay's text with
// fewer stars (a password field shown as *****, a rating) is text to send as it is.
func TestIsMaskedText(t *testing.T) {
	t.Parallel()
	for _, tt := range []struct {
		key, v string
		want   bool
	}{
		{"respMsg", "卡号621626******0018无效", true},
		{"origRespMsg", "******9012", true},
		{"respMsg", "密码*****错误", false},
		{"origRespMsg", "rated ***** (5 stars)", false},
		{"respMsg", "成功[0000000]", false},
	} {
		if got := IsMasked(tt.key, tt.v); got != tt.want {
			t.Errorf("IsMasked(%q, %q) = %v, want %v", tt.key, tt.v, got, tt.want)
		}
	}
}

package notify_test

import (
	"testing"

	"github.com/stretchr/testify/assert"

	"github.com/goacp/unionpay/internal/pan"
	"github.com/goacp/unionpay/notify"
)

// TestMaskPANOneRule: MaskPAN is the module's one rule for card numbers (internal/pan.Mask, which
// the requests' and answers' log forms use): it wrote a star a character for a value of ten
// characters or fewer, telling its length (and for non-ASCII text, its length in characters),
// where the log forms wrote "***". Card numbers keep the 621626******0018 form.
func TestMaskPANOneRule(t *testing.T) {
	t.Parallel()
	tests := []struct{ in, want string }{
		{"", ""},
		{"1", "***"},
		{"123456", "***"},
		{"1234567890", "***"},
		{"******0018", "******0018"}, // a short card already masked
		{"张三", "***"},
		{"张三丰6216261000000000018", "***"},
		{"62215588123", "******8123"},
		{"6221558812340000", "622155******0000"},
		{"6216261000000000018", "621626******0018"},
		{"6216***********0018", "6216********0018"}, // masked by UnionPay: six stars, the length not told
	}
	for _, tt := range tests {
		assert.Equal(t, tt.want, notify.MaskPAN(tt.in), tt.in)
		assert.Equal(t, pan.Mask(tt.in), notify.MaskPAN(tt.in), "one rule: %q", tt.in)
		assert.Equal(t, notify.MaskPAN(tt.in), notify.MaskPAN(notify.MaskPAN(tt.in)), "stable: %q", tt.in)
	}
}

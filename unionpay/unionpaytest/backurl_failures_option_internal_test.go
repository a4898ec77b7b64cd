package unionpaytest

import (
	"testing"

	"github.com/stretchr/testify/assert"
)

// TestWithBackURLFailuresNil: "A nil f changes nothing" holds after a function too: a later
// WithBackURLFailures(nil) (a program passing an optional hook along) keeps the function given
// before, which is still handed the first failure.
func TestWithBackURLFailuresNil(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name string
		opts func(f func(BackURLFailure)) []Option
		told int
	}{
		{"a function", func(f func(BackURLFailure)) []Option { return []Option{WithBackURLFailures(f)} }, 1},
		{"a function, then nil", func(f func(BackURLFailure)) []Option {
			return []Option{WithBackURLFailures(f), WithBackURLFailures(nil)}
		}, 1},
		{"nil alone", func(func(BackURLFailure)) []Option { return []Option{WithBackURLFailures(nil)} }, 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			told := 0
			s := NewServer(tt.opts(func(BackURLFailure) { told++ })...)
			t.Cleanup(s.Close)
			const u = "http://shop.example/notify"
			s.logFailure(&notification{orderID: "ORDER0001", url: u}, Delivery{URL: u, Attempt: 1, Status: 500}, nil)
			assert.Equal(t, tt.told, told)
		})
	}
}

package notify_test

import (
	"testing"

	"github.com/stretchr/testify/assert"

	"github.com/goacp/unionpay/notify"
)

// TestStatusString: the three statuses read as their words, and a value that is none of them
// (converted from a stored number: reconcile.StateFailed is 3) as Status(N), as reconcile's,
// cert's and unionpay's enumerations print one, never as "pending", a word reconcile.ParseState
// would then take for a real status.
func TestStatusString(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name string
		s    notify.Status
		want string
	}{
		{"pending", notify.Pending, "pending"},
		{"succeeded", notify.Succeeded, "succeeded"},
		{"failed", notify.Failed, "failed"},
		{"past the last", notify.Failed + 1, "Status(3)"},
		{"negative", notify.Status(-1), "Status(-1)"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			assert.Equal(t, tt.want, tt.s.String())
		})
	}
}

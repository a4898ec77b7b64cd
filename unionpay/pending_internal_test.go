package unionpay

import (
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/goacp/unionpay/notify"
)

// The client's pending codes are notify's: a respCode a notification calls Pending is pending in a
// synchronous answer and in a query, and no other code is. Every respCode of two digits or capital
// letters is checked.
func TestPendingCodesAgreeWithNotify(t *testing.T) {
	t.Parallel()
	const chars = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ"
	for _, a := range chars {
		for _, b := range chars {
			code := string(a) + string(b)
			want := notify.StatusOf(code) == notify.Pending
			require.Equal(t, want, pendingCode(code), "pendingCode(%q)", code)
			require.Equal(t, want, stateOf(code) == Pending, "stateOf(%q)", code)
			require.Equal(t, notify.StatusOf(code) == notify.Succeeded, stateOf(code) == Succeeded, "stateOf(%q)", code)
		}
	}
}

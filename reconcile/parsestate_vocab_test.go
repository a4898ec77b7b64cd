package reconcile_test

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/goacp/unionpay/notify"
	"github.com/goacp/unionpay/reconcile"
	"github.com/goacp/unionpay/unionpay"
)

// TestParseStateReadsQueryAndNotifyWords pins what ParseState's doc and the README's table of
// state vocabularies say: a final unionpay.State (string(tx.State)) and a notify.Status
// (n.Status().String()) convert as they are, and a query's "not found" is no State.
func TestParseStateReadsQueryAndNotifyWords(t *testing.T) {
	t.Parallel()
	for _, tt := range []struct {
		name string
		in   string
		want reconcile.State
	}{
		{"unionpay.Succeeded", string(unionpay.Succeeded), reconcile.StateSucceeded},
		{"unionpay.Pending", string(unionpay.Pending), reconcile.StatePending},
		{"unionpay.Failed", string(unionpay.Failed), reconcile.StateFailed},
		{"notify.Succeeded", notify.Succeeded.String(), reconcile.StateSucceeded},
		{"notify.Pending", notify.Pending.String(), reconcile.StatePending},
		{"notify.Failed", notify.Failed.String(), reconcile.StateFailed},
		{"unionpay.NotFound", string(unionpay.NotFound), reconcile.StateUnset},
	} {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			got, err := reconcile.ParseState(tt.in)
			assert.Equal(t, tt.want, got)
			if tt.want == reconcile.StateUnset {
				require.ErrorIs(t, err, reconcile.ErrNoState)
				return
			}
			require.NoError(t, err)
		})
	}
}

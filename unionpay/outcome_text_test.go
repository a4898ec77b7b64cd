package unionpay_test

import (
	"encoding/json"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/goacp/unionpay/unionpay"
)

// TestOutcomeTextRoundTrip: every Outcome's JSON, a word written by MarshalText, decodes back to
// it (a metrics or alerting configuration that lists outcomes by name, a log read back), where
// json.Unmarshal refused the words MarshalText writes; a word that names no outcome is an error
// that leaves the value as it was.
func TestOutcomeTextRoundTrip(t *testing.T) {
	t.Parallel()
	all := []unionpay.Outcome{unionpay.OutcomeAccepted, unionpay.OutcomePending, unionpay.OutcomeRejected,
		unionpay.OutcomeNotSent, unionpay.OutcomeUnverified, unionpay.OutcomeRefused, unionpay.OutcomeFailed}
	for _, o := range all {
		t.Run(o.String(), func(t *testing.T) {
			t.Parallel()
			b, err := json.Marshal(o)
			require.NoError(t, err)
			var got unionpay.Outcome
			require.NoError(t, json.Unmarshal(b, &got))
			assert.Equal(t, o, got)
		})
	}
	tests := []struct {
		name string
		text string
	}{
		{"empty", ""},
		{"zero outcome's String", "Outcome(0)"},
		{"other case", "Pending"},
		{"not a word of it", "succeeded"},
	}
	for _, tt := range tests {
		t.Run("refused "+tt.name, func(t *testing.T) {
			t.Parallel()
			got := unionpay.OutcomeRejected
			err := got.UnmarshalText([]byte(tt.text))
			require.Error(t, err)
			assert.Contains(t, err.Error(), "unionpay: outcome ")
			assert.Equal(t, unionpay.OutcomeRejected, got)
		})
	}
}

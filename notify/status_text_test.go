package notify_test

import (
	"encoding/json"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/goacp/unionpay/notify"
)

// TestStatusTextRoundTrip: every Status encodes in JSON as the word String returns, where it was
// a number (2, failed, is reconcile.StatePending's number), and decodes back from it, by
// json.Unmarshal and UnmarshalText; any other text, the number a Status was stored as before and
// "Status(N)" included, is an error naming it that leaves the value as it was.
func TestStatusTextRoundTrip(t *testing.T) {
	t.Parallel()
	tests := []struct {
		s    notify.Status
		want string
	}{
		{notify.Pending, "pending"},
		{notify.Succeeded, "succeeded"},
		{notify.Failed, "failed"},
	}
	for _, tt := range tests {
		t.Run(tt.want, func(t *testing.T) {
			t.Parallel()
			b, err := json.Marshal(tt.s)
			require.NoError(t, err)
			assert.JSONEq(t, `"`+tt.want+`"`, string(b))
			var got notify.Status = -1
			require.NoError(t, json.Unmarshal(b, &got))
			assert.Equal(t, tt.s, got)
			text, err := tt.s.MarshalText()
			require.NoError(t, err)
			assert.Equal(t, tt.s.String(), string(text))
			got = -1
			require.NoError(t, got.UnmarshalText(text))
			assert.Equal(t, tt.s, got)
		})
	}
	for _, text := range []string{"", "Failed", "paid", "2", "Status(3)", "unset"} {
		t.Run("refused "+text, func(t *testing.T) {
			t.Parallel()
			got := notify.Succeeded
			err := got.UnmarshalText([]byte(text))
			require.Error(t, err)
			assert.Contains(t, err.Error(), `notify: status "`+text+`"`)
			assert.Equal(t, notify.Succeeded, got)
		})
	}
	t.Run("stored number refused", func(t *testing.T) {
		t.Parallel()
		got := notify.Succeeded
		require.Error(t, json.Unmarshal([]byte(`2`), &got))
		assert.Equal(t, notify.Succeeded, got)
	})
}

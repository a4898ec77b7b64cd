package unionpaytest_test

import (
	"encoding/json"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/goacp/unionpay/unionpay/unionpaytest"
)

// TestFaultTextRoundTrip: every Fault encodes in JSON as its short name, where it was a number,
// a FaultRates map's keys too, and decodes back from it, by json.Unmarshal and UnmarshalText;
// any other text, a number and "Fault(N)" included, is an error naming it that leaves the value
// as it was.
func TestFaultTextRoundTrip(t *testing.T) {
	t.Parallel()
	tests := []struct {
		f    unionpaytest.Fault
		want string
	}{
		{unionpaytest.FaultNone, "none"},
		{unionpaytest.Fault5xx, "5xx"},
		{unionpaytest.FaultDrop, "drop"},
		{unionpaytest.FaultTruncate, "truncate"},
		{unionpaytest.FaultDelay, "delay"},
		{unionpaytest.FaultWrongKey, "wrong-key"},
		{unionpaytest.FaultExpiredCert, "expired-cert"},
		{unionpaytest.FaultWrongName, "wrong-name"},
		{unionpaytest.FaultPending, "pending"},
		{unionpaytest.FaultDuplicateNotify, "duplicate-notify"},
		{unionpaytest.FaultLateNotify, "late-notify"},
		{unionpaytest.FaultNotifyFirst, "notify-first"},
		{unionpaytest.FaultForgedNotify, "forged-notify"},
		{unionpaytest.FaultNotifyWrongKey, "notify-wrong-key"},
		{unionpaytest.FaultNotifyExpiredCert, "notify-expired-cert"},
		{unionpaytest.FaultNotifyWrongName, "notify-wrong-name"},
		{unionpaytest.FaultBadGateway, "bad-gateway"},
	}
	for _, tt := range tests {
		t.Run(tt.want, func(t *testing.T) {
			t.Parallel()
			b, err := json.Marshal(tt.f)
			require.NoError(t, err)
			assert.JSONEq(t, `"`+tt.want+`"`, string(b))
			got := unionpaytest.Fault(-1)
			require.NoError(t, json.Unmarshal(b, &got))
			assert.Equal(t, tt.f, got)
			text, err := tt.f.MarshalText()
			require.NoError(t, err)
			assert.Equal(t, tt.f.String(), string(text))
			got = -1
			require.NoError(t, got.UnmarshalText(text))
			assert.Equal(t, tt.f, got)
		})
	}
	t.Run("FaultRates keys", func(t *testing.T) {
		t.Parallel()
		rates := unionpaytest.FaultRates{unionpaytest.FaultDrop: 0.5, unionpaytest.FaultLateNotify: 0.25}
		b, err := json.Marshal(rates)
		require.NoError(t, err)
		assert.JSONEq(t, `{"drop":0.5,"late-notify":0.25}`, string(b))
		var got unionpaytest.FaultRates
		require.NoError(t, json.Unmarshal(b, &got))
		assert.Equal(t, rates, got)
	})
	for _, text := range []string{"", "Drop", "wrong_key", "2", "Fault(17)"} {
		t.Run("refused "+text, func(t *testing.T) {
			t.Parallel()
			got := unionpaytest.FaultDelay
			err := got.UnmarshalText([]byte(text))
			require.Error(t, err)
			assert.Contains(t, err.Error(), `unionpaytest: fault "`+text+`"`)
			assert.Equal(t, unionpaytest.FaultDelay, got)
		})
	}
}

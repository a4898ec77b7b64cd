package cert_test

import (
	"encoding/json"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/goacp/unionpay/cert"
)

// TestReasonTextRoundTrip: every Reason encodes in JSON as the words String returns, where it
// was a number, and decodes back from them, by json.Unmarshal and UnmarshalText; any other text,
// a number and "Reason(N)" included, is an error naming it that leaves the value as it was.
func TestReasonTextRoundTrip(t *testing.T) {
	t.Parallel()
	tests := []struct {
		r    cert.Reason
		want string
	}{
		{cert.Malformed, "malformed"},
		{cert.Expired, "expired"},
		{cert.NotYetValid, "not yet valid"},
		{cert.UnknownAuthority, "unknown authority"},
		{cert.BadSignature, "bad certificate signature"},
		{cert.NotCA, "issuer is not a CA"},
		{cert.BadKeyUsage, "key usage not allowed"},
		{cert.WrongOwner, "wrong owner"},
	}
	for _, tt := range tests {
		t.Run(tt.want, func(t *testing.T) {
			t.Parallel()
			b, err := json.Marshal(tt.r)
			require.NoError(t, err)
			assert.JSONEq(t, `"`+tt.want+`"`, string(b))
			var got cert.Reason
			require.NoError(t, json.Unmarshal(b, &got))
			assert.Equal(t, tt.r, got)
			text, err := tt.r.MarshalText()
			require.NoError(t, err)
			assert.Equal(t, tt.r.String(), string(text))
			got = 0
			require.NoError(t, got.UnmarshalText(text))
			assert.Equal(t, tt.r, got)
		})
	}
	for _, text := range []string{"", "Expired", "revoked", "2", "Reason(0)", "Reason(9)"} {
		t.Run("refused "+text, func(t *testing.T) {
			t.Parallel()
			got := cert.WrongOwner
			err := got.UnmarshalText([]byte(text))
			require.Error(t, err)
			assert.Contains(t, err.Error(), `cert: reason "`+text+`"`)
			assert.Contains(t, err.Error(), " is not one of malformed, expired, ", "the reasons, none blank")
			assert.Equal(t, cert.WrongOwner, got)
		})
	}
}

package unionpay_test

import (
	"encoding/json"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/goacp/unionpay/sign"
	"github.com/goacp/unionpay/unionpay"
)

// TestExtraCutKeyMaskedJSONRefused: the masked log form of an Extra whose key is not a field name
// (key=value text given whole as a key, cut to "accNo..." with its value "***", numbered when two
// are cut alike) is refused by UnmarshalJSON with ErrMaskedJSON, as every other mask of Extra is:
// decoded, it would send "accNo...=***" to UnionPay in place of the pair. A key that is not a
// field name with a value that is no mask decodes as before; the refusal names such a key cut.
func TestExtraCutKeyMaskedJSONRefused(t *testing.T) {
	t.Parallel()
	extras := []sign.Fields{
		{"accNo " + keyCard: "1"},
		{"accNo=" + keyCard: "x", "accNo " + keyCard2: "1", "merId": "777290058110048"},
		{keyCard: "x"},
	}
	reqs := map[string]func(extra sign.Fields) (any, any){
		"ConsumeRequest": func(e sign.Fields) (any, any) {
			return &unionpay.ConsumeRequest{Extra: e}, new(unionpay.ConsumeRequest)
		},
		"FollowUpRequest": func(e sign.Fields) (any, any) {
			return &unionpay.FollowUpRequest{Extra: e}, new(unionpay.FollowUpRequest)
		},
		"QueryRequest": func(e sign.Fields) (any, any) {
			return &unionpay.QueryRequest{Extra: e}, new(unionpay.QueryRequest)
		},
	}
	for name, mk := range reqs {
		for _, extra := range extras {
			v, into := mk(extra)
			b, err := json.Marshal(v)
			require.NoError(t, err)
			assert.NotContains(t, string(b), keyCard, "%s: the log form shows the key's card number", name)
			err = json.Unmarshal(b, into)
			assert.ErrorIs(t, err, unionpay.ErrMaskedJSON, "%s: %s decoded", name, b)
		}
		_, into := mk(nil)
		err := json.Unmarshal([]byte(`{"Extra":{"accNo `+keyCard+`":"***"}}`), into)
		require.ErrorIs(t, err, unionpay.ErrMaskedJSON, name)
		assert.NotContains(t, err.Error(), keyCard[:12], "%s: the refusal names the key whole", name)
		assert.Contains(t, err.Error(), `.Extra[accNo...]`, name)
		assert.NoError(t, json.Unmarshal([]byte(`{"Extra":{"my_field":"1","x-y":""}}`), into),
			"%s: a key that is not a field name, its value no mask", name)
	}
}
